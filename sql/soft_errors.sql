-- Soft input errors (PostgreSQL 16+): pg_input_is_valid() and
-- pg_input_error_info() read a malformed smtp_status without an ERROR,
-- with the same message, detail and SQLSTATE that a cast raises.
-- PostgreSQL 15 has neither function and its input functions can only
-- throw: there the two are emulated below by catching the cast's error,
-- so the output is the same on every version.  On 16+ the built-ins run,
-- and they raise (failing this test) if the type threw instead of
-- reporting softly.
CREATE EXTENSION IF NOT EXISTS bounce;
SET search_path = bounce, public;
SELECT current_setting('server_version_num')::int < 160000 AS before_16 \gset
\if :before_16
CREATE FUNCTION public.pg_input_is_valid(input text, type text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('SELECT %L::%s', input, type);
  RETURN true;
EXCEPTION WHEN data_exception THEN
  RETURN false;
END $$;
CREATE FUNCTION public.pg_input_error_info(input text, type text,
    OUT message text, OUT detail text, OUT hint text, OUT sql_error_code text)
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('SELECT %L::%s', input, type);
EXCEPTION WHEN data_exception THEN
  GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
                          hint = PG_EXCEPTION_HINT, sql_error_code = RETURNED_SQLSTATE;
END $$;
\endif

-- Valid forms are valid, malformed ones are not: no ERROR either way.
SELECT input, pg_input_is_valid(input, 'bounce.smtp_status') AS valid
FROM (VALUES ('550 5.1.1 <a@b>: User unknown'), ('550-5.1.1 one' || E'\n' || '550 5.1.1 two'),
             ('smtp; 550 5.1.1 x'), ('#5.1.1'), ('550 4.4.7 as sent'), ('  421  '),
             (''), ('hello'), ('650 5.1.1 x'), ('550 5.1.1000 too long'), ('5..1'),
             ('smtp;'), ('550x'), ('(#5.1.1)')) AS v(input);

-- What a soft error says: the same as the cast.
SELECT input, e.*
FROM (VALUES ('hello'), ('650 5.1.1 x'), ('550 5.1.1000 too long'), ('smtp;'), (''), ('5..1'))
     AS v(input),
     LATERAL pg_input_error_info(input, 'bounce.smtp_status') e;

-- A valid input has no error info.
SELECT * FROM pg_input_error_info('550 5.1.1 x', 'bounce.smtp_status');

-- Every malformed input of the smtp_status test, softly: all invalid, all 22P02.
SELECT count(*) AS inputs,
       count(*) FILTER (WHERE NOT pg_input_is_valid(input, 'bounce.smtp_status')) AS invalid,
       count(*) FILTER (WHERE (pg_input_error_info(input, 'bounce.smtp_status')).sql_error_code = '22P02') AS sqlstate_22p02
FROM unnest(ARRAY['', '   ', 'hello', 'User unknown', '55', '5500', '150',
  '650 5.1.1 x', '050', '999', '5.1', '5.1.', '5..1', '5.1.1.1',
  '6.1.1', '3.1.1', '5.1000.1', '5.1.1000', '550 5.1.', '550 5.1',
  '550 6.1.1 bad class', '550 5.1.1000 too long', '550 5.x.1',
  'smtp;', 'smtp;   ', 'smtp; hello', 'X-Postfix; connect to host: timed out',
  '#', '#hello', '-550 x', '550x', '5501 x', '.5.1.1', '550.1.1',
  '(#5.1.1)', 'one two three 550']) AS input;

\if :before_16
DROP FUNCTION public.pg_input_is_valid(text, text);
DROP FUNCTION public.pg_input_error_info(text, text);
\endif
