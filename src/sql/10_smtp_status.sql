
-- ---------------------------------------------------------------------------
-- 10_smtp_status.sql - the bounce.smtp_status type: a parsed SMTP reply.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.smtp_status;

CREATE FUNCTION @extschema@.smtp_status_in(cstring) RETURNS @extschema@.smtp_status
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.smtp_status_out(@extschema@.smtp_status) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.smtp_status_recv(internal) RETURNS @extschema@.smtp_status
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.smtp_status_send(@extschema@.smtp_status) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Fields are read with memcpy, so short (1-byte header) varlenas are used in
-- place, never copied to an aligned buffer (see src/smtp_status.h).
CREATE TYPE @extschema@.smtp_status (
    INPUT = @extschema@.smtp_status_in,
    OUTPUT = @extschema@.smtp_status_out,
    RECEIVE = @extschema@.smtp_status_recv,
    SEND = @extschema@.smtp_status_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended,
    CATEGORY = 'U'
);
COMMENT ON TYPE @extschema@.smtp_status IS
    'SMTP reply: basic code (e.g. 550), enhanced code (e.g. 5.1.1) and text; accepts multi-line replies, DSN "smtp;" prefixes, "#5.1.1"';
COMMENT ON FUNCTION @extschema@.smtp_status_in(cstring) IS 'input function of smtp_status';
COMMENT ON FUNCTION @extschema@.smtp_status_out(@extschema@.smtp_status) IS 'output function of smtp_status: canonical "550 5.1.1 text"';
COMMENT ON FUNCTION @extschema@.smtp_status_recv(internal) IS 'binary input of smtp_status (version byte first; validated)';
COMMENT ON FUNCTION @extschema@.smtp_status_send(@extschema@.smtp_status) IS 'binary output of smtp_status';

-- Constructor and accessors ---------------------------------------------------

CREATE FUNCTION @extschema@.smtp_status(code int, enhanced text, message text)
    RETURNS @extschema@.smtp_status
    AS 'MODULE_PATHNAME', 'smtp_status_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.smtp_status(int, text, text) IS
    'builds an smtp_status from basic code, enhanced code ("5.1.1") and text; code or enhanced may be NULL, not both';

CREATE FUNCTION @extschema@.code(@extschema@.smtp_status) RETURNS int
    AS 'MODULE_PATHNAME', 'smtp_status_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.code(@extschema@.smtp_status) IS
    'basic reply code (e.g. 550), NULL when the reply has none';

CREATE FUNCTION @extschema@.enhanced(@extschema@.smtp_status) RETURNS text
    AS 'MODULE_PATHNAME', 'smtp_status_enhanced' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.enhanced(@extschema@.smtp_status) IS
    'enhanced status code as text (e.g. 5.1.1), NULL when the reply has none';

CREATE FUNCTION @extschema@.status_class(@extschema@.smtp_status) RETURNS int
    AS 'MODULE_PATHNAME', 'smtp_status_class' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.status_class(@extschema@.smtp_status) IS
    'class digit (2, 4 or 5): of the enhanced code when present, else first digit of the basic code';

CREATE FUNCTION @extschema@.subject(@extschema@.smtp_status) RETURNS int
    AS 'MODULE_PATHNAME', 'smtp_status_subject' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.subject(@extschema@.smtp_status) IS
    'subject of the enhanced code (the 1 of 5.1.1), NULL without one';

CREATE FUNCTION @extschema@.detail(@extschema@.smtp_status) RETURNS int
    AS 'MODULE_PATHNAME', 'smtp_status_detail' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.detail(@extschema@.smtp_status) IS
    'detail of the enhanced code (the last 1 of 5.1.1), NULL without one';

CREATE FUNCTION @extschema@.message(@extschema@.smtp_status) RETURNS text
    AS 'MODULE_PATHNAME', 'smtp_status_message' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.message(@extschema@.smtp_status) IS
    'reply text without its codes, on one line';

-- Casts ------------------------------------------------------------------------

CREATE FUNCTION @extschema@.smtp_status(text) RETURNS @extschema@.smtp_status
    AS 'MODULE_PATHNAME', 'smtp_status_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.smtp_status(text) IS 'cast text to smtp_status (same rules as input)';
CREATE FUNCTION @extschema@.text(@extschema@.smtp_status) RETURNS text
    AS 'MODULE_PATHNAME', 'smtp_status_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.text(@extschema@.smtp_status) IS 'cast smtp_status to text (canonical form)';

CREATE CAST (text AS @extschema@.smtp_status)
    WITH FUNCTION @extschema@.smtp_status(text) AS ASSIGNMENT;
CREATE CAST (@extschema@.smtp_status AS text)
    WITH FUNCTION @extschema@.text(@extschema@.smtp_status) AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.smtp_status)
    WITH FUNCTION @extschema@.smtp_status(text) AS ASSIGNMENT;
COMMENT ON CAST (text AS @extschema@.smtp_status) IS 'parses the text as the input function does (22P02 on bad input)';
COMMENT ON CAST (@extschema@.smtp_status AS text) IS 'canonical text of the status';
COMMENT ON CAST (varchar AS @extschema@.smtp_status) IS 'parses the text as the input function does (22P02 on bad input)';

-- Comparison ---------------------------------------------------------------------

CREATE FUNCTION @extschema@.smtp_status_eq(@extschema@.smtp_status, @extschema@.smtp_status) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.smtp_status_ne(@extschema@.smtp_status, @extschema@.smtp_status) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.smtp_status_lt(@extschema@.smtp_status, @extschema@.smtp_status) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.smtp_status_le(@extschema@.smtp_status, @extschema@.smtp_status) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.smtp_status_gt(@extschema@.smtp_status, @extschema@.smtp_status) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.smtp_status_ge(@extschema@.smtp_status, @extschema@.smtp_status) RETURNS bool
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.smtp_status_cmp(@extschema@.smtp_status, @extschema@.smtp_status) RETURNS int
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.smtp_status_hash(@extschema@.smtp_status) RETURNS int
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.smtp_status_hash_extended(@extschema@.smtp_status, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION @extschema@.smtp_status_eq(@extschema@.smtp_status, @extschema@.smtp_status) IS 'implementation of = for smtp_status';
COMMENT ON FUNCTION @extschema@.smtp_status_ne(@extschema@.smtp_status, @extschema@.smtp_status) IS 'implementation of <> for smtp_status';
COMMENT ON FUNCTION @extschema@.smtp_status_lt(@extschema@.smtp_status, @extschema@.smtp_status) IS 'implementation of < for smtp_status';
COMMENT ON FUNCTION @extschema@.smtp_status_le(@extschema@.smtp_status, @extschema@.smtp_status) IS 'implementation of <= for smtp_status';
COMMENT ON FUNCTION @extschema@.smtp_status_gt(@extschema@.smtp_status, @extschema@.smtp_status) IS 'implementation of > for smtp_status';
COMMENT ON FUNCTION @extschema@.smtp_status_ge(@extschema@.smtp_status, @extschema@.smtp_status) IS 'implementation of >= for smtp_status';
COMMENT ON FUNCTION @extschema@.smtp_status_cmp(@extschema@.smtp_status, @extschema@.smtp_status) IS 'btree comparison: basic code, enhanced class, subject, detail, text';
COMMENT ON FUNCTION @extschema@.smtp_status_hash(@extschema@.smtp_status) IS 'hash support for smtp_status';
COMMENT ON FUNCTION @extschema@.smtp_status_hash_extended(@extschema@.smtp_status, bigint) IS 'seeded hash support for smtp_status';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.smtp_status, RIGHTARG = @extschema@.smtp_status,
    PROCEDURE = @extschema@.smtp_status_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.smtp_status, RIGHTARG = @extschema@.smtp_status,
    PROCEDURE = @extschema@.smtp_status_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.smtp_status, RIGHTARG = @extschema@.smtp_status,
    PROCEDURE = @extschema@.smtp_status_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.smtp_status, RIGHTARG = @extschema@.smtp_status,
    PROCEDURE = @extschema@.smtp_status_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.smtp_status, RIGHTARG = @extschema@.smtp_status,
    PROCEDURE = @extschema@.smtp_status_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.smtp_status, RIGHTARG = @extschema@.smtp_status,
    PROCEDURE = @extschema@.smtp_status_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.smtp_status, @extschema@.smtp_status) IS 'equal: same codes and same text';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.smtp_status, @extschema@.smtp_status) IS 'not equal';
COMMENT ON OPERATOR @extschema@.< (@extschema@.smtp_status, @extschema@.smtp_status) IS 'less than (basic code, enhanced class, subject, detail, text)';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.smtp_status, @extschema@.smtp_status) IS 'less than or equal';
COMMENT ON OPERATOR @extschema@.> (@extschema@.smtp_status, @extschema@.smtp_status) IS 'greater than';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.smtp_status, @extschema@.smtp_status) IS 'greater than or equal';

CREATE OPERATOR CLASS @extschema@.smtp_status_ops
    DEFAULT FOR TYPE @extschema@.smtp_status USING btree AS
        OPERATOR 1 @extschema@.< ,
        OPERATOR 2 @extschema@.<= ,
        OPERATOR 3 @extschema@.= ,
        OPERATOR 4 @extschema@.>= ,
        OPERATOR 5 @extschema@.> ,
        FUNCTION 1 @extschema@.smtp_status_cmp(@extschema@.smtp_status, @extschema@.smtp_status);
COMMENT ON OPERATOR CLASS @extschema@.smtp_status_ops USING btree IS 'default btree operator class for smtp_status';

CREATE OPERATOR CLASS @extschema@.smtp_status_hash_ops
    DEFAULT FOR TYPE @extschema@.smtp_status USING hash AS
        OPERATOR 1 @extschema@.= ,
        FUNCTION 1 @extschema@.smtp_status_hash(@extschema@.smtp_status),
        FUNCTION 2 @extschema@.smtp_status_hash_extended(@extschema@.smtp_status, bigint);
COMMENT ON OPERATOR CLASS @extschema@.smtp_status_hash_ops USING hash IS 'default hash operator class for smtp_status';
