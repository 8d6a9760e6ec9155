-- Every object of the extension is documented (\dx+ bounce, \df+, \dT+).
CREATE EXTENSION IF NOT EXISTS bounce;

SELECT classid::regclass AS catalog, pg_describe_object(classid, objid, 0) AS object
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'bounce')
  AND d.deptype = 'e'
  AND d.classid IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass,
                    'pg_opclass'::regclass, 'pg_class'::regclass, 'pg_cast'::regclass)
  AND obj_description(d.objid, d.classid::regclass::text) IS NULL
ORDER BY 1, 2;

-- Functions that run queries pin search_path; C functions need not.
SELECT p.oid::regprocedure AS unpinned
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'bounce')
  AND p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
ORDER BY 1;
