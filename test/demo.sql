-- test/demo.sql - a tour of bounce, run by test/demo on a throwaway cluster.
\pset footer off
\echo '== CREATE EXTENSION bounce'
CREATE EXTENSION bounce;

\echo '== A reply as a value: parsed, canonical, with accessors'
SELECT s AS status, bounce.code(s), bounce.enhanced(s), bounce.message(s)
FROM (SELECT '550-5.1.1 The email account does not exist. 550 5.1.1 Please try again'::bounce.smtp_status AS s) x;

\echo '== Hard or soft, why, and what to do'
SELECT r AS reply, e.class, e.reason, e.action, e.retry_after, e.rule
FROM (VALUES ('550 5.1.1 <jane@example.com>: User unknown'),
             ('552 5.2.2 Mailbox full'),
             ('550 5.7.1 blocked using zen.spamhaus.org'),
             ('450 4.2.1 Greylisted, try again later'),
             ('550 5.1.1 too many recipients this hour'),
             ('Sorry, no mailbox here by that name. (#5.1.1)')) v(r),
     LATERAL bounce.explain(r) e;

\echo '== Bad input is refused with SQLSTATE 22P02'
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
SELECT 'hello world'::bounce.smtp_status;
\set ON_ERROR_STOP 1
