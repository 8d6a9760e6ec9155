-- test/upgrade/catalog.sql - everything the extension's install made, as
-- sorted lines of text without OIDs, so that an updated install and a
-- fresh one can be compared with diff.  (pg_dump --schema-only cannot do
-- this: it prints only CREATE EXTENSION for an extension's members.)
-- Run with psql -At; used by test/checks/upgrade.
WITH ext AS (
    SELECT oid, extconfig, extcondition, extversion, extrelocatable, extnamespace
      FROM pg_extension WHERE extname = 'bounce'
), member AS (
    SELECT d.classid, d.objid FROM pg_depend d, ext
     WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), rel AS (
    SELECT c.* FROM pg_class c JOIN member m ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
), fn AS (
    SELECT p.* FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
), typ AS (
    SELECT t.* FROM pg_type t JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
)
SELECT line FROM (
    -- the extension itself
    SELECT 'extension: version ' || extversion || ' relocatable ' || extrelocatable
           || ' schema ' || extnamespace::regnamespace AS line FROM ext
    UNION ALL
    SELECT 'config dump: ' || c::regclass || ' ' || quote_literal(w)
      FROM ext, unnest(extconfig, extcondition) AS u(c, w)
    UNION ALL
    -- every member, with its comment
    SELECT 'member: ' || pg_describe_object(m.classid, m.objid, 0) || ' -- '
           || coalesce(obj_description(m.objid, m.classid::regclass::text), '<no comment>')
      FROM member m
    UNION ALL
    SELECT 'schema: ' || n.nspname || ' acl ' || coalesce(n.nspacl::text, '-') || ' -- '
           || coalesce(obj_description(n.oid, 'pg_namespace'), '<no comment>')
      FROM pg_namespace n WHERE n.nspname = 'bounce'
    UNION ALL
    -- functions: the whole definition, and who may call them
    SELECT 'function: ' || p.oid::regprocedure || ' acl ' || coalesce(p.proacl::text, '-') || E'\n'
           || CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE pg_get_functiondef(p.oid) END
      FROM fn p
    UNION ALL
    -- tables, views, sequences, indexes
    SELECT 'relation: ' || c.oid::regclass || ' kind ' || c.relkind::text || ' persistence ' || c.relpersistence::text
           || ' options ' || coalesce(c.reloptions::text, '-') || ' acl ' || coalesce(c.relacl::text, '-')
           || ' rls ' || c.relrowsecurity || ' replident ' || c.relreplident::text
      FROM rel c
    UNION ALL
    SELECT 'view: ' || c.oid::regclass || E'\n' || pg_get_viewdef(c.oid)
      FROM rel c WHERE c.relkind IN ('v', 'm')
    UNION ALL
    -- columns, in order, with types, defaults, generation, comments, ACLs
    SELECT 'column: ' || c.oid::regclass || ' #'
           || row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum) || ' ' || quote_ident(a.attname)
           || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                   THEN ' collate ' || a.attcollation::regcollation ELSE '' END
           || CASE a.attgenerated WHEN 's' THEN ' generated ' ELSE ' default ' END
           || coalesce(pg_get_expr(ad.adbin, ad.adrelid), '-')
           || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
           || ' acl ' || coalesce(a.attacl::text, '-')
           || ' -- ' || coalesce(col_description(c.oid, a.attnum), '<no comment>')
      FROM rel c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'c', 'f')
    UNION ALL
    SELECT 'constraint: ' || c.oid::regclass || ' ' || quote_ident(k.conname) || ' '
           || pg_get_constraintdef(k.oid)
           || CASE WHEN k.condeferrable THEN ' deferrable' ELSE '' END
           || ' -- ' || coalesce(obj_description(k.oid, 'pg_constraint'), '<no comment>')
      FROM rel c JOIN pg_constraint k ON k.conrelid = c.oid
    UNION ALL
    SELECT 'index: ' || pg_get_indexdef(i.indexrelid)
           || ' -- ' || coalesce(obj_description(i.indexrelid, 'pg_class'), '<no comment>')
      FROM rel c JOIN pg_index i ON i.indrelid = c.oid
    UNION ALL
    SELECT 'trigger: ' || pg_get_triggerdef(g.oid) || ' enabled ' || g.tgenabled::text
           || ' -- ' || coalesce(obj_description(g.oid, 'pg_trigger'), '<no comment>')
      FROM rel c JOIN pg_trigger g ON g.tgrelid = c.oid AND NOT g.tgisinternal
    UNION ALL
    SELECT 'policy: ' || c.oid::regclass || ' ' || quote_ident(p.polname) || ' ' || p.polcmd::text
           || ' ' || p.polpermissive || ' ' || p.polroles::text
           || ' using ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '-')
           || ' check ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '-')
      FROM rel c JOIN pg_policy p ON p.polrelid = c.oid
    UNION ALL
    SELECT 'sequence: ' || s.seqrelid::regclass || ' ' || format_type(s.seqtypid, NULL) || ' start '
           || s.seqstart || ' inc ' || s.seqincrement || ' min ' || s.seqmin || ' max ' || s.seqmax
           || ' cache ' || s.seqcache || ' cycle ' || s.seqcycle
           || ' owned by ' || coalesce((SELECT d.refobjid::regclass || '.' || a.attname
                                          FROM pg_depend d JOIN pg_attribute a
                                            ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                         WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                                           AND d.deptype = 'a'), '-')
      FROM rel c JOIN pg_sequence s ON s.seqrelid = c.oid
    UNION ALL
    -- types: kind, I/O, storage, enum labels in sort order, ACL
    SELECT 'type: ' || t.oid::regtype || ' kind ' || t.typtype::text || ' len ' || t.typlen || ' align '
           || t.typalign::text || ' storage ' || t.typstorage::text || ' in ' || t.typinput::regproc
           || ' out ' || t.typoutput::regproc || ' recv ' || t.typreceive::regproc
           || ' send ' || t.typsend::regproc || ' category ' || t.typcategory::text
           || ' collatable ' || (t.typcollation <> 0) || ' acl ' || coalesce(t.typacl::text, '-')
           || coalesce(' labels ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                         FROM pg_enum e WHERE e.enumtypid = t.oid), '')
      FROM typ t
    UNION ALL
    SELECT 'operator: ' || o.oid::regoperator || ' code ' || o.oprcode::regproc
           || ' commutator ' || o.oprcom::regoperator || ' negator ' || o.oprnegate::regoperator
           || ' rest ' || o.oprrest::regproc || ' join ' || o.oprjoin::regproc
           || ' merges ' || o.oprcanmerge || ' hashes ' || o.oprcanhash
      FROM pg_operator o JOIN member m ON m.classid = 'pg_operator'::regclass AND m.objid = o.oid
    UNION ALL
    SELECT 'opclass: ' || am.amname || ' ' || oc.opcname || ' for ' || oc.opcintype::regtype
           || ' default ' || oc.opcdefault || ' family ' || of.opfname
      FROM pg_opclass oc JOIN member m ON m.classid = 'pg_opclass'::regclass AND m.objid = oc.oid
      JOIN pg_am am ON am.oid = oc.opcmethod JOIN pg_opfamily of ON of.oid = oc.opcfamily
    UNION ALL
    SELECT 'opfamily member: ' || am.amname || ' ' || of.opfname || ' op ' || ao.amopstrategy
           || ' ' || ao.amopopr::regoperator
      FROM pg_opfamily of JOIN pg_am am ON am.oid = of.opfmethod
      JOIN pg_amop ao ON ao.amopfamily = of.oid
     WHERE of.opfnamespace = 'bounce'::regnamespace
    UNION ALL
    SELECT 'opfamily member: ' || am.amname || ' ' || of.opfname || ' proc ' || ap.amprocnum
           || ' ' || ap.amproc::regprocedure
      FROM pg_opfamily of JOIN pg_am am ON am.oid = of.opfmethod
      JOIN pg_amproc ap ON ap.amprocfamily = of.oid
     WHERE of.opfnamespace = 'bounce'::regnamespace
    UNION ALL
    SELECT 'cast: ' || format_type(c.castsource, NULL) || ' -> ' || format_type(c.casttarget, NULL)
           || ' via ' || coalesce(c.castfunc::regprocedure::text, '-') || ' context ' || c.castcontext::text
           || ' method ' || c.castmethod::text
      FROM pg_cast c JOIN member m ON m.classid = 'pg_cast'::regclass AND m.objid = c.oid
    UNION ALL
    -- the rows the extension ships
    SELECT 'reason_policy row: ' || r::text FROM bounce.reason_policy r
    UNION ALL
    SELECT 'config row: ' || c::text FROM bounce.config c
    UNION ALL
    SELECT 'webhook_types row: ' || w::text FROM bounce.webhook_types w
) lines
ORDER BY line COLLATE "C";
