
-- ---------------------------------------------------------------------------
-- 90_verp_reader.sql - parse_dsn() and bounce-ingest read VERP return
-- addresses (issue 18): the return path they are read under, in
-- bounce.config, and bounce.verp_recipient(), the one decision both make
-- from the addresses a notice was sent to.  The same file is the update
-- from 1.0 (src/update/1.0--1.1/90_verp_reader.sql).
-- ---------------------------------------------------------------------------

-- The return path of verp_encode(): its local part (a dot-atom without '+'
-- and '=', which the scheme reserves) and a host name with a dot, so that
-- the VERP addresses under it are R+...@H.  NULL: VERP reading is off.
ALTER TABLE @extschema@.config
    ADD COLUMN verp_return text DEFAULT NULL
        CHECK (verp_return ~ '^[A-Za-z0-9!#$%&''*/?^_`{|}~-]+([.][A-Za-z0-9!#$%&''*/?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?([.][A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$'
               AND strpos(verp_return, '@') <= 65 AND octet_length(verp_return) <= 254),
    ADD COLUMN verp_require_signed boolean NOT NULL DEFAULT false;
COMMENT ON TABLE @extschema@.config IS
    'bounce policy settings (exactly one row; UPDATE it): promotion threshold, monitoring, streak reset window, retries, backoff, hard-rate alarm, sender alerts, and the VERP return path that parse_dsn() and bounce-ingest read';
COMMENT ON COLUMN @extschema@.config.verp_return IS
    'the return path whose VERP addresses parse_dsn() and bounce-ingest read, as R@H (''bounces@lists.example.org'' for bounces+jane=example.com@lists.example.org): a notice sent to one that decodes names its recipient; NULL (the default): VERP reading is off';
COMMENT ON COLUMN @extschema@.config.verp_require_signed IS
    'with verp_return: only signed VERP addresses name a recipient; a notice sent to the return path unsigned (R+L=D@H, or R@H itself) gives no row';

-- Not SECURITY DEFINER: like is_suppressed() with the erasure key, it
-- reads the two settings and the verp key straight from their tables,
-- without the caller's privileges, and hands out only what verp_decode()
-- already tells anyone.  parse_dsn() makes the same decision in C.
CREATE FUNCTION @extschema@.verp_recipient(notice_to text[],
        OUT recipient text, OUT verdict text)
    RETURNS record
    AS 'MODULE_PATHNAME', 'bounce_verp_recipient'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.verp_recipient(text[]) IS
    'what the addresses a notice was sent to (its To, Delivered-To, X-Original-To, Envelope-To) say under config.verp_return: verdict verp and the recipient (normalized) when a VERP address decodes and, if signed, verifies; none when no address is of that return path (read the notice as usual); off when verp_return is NULL; forged (an address of the return path that does not decode, or whose signature does not verify), unsigned (verp_require_signed and no signed address) or conflict (two addresses naming different recipients): the notice gives no row';

COMMENT ON FUNCTION @extschema@.parse_dsn(text) IS
    'one row per recipient of a bounce email (RFC 3464 DSN, MTA bounce text, ARF complaint -> feedback, auto-reply -> vacation); no rows when the email is not a bounce. recipient and original_recipient are normalized addresses or NULL (the raw text is in recipient_raw, original_recipient_raw); the address the sender used is coalesce(original_recipient, recipient); evidence names what named the recipient (report, x-failed-recipients, prose, transcript, envelope, returned-to, feedback-report, json, auto-reply-sender, notice, verp); event_key identifies the mail (its Message-ID, else a hash of its bytes), the same however often it is read: bounce.events keeps one event per (address, event_key). With config.verp_return set, a notice sent to a VERP address of that return path is read as bounce.verp_recipient() says: its recipient becomes original_recipient (and recipient when the notice names none), evidence verp; a forged, unsigned (when signatures are required) or conflicting one gives no row';
