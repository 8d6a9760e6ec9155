
-- ---------------------------------------------------------------------------
-- 60_webhooks.sql - ESP webhooks (SPEC §2 "ESP webhooks and VERP"):
-- bounce.parse_webhook() reads the JSON that Amazon SES (through SNS or
-- EventBridge), SendGrid, Mailgun, Postmark, SparkPost, Mailjet and Brevo
-- post, one row per recipient event; bounce.webhook_types maps each
-- provider's own labels; bounce.webhook_keys holds the signing key of the
-- one provider that signs in the body (Mailgun); bounce.ingest_webhook()
-- records a payload's failures, complaints and deliveries, once.
--
-- Every reader here takes anything and never throws: a payload that is
-- not what a provider posts gives no rows, a field that is not what its
-- documentation says gives NULL.  The C readers below check their input
-- before the server's strict readers see it, so no error is ever caught
-- (and no subtransaction started).
-- ---------------------------------------------------------------------------

-- ---------------------------------------------------------------------------
-- Lenient readers (C)
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.to_status(text) RETURNS @extschema@.smtp_status
    AS 'MODULE_PATHNAME', 'bounce_to_status' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.to_status(text) IS
    'the SMTP reply in any text, read leniently ("host said: 550 5.1.1 ...", "smtp; 452 ...", "5.1.1 ..."), as smtp_status; NULL when the text has no reply code or enhanced code (never an error, unlike the cast)';

CREATE FUNCTION @extschema@._address_or_null(text) RETURNS text
    AS 'MODULE_PATHNAME', 'bounce_address_or_null' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._address_or_null(text) IS
    'bounce.normalize_address(), but NULL for what is not an address instead of an error';

-- STABLE: a date without a zone is read in the session's TimeZone.
CREATE FUNCTION @extschema@._timestamptz_or_null(text) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'bounce_timestamptz_or_null' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._timestamptz_or_null(text) IS
    'a date and time as timestamptz input reads it; NULL for anything else (special values such as now or infinity included), never an error';

CREATE FUNCTION @extschema@._jsonb_or_null(text) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bounce_jsonb_or_null' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._jsonb_or_null(text) IS
    'JSON text (the "Message" of an SNS notification) as jsonb; NULL when it is not JSON that jsonb loads, never an error';

-- ---------------------------------------------------------------------------
-- The providers' labels, mapped in one table
-- ---------------------------------------------------------------------------

-- What the extension ships; bounce.webhook_types is seeded from it and its
-- guard compares rows with it.  A provider event is looked up by its type
-- and the most specific of its subtypes that has a row (see the comment on
-- bounce.webhook_types.subtype), ending with subtype ''.  class and reason
-- are used only when the event carries no SMTP reply: then bounce's own
-- classifier decides.  Fallback rows ('' subtype) of a failure whose
-- label is unknown are soft: a retry costs less than a wrong suppression.
CREATE FUNCTION @extschema@._webhook_types_builtin(
        OUT provider text, OUT type text, OUT subtype text, OUT action text,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason)
    RETURNS SETOF record
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    -- Amazon SES: notificationType / eventType; subtypes
    -- "bounceType/bounceSubType", bounceType; complaintSubType,
    -- complaintFeedbackType; delayType
    SELECT * FROM (VALUES
        ('ses', 'Bounce', '', 'failed', 'soft'::@extschema@.bounce_class, 'undefined'::@extschema@.bounce_reason),
        ('ses', 'Bounce', 'Undetermined', 'failed', 'soft', 'undefined'),
        ('ses', 'Bounce', 'Permanent', 'failed', 'hard', 'undefined'),
        ('ses', 'Bounce', 'Permanent/NoEmail', 'failed', 'hard', 'userunknown'),
        ('ses', 'Bounce', 'Permanent/Suppressed', 'suppressed', 'hard', 'suppressed'),
        ('ses', 'Bounce', 'Permanent/OnAccountSuppressionList', 'suppressed', 'hard', 'suppressed'),
        ('ses', 'Bounce', 'Transient', 'failed', 'soft', 'undefined'),
        ('ses', 'Bounce', 'Transient/MailboxFull', 'failed', 'soft', 'mailboxfull'),
        ('ses', 'Bounce', 'Transient/MessageTooLarge', 'failed', 'soft', 'mesgtoobig'),
        ('ses', 'Bounce', 'Transient/ContentRejected', 'failed', 'soft', 'contenterror'),
        ('ses', 'Bounce', 'Transient/AttachmentRejected', 'failed', 'soft', 'contenterror'),
        ('ses', 'Complaint', '', 'complained', 'none', 'feedback'),
        ('ses', 'Complaint', 'OnAccountSuppressionList', 'suppressed', 'none', 'suppressed'),
        ('ses', 'Complaint', 'not-spam', 'other', NULL, NULL),
        ('ses', 'Complaint', 'auth-failure', 'other', NULL, NULL),
        ('ses', 'Delivery', '', 'delivered', 'none', 'delivered'),
        ('ses', 'DeliveryDelay', '', 'delayed', 'soft', 'undefined'),
        ('ses', 'DeliveryDelay', 'MailboxFull', 'delayed', 'soft', 'mailboxfull'),
        ('ses', 'DeliveryDelay', 'SpamDetected', 'delayed', 'soft', 'spamdetected'),
        ('ses', 'DeliveryDelay', 'RecipientServerError', 'delayed', 'soft', 'systemerror'),
        ('ses', 'DeliveryDelay', 'IPFailure', 'delayed', 'soft', 'blocked'),
        ('ses', 'DeliveryDelay', 'TransientCommunicationFailure', 'delayed', 'soft', 'networkerror'),
        ('ses', 'Send', '', 'sent', NULL, NULL),
        ('ses', 'Reject', '', 'rejected', NULL, 'virusdetected'),
        ('ses', 'Rendering Failure', '', 'rejected', NULL, NULL),
        ('ses', 'Open', '', 'opened', NULL, NULL),
        ('ses', 'Click', '', 'clicked', NULL, NULL),
        ('ses', 'Subscription', '', 'other', NULL, NULL),
        ('ses', 'Subscription', 'unsubscribeAll', 'unsubscribed', NULL, NULL),
    -- SendGrid: event; subtypes: a bounce's type (bounce, blocked), a drop's reason
        ('sendgrid', 'processed', '', 'sent', NULL, NULL),
        ('sendgrid', 'deferred', '', 'delayed', 'soft', 'undefined'),
        ('sendgrid', 'delivered', '', 'delivered', 'none', 'delivered'),
        ('sendgrid', 'bounce', '', 'failed', 'hard', 'undefined'),
        ('sendgrid', 'bounce', 'bounce', 'failed', 'hard', 'undefined'),
        ('sendgrid', 'bounce', 'blocked', 'failed', 'soft', 'blocked'),
        ('sendgrid', 'dropped', '', 'suppressed', 'hard', 'suppressed'),
        ('sendgrid', 'dropped', 'Bounced Address', 'suppressed', 'hard', 'suppressed'),
        ('sendgrid', 'dropped', 'Unsubscribed Address', 'suppressed', 'none', 'suppressed'),
        ('sendgrid', 'dropped', 'Spam Reporting Address', 'suppressed', 'none', 'suppressed'),
        ('sendgrid', 'dropped', 'Invalid', 'failed', 'hard', 'syntaxerror'),
        ('sendgrid', 'dropped', 'Invalid SMTPAPI header', 'rejected', NULL, NULL),
        ('sendgrid', 'dropped', 'Spam Content (if spam checker app enabled)', 'rejected', NULL, 'spamdetected'),
        ('sendgrid', 'dropped', 'Recipient List over Package Quota', 'rejected', NULL, 'exceedlimit'),
        ('sendgrid', 'spamreport', '', 'complained', 'none', 'feedback'),
        ('sendgrid', 'unsubscribe', '', 'unsubscribed', NULL, NULL),
        ('sendgrid', 'group_unsubscribe', '', 'unsubscribed', NULL, NULL),
        ('sendgrid', 'group_resubscribe', '', 'resubscribed', NULL, NULL),
        ('sendgrid', 'open', '', 'opened', NULL, NULL),
        ('sendgrid', 'click', '', 'clicked', NULL, NULL),
    -- Mailgun: event; subtypes of a failure "severity/reason", severity
    -- (a temporary failure is retried by Mailgun: a delay)
        ('mailgun', 'accepted', '', 'sent', NULL, NULL),
        ('mailgun', 'rejected', '', 'rejected', NULL, NULL),
        ('mailgun', 'delivered', '', 'delivered', 'none', 'delivered'),
        ('mailgun', 'failed', '', 'failed', 'soft', 'undefined'),
        ('mailgun', 'failed', 'permanent', 'failed', 'hard', 'undefined'),
        ('mailgun', 'failed', 'temporary', 'delayed', 'soft', 'undefined'),
        ('mailgun', 'failed', 'permanent/suppress-bounce', 'suppressed', 'hard', 'suppressed'),
        ('mailgun', 'failed', 'permanent/suppress-unsubscribe', 'suppressed', 'none', 'suppressed'),
        ('mailgun', 'failed', 'permanent/suppress-complaint', 'suppressed', 'none', 'suppressed'),
        ('mailgun', 'failed', 'permanent/old', 'failed', 'soft', 'expired'),
        ('mailgun', 'failed', 'permanent/espblock', 'failed', 'soft', 'blocked'),
        ('mailgun', 'complained', '', 'complained', 'none', 'feedback'),
        ('mailgun', 'unsubscribed', '', 'unsubscribed', NULL, NULL),
        ('mailgun', 'opened', '', 'opened', NULL, NULL),
        ('mailgun', 'clicked', '', 'clicked', NULL, NULL),
        ('mailgun', 'stored', '', 'other', NULL, NULL),
    -- Postmark: RecordType; subtypes: a bounce's Type, a subscription
    -- change's SuppressionReason ('Reactivated' when SuppressSending is false)
        ('postmark', 'Bounce', '', 'failed', 'soft', 'undefined'),
        ('postmark', 'Bounce', 'HardBounce', 'failed', 'hard', 'undefined'),
        ('postmark', 'Bounce', 'SoftBounce', 'failed', 'soft', 'undefined'),
        ('postmark', 'Bounce', 'Transient', 'delayed', 'soft', 'undefined'),
        ('postmark', 'Bounce', 'Unknown', 'failed', 'soft', 'undefined'),
        ('postmark', 'Bounce', 'DnsError', 'failed', 'soft', 'hostunknown'),
        ('postmark', 'Bounce', 'AddressChange', 'failed', 'hard', 'hasmoved'),
        ('postmark', 'Bounce', 'BadEmailAddress', 'failed', 'hard', 'syntaxerror'),
        ('postmark', 'Bounce', 'Blocked', 'failed', 'soft', 'blocked'),
        ('postmark', 'Bounce', 'SpamNotification', 'failed', 'soft', 'spamdetected'),
        ('postmark', 'Bounce', 'VirusNotification', 'failed', 'soft', 'virusdetected'),
        ('postmark', 'Bounce', 'DMARCPolicy', 'failed', 'soft', 'authfailure'),
        ('postmark', 'Bounce', 'ManuallyDeactivated', 'suppressed', 'hard', 'suppressed'),
        ('postmark', 'Bounce', 'SpamComplaint', 'complained', 'none', 'feedback'),
        ('postmark', 'Bounce', 'Unsubscribe', 'unsubscribed', NULL, NULL),
        ('postmark', 'Bounce', 'Subscribe', 'other', NULL, NULL),
        ('postmark', 'Bounce', 'AutoResponder', 'other', 'none', 'vacation'),
        ('postmark', 'Bounce', 'ChallengeVerification', 'other', NULL, NULL),
        ('postmark', 'Bounce', 'OpenRelayTest', 'other', NULL, NULL),
        ('postmark', 'Bounce', 'Unconfirmed', 'other', NULL, NULL),
        ('postmark', 'Bounce', 'InboundError', 'other', NULL, NULL),
        ('postmark', 'Bounce', 'SMTPApiError', 'rejected', NULL, NULL),
        ('postmark', 'Bounce', 'TemplateRenderingFailed', 'rejected', NULL, NULL),
        ('postmark', 'SpamComplaint', '', 'complained', 'none', 'feedback'),
        ('postmark', 'Delivery', '', 'delivered', 'none', 'delivered'),
        ('postmark', 'Open', '', 'opened', NULL, NULL),
        ('postmark', 'Click', '', 'clicked', NULL, NULL),
        ('postmark', 'SubscriptionChange', '', 'other', NULL, NULL),
        ('postmark', 'SubscriptionChange', 'HardBounce', 'suppressed', 'hard', 'suppressed'),
        ('postmark', 'SubscriptionChange', 'SpamComplaint', 'suppressed', 'none', 'suppressed'),
        ('postmark', 'SubscriptionChange', 'ManualSuppression', 'unsubscribed', NULL, NULL),
        ('postmark', 'SubscriptionChange', 'Reactivated', 'resubscribed', NULL, NULL),
    -- SparkPost: type; subtype bounce_class (bounces below)
        ('sparkpost', 'injection', '', 'sent', NULL, NULL),
        ('sparkpost', 'delivery', '', 'delivered', 'none', 'delivered'),
        ('sparkpost', 'delay', '', 'delayed', 'soft', 'undefined'),
        ('sparkpost', 'policy_rejection', '', 'rejected', NULL, NULL),
        ('sparkpost', 'policy_rejection', '25', 'suppressed', 'hard', 'suppressed'),
        ('sparkpost', 'generation_failure', '', 'rejected', NULL, NULL),
        ('sparkpost', 'generation_rejection', '', 'rejected', NULL, NULL),
        ('sparkpost', 'spam_complaint', '', 'complained', 'none', 'feedback'),
        ('sparkpost', 'list_unsubscribe', '', 'unsubscribed', NULL, NULL),
        ('sparkpost', 'link_unsubscribe', '', 'unsubscribed', NULL, NULL),
        ('sparkpost', 'open', '', 'opened', NULL, NULL),
        ('sparkpost', 'initial_open', '', 'opened', NULL, NULL),
        ('sparkpost', 'amp_open', '', 'opened', NULL, NULL),
        ('sparkpost', 'amp_initial_open', '', 'opened', NULL, NULL),
        ('sparkpost', 'click', '', 'clicked', NULL, NULL),
        ('sparkpost', 'amp_click', '', 'clicked', NULL, NULL),
    -- Mailjet: event; subtypes of a bounce: error, then 'hard' or 'soft'
    -- from hard_bounce; of a block: error
        ('mailjet', 'sent', '', 'delivered', 'none', 'delivered'),
        ('mailjet', 'bounce', '', 'failed', 'soft', 'undefined'),
        ('mailjet', 'bounce', 'hard', 'failed', 'hard', 'undefined'),
        ('mailjet', 'bounce', 'soft', 'failed', 'soft', 'undefined'),
        ('mailjet', 'bounce', 'user unknown', 'failed', 'hard', 'userunknown'),
        ('mailjet', 'bounce', 'mailbox inactive', 'failed', 'hard', 'suspend'),
        ('mailjet', 'bounce', 'quota exceeded', 'failed', 'soft', 'mailboxfull'),
        ('mailjet', 'bounce', 'invalid domain', 'failed', 'hard', 'hostunknown'),
        ('mailjet', 'bounce', 'no mail host', 'failed', 'hard', 'hostunknown'),
        ('mailjet', 'bounce', 'relay/access denied', 'failed', 'soft', 'norelaying'),
        ('mailjet', 'bounce', 'greylisted', 'failed', 'soft', 'greylisting'),
        ('mailjet', 'bounce', 'sender blocked', 'failed', 'soft', 'blocked'),
        ('mailjet', 'bounce', 'content blocked', 'failed', 'soft', 'spamdetected'),
        ('mailjet', 'bounce', 'policy issue', 'failed', 'soft', 'policyviolation'),
        ('mailjet', 'bounce', 'system issue', 'failed', 'soft', 'systemerror'),
        ('mailjet', 'bounce', 'protocol issue', 'failed', 'soft', 'mailererror'),
        ('mailjet', 'bounce', 'connection issue', 'failed', 'soft', 'networkerror'),
        ('mailjet', 'blocked', '', 'suppressed', 'hard', 'suppressed'),
        ('mailjet', 'blocked', 'preblocked', 'suppressed', 'hard', 'suppressed'),
        ('mailjet', 'blocked', 'spam preblocked', 'suppressed', 'none', 'suppressed'),
        ('mailjet', 'blocked', 'typofix', 'failed', 'hard', 'syntaxerror'),
        ('mailjet', 'blocked', 'duplicate in campaign', 'rejected', NULL, NULL),
        ('mailjet', 'blocked', 'bad or empty template', 'rejected', NULL, NULL),
        ('mailjet', 'blocked', 'error in template language', 'rejected', NULL, NULL),
        ('mailjet', 'spam', '', 'complained', 'none', 'feedback'),
        ('mailjet', 'unsub', '', 'unsubscribed', NULL, NULL),
        ('mailjet', 'open', '', 'opened', NULL, NULL),
        ('mailjet', 'click', '', 'clicked', NULL, NULL),
    -- Brevo: event (transactional and marketing webhooks)
        ('brevo', 'request', '', 'sent', NULL, NULL),
        ('brevo', 'delivered', '', 'delivered', 'none', 'delivered'),
        ('brevo', 'deferred', '', 'delayed', 'soft', 'undefined'),
        ('brevo', 'soft_bounce', '', 'failed', 'soft', 'undefined'),
        ('brevo', 'hard_bounce', '', 'failed', 'hard', 'undefined'),
        ('brevo', 'invalid_email', '', 'failed', 'hard', 'syntaxerror'),
        ('brevo', 'blocked', '', 'suppressed', 'hard', 'suppressed'),
        ('brevo', 'error', '', 'rejected', NULL, NULL),
        ('brevo', 'spam', '', 'complained', 'none', 'feedback'),
        ('brevo', 'unsubscribed', '', 'unsubscribed', NULL, NULL),
        ('brevo', 'unsubscribe', '', 'unsubscribed', NULL, NULL),
        ('brevo', 'opened', '', 'opened', NULL, NULL),
        ('brevo', 'unique_opened', '', 'opened', NULL, NULL),
        ('brevo', 'proxy_open', '', 'opened', NULL, NULL),
        ('brevo', 'click', '', 'clicked', NULL, NULL)
    ) AS t
    UNION ALL
    -- SparkPost bounces and out-of-band bounces by bounce_class (its
    -- documented classification codes)
    SELECT 'sparkpost', k.type, b.subtype, b.action, b.class::@extschema@.bounce_class,
           b.reason::@extschema@.bounce_reason
      FROM (VALUES ('bounce'), ('out_of_band')) AS k(type)
     CROSS JOIN (VALUES
        ('', 'failed', 'soft', 'undefined'),
        ('1', 'failed', 'soft', 'undefined'),       -- Undetermined
        ('10', 'failed', 'hard', 'userunknown'),    -- Invalid Recipient
        ('20', 'failed', 'soft', 'undefined'),      -- Soft Bounce
        ('21', 'failed', 'soft', 'hostunknown'),    -- DNS Failure
        ('22', 'failed', 'soft', 'mailboxfull'),    -- Mailbox Full
        ('23', 'failed', 'soft', 'mesgtoobig'),     -- Too Large
        ('24', 'failed', 'soft', 'expired'),        -- Timeout
        ('25', 'suppressed', 'hard', 'suppressed'), -- Admin Failure (SparkPost's policy)
        ('30', 'failed', 'hard', 'undefined'),      -- Generic Bounce: No RCPT
        ('40', 'failed', 'soft', 'undefined'),      -- Generic Bounce
        ('50', 'failed', 'soft', 'blocked'),        -- Mail Block
        ('51', 'failed', 'soft', 'blocked'),        -- Spam Block
        ('52', 'failed', 'soft', 'spamdetected'),   -- Spam Content
        ('53', 'failed', 'soft', 'contenterror'),   -- Prohibited Attachment
        ('54', 'failed', 'soft', 'norelaying'),     -- Relaying Denied
        ('60', 'other', 'none', 'vacation'),        -- Auto-Reply
        ('70', 'failed', 'soft', 'undefined'),      -- Transient Failure
        ('80', 'other', NULL, NULL),                -- Subscribe
        ('90', 'unsubscribed', NULL, NULL),         -- Unsubscribe
        ('100', 'other', NULL, NULL)                -- Challenge-Response
     ) AS b(subtype, action, class, reason)
$$;
COMMENT ON FUNCTION @extschema@._webhook_types_builtin() IS
    'the rows of bounce.webhook_types as the extension ships them (its guard marks rows that differ)';

CREATE TABLE @extschema@.webhook_types (
    provider text NOT NULL CHECK (provider IN ('ses', 'sendgrid', 'mailgun', 'postmark',
                                               'sparkpost', 'mailjet', 'brevo')),
    type     text NOT NULL,
    subtype  text NOT NULL DEFAULT '',
    action   text NOT NULL CHECK (action IN ('failed', 'delayed', 'delivered', 'complained',
                                             'unsubscribed', 'resubscribed', 'suppressed',
                                             'rejected', 'sent', 'opened', 'clicked', 'other')),
    class    @extschema@.bounce_class,
    reason   @extschema@.bounce_reason,
    builtin  boolean NOT NULL DEFAULT true,
    PRIMARY KEY (provider, type, subtype)
);
COMMENT ON TABLE @extschema@.webhook_types IS
    'what each ESP''s event labels mean (action, and the class and reason used when the event carries no SMTP reply); UPDATE a row or INSERT one for a label bounce does not know yet: pg_dump keeps such rows';
COMMENT ON COLUMN @extschema@.webhook_types.provider IS 'ses, sendgrid, mailgun, postmark, sparkpost, mailjet or brevo';
COMMENT ON COLUMN @extschema@.webhook_types.type IS 'the provider''s event type as it writes it (SES notificationType/eventType, Postmark RecordType, SparkPost type, the others'' event)';
COMMENT ON COLUMN @extschema@.webhook_types.subtype IS 'the provider''s finer label, '''' for any: SES "bounceType/bounceSubType" or bounceType, complaintSubType or complaintFeedbackType, delayType; SendGrid bounce type or drop reason; Mailgun "severity/reason" or severity; Postmark bounce Type or SuppressionReason; SparkPost bounce_class; Mailjet error, or hard/soft; the most specific that has a row wins';
COMMENT ON COLUMN @extschema@.webhook_types.action IS 'failed, delayed (the provider still tries), delivered, complained, unsubscribed, resubscribed, suppressed (the provider refused to send to the address: on its suppression list), rejected (it refused the message: content, template, API), sent, opened, clicked, other';
COMMENT ON COLUMN @extschema@.webhook_types.class IS 'class of an event without an SMTP reply (with one, bounce.classify() decides)';
COMMENT ON COLUMN @extschema@.webhook_types.reason IS 'reason of an event without an SMTP reply (with one, bounce.reason() decides)';
COMMENT ON COLUMN @extschema@.webhook_types.builtin IS 'true while the row is as the extension shipped it; pg_dump keeps the other rows (changed and added ones)';

INSERT INTO @extschema@.webhook_types (provider, type, subtype, action, class, reason)
SELECT d.provider, d.type, d.subtype, d.action, d.class, d.reason
  FROM @extschema@._webhook_types_builtin() d;

-- As bounce.reason_policy: a row that differs from the shipped one, or that
-- the extension does not ship, is not builtin (so pg_dump keeps it); an
-- INSERT of an existing key (as a restore does) replaces the row; shipped
-- rows cannot be deleted (a restore would bring them back as shipped).
CREATE FUNCTION @extschema@._webhook_types_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM @extschema@._webhook_types_builtin() d
                    WHERE (d.provider, d.type, d.subtype) = (OLD.provider, OLD.type, OLD.subtype)) THEN
            RAISE EXCEPTION 'shipped rows of bounce.webhook_types cannot be deleted'
                USING ERRCODE = 'restrict_violation',
                      DETAIL = pg_catalog.format('(%s, %s, %s) is one of the rows the extension ships.',
                                                 OLD.provider, OLD.type, OLD.subtype),
                      HINT = 'UPDATE its action, class or reason instead.';
        END IF;
        RETURN OLD;
    ELSIF TG_OP = 'UPDATE' THEN
        IF (NEW.provider, NEW.type, NEW.subtype) IS DISTINCT FROM (OLD.provider, OLD.type, OLD.subtype) THEN
            RAISE EXCEPTION 'the provider, type and subtype of a bounce.webhook_types row cannot change'
                USING ERRCODE = 'restrict_violation',
                      HINT = 'INSERT a row for the new label instead.';
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        -- the table it fires on: on a Citus cluster, a reference table's shard
        EXECUTE pg_catalog.format('UPDATE %I.%I w'
            ' SET action = ($1).action, class = ($1).class, reason = ($1).reason'
            ' WHERE (w.provider, w.type, w.subtype) = (($1).provider, ($1).type, ($1).subtype)',
            TG_TABLE_SCHEMA, TG_TABLE_NAME) USING NEW;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN
            RETURN NULL;
        END IF;
    ELSE
        RAISE EXCEPTION 'bounce.webhook_types cannot be truncated'
            USING ERRCODE = 'restrict_violation',
                  HINT = 'DELETE the rows you added instead.';
    END IF;
    -- builtin while equal to what the extension ships for this key
    NEW.builtin := EXISTS (
        SELECT 1 FROM @extschema@._webhook_types_builtin() d
         WHERE (d.provider, d.type, d.subtype) = (NEW.provider, NEW.type, NEW.subtype)
           AND (d.action, d.class, d.reason) IS NOT DISTINCT FROM (NEW.action, NEW.class, NEW.reason));
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._webhook_types_guard() IS
    'trigger of bounce.webhook_types: marks rows that differ from the shipped ones, turns an INSERT of an existing key into an update (restore), refuses deleting shipped rows and TRUNCATE';

CREATE TRIGGER webhook_types_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.webhook_types
    FOR EACH ROW EXECUTE FUNCTION @extschema@._webhook_types_guard();
CREATE TRIGGER webhook_types_no_truncate BEFORE TRUNCATE ON @extschema@.webhook_types
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._webhook_types_guard();

SELECT pg_catalog.pg_extension_config_dump('@extschema@.webhook_types', 'WHERE NOT builtin');
-- the labels are no secret: any role may read them (parse_webhook does)
GRANT SELECT ON @extschema@.webhook_types TO PUBLIC;

-- ---------------------------------------------------------------------------
-- Signatures in the body: Mailgun
-- ---------------------------------------------------------------------------

-- Only the owner reads it: no privilege for anyone else, and row-level
-- security without a policy hides the rows even from a role that is
-- granted SELECT on every table of the schema.  The signature check runs
-- as the owner (SECURITY DEFINER) and never returns the key.
CREATE TABLE @extschema@.webhook_keys (
    provider    text PRIMARY KEY CHECK (provider IN ('mailgun')),
    signing_key text NOT NULL CHECK (signing_key <> '')
);
ALTER TABLE @extschema@.webhook_keys ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON @extschema@.webhook_keys FROM PUBLIC;
COMMENT ON TABLE @extschema@.webhook_keys IS
    'signing keys of providers that sign in the body (Mailgun''s HTTP webhook signing key); with a key, bounce.parse_webhook() returns only events whose signature verifies; readable by the owner only';
COMMENT ON COLUMN @extschema@.webhook_keys.provider IS 'mailgun';
COMMENT ON COLUMN @extschema@.webhook_keys.signing_key IS 'the key the provider signs with';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.webhook_keys', '');

-- HMAC-SHA256 by the core (core/sha256.h), in C: bounce needs no crypto
-- extension, and nothing on the search_path or in another extension can
-- stand in for it inside the owner's signature check.
CREATE FUNCTION @extschema@._hmac_sha256_hex(key text, message text) RETURNS text
    AS 'MODULE_PATHNAME', 'bounce_hmac_sha256_hex' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._hmac_sha256_hex(text, text) IS
    'HMAC-SHA256 (RFC 2104) of message with key, in lower-case hex (the bytes of both texts as stored)';
CREATE FUNCTION @extschema@._hmac_sha256_ok(key text, message text, signature text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'bounce_hmac_sha256_ok' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._hmac_sha256_ok(text, text, text) IS
    'whether signature (64 hex digits, either case) is the HMAC-SHA256 of message with key, compared in constant time';

-- NULL: no key configured; false: a key is configured and the signature is
-- missing or wrong.
CREATE FUNCTION @extschema@._webhook_signature_ok(provider text, signed text, signature text)
    RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    k   text;
BEGIN
    SELECT w.signing_key INTO k FROM @extschema@.webhook_keys w
     WHERE w.provider OPERATOR(pg_catalog.=) _webhook_signature_ok.provider;
    IF k IS NULL THEN
        RETURN NULL;
    END IF;
    IF signed IS NULL OR signature IS NULL THEN
        RETURN false;
    END IF;
    RETURN @extschema@._hmac_sha256_ok(k, signed, signature);
END
$$;
COMMENT ON FUNCTION @extschema@._webhook_signature_ok(text, text, text) IS
    'whether signature is the HMAC-SHA256 (hex) of signed with the provider''s key in bounce.webhook_keys: NULL without a key, false when missing or wrong; runs as the owner, never reveals the key';

CREATE FUNCTION @extschema@.verify_webhook(payload jsonb) RETURNS boolean
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN pg_catalog.jsonb_typeof(payload -> 'event-data') = 'object' THEN
                @extschema@._webhook_signature_ok('mailgun',
                    (payload -> 'signature' ->> 'timestamp') || (payload -> 'signature' ->> 'token'),
                    payload -> 'signature' ->> 'signature') END
$$;
COMMENT ON FUNCTION @extschema@.verify_webhook(jsonb) IS
    'the signature inside a payload (Mailgun: HMAC-SHA256 of signature.timestamp || signature.token with the key in bounce.webhook_keys): true when it verifies, false when it does not (parse_webhook then returns no rows for it), NULL when there is nothing to check (no key, or a provider that signs in HTTP headers)';

-- ---------------------------------------------------------------------------
-- Small readers of JSON fields
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@._webhook_array(v jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN pg_catalog.jsonb_typeof(v) = 'array' THEN v ELSE '[]'::jsonb END
$$;
COMMENT ON FUNCTION @extschema@._webhook_array(jsonb) IS
    'the value when it is a JSON array, else an empty one (jsonb_array_elements() throws on anything else)';

-- Epoch seconds (SendGrid, Mailgun with microseconds, Mailjet, SparkPost
-- as a string), epoch milliseconds (Brevo's ts_epoch) or an ISO 8601 date
-- (SES, Postmark); NULL for anything else, and for times before 1970 or
-- from the year 3000 on.
CREATE FUNCTION @extschema@._webhook_time(v jsonb) RETURNS timestamptz
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN e.n IS NULL THEN @extschema@._timestamptz_or_null(e.s)
                WHEN e.n >= 0 AND e.n < 32503680000 THEN pg_catalog.to_timestamp(e.n::float8)
                WHEN e.n >= 100000000000 AND e.n < 32503680000000
                THEN pg_catalog.to_timestamp((e.n / 1000)::float8) END
      FROM (SELECT CASE WHEN pg_catalog.jsonb_typeof(v) = 'number' THEN v::numeric
                        WHEN pg_catalog.jsonb_typeof(v) = 'string'
                         AND (v #>> '{}') ~ '^[0-9]{1,16}([.][0-9]{1,9})?$'
                        THEN (v #>> '{}')::numeric END AS n,
                   CASE WHEN pg_catalog.jsonb_typeof(v) = 'string' THEN v #>> '{}' END AS s) e
$$;
COMMENT ON FUNCTION @extschema@._webhook_time(jsonb) IS
    'a webhook''s time: epoch seconds or milliseconds (number or string) or an ISO 8601 date; NULL for anything else';

-- The reply as the provider relayed it when it has a basic code; else
-- rebuilt from the provider's separate code fields (Mailgun's
-- delivery-status code with its message "5.1.1 ...", SES's status with a
-- diagnosticCode in words); NULL when nothing has a code.
CREATE FUNCTION @extschema@._webhook_status(reply text, enhanced text, code text)
    RETURNS @extschema@.smtp_status
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s @extschema@.smtp_status := @extschema@.to_status(reply);
BEGIN
    IF s IS NOT NULL AND @extschema@.code(s) IS NOT NULL THEN
        RETURN s;
    END IF;
    IF enhanced !~ '^[245][.][0-9]{1,3}[.][0-9]{1,3}$' THEN
        enhanced := NULL;
    END IF;
    IF code ~ '^[2-5][0-9][0-9]$' THEN
        RETURN @extschema@.to_status(pg_catalog.concat_ws(' ', code,
                                                          CASE WHEN s IS NULL THEN enhanced END, reply));
    END IF;
    IF s IS NULL AND enhanced IS NOT NULL THEN
        RETURN @extschema@.to_status(pg_catalog.concat_ws(' ', enhanced, reply));
    END IF;
    RETURN s;
END
$$;
COMMENT ON FUNCTION @extschema@._webhook_status(text, text, text) IS
    'the SMTP reply of a webhook event from its reply text and the provider''s separate enhanced and basic code fields, read leniently; NULL when there is no code';

-- ---------------------------------------------------------------------------
-- One reader per provider: the payload's events as _webhook_event rows
--
-- Each reader takes all of the payload's objects of its provider at once
-- (a JSON array, in payload order): a set-returning SQL function is set up
-- anew on every call, so one call per event would cost more than reading it.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@._webhook_event AS (
    provider      text,
    event_id      text,
    recipient_raw text,
    type          text,
    subtypes      text[],     -- most specific first, for bounce.webhook_types
    reply         text,       -- the SMTP reply as relayed, or text around one
    enhanced      text,       -- a separate enhanced status code field
    code          text,       -- a separate basic reply code field
    occurred_at   timestamptz,
    campaign      text,
    message_id    text,
    event         jsonb
);
COMMENT ON TYPE @extschema@._webhook_event IS
    'one recipient event as a provider''s reader finds it, before the recipient is normalized, the reply parsed and the labels mapped';

-- Amazon SES notifications (notificationType) and event publishing
-- (eventType): bouncedRecipients, complainedRecipients, the delivery's
-- recipients, delayedRecipients; events about the message (Send, Reject,
-- Rendering Failure) are one row per destination; Open, Click and
-- Subscription name their recipient only when the message had one.
-- event_id: the feedbackId of a bounce or complaint (shared by its
-- recipients), else messageId:type[:timestamp of the event].
CREATE FUNCTION @extschema@._webhook_ses(batch jsonb) RETURNS SETOF @extschema@._webhook_event
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH k AS (
        SELECT x.n, t.type, x.n -> 'mail' AS mail,
               x.n -> (CASE t.type WHEN 'Bounce' THEN 'bounce' WHEN 'Complaint' THEN 'complaint'
                                 WHEN 'Delivery' THEN 'delivery' WHEN 'DeliveryDelay' THEN 'deliveryDelay'
                                 WHEN 'Send' THEN 'send' WHEN 'Reject' THEN 'reject'
                                 WHEN 'Rendering Failure' THEN 'failure' WHEN 'Open' THEN 'open'
                                 WHEN 'Click' THEN 'click' WHEN 'Subscription' THEN 'subscription' END) AS b
          FROM pg_catalog.jsonb_array_elements(batch) AS x(n)
         CROSS JOIN LATERAL (SELECT coalesce(x.n ->> 'eventType', x.n ->> 'notificationType') AS type) t
         WHERE pg_catalog.jsonb_typeof(x.n -> 'mail') = 'object'
    ), dest AS (
        SELECT k.*, @extschema@._webhook_array(k.mail -> 'destination') AS destination FROM k
    )
    SELECT 'ses',
           coalesce(CASE WHEN d.type IN ('Bounce', 'Complaint') THEN nullif(d.b ->> 'feedbackId', '') END,
                    (d.mail ->> 'messageId') || ':' || d.type || coalesce(':' || (d.b ->> 'timestamp'), ''),
                    'md5:' || pg_catalog.md5(d.n::text)),
           coalesce(r.value ->> 'emailAddress',
                    CASE WHEN pg_catalog.jsonb_typeof(r.value) = 'string' THEN r.value #>> '{}' END),
           d.type,
           pg_catalog.array_remove(CASE d.type
               WHEN 'Bounce' THEN ARRAY[(d.b ->> 'bounceType') || '/' || (d.b ->> 'bounceSubType'), d.b ->> 'bounceType']
               WHEN 'Complaint' THEN ARRAY[d.b ->> 'complaintSubType', d.b ->> 'complaintFeedbackType']
               WHEN 'DeliveryDelay' THEN ARRAY[d.b ->> 'delayType']
               WHEN 'Subscription' THEN ARRAY[CASE WHEN d.b -> 'newTopicPreferences' ->> 'unsubscribeAll' = 'true'
                                                   THEN 'unsubscribeAll' END]
               ELSE '{}'::text[] END, NULL),
           coalesce(r.value ->> 'diagnosticCode', CASE WHEN d.type = 'Delivery' THEN d.b ->> 'smtpResponse' END),
           r.value ->> 'status',
           NULL,
           coalesce(@extschema@._webhook_time(d.b -> 'timestamp'), @extschema@._webhook_time(d.mail -> 'timestamp')),
           nullif(d.mail -> 'tags' -> 'campaign' ->> 0, ''),
           d.mail ->> 'messageId',
           d.n
      FROM dest d
     CROSS JOIN LATERAL pg_catalog.jsonb_array_elements(@extschema@._webhook_array(CASE d.type
               WHEN 'Bounce' THEN d.b -> 'bouncedRecipients'
               WHEN 'Complaint' THEN d.b -> 'complainedRecipients'
               WHEN 'Delivery' THEN d.b -> 'recipients'
               WHEN 'DeliveryDelay' THEN d.b -> 'delayedRecipients'
               WHEN 'Send' THEN d.destination
               WHEN 'Reject' THEN d.destination
               WHEN 'Rendering Failure' THEN d.destination
               ELSE CASE WHEN pg_catalog.jsonb_array_length(d.destination) = 1 THEN d.destination
                         ELSE '[null]'::jsonb END END)) r
$$;
COMMENT ON FUNCTION @extschema@._webhook_ses(jsonb) IS
    'parse_webhook''s reader of Amazon SES notifications and events (a JSON array of them)';

-- SendGrid's Event Webhook, one event of the posted array.  A drop never
-- reached a server: its reason names SendGrid's list and its status 5.0.0
-- is SendGrid's own, so neither is read as a reply.  event_id: sg_event_id.
CREATE FUNCTION @extschema@._webhook_sendgrid(batch jsonb) RETURNS SETOF @extschema@._webhook_event
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT 'sendgrid',
           coalesce(nullif(e ->> 'sg_event_id', ''), 'md5:' || pg_catalog.md5(e::text)),
           e ->> 'email',
           e ->> 'event',
           pg_catalog.array_remove(CASE e ->> 'event' WHEN 'bounce' THEN ARRAY[e ->> 'type']
                                                      WHEN 'dropped' THEN ARRAY[e ->> 'reason']
                                                      ELSE '{}'::text[] END, NULL),
           CASE WHEN e ->> 'event' <> 'dropped' THEN coalesce(e ->> 'reason', e ->> 'response') END,
           CASE WHEN e ->> 'event' <> 'dropped' THEN e ->> 'status' END,
           NULL,
           @extschema@._webhook_time(e -> 'timestamp'),
           coalesce(nullif(e ->> 'campaign', ''), nullif(e ->> 'marketing_campaign_name', ''),
                    nullif(e ->> 'marketing_campaign_id', '')),
           e ->> 'sg_message_id',
           e
      FROM pg_catalog.jsonb_array_elements(batch) AS x(e)
$$;
COMMENT ON FUNCTION @extschema@._webhook_sendgrid(jsonb) IS
    'parse_webhook''s reader of SendGrid events (a JSON array of them)';

-- Mailgun's webhooks: {"signature": {...}, "event-data": {...}}; with a
-- signing key in bounce.webhook_keys, nothing unless the signature verifies.
-- event_id: event-data.id.
CREATE FUNCTION @extschema@._webhook_mailgun(batch jsonb) RETURNS SETOF @extschema@._webhook_event
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT 'mailgun',
           coalesce(nullif(d ->> 'id', ''), 'md5:' || pg_catalog.md5(d::text)),
           d ->> 'recipient',
           d ->> 'event',
           pg_catalog.array_remove(CASE WHEN d ->> 'event' = 'failed'
                                        THEN ARRAY[(d ->> 'severity') || '/' || (d ->> 'reason'), d ->> 'severity']
                                        ELSE '{}'::text[] END, NULL),
           coalesce(nullif(d -> 'delivery-status' ->> 'message', ''),
                    nullif(d -> 'delivery-status' ->> 'description', '')),
           d -> 'delivery-status' ->> 'enhanced-code',
           d -> 'delivery-status' ->> 'code',
           @extschema@._webhook_time(d -> 'timestamp'),
           coalesce(nullif(d -> 'user-variables' ->> 'campaign', ''), nullif(d -> 'tags' ->> 0, '')),
           d -> 'message' -> 'headers' ->> 'message-id',
           d
      FROM pg_catalog.jsonb_array_elements(batch) AS x(p)
     CROSS JOIN LATERAL (SELECT x.p -> 'event-data' AS d) y
     WHERE pg_catalog.jsonb_typeof(d) = 'object'
       AND @extschema@.verify_webhook(x.p) IS NOT FALSE
$$;
COMMENT ON FUNCTION @extschema@._webhook_mailgun(jsonb) IS
    'parse_webhook''s reader of Mailgun webhooks (a JSON array of them; none of a webhook whose signature does not verify when a signing key is configured)';

-- Postmark's webhooks, one object with RecordType.
-- event_id: the ID of a bounce or spam complaint, else MessageID:RecordType[:time].
CREATE FUNCTION @extschema@._webhook_postmark(batch jsonb) RETURNS SETOF @extschema@._webhook_event
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT 'postmark',
           coalesce(CASE WHEN o ->> 'RecordType' IN ('Bounce', 'SpamComplaint') THEN nullif(o ->> 'ID', '') END,
                    (o ->> 'MessageID') || ':' || (o ->> 'RecordType') || coalesce(':' || t.at, ''),
                    'md5:' || pg_catalog.md5(o::text)),
           coalesce(o ->> 'Email', o ->> 'Recipient'),
           o ->> 'RecordType',
           pg_catalog.array_remove(CASE o ->> 'RecordType'
               WHEN 'Bounce' THEN ARRAY[o ->> 'Type']
               WHEN 'SubscriptionChange' THEN ARRAY[CASE o ->> 'SuppressSending' WHEN 'true' THEN o ->> 'SuppressionReason'
                                                                                 WHEN 'false' THEN 'Reactivated' END]
               ELSE '{}'::text[] END, NULL),
           CASE WHEN o ->> 'RecordType' IN ('Bounce', 'SpamComplaint', 'Delivery') THEN o ->> 'Details' END,
           NULL,
           NULL,
           @extschema@._webhook_time(pg_catalog.to_jsonb(t.at)),
           coalesce(nullif(o -> 'Metadata' ->> 'campaign', ''), nullif(o ->> 'Tag', '')),
           o ->> 'MessageID',
           o
      FROM pg_catalog.jsonb_array_elements(batch) AS x(o)
     CROSS JOIN LATERAL (SELECT coalesce(o ->> 'BouncedAt', o ->> 'DeliveredAt', o ->> 'ReceivedAt',
                                         o ->> 'ChangedAt') AS at) t
$$;
COMMENT ON FUNCTION @extschema@._webhook_postmark(jsonb) IS
    'parse_webhook''s reader of Postmark webhooks (a JSON array of them)';

-- SparkPost's webhooks: an array of {"msys": {"message_event": {...}}}
-- (or track_event, unsubscribe_event, gen_event); its test ping is an
-- empty msys.  event_id: event_id.
CREATE FUNCTION @extschema@._webhook_sparkpost(batch jsonb) RETURNS SETOF @extschema@._webhook_event
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT 'sparkpost',
           coalesce(nullif(e ->> 'event_id', ''), 'md5:' || pg_catalog.md5(e::text)),
           coalesce(e ->> 'rcpt_to', e ->> 'raw_rcpt_to'),
           e ->> 'type',
           pg_catalog.array_remove(CASE WHEN e ->> 'type' IN ('bounce', 'out_of_band', 'policy_rejection')
                                        THEN ARRAY[e ->> 'bounce_class'] ELSE '{}'::text[] END, NULL),
           coalesce(e ->> 'raw_reason', e ->> 'reason'),
           NULL,
           e ->> 'error_code',
           @extschema@._webhook_time(e -> 'timestamp'),
           coalesce(nullif(e ->> 'campaign_id', ''), nullif(e -> 'rcpt_meta' ->> 'campaign', '')),
           e ->> 'message_id',
           e
      FROM pg_catalog.jsonb_array_elements(batch) AS x(o)
     CROSS JOIN LATERAL pg_catalog.jsonb_each(CASE WHEN pg_catalog.jsonb_typeof(x.o -> 'msys') = 'object'
                                                   THEN x.o -> 'msys' ELSE '{}'::jsonb END) w(kind, e)
     WHERE w.kind IN ('message_event', 'track_event', 'unsubscribe_event', 'gen_event')
       AND pg_catalog.jsonb_typeof(w.e) = 'object'
$$;
COMMENT ON FUNCTION @extschema@._webhook_sparkpost(jsonb) IS
    'parse_webhook''s reader of SparkPost msys events (a JSON array of them)';

-- Mailjet's Event API: one event, or an array of them (grouped).  Mailjet
-- has no event id: MessageID:event:time.
CREATE FUNCTION @extschema@._webhook_mailjet(batch jsonb) RETURNS SETOF @extschema@._webhook_event
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT 'mailjet',
           coalesce(coalesce(nullif(o ->> 'MessageID', ''), o ->> 'Message_GUID') || ':' || (o ->> 'event')
                        || coalesce(':' || (o ->> 'time'), ''),
                    'md5:' || pg_catalog.md5(o::text)),
           o ->> 'email',
           o ->> 'event',
           pg_catalog.array_remove(CASE o ->> 'event'
               WHEN 'bounce' THEN ARRAY[o ->> 'error', CASE o ->> 'hard_bounce' WHEN 'true' THEN 'hard'
                                                                                WHEN 'false' THEN 'soft' END]
               WHEN 'blocked' THEN ARRAY[o ->> 'error']
               ELSE '{}'::text[] END, NULL),
           coalesce(o ->> 'smtp_reply', o ->> 'error'),
           NULL,
           NULL,
           @extschema@._webhook_time(o -> 'time'),
           coalesce(nullif(coalesce(o ->> 'customcampaign', o ->> 'CustomCampaign'), ''),
                    nullif(nullif(o ->> 'mj_campaign_id', ''), '0')),
           coalesce(o ->> 'MessageID', o ->> 'Message_GUID'),
           o
      FROM pg_catalog.jsonb_array_elements(batch) AS x(o)
$$;
COMMENT ON FUNCTION @extschema@._webhook_mailjet(jsonb) IS
    'parse_webhook''s reader of Mailjet events (a JSON array of them)';

-- Brevo's transactional and marketing webhooks, one object.  Its "id" is
-- the webhook's, not the event's: message-id (or camp_id):event:time.
CREATE FUNCTION @extschema@._webhook_brevo(batch jsonb) RETURNS SETOF @extschema@._webhook_event
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT 'brevo',
           coalesce(coalesce(nullif(o ->> 'message-id', ''), 'campaign ' || (o ->> 'camp_id'))
                        || ':' || (o ->> 'event')
                        || coalesce(':' || coalesce(o ->> 'ts_epoch', o ->> 'ts_event', o ->> 'ts', o ->> 'date'), ''),
                    'md5:' || pg_catalog.md5(o::text)),
           o ->> 'email',
           o ->> 'event',
           '{}'::text[],
           o ->> 'reason',
           NULL,
           NULL,
           coalesce(@extschema@._webhook_time(o -> 'ts_epoch'), @extschema@._webhook_time(o -> 'ts_event'),
                    @extschema@._webhook_time(o -> 'ts'), @extschema@._webhook_time(o -> 'date')),
           coalesce(nullif(o -> 'tags' ->> 0, ''), nullif(o ->> 'tag', ''),
                    nullif(o ->> 'campaign name', ''), nullif(o ->> 'camp_id', '')),
           o ->> 'message-id',
           o
      FROM pg_catalog.jsonb_array_elements(batch) AS x(o)
$$;
COMMENT ON FUNCTION @extschema@._webhook_brevo(jsonb) IS
    'parse_webhook''s reader of Brevo events (a JSON array of them)';

-- Which provider posted this object (NULL: none of them).  SNS and
-- EventBridge envelopes are opened before (see _webhook_events).
CREATE FUNCTION @extschema@._webhook_provider(o jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE
        WHEN pg_catalog.jsonb_typeof(o -> 'mail') = 'object' AND (o ? 'notificationType' OR o ? 'eventType') THEN 'ses'
        WHEN pg_catalog.jsonb_typeof(o -> 'event-data') = 'object' THEN 'mailgun'
        WHEN pg_catalog.jsonb_typeof(o -> 'RecordType') = 'string' THEN 'postmark'
        WHEN pg_catalog.jsonb_typeof(o -> 'msys') = 'object' THEN 'sparkpost'
        WHEN pg_catalog.jsonb_typeof(o -> 'event') <> 'string' THEN NULL
        WHEN o ?| ARRAY['sg_event_id', 'sg_message_id'] THEN 'sendgrid'
        WHEN o ?| ARRAY['MessageID', 'Message_GUID', 'mj_campaign_id', 'mj_contact_id'] THEN 'mailjet'
        WHEN o ?| ARRAY['message-id', 'ts_event', 'ts_epoch', 'camp_id'] THEN 'brevo'
    END
$$;
COMMENT ON FUNCTION @extschema@._webhook_provider(jsonb) IS
    'the provider whose documented format this JSON object has, or NULL';

-- The payload's objects: itself, or the elements of the array it is; an
-- SNS notification (HTTP/S subscription) is opened to the JSON text in its
-- Message, an EventBridge event to its detail.  Anything else in the SNS
-- envelope (SubscriptionConfirmation, UnsubscribeConfirmation) is no event.
-- Each provider's objects go to its reader in one call, providers in the
-- order they first appear, each one's events in payload order.
CREATE FUNCTION @extschema@._webhook_events(payload jsonb) RETURNS SETOF @extschema@._webhook_event
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    provider text;
    batch    jsonb;
BEGIN
    FOR provider, batch IN
        WITH item AS (
            SELECT x.n,
                   CASE WHEN x.o ? 'TopicArn' AND x.o ? 'Type' THEN
                             CASE WHEN x.o ->> 'Type' = 'Notification'
                                   AND pg_catalog.jsonb_typeof(x.o -> 'Message') = 'string'
                                  THEN @extschema@._jsonb_or_null(x.o ->> 'Message') END
                        WHEN x.o ->> 'source' = 'aws.ses' AND pg_catalog.jsonb_typeof(x.o -> 'detail') = 'object'
                        THEN x.o -> 'detail'
                        ELSE x.o END AS o
              FROM pg_catalog.jsonb_array_elements(
                       CASE WHEN pg_catalog.jsonb_typeof(payload) = 'array' THEN payload
                            ELSE pg_catalog.jsonb_build_array(payload) END) WITH ORDINALITY AS x(o, n)
             WHERE pg_catalog.jsonb_typeof(x.o) = 'object'
        ), known AS (
            SELECT i.n, i.o, @extschema@._webhook_provider(i.o) AS provider
              FROM item i WHERE pg_catalog.jsonb_typeof(i.o) = 'object'
        )
        SELECT k.provider, pg_catalog.jsonb_agg(k.o ORDER BY k.n)
          FROM known k WHERE k.provider IS NOT NULL
         GROUP BY k.provider ORDER BY pg_catalog.min(k.n)
    LOOP
        CASE provider
            WHEN 'ses' THEN RETURN QUERY SELECT * FROM @extschema@._webhook_ses(batch);
            WHEN 'sendgrid' THEN RETURN QUERY SELECT * FROM @extschema@._webhook_sendgrid(batch);
            WHEN 'mailgun' THEN RETURN QUERY SELECT * FROM @extschema@._webhook_mailgun(batch);
            WHEN 'postmark' THEN RETURN QUERY SELECT * FROM @extschema@._webhook_postmark(batch);
            WHEN 'sparkpost' THEN RETURN QUERY SELECT * FROM @extschema@._webhook_sparkpost(batch);
            WHEN 'mailjet' THEN RETURN QUERY SELECT * FROM @extschema@._webhook_mailjet(batch);
            WHEN 'brevo' THEN RETURN QUERY SELECT * FROM @extschema@._webhook_brevo(batch);
            ELSE NULL;
        END CASE;
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@._webhook_events(jsonb) IS
    'the recipient events of a payload as the providers'' readers find them (SNS and EventBridge envelopes opened, batches walked)';

-- ---------------------------------------------------------------------------
-- parse_webhook()
-- ---------------------------------------------------------------------------

-- Columns are only ever appended.  A delay is at worst soft, as in
-- parse_dsn: the provider is still trying.
CREATE FUNCTION @extschema@.parse_webhook(payload jsonb,
        OUT provider text, OUT event_id text, OUT recipient text, OUT action text,
        OUT status @extschema@.smtp_status,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason,
        OUT occurred_at timestamptz, OUT campaign text,
        OUT recipient_raw text, OUT provider_type text, OUT provider_subtype text,
        OUT message_id text, OUT event jsonb)
    RETURNS SETOF record
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 10 SET search_path = pg_catalog, pg_temp AS $$
    SELECT e.provider, e.event_id, @extschema@._address_or_null(e.recipient_raw), t.action, s.status,
           CASE WHEN s.status IS NULL THEN t.class
                WHEN t.action = 'delayed'
                THEN least(@extschema@.classify(s.status), 'soft'::@extschema@.bounce_class)
                ELSE @extschema@.classify(s.status) END,
           CASE WHEN s.status IS NULL THEN t.reason ELSE @extschema@.reason(s.status) END,
           e.occurred_at, e.campaign, e.recipient_raw, e.type, e.subtypes[1], e.message_id, e.event
      FROM @extschema@._webhook_events(parse_webhook.payload) e
     CROSS JOIN LATERAL (SELECT @extschema@._webhook_status(e.reply, e.enhanced, e.code) AS status) s
      LEFT JOIN LATERAL (
            SELECT w.action, w.class, w.reason
              FROM @extschema@.webhook_types w
              JOIN pg_catalog.unnest(e.subtypes || ''::text) WITH ORDINALITY AS c(subtype, n)
                ON w.subtype = c.subtype
             WHERE w.provider = e.provider AND w.type = e.type
             ORDER BY c.n
             LIMIT 1) t ON true
$$;
COMMENT ON FUNCTION @extschema@.parse_webhook(jsonb) IS
    'one row per recipient event of an ESP webhook payload (Amazon SES via SNS, raw or EventBridge; SendGrid; Mailgun; Postmark; SparkPost; Mailjet; Brevo), a single event or a batch as posted; no rows for anything else, never an error. recipient is normalized or NULL (raw text in recipient_raw); status is the SMTP reply the provider relayed (NULL without a code); class and reason come from bounce''s classifier when there is a reply, else from bounce.webhook_types (action always); (provider, event_id, recipient) identifies an event';

-- ---------------------------------------------------------------------------
-- Recording a payload: bounce.ingest_webhook()
-- ---------------------------------------------------------------------------

-- What each action records (README "ESP webhooks"):
--  * failed and complained: a bounce event in bounce.events, with the class
--    and reason parse_webhook gave (a failure whose label gives none is
--    soft, undefined, as an unknown label is); a complaint has no status
--    and is class none, reason feedback (a reply inside a complaint is not
--    the complaint's verdict);
--  * delivered: a row of bounce.deliveries (it ends a soft streak);
--  * delayed: nothing.  The provider is still trying: counting each
--    attempt would promote a live address after a few deferrals (the same
--    rule as for mail);
--  * unsubscribed, suppressed, resubscribed, rejected, sent, opened,
--    clicked, other: nothing.  They are no bounces (they say nothing about
--    whether the address works, and bounce rates stay true), and list
--    membership is the application's.
-- A row without a valid recipient (parse_webhook's recipient NULL, the
-- text in recipient_raw) is skipped, not an error: one bad address must
-- not refuse a whole batch, which the provider would post again and again.
-- event_key is provider:event_id, unique per address (the tables'
-- (address, event_key) constraints), so the same event twice adds nothing.
-- The ON CONFLICT names no arbiter: naming one (ON CONSTRAINT or the
-- columns) makes PostgreSQL require SELECT on the table, and the caller
-- needs only INSERT; the other unique key, (address, id), never conflicts
-- (id comes from the sequence).  One INSERT per table, set-based: a batch
-- costs two statements.  It runs with the caller's rights.
CREATE FUNCTION @extschema@.ingest_webhook(payload jsonb) RETURNS bigint
    LANGUAGE plpgsql VOLATILE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    new_events     bigint;
    new_deliveries bigint;
BEGIN
    INSERT INTO @extschema@.events (address, campaign, status, occurred_at, class, reason, event_key)
    SELECT w.recipient, w.campaign,
           CASE WHEN w.action OPERATOR(pg_catalog.=) 'failed' THEN w.status END,
           coalesce(w.occurred_at, pg_catalog.now()),
           CASE WHEN w.action OPERATOR(pg_catalog.=) 'failed'
                THEN coalesce(w.class, 'soft'::@extschema@.bounce_class)
                WHEN w.status IS NULL THEN coalesce(w.class, 'none'::@extschema@.bounce_class)
                ELSE 'none'::@extschema@.bounce_class END,
           CASE WHEN w.action OPERATOR(pg_catalog.=) 'failed'
                THEN coalesce(w.reason, 'undefined'::@extschema@.bounce_reason)
                WHEN w.status IS NULL THEN coalesce(w.reason, 'feedback'::@extschema@.bounce_reason)
                ELSE 'feedback'::@extschema@.bounce_reason END,
           w.provider OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) w.event_id
      FROM @extschema@.parse_webhook(payload) WITH ORDINALITY w
     WHERE w.recipient IS NOT NULL
       AND w.action OPERATOR(pg_catalog.=) ANY (ARRAY['failed', 'complained'])
     ORDER BY w.ordinality
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS new_events = ROW_COUNT;

    INSERT INTO @extschema@.deliveries (address, campaign, delivered_at, event_key)
    SELECT w.recipient, w.campaign, coalesce(w.occurred_at, pg_catalog.now()),
           w.provider OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) w.event_id
      FROM @extschema@.parse_webhook(payload) WITH ORDINALITY w
     WHERE w.recipient IS NOT NULL
       AND w.action OPERATOR(pg_catalog.=) 'delivered'
     ORDER BY w.ordinality
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS new_deliveries = ROW_COUNT;

    RETURN new_events;          -- the SPEC's count: new bounce events
END
$$;
COMMENT ON FUNCTION @extschema@.ingest_webhook(jsonb) IS
    'records an ESP webhook payload (as bounce.parse_webhook() reads it): failed and complained events into bounce.events (a complaint: no status, class none, reason feedback), delivered events into bounce.deliveries; delayed, unsubscribed, suppressed, opened... record nothing (no bounces; list membership is the application''s), nor does an event without a valid recipient; idempotent by (provider, event_id, recipient), kept as event_key provider:event_id; returns the number of new bounce events (new rows of bounce.events; deliveries are recorded, not counted; 0 for the same payload again); runs with the caller''s rights (INSERT on both tables)';
