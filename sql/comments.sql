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
  -- the row type of a table or view and the array type of any type are
  -- made implicitly (PG17+ records them as extension members): they take
  -- the documentation of the object they belong to
  AND NOT EXISTS (SELECT 1 FROM pg_type t
                  WHERE d.classid = 'pg_type'::regclass AND t.oid = d.objid
                    AND (EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
                         OR EXISTS (SELECT 1 FROM pg_class c
                                    WHERE c.oid = t.typrelid AND c.relkind <> 'c')))
ORDER BY 1, 2;

-- Functions that run queries pin search_path; C functions need not.
SELECT p.oid::regprocedure AS unpinned
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'bounce')
  AND p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
ORDER BY 1;
