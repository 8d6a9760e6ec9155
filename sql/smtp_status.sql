-- smtp_status: parsing of every input form, canonical output, accessors,
-- constructor, casts, operators and operator classes, binary I/O.
CREATE EXTENSION IF NOT EXISTS bounce;
SET search_path = bounce, public;

-- Every input form the SPEC lists, with what each part parses to.
CREATE TEMP TABLE forms (id serial, input text);
INSERT INTO forms (input) VALUES
  ('550 5.1.1 <a@b>: User unknown'),
  ('550-5.1.1 The email account does not exist. 550 5.1.1 Please try again'),
  (E'550-5.1.1 The email account that you tried to reach does not exist.\r\n550-5.1.1 Please try double-checking the recipient''s email\r\n550 5.1.1 address for typos.'),
  (E'550-5.1.1 first line\n550 5.1.1 second line'),
  (E'421-4.7.0 first\r421 4.7.0 second'),
  ('550 User unknown'),
  ('5.1.1'),
  ('550'),
  ('smtp; 550 5.1.1 <a@example.com>... User Unknown'),
  ('SMTP;550 5.1.1 no space after the semicolon'),
  ('X-Postfix; 554 5.4.6 mail forwarding loop'),
  ('#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'),
  ('#5.1.1'),
  ('550 #5.1.0 Address rejected.'),
  ('   452 4.2.2   Mailbox   full   '),
  (E'\t550 5.7.1 tab and newline around\n'),
  ('550 4.4.7 class disagrees with the code, accepted as sent'),
  ('554 30 Sorry, your message was not accepted'),
  ('552 1 Requested mail action aborted, mailbox not found'),
  ('250 2.0.0 Ok: queued as 4B7C21C0D2B'),
  ('5.7.26 Unauthenticated email is not accepted'),
  ('571 No PTR Record found.'),
  ('550 5.7.606 Access denied, banned sending IP');
SELECT id, s::text AS canonical, code(s), enhanced(s), status_class(s),
       subject(s), detail(s), message(s)
FROM forms, LATERAL (SELECT input::smtp_status AS s) p
ORDER BY id;

-- Output is canonical, so it reads back to the same value.
SELECT count(*) AS round_trips
FROM forms WHERE input::smtp_status::text::smtp_status = input::smtp_status;

-- Malformed input: 22P02 with a message naming the type, the input and why.
CREATE TEMP TABLE malformed (input text);
INSERT INTO malformed VALUES
  (''), ('   '), ('hello'), ('User unknown'), ('55'), ('5500'), ('150'),
  ('650 5.1.1 x'), ('050'), ('999'), ('5.1'), ('5.1.'), ('5..1'), ('5.1.1.1'),
  ('6.1.1'), ('3.1.1'), ('5.1000.1'), ('5.1.1000'), ('550 5.1.'), ('550 5.1'),
  ('550 6.1.1 bad class'), ('550 5.1.1000 too long'), ('550 5.x.1'),
  ('smtp;'), ('smtp;   '), ('smtp; hello'), ('X-Postfix; connect to host: timed out'),
  ('#'), ('#hello'), ('-550 x'), ('550x'), ('5501 x'), ('.5.1.1'), ('550.1.1'),
  ('(#5.1.1)'), ('one two three 550');
DO $$
DECLARE
  m record;
  n int := 0;
BEGIN
  FOR m IN SELECT input FROM malformed LOOP
    BEGIN
      PERFORM m.input::bounce.smtp_status;
      RAISE NOTICE 'accepted: "%"', m.input;
    EXCEPTION WHEN invalid_text_representation THEN
      n := n + 1;
    END;
  END LOOP;
  RAISE NOTICE '% of % malformed inputs rejected with 22P02', n, (SELECT count(*) FROM malformed);
END $$;
-- What the user sees, for a few of them.
\set VERBOSITY default
SELECT 'hello'::smtp_status;
SELECT '650 5.1.1 x'::smtp_status;
SELECT '550 5.1.1000 too long'::smtp_status;
SELECT 'smtp;'::smtp_status;
SELECT ''::smtp_status;
\set VERBOSITY terse
-- with the SQLSTATE
\set VERBOSITY sqlstate
SELECT '5..1'::smtp_status;
\set VERBOSITY default

-- Constructor.
SELECT smtp_status(550, '5.1.1', 'User   unknown'),
       smtp_status(550, NULL, NULL),
       smtp_status(NULL, '4.2.2', E'Mailbox\nfull');
-- a message that starts with a code would read back as another status
-- (see restore_safe)
SELECT smtp_status(550, NULL, '5.1.1 is not text');
SELECT smtp_status(NULL, NULL, 'x');
SELECT smtp_status(650, NULL, 'x');
SELECT smtp_status(550, '5.1', 'x');
SELECT smtp_status(550, '5.1.1 extra', 'x');

-- Casts.
SELECT 'smtp; 550 5.1.1 x'::text::smtp_status::text,
       CAST('421 4.7.0 Try again later'::varchar AS smtp_status);
CREATE TEMP TABLE assign (s smtp_status);
INSERT INTO assign SELECT '550 5.1.1 assigned from text'::text;
SELECT s FROM assign;

-- Ordering: basic code, enhanced class, subject, detail, text.
CREATE TEMP TABLE replies (status smtp_status);
INSERT INTO replies VALUES
  ('550 5.1.1 b'), ('550 5.1.1 a'), ('550 5.1.10 x'), ('550 5.1.2 x'),
  ('550 5.2.1 x'), ('550 4.4.7 x'), ('550 x'), ('550'), ('5.1.1 no basic'),
  ('421 4.7.0 x'), ('550 5.1.1 a'), ('552 5.2.2 x'), ('250 2.0.0 ok');
SELECT status FROM replies ORDER BY status;
SELECT status, count(*) FROM replies GROUP BY 1 ORDER BY 1;
SELECT '550 5.1.1 a'::smtp_status = '550 5.1.1 a' AS eq,
       '550 5.1.1 a'::smtp_status <> '550 5.1.1 b' AS ne,
       '550 5.1.1 a'::smtp_status < '550 5.1.1 b' AS lt,
       '550 5.1.2'::smtp_status > '550 5.1.1 zzz' AS gt,
       '550 5.1.1 a'::smtp_status <= '550 5.1.1 a' AS le,
       '421'::smtp_status >= '550' AS ge,
       'smtp; 550 5.1.1 x'::smtp_status = '550 5.1.1 x' AS prefix_is_ignored;

-- btree and hash indexes, and the planner uses them.
CREATE INDEX replies_btree ON replies (status);
CREATE INDEX replies_hash ON replies USING hash (status);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*) FROM replies WHERE status = '550 5.1.1 a';
SET enable_indexscan = on;
EXPLAIN (COSTS OFF) SELECT * FROM replies WHERE status < '550';
SELECT status FROM replies WHERE status < '550' ORDER BY status;
DROP INDEX replies_btree;
EXPLAIN (COSTS OFF) SELECT * FROM replies WHERE status = '550 5.1.1 a';
SELECT count(*) FROM replies WHERE status = '550 5.1.1 a';
RESET enable_seqscan;
RESET enable_bitmapscan;
SET enable_hashagg = on;
SELECT count(DISTINCT status) FROM replies;
-- hash support agrees with equality (same value, same hash)
SELECT smtp_status_hash('550 5.1.1 a') = smtp_status_hash('smtp;550   5.1.1  a') AS same_hash,
       smtp_status_hash_extended('550 5.1.1 a', 0) = smtp_status_hash_extended('#550 5.1.1 a', 0) AS same_hash64;

-- The operator classes pass the access methods' validators.
SELECT opc.opcname, amvalidate(opc.oid)
FROM pg_opclass opc JOIN pg_namespace n ON n.oid = opc.opcnamespace
WHERE n.nspname = 'bounce' ORDER BY 1;

-- Binary COPY round trip.
\copy replies TO 'results/smtp_status.bin' WITH (FORMAT binary)
CREATE TEMP TABLE replies_back (status smtp_status);
\copy replies_back FROM 'results/smtp_status.bin' WITH (FORMAT binary)
SELECT count(*) AS copied,
       count(*) FILTER (WHERE r.status IS NULL) AS lost
FROM replies_back b LEFT JOIN LATERAL (
  SELECT status FROM replies r WHERE r.status = b.status LIMIT 1) r ON true;
SELECT (SELECT array_agg(status ORDER BY status) FROM replies) =
       (SELECT array_agg(status ORDER BY status) FROM replies_back) AS identical;

-- Binary receive validates: craft payloads with a bytea column (its binary
-- form is the raw bytes) and read them back as smtp_status.
CREATE TEMP TABLE raw (b bytea);
CREATE TEMP TABLE raw_status (s smtp_status);
-- version 1, code 550, class 5, subject 1, detail 1, text
INSERT INTO raw VALUES ('\x01022605'::bytea || '\x00010001'::bytea || convert_to('User unknown', 'UTF8'));
\copy raw TO 'results/raw.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw.bin' WITH (FORMAT binary)
SELECT s FROM raw_status;
-- bad version byte
TRUNCATE raw; INSERT INTO raw VALUES ('\x02022605000100014142');
\copy raw TO 'results/raw.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw.bin' WITH (FORMAT binary)
-- basic code out of range (999)
TRUNCATE raw; INSERT INTO raw VALUES ('\x0103e705000100014142');
\copy raw TO 'results/raw.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw.bin' WITH (FORMAT binary)
-- enhanced class 7
TRUNCATE raw; INSERT INTO raw VALUES ('\x01022607000100014142');
\copy raw TO 'results/raw.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw.bin' WITH (FORMAT binary)
-- neither code
TRUNCATE raw; INSERT INTO raw VALUES ('\x010000000000000000');
\copy raw TO 'results/raw.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw.bin' WITH (FORMAT binary)
-- a newline inside the text is not canonical
TRUNCATE raw; INSERT INTO raw VALUES ('\x0102260500010001410a42');
\copy raw TO 'results/raw.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw.bin' WITH (FORMAT binary)
-- truncated message
TRUNCATE raw; INSERT INTO raw VALUES ('\x010226');
\copy raw TO 'results/raw.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw.bin' WITH (FORMAT binary)
SELECT count(*) AS still_one_row FROM raw_status;

-- Large values are stored and compared correctly (TOAST).
CREATE TEMP TABLE big (s smtp_status);
INSERT INTO big SELECT ('550 5.1.1 ' || repeat('very long text ', 5000))::smtp_status;
SELECT code(s), enhanced(s), length(message(s)), s = s AS self_equal FROM big;
