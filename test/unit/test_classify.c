/*
 * test_classify.c - unit tests of the classifier (src/core/classify.c) and
 * the phrase automaton (src/core/phrases.c): SPEC code table, every
 * registry code, text overrides, text-only replies, rule strings, policy
 * defaults, effective actions, names.
 */
#include "unit.h"

#include "classify.h"
#include "phrases.h"

#include <stdlib.h>

#define R(x) BOUNCE_REASON_##x

/* Scan text leniently and classify it. */
static void
classify_text(const char *in, bounce_verdict *v, char *rule, size_t cap)
{
	size_t		len = strlen(in);
	char	   *buf = malloc(len + 1);
	bounce_reply r;

	bounce_reply_scan(in, len, &r, buf);
	bounce_classify(&r, v);
	bounce_verdict_rule(v, rule, cap);
	free(buf);
}

/* classify(text) must give class and reason. */
static void
cls_is(const char *in, bounce_class c, bounce_reason reason)
{
	bounce_verdict v;
	char		rule[256];

	classify_text(in, &v, rule, sizeof(rule));
	CHECK(v.cls == c && v.reason == reason,
		  "classify \"%s\" -> %s %s (got %s %s by %s)", ESC(in),
		  bounce_class_name(c), bounce_reason_name(reason),
		  bounce_class_name(v.cls), bounce_reason_name(v.reason), rule);
}

/* classify(text) must give class, reason and this rule text. */
static void
rule_is(const char *in, bounce_class c, bounce_reason reason, const char *want)
{
	bounce_verdict v;
	char		rule[256];

	classify_text(in, &v, rule, sizeof(rule));
	CHECK(v.cls == c && v.reason == reason && strcmp(rule, want) == 0,
		  "classify \"%s\" -> %s %s by '%s' (got %s %s by '%s')", ESC(in),
		  bounce_class_name(c), bounce_reason_name(reason), want,
		  bounce_class_name(v.cls), bounce_reason_name(v.reason), rule);
}

/* The SPEC §1 code table. */
static void
test_spec_table(void)
{
	cls_is("550 5.1.1", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 5.1.1 <a@b>: User unknown", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 5.7.1", BOUNCE_CLASS_HARD, R(REJECTED));
	cls_is("550 5.7.1 Delivery not authorized, message refused", BOUNCE_CLASS_HARD, R(SECURITYERROR));
	cls_is("550 5.7.1 blocked using zen.spamhaus.org", BOUNCE_CLASS_HARD, R(BLOCKED));
	cls_is("551", BOUNCE_CLASS_HARD, R(HASMOVED));
	cls_is("551 5.1.6 User has moved", BOUNCE_CLASS_HARD, R(HASMOVED));
	cls_is("553", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("553 sorry, that domain isn't in my list of allowed rcpthosts", BOUNCE_CLASS_HARD, R(NORELAYING));
	cls_is("553 sorry, invalid mailbox name", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("553 5.3.0 sorry", BOUNCE_CLASS_HARD, R(SYSTEMERROR));
	cls_is("554", BOUNCE_CLASS_HARD, R(UNDEFINED));
	cls_is("554 Transaction failed", BOUNCE_CLASS_HARD, R(SYSTEMERROR));
	cls_is("552 5.2.2", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("552 5.2.2 Mailbox full", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("421 4.7.0", BOUNCE_CLASS_SOFT, R(TOOMANYCONN));
	cls_is("421 4.7.0 Try again later, closing connection.", BOUNCE_CLASS_SOFT, R(TOOMANYCONN));
	cls_is("450 4.2.1", BOUNCE_CLASS_SOFT, R(GREYLISTING));
	cls_is("450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages",
		   BOUNCE_CLASS_SOFT, R(SPEEDING));
	cls_is("450 4.2.1 Greylisted, try again later", BOUNCE_CLASS_SOFT, R(GREYLISTING));
	cls_is("451 4.3.0", BOUNCE_CLASS_SOFT, R(SYSTEMERROR));
	cls_is("451 4.3.0 Error: queue file write error", BOUNCE_CLASS_SOFT, R(SYSTEMERROR));
	/* the recipient's own filter refused it, whatever X.7.1 would say */
	cls_is("550 5.7.1 <c@example.org>: Message rejected by recipient's Sieve filter: no more mail please",
		   BOUNCE_CLASS_HARD, R(FILTERED));
	/* amavisd-new's BANNED verdict is about the content; a banned host or IP is a block */
	cls_is("554 5.7.0 Reject, id=21877-04 - BANNED: Statement_Jan.pdf.exe", BOUNCE_CLASS_HARD, R(CONTENTERROR));
	cls_is("554 5.7.1 Your IP is banned", BOUNCE_CLASS_HARD, R(BLOCKED));
	cls_is("550 5.7.1 Host is banned for abuse", BOUNCE_CLASS_HARD, R(BLOCKED));
	cls_is("550 5.7.606 Access denied, banned sending IP [192.0.2.1]", BOUNCE_CLASS_HARD, R(BLOCKED));
	/* the weakest guess of a refused sender says less than the code's subject */
	cls_is("451 4.3.0 Mail server temporarily rejected message.", BOUNCE_CLASS_SOFT, R(SYSTEMERROR));
	cls_is("550 rejected", BOUNCE_CLASS_HARD, R(REJECTED));
	cls_is("550 5.0.0 rejected", BOUNCE_CLASS_HARD, R(REJECTED));
	cls_is("452", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("452 Insufficient storage", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("454", BOUNCE_CLASS_SOFT, R(FAILEDSTARTTLS));
	cls_is("454 4.7.0 TLS not available due to local problem", BOUNCE_CLASS_SOFT, R(FAILEDSTARTTLS));
	cls_is("4.2.2", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
}

/* Expected reason of X.subject.detail for the registry (class 4 and 5). */
typedef struct code_row
{
	int			subject;
	int			detail;
	bounce_reason reason;
} code_row;

static const code_row registry[] = {
	{0, 0, R(UNDEFINED)},
	{1, 0, R(USERUNKNOWN)}, {1, 1, R(USERUNKNOWN)}, {1, 2, R(HOSTUNKNOWN)},
	/* X.1.5, X.1.9, X.3.6 report success: under 4/5 the subject's fallback */
	{1, 3, R(USERUNKNOWN)}, {1, 4, R(USERUNKNOWN)}, {1, 5, R(USERUNKNOWN)},
	{1, 6, R(HASMOVED)}, {1, 7, R(REJECTED)}, {1, 8, R(REJECTED)},
	{1, 9, R(USERUNKNOWN)}, {1, 10, R(NOTACCEPT)},
	{2, 0, R(UNDEFINED)}, {2, 1, R(SUSPEND)}, {2, 2, R(MAILBOXFULL)},
	{2, 3, R(EXCEEDLIMIT)}, {2, 4, R(SYSTEMERROR)},
	{3, 0, R(SYSTEMERROR)}, {3, 1, R(SYSTEMFULL)}, {3, 2, R(NOTACCEPT)},
	{3, 3, R(SYSTEMERROR)}, {3, 4, R(MESGTOOBIG)}, {3, 5, R(SYSTEMERROR)},
	{3, 6, R(SYSTEMERROR)},
	{4, 0, R(NETWORKERROR)}, {4, 1, R(NETWORKERROR)}, {4, 2, R(NETWORKERROR)},
	{4, 3, R(SYSTEMERROR)}, {4, 4, R(HOSTUNKNOWN)}, {4, 5, R(TOOMANYCONN)},
	{4, 6, R(NETWORKERROR)}, {4, 7, R(EXPIRED)},
	{5, 0, R(SYNTAXERROR)}, {5, 1, R(SYNTAXERROR)}, {5, 2, R(SYNTAXERROR)},
	{5, 3, R(TOOMANYCONN)}, {5, 4, R(SYNTAXERROR)}, {5, 5, R(SYNTAXERROR)},
	{5, 6, R(SYNTAXERROR)},
	{6, 0, R(CONTENTERROR)}, {6, 1, R(CONTENTERROR)}, {6, 2, R(CONTENTERROR)},
	{6, 3, R(CONTENTERROR)}, {6, 4, R(CONTENTERROR)}, {6, 5, R(CONTENTERROR)},
	{6, 6, R(CONTENTERROR)}, {6, 7, R(CONTENTERROR)}, {6, 8, R(CONTENTERROR)},
	{6, 9, R(CONTENTERROR)}, {6, 10, R(CONTENTERROR)},
	{7, 0, R(SECURITYERROR)}, {7, 1, R(REJECTED)}, {7, 2, R(REJECTED)},
	{7, 3, R(SECURITYERROR)}, {7, 4, R(SECURITYERROR)}, {7, 5, R(SECURITYERROR)},
	{7, 6, R(SECURITYERROR)}, {7, 7, R(SECURITYERROR)}, {7, 8, R(SECURITYERROR)},
	{7, 9, R(SECURITYERROR)}, {7, 10, R(FAILEDSTARTTLS)}, {7, 11, R(SECURITYERROR)},
	{7, 12, R(SECURITYERROR)}, {7, 13, R(SUSPEND)}, {7, 14, R(SECURITYERROR)},
	{7, 15, R(POLICYVIOLATION)}, {7, 16, R(MESGTOOBIG)}, {7, 17, R(HASMOVED)},
	{7, 18, R(HASMOVED)}, {7, 19, R(SECURITYERROR)}, {7, 20, R(AUTHFAILURE)},
	{7, 21, R(AUTHFAILURE)}, {7, 22, R(AUTHFAILURE)}, {7, 23, R(AUTHFAILURE)},
	{7, 24, R(AUTHFAILURE)}, {7, 25, R(REQUIREPTR)}, {7, 26, R(AUTHFAILURE)},
	{7, 27, R(REJECTED)}, {7, 28, R(SPAMDETECTED)}, {7, 29, R(AUTHFAILURE)},
	{7, 30, R(FAILEDSTARTTLS)},
};

/* Every registry code, in class 4 and 5, with and without a basic code. */
static void
test_registry(void)
{
	size_t		i;
	int			k;
	int			bad = 0;
	int			n = 0;

	for (i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
	{
		for (k = 0; k < 2; k++)
		{
			int			cls = k == 0 ? 4 : 5;
			bounce_reply r;
			bounce_verdict v;
			bounce_class want_cls;

			memset(&r, 0, sizeof(r));
			r.cls = (uint8_t) cls;
			r.subject = (uint16_t) registry[i].subject;
			r.detail = (uint16_t) registry[i].detail;
			r.text = "";
			bounce_classify(&r, &v);
			want_cls = cls == 4 ? BOUNCE_CLASS_SOFT :
				(registry[i].reason == R(MAILBOXFULL) || registry[i].reason == R(SYSTEMFULL) ||
				 registry[i].reason == R(TOOMANYCONN)) ? BOUNCE_CLASS_SOFT : BOUNCE_CLASS_HARD;
			n++;
			/* 4.2.1 is greylisting (SPEC code table), 5.2.1 a disabled mailbox */
			if (cls == 4 && registry[i].subject == 2 && registry[i].detail == 1)
				v.reason = v.reason == R(GREYLISTING) ? R(SUSPEND) : R(UNDEFINED);
			if (v.reason != registry[i].reason || v.cls != want_cls)
			{
				bad++;
				printf("# %d.%d.%d -> %s %s, want %s %s\n", cls, r.subject, r.detail,
					   bounce_class_name(v.cls), bounce_reason_name(v.reason),
					   bounce_class_name(want_cls), bounce_reason_name(registry[i].reason));
			}
		}
	}
	CHECK(bad == 0 && n == 162, "all %d registry codes (4.x.x and 5.x.x) map to their reason and class", n);

	/* class 2 is always delivered and not a failure */
	{
		bounce_reply r;
		bounce_verdict v;

		memset(&r, 0, sizeof(r));
		r.text = "";
		bad = 0;
		for (i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		{
			r.cls = 2;
			r.subject = (uint16_t) registry[i].subject;
			r.detail = (uint16_t) registry[i].detail;
			bounce_classify(&r, &v);
			if (v.reason != R(DELIVERED) || v.cls != BOUNCE_CLASS_NONE)
				bad++;
		}
		CHECK(bad == 0, "every 2.x.x code is delivered, class none");
	}

	/* unknown details fall back to their subject's generic reason */
	cls_is("550 5.1.351", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 5.7.509", BOUNCE_CLASS_HARD, R(SECURITYERROR));
	cls_is("550 5.4.312", BOUNCE_CLASS_HARD, R(NETWORKERROR));
	cls_is("550 5.2.99", BOUNCE_CLASS_HARD, R(UNDEFINED));
	cls_is("550 5.9.1", BOUNCE_CLASS_HARD, R(UNDEFINED));
	cls_is("550 5.0.0", BOUNCE_CLASS_HARD, R(UNDEFINED));
	cls_is("552 5.0.0", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("553 5.0.0", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("451 4.0.0", BOUNCE_CLASS_SOFT, R(SYSTEMERROR));
	cls_is("5.0.0", BOUNCE_CLASS_HARD, R(UNDEFINED));
	cls_is("4.0.0", BOUNCE_CLASS_SOFT, R(UNDEFINED));
	cls_is("450 5.1.1 class disagrees", BOUNCE_CLASS_SOFT, R(USERUNKNOWN));
	/* a greeting banner quoted before the failure is not the status */
	cls_is("Connected to mx.example.com: 220 mx.example.com ESMTP. Then: 550 5.1.1 <a@b.c>: user unknown",
		   BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("The server said 220 hello and later 452 4.2.2 mailbox full", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("host said: 250 2.0.0 ok, queued", BOUNCE_CLASS_NONE, R(DELIVERED));
	/* rate limits are soft even under a 5xx */
	cls_is("550 5.7.1 frequency limited, try later", BOUNCE_CLASS_SOFT, R(SPEEDING));
	cls_is("554 5.7.1 sending frequency exceeded for this IP", BOUNCE_CLASS_SOFT, R(SPEEDING));
	cls_is("550 5.4.5 Daily user sending limit exceeded", BOUNCE_CLASS_SOFT, R(SPEEDING));
	cls_is("450 4.7.1 Demasiados mensajes desde su IP, reduzca la velocidad", BOUNCE_CLASS_SOFT,
		   R(SPEEDING));
	cls_is("421 4.7.0 Zu viele Nachrichten von Ihrer IP", BOUNCE_CLASS_SOFT, R(SPEEDING));
	cls_is("550 5.2.121 Recipient's per hour message receive limit from specific sender exceeded",
		   BOUNCE_CLASS_SOFT, R(SPEEDING));
	/* a rate limit for the sending IP's reputation: the reputation is the cause */
	cls_is("451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation",
		   BOUNCE_CLASS_SOFT, R(BADREPUTATION));
	/* Exchange's delivery restriction on a group: local policy, not authentication */
	cls_is("550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized", BOUNCE_CLASS_HARD,
		   R(POLICYVIOLATION));
	cls_is("550 5.7.1 RESOLVER.RST.AuthRequired; authentication required", BOUNCE_CLASS_HARD,
		   R(SECURITYERROR));
	cls_is("550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required",
		   BOUNCE_CLASS_HARD, R(POLICYVIOLATION));
	cls_is("Motif : la bo\xc3\xaete aux lettres du destinataire est pleine.", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("Grund: Zeit\xc3\xbc" "berschreitung beim Verbindungsaufbau", BOUNCE_CLASS_SOFT, R(NETWORKERROR));
	cls_is("Motivo: la cuenta de correo no existe o fue dada de baja por falta de uso.", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("le fichier courrier du destinataire a d\xc3\xa9pass\xc3\xa9 son quota de taille", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("550 5.7.1 Message rejected: attachment \"a.xlsm\" is a blocked file type", BOUNCE_CLASS_HARD,
		   R(CONTENTERROR));
	cls_is("550 Envelope blocked - User Entry - https://docs.example/550", BOUNCE_CLASS_HARD, R(REJECTED));
	/* what a gateway's words say it stopped: the message's content, or the sender */
	cls_is("550 5.7.1 Message blocked by Data Loss Prevention policy", BOUNCE_CLASS_HARD,
		   R(POLICYVIOLATION));
	cls_is("550 5.7.1 Rejected - bulk email", BOUNCE_CLASS_HARD, R(SPAMDETECTED));
	cls_is("553 you are trying to use me [mx.example] as a relay, but I have not been configured",
		   BOUNCE_CLASS_HARD, R(NORELAYING));
	cls_is("550 5.7.1 The attachment is not permitted by the attachment policy", BOUNCE_CLASS_HARD,
		   R(CONTENTERROR));
	cls_is("550 5.7.1 You are not a member of this group, and only members may post",
		   BOUNCE_CLASS_HARD, R(REJECTED));
	cls_is("Attachment held for administrator review; if it is rejected you will be told",
		   BOUNCE_CLASS_SOFT, R(ONHOLD));
	/* the words name the disabled mailbox; 4.2.1 alone is greylisting (SPEC) */
	cls_is("450 4.2.1 Mailbox temporarily disabled", BOUNCE_CLASS_SOFT, R(SUSPEND));
	/* X.6.0: the subject alone says it was the content; "rejected" says less */
	cls_is("554 5.6.0 Message rejected: malformed MIME structure", BOUNCE_CLASS_HARD, R(CONTENTERROR));
	/* "no mx" is a phrase of its own, not the end of "destino mx.example.org" */
	cls_is("no fue posible conectar con el servidor de destino mx.example.org: tiempo agotado",
		   BOUNCE_CLASS_SOFT, R(UNDEFINED));
	/* codes that disagree on permanence: a 4 in either says a retry may help */
	cls_is("550 4.4.7 class disagrees", BOUNCE_CLASS_SOFT, R(EXPIRED));
	cls_is("554 4.4.7 Message expired: unable to deliver in 840 minutes", BOUNCE_CLASS_SOFT, R(EXPIRED));
	cls_is("451 5.7.1 odd", BOUNCE_CLASS_SOFT, R(REJECTED));
}

/* Basic code fallback table. */
static void
test_basic(void)
{
	static const struct
	{
		int			code;
		bounce_class c;
		bounce_reason reason;
	}			rows[] = {
		{250, BOUNCE_CLASS_NONE, R(DELIVERED)},
		{251, BOUNCE_CLASS_NONE, R(DELIVERED)},
		{354, BOUNCE_CLASS_NONE, R(UNDEFINED)},
		{421, BOUNCE_CLASS_SOFT, R(SYSTEMERROR)},
		{450, BOUNCE_CLASS_SOFT, R(UNDEFINED)},
		{451, BOUNCE_CLASS_SOFT, R(SYSTEMERROR)},
		{452, BOUNCE_CLASS_SOFT, R(MAILBOXFULL)},
		{454, BOUNCE_CLASS_SOFT, R(FAILEDSTARTTLS)},
		{455, BOUNCE_CLASS_SOFT, R(UNDEFINED)},
		{500, BOUNCE_CLASS_HARD, R(SYNTAXERROR)},
		{501, BOUNCE_CLASS_HARD, R(SYNTAXERROR)},
		{502, BOUNCE_CLASS_HARD, R(SYNTAXERROR)},
		{503, BOUNCE_CLASS_HARD, R(SYNTAXERROR)},
		{504, BOUNCE_CLASS_HARD, R(SYNTAXERROR)},
		{521, BOUNCE_CLASS_HARD, R(NOTACCEPT)},
		{523, BOUNCE_CLASS_HARD, R(FAILEDSTARTTLS)},
		{525, BOUNCE_CLASS_HARD, R(SUSPEND)},
		{530, BOUNCE_CLASS_HARD, R(SECURITYERROR)},
		{534, BOUNCE_CLASS_HARD, R(SECURITYERROR)},
		{535, BOUNCE_CLASS_HARD, R(SECURITYERROR)},
		{538, BOUNCE_CLASS_HARD, R(SECURITYERROR)},
		{550, BOUNCE_CLASS_HARD, R(UNDEFINED)},
		{551, BOUNCE_CLASS_HARD, R(HASMOVED)},
		{552, BOUNCE_CLASS_SOFT, R(MAILBOXFULL)},
		{553, BOUNCE_CLASS_HARD, R(USERUNKNOWN)},
		{554, BOUNCE_CLASS_HARD, R(UNDEFINED)},
		{555, BOUNCE_CLASS_HARD, R(SYNTAXERROR)},
		{556, BOUNCE_CLASS_HARD, R(NOTACCEPT)},
		{571, BOUNCE_CLASS_HARD, R(BLOCKED)},
		{599, BOUNCE_CLASS_HARD, R(UNDEFINED)},
	};
	size_t		i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
	{
		char		in[8];
		char		want[32];

		sprintf(in, "%d", rows[i].code);
		sprintf(want, "basic code %d", rows[i].code);
		rule_is(in, rows[i].c, rows[i].reason, want);
	}
}

/* Words deciding for generic codes and overriding specific ones. */
static void
test_text(void)
{
	/* generic codes: the words decide */
	cls_is("550 5.7.1 <a@b>: Recipient address rejected: User unknown", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 5.0.0 user unknown", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 Unknown user a@example.jp", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("554 delivery error: dd This user doesn't have a yahoo.com account", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Spamhaus", BOUNCE_CLASS_HARD, R(BLOCKED));
	cls_is("554 5.7.1 <a@b>: Relay access denied", BOUNCE_CLASS_HARD, R(NORELAYING));
	cls_is("550 5.7.1 Email rejected per DMARC policy", BOUNCE_CLASS_HARD, R(AUTHFAILURE));
	cls_is("550 5.1.0 192.0.2.1 is not allowed to send from <x> per it's SPF Record", BOUNCE_CLASS_HARD, R(AUTHFAILURE));
	cls_is("554 5.7.1 Reverse DNS lookup for host 192.0.2.1 failed permanently.", BOUNCE_CLASS_HARD, R(REQUIREPTR));
	cls_is("550 5.7.1 Message content rejected, UBE, id=1", BOUNCE_CLASS_HARD, R(SPAMDETECTED));
	cls_is("550 Virus Detected; Content Rejected", BOUNCE_CLASS_HARD, R(VIRUSDETECTED));
	cls_is("550 5.7.0 Local Policy Violation", BOUNCE_CLASS_HARD, R(POLICYVIOLATION));
	cls_is("554 Mail from a@b rejected for policy reasons.", BOUNCE_CLASS_HARD, R(POLICYVIOLATION));
	cls_is("550 5.2.0 Over quota", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("552 Too many recipients", BOUNCE_CLASS_SOFT, R(TOOMANYCONN));
	cls_is("421 Too many concurrent SMTP connections", BOUNCE_CLASS_SOFT, R(TOOMANYCONN));
	cls_is("550 Host unknown", BOUNCE_CLASS_HARD, R(HOSTUNKNOWN));
	cls_is("550 Host does not accept mail", BOUNCE_CLASS_HARD, R(NOTACCEPT));
	cls_is("554 delivery error: This account has been disabled or discontinued", BOUNCE_CLASS_HARD, R(SUSPEND));
	cls_is("550 Mailbox is frozen.", BOUNCE_CLASS_HARD, R(SUSPEND));
	cls_is("503 Improper sequence of commands", BOUNCE_CLASS_HARD, R(SYNTAXERROR));
	cls_is("550 5.7.1 [192.0.2.22] Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address",
		   BOUNCE_CLASS_HARD, R(BADREPUTATION));
	cls_is("421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints",
		   BOUNCE_CLASS_SOFT, R(BADREPUTATION));
	cls_is("451 4.7.1 Greylisting in action, please come back later", BOUNCE_CLASS_SOFT, R(GREYLISTING));
	cls_is("550 5.7.1 Messages with multiple addresses in From: header are not accepted", BOUNCE_CLASS_HARD, R(NOTCOMPLIANTRFC));
	cls_is("550 5.7.1 Access denied", BOUNCE_CLASS_HARD, R(REJECTED));
	cls_is("550 5.1.0 Sender address rejected: Domain not found", BOUNCE_CLASS_HARD, R(REJECTED));
	cls_is("550 Requested action not taken: mailbox unavailable", BOUNCE_CLASS_HARD, R(USERUNKNOWN));

	/* specific codes: only strong words override */
	cls_is("550 5.1.1 <a@b>... too many recipients this hour", BOUNCE_CLASS_SOFT, R(TOOMANYCONN));
	cls_is("550 5.2.1 mailbox full", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("550 5.2.1 over quota", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("550 5.2.1 <a@b>... User Unknown", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered",
		   BOUNCE_CLASS_SOFT, R(SPEEDING));
	cls_is("452 4.3.2 Connection rate limit exceeded.", BOUNCE_CLASS_SOFT, R(TOOMANYCONN));
	cls_is("550 5.1.1 Requested action not taken: mailbox unavailable", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("553 5.1.8 <a@b>... Domain of sender address a@b does not exist", BOUNCE_CLASS_HARD, R(REJECTED));
	cls_is("552 5.2.3 Message size exceeds fixed maximum message size", BOUNCE_CLASS_HARD, R(EXCEEDLIMIT));
	cls_is("554 5.7.9 Message not accepted for policy reasons.", BOUNCE_CLASS_HARD, R(POLICYVIOLATION));
	cls_is("550 5.1.1 mailbox unavailable, not accepting connections", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 5.1.7 No such domain sender.example.com", BOUNCE_CLASS_HARD, R(REJECTED));
	cls_is("553 5.1.8 <a@b>... Sender domain not found", BOUNCE_CLASS_HARD, R(REJECTED));
	cls_is("550 5.1.8 sender rate limit exceeded", BOUNCE_CLASS_SOFT, R(SPEEDING));

	/* rule strings */
	rule_is("550 5.1.1 <a@b>: User unknown", BOUNCE_CLASS_HARD, R(USERUNKNOWN), "enhanced code 5.1.1");
	rule_is("550 5.7.1 blocked using zen.spamhaus.org", BOUNCE_CLASS_HARD, R(BLOCKED), "text \"blocked using\"");
	rule_is("550 5.1.1 a too many recipients this hour", BOUNCE_CLASS_SOFT, R(TOOMANYCONN),
			"text \"too many recipients\" (overrides enhanced code 5.1.1)");
	rule_is("552 Over quota", BOUNCE_CLASS_SOFT, R(MAILBOXFULL), "text \"over quota\"");
	rule_is("552", BOUNCE_CLASS_SOFT, R(MAILBOXFULL), "basic code 552");
	rule_is("550 5.0.0 nothing to see", BOUNCE_CLASS_HARD, R(UNDEFINED), "enhanced class 5");
	rule_is("550 5.9.9", BOUNCE_CLASS_HARD, R(UNDEFINED), "enhanced class 5");
	rule_is("550 5.7.1 no words here", BOUNCE_CLASS_HARD, R(REJECTED), "enhanced code 5.7.1");
	rule_is("552 5.0.0", BOUNCE_CLASS_SOFT, R(MAILBOXFULL), "basic code 552");
	rule_is("hello world", BOUNCE_CLASS_SOFT, R(UNDEFINED), "no code, no matching words");
	rule_is("", BOUNCE_CLASS_SOFT, R(UNDEFINED), "no code, no matching words");
	rule_is("250 2.1.5 Ok", BOUNCE_CLASS_NONE, R(DELIVERED), "enhanced code 2.1.5");
	rule_is("250 Ok", BOUNCE_CLASS_NONE, R(DELIVERED), "basic code 250");
}

/* Text with no code: reason from words, class from the reason. */
static void
test_text_only(void)
{
	cls_is("Sorry, no mailbox here by that name. (#5.1.1)", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("host mx.example.jp[192.0.2.1] said: 550 5.1.1 <a@b>... User unknown (in reply to RCPT TO command)",
		   BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("User unknown", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("Host or domain name not found. Name service error for name=x type=MX: Host not found",
		   BOUNCE_CLASS_HARD, R(HOSTUNKNOWN));
	cls_is("connect to mx.example.com[192.0.2.1]:25: Connection timed out", BOUNCE_CLASS_SOFT, R(NETWORKERROR));
	cls_is("lost connection with mx.example.com[192.0.2.1] while performing the HELO handshake",
		   BOUNCE_CLASS_SOFT, R(NETWORKERROR));
	cls_is("retry timeout exceeded", BOUNCE_CLASS_SOFT, R(EXPIRED));
	cls_is("mailbox is full: retry timeout exceeded", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("/var/mail/u: Disk quota exceeded", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("Out of Office: back on Monday", BOUNCE_CLASS_NONE, R(VACATION));
	cls_is("I am on vacation", BOUNCE_CLASS_NONE, R(VACATION));
	cls_is("Your message was rejected as spam", BOUNCE_CLASS_HARD, R(SPAMDETECTED));
	cls_is("Message too large for this recipient", BOUNCE_CLASS_SOFT, R(MESGTOOBIG));
	cls_is("Relaying denied", BOUNCE_CLASS_HARD, R(NORELAYING));
	cls_is("The account has been suspended", BOUNCE_CLASS_HARD, R(SUSPEND));
	cls_is("delivery temporarily suspended: connect to x: Connection refused", BOUNCE_CLASS_SOFT, R(NETWORKERROR));
	cls_is("nothing to see here", BOUNCE_CLASS_SOFT, R(UNDEFINED));
	cls_is("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
		   BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 5.1.10 Null MX", BOUNCE_CLASS_HARD, R(NOTACCEPT));
	cls_is("Sorry, the user's maildir has overdrawn his diskspace quota", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain", BOUNCE_CLASS_HARD, R(HOSTUNKNOWN));
	cls_is("550 SC-001 (BAY0-MC1) Unfortunately, messages from 192.0.2.1 weren't sent.", BOUNCE_CLASS_HARD, R(BLOCKED));
	cls_is("554 5.7.1 <unknown[192.0.2.1]>: Helo command rejected: Host not found", BOUNCE_CLASS_HARD, R(BLOCKED));
	cls_is("450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.1]", BOUNCE_CLASS_SOFT, R(REQUIREPTR));
	cls_is("connection from 192.0.2.153 at 250.1.1.1", BOUNCE_CLASS_SOFT, R(UNDEFINED));
}

/* Default policies and effective actions. */
static void
test_policy(void)
{
	const bounce_policy_default *p;
	int			i;
	int			bad = 0;

	p = bounce_policy_for(R(GREYLISTING));
	CHECK(p->action == BOUNCE_ACTION_RETRY && p->retry_after_s == 300 && p->retry_max_s == 900,
		  "greylisting retries after 5..15 minutes");
	p = bounce_policy_for(R(MAILBOXFULL));
	CHECK(p->action == BOUNCE_ACTION_RETRY && p->retry_after_s == 604800,
		  "mailboxfull retries after 7 days");
	p = bounce_policy_for(R(SYSTEMFULL));
	CHECK(p->action == BOUNCE_ACTION_RETRY && p->retry_after_s == 604800,
		  "systemfull retries after 7 days");
	p = bounce_policy_for(R(SPEEDING));
	CHECK(p->action == BOUNCE_ACTION_RETRY && p->retry_after_s == 86400 && p->retry_max_s == 259200,
		  "speeding retries within 24..72 h");
	p = bounce_policy_for(R(USERUNKNOWN));
	CHECK(p->action == BOUNCE_ACTION_SUPPRESS && !p->message_level && p->retry_after_s == 86400,
		  "userunknown suppresses (retry window for its soft form)");
	p = bounce_policy_for(R(MESGTOOBIG));
	CHECK(p->action == BOUNCE_ACTION_ALERT && p->message_level, "mesgtoobig alerts, message level");
	p = bounce_policy_for(R(CONTENTERROR));
	CHECK(p->action == BOUNCE_ACTION_ALERT && p->message_level, "contenterror alerts, message level");
	p = bounce_policy_for(R(FEEDBACK));
	CHECK(p->action == BOUNCE_ACTION_SUPPRESS, "feedback suppresses");
	p = bounce_policy_for(R(VACATION));
	CHECK(p->action == BOUNCE_ACTION_IGNORE && p->retry_after_s == 0, "vacation is ignored");
	p = bounce_policy_for(R(DELIVERED));
	CHECK(p->action == BOUNCE_ACTION_IGNORE, "delivered is ignored");
	p = bounce_policy_for((bounce_reason) 200);
	CHECK(p == bounce_policy_for(R(UNDEFINED)), "out-of-range reason gives undefined's policy");
	for (i = 0; i < BOUNCE_NUM_REASONS; i++)
	{
		p = bounce_policy_for((bounce_reason) i);
		if (p->retry_max_s < p->retry_after_s || p->retry_after_s < 0 ||
			(p->action == BOUNCE_ACTION_ALERT) != p->message_level)
			bad++;
	}
	CHECK(bad == 0, "every policy: retry_max >= retry_after >= 0, alert iff message level");

	CHECK(bounce_effective_action(BOUNCE_CLASS_NONE, BOUNCE_ACTION_IGNORE) == BOUNCE_ACTION_IGNORE, "none+ignore -> ignore");
	CHECK(bounce_effective_action(BOUNCE_CLASS_NONE, BOUNCE_ACTION_RETRY) == BOUNCE_ACTION_IGNORE, "none+retry -> ignore");
	CHECK(bounce_effective_action(BOUNCE_CLASS_NONE, BOUNCE_ACTION_ALERT) == BOUNCE_ACTION_ALERT, "none+alert -> alert");
	CHECK(bounce_effective_action(BOUNCE_CLASS_NONE, BOUNCE_ACTION_SUPPRESS) == BOUNCE_ACTION_SUPPRESS, "none+suppress -> suppress");
	CHECK(bounce_effective_action(BOUNCE_CLASS_SOFT, BOUNCE_ACTION_IGNORE) == BOUNCE_ACTION_IGNORE, "soft+ignore -> ignore");
	CHECK(bounce_effective_action(BOUNCE_CLASS_SOFT, BOUNCE_ACTION_RETRY) == BOUNCE_ACTION_RETRY, "soft+retry -> retry");
	CHECK(bounce_effective_action(BOUNCE_CLASS_SOFT, BOUNCE_ACTION_ALERT) == BOUNCE_ACTION_ALERT, "soft+alert -> alert");
	CHECK(bounce_effective_action(BOUNCE_CLASS_SOFT, BOUNCE_ACTION_SUPPRESS) == BOUNCE_ACTION_RETRY, "soft+suppress -> retry");
	CHECK(bounce_effective_action(BOUNCE_CLASS_HARD, BOUNCE_ACTION_IGNORE) == BOUNCE_ACTION_IGNORE, "hard+ignore -> ignore");
	CHECK(bounce_effective_action(BOUNCE_CLASS_HARD, BOUNCE_ACTION_RETRY) == BOUNCE_ACTION_SUPPRESS, "hard+retry -> suppress");
	CHECK(bounce_effective_action(BOUNCE_CLASS_HARD, BOUNCE_ACTION_ALERT) == BOUNCE_ACTION_ALERT, "hard+alert -> alert");
	CHECK(bounce_effective_action(BOUNCE_CLASS_HARD, BOUNCE_ACTION_SUPPRESS) == BOUNCE_ACTION_SUPPRESS, "hard+suppress -> suppress");
}

/* Names and reverse lookups. */
static void
test_names(void)
{
	int			i;
	int			bad = 0;
	char		rule[8];
	bounce_verdict v;
	size_t		n;

	CHECK(strcmp(bounce_class_name(BOUNCE_CLASS_NONE), "none") == 0 &&
		  strcmp(bounce_class_name(BOUNCE_CLASS_SOFT), "soft") == 0 &&
		  strcmp(bounce_class_name(BOUNCE_CLASS_HARD), "hard") == 0, "class names");
	CHECK(bounce_class_name((bounce_class) 3) == NULL, "class name out of range is NULL");
	CHECK(strcmp(bounce_action_name(BOUNCE_ACTION_IGNORE), "ignore") == 0 &&
		  strcmp(bounce_action_name(BOUNCE_ACTION_RETRY), "retry") == 0 &&
		  strcmp(bounce_action_name(BOUNCE_ACTION_ALERT), "alert") == 0 &&
		  strcmp(bounce_action_name(BOUNCE_ACTION_SUPPRESS), "suppress") == 0, "action names");
	CHECK(bounce_action_name((bounce_action) 4) == NULL, "action name out of range is NULL");
	CHECK(strcmp(bounce_reason_name(R(AUTHFAILURE)), "authfailure") == 0 &&
		  strcmp(bounce_reason_name(R(GREYLISTING)), "greylisting") == 0 &&
		  strcmp(bounce_reason_name(R(VIRUSDETECTED)), "virusdetected") == 0, "reason names");
	CHECK(bounce_reason_name((bounce_reason) BOUNCE_NUM_REASONS) == NULL, "reason name out of range is NULL");
	for (i = 0; i < BOUNCE_NUM_REASONS; i++)
	{
		const char *nm = bounce_reason_name((bounce_reason) i);

		if (nm == NULL || bounce_reason_from_name(nm, strlen(nm)) != i)
			bad++;
		if (i > 0 && strcmp(bounce_reason_name((bounce_reason) (i - 1)), nm) >= 0)
			bad++;				/* the SQL enum is alphabetical */
	}
	CHECK(bad == 0, "all %d reason names round trip and are in alphabetical order", BOUNCE_NUM_REASONS);
	CHECK(bounce_reason_from_name("userunknownx", 11) == R(USERUNKNOWN), "reverse lookup honours the length");
	CHECK(bounce_reason_from_name("nosuch", 6) == -1 && bounce_reason_from_name("", 0) == -1 &&
		  bounce_reason_from_name("UserUnknown", 11) == -1 && bounce_reason_from_name(NULL, 0) == -1,
		  "unknown reason names give -1");

	v.rule = BOUNCE_RULE_ENHANCED;
	v.e_cls = 5;
	v.e_subject = 7;
	v.e_detail = 26;
	n = bounce_verdict_rule(&v, rule, sizeof(rule));
	CHECK(n == strlen("enhanced code 5.7.26") && strcmp(rule, "enhance") == 0,
		  "rule text truncates like snprintf");
}

/* The automaton itself. */
static void
test_automaton(void)
{
	bounce_phrase_match m;
	const bounce_phrase *p;
	int			i;
	int			bad = 0;

	bounce_classify_init();
	CHECK(bounce_phrase_states() > 1, "automaton built, %d states, no overflow", bounce_phrase_states());
	CHECK(bounce_phrase_count() >= 200, "%d phrases", bounce_phrase_count());
	CHECK(bounce_phrase_get(-1) == NULL && bounce_phrase_get(bounce_phrase_count()) == NULL,
		  "phrase index out of range is NULL");

	/* every phrase matches itself, upper-cased and spaced out */
	for (i = 0; i < bounce_phrase_count(); i++)
	{
		char		txt[256];
		size_t		k,
					n = 0;
		const bounce_phrase *q;

		p = bounce_phrase_get(i);
		for (k = 0; p->text[k] != '\0' && n < 200; k++)
		{
			char		c = p->text[k];

			txt[n++] = (char) (c >= 'a' && c <= 'z' ? c - 32 : c);
			if (c == ' ')
				txt[n++] = '\t';
		}
		bounce_phrases_scan(txt, n, &m);
		q = bounce_phrase_get(m.best);
		if (q == NULL || q->prio < p->prio)
		{
			bad++;
			printf("# phrase \"%s\" does not match itself\n", p->text);
		}
		if ((p->flags & PHRASE_STRONG) && m.best_strong < 0)
			bad++;
		if (p->reason >= BOUNCE_NUM_REASONS || p->prio == 0)
			bad++;
	}
	CHECK(bad == 0, "every phrase matches itself (case and white space folded)");

	bounce_phrases_scan("USER   UNKNOWN", 14, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && strcmp(p->text, "user unknown") == 0, "case and white space runs are folded");
	bounce_phrases_scan("user\r\n\t unknown", 15, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && p->reason == R(USERUNKNOWN), "CR/LF/tab fold like spaces");
	bounce_phrases_scan("User-Unknown", 12, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && p->reason == R(USERUNKNOWN), "punctuation folds like white space");
	/* signs read by the reader: a mail system's From, a count of attempts */
	bounce_phrases_scan("Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>", 54, &m);
	CHECK((m.signs & BOUNCE_SIGN_MAIL_SYSTEM) != 0, "a MAILER-DAEMON From names a mail system");
	bounce_phrases_scan("Ana Lima <ana@example.com>", 26, &m);
	CHECK((m.signs & BOUNCE_SIGN_MAIL_SYSTEM) == 0, "a person's From names none");
	bounce_phrases_scan("delivery failed after 20 attempts", 33, &m);
	CHECK((m.signs & BOUNCE_SIGN_ATTEMPTS) != 0, "\"20 attempts\" counts the attempts");
	bounce_phrases_scan("further attempts will be made", 29, &m);
	CHECK((m.signs & BOUNCE_SIGN_ATTEMPTS) == 0, "\"attempts\" without a number counts none");
	bounce_phrases_scan("xyzzy", 5, &m);
	CHECK(m.best == -1 && m.best_strong == -1, "no match gives -1");
	bounce_phrases_scan("", 0, &m);
	CHECK(m.best == -1, "empty text gives no match");

	/* overlapping phrases: the higher priority one wins wherever it is */
	bounce_phrases_scan("blocked using zen.spamhaus.org", 30, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && p->reason == R(BLOCKED) && p->prio >= 90, "overlap: spamhaus/blocked using beat spam");
	bounce_phrases_scan("mailbox is full: retry timeout exceeded", 39, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && p->reason == R(MAILBOXFULL), "mailbox full beats retry timeout");
	bounce_phrases_scan("connection rate limit exceeded", 30, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && strcmp(p->text, "connection rate limit") == 0,
		  "a phrase that contains another (rate limit) wins by priority");
	bounce_phrases_scan("recipient address rejected: user unknown", 40, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && p->reason == R(USERUNKNOWN) && strcmp(p->text, "user unknown") == 0,
		  "suffix match through failure links");

	/* word-bounded phrases */
	bounce_phrases_scan("spam", 4, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && p->reason == R(SPAMDETECTED), "word phrase at both text ends");
	bounce_phrases_scan("antispamming", 12, &m);
	CHECK(m.best == -1, "word phrase not inside a word");
	bounce_phrases_scan("(SPF)", 5, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && p->reason == R(AUTHFAILURE), "word phrase between punctuation");
	bounce_phrases_scan("<spam@example.org>", 18, &m);
	CHECK(m.best == -1, "the local part of an address is not a word");
	bounce_phrases_scan("user@blocked.example", 20, &m);
	CHECK(m.best == -1, "the domain right after '@' is not a word start");
	bounce_phrases_scan("spfx", 4, &m);
	CHECK(m.best == -1, "word phrase needs its right boundary");

	/* ties: the earliest wins */
	bounce_phrases_scan("user unknown, no such user", 26, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && strcmp(p->text, "user unknown") == 0, "equal priorities: the earliest match wins");
	bounce_phrases_scan("no such user, user unknown", 26, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && strcmp(p->text, "no such user") == 0, "equal priorities: the earliest match wins (swapped)");

	/* opaque bytes do not break matching */
	bounce_phrases_scan("\xe3\x81\x82 user unknown \xff", 18, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && p->reason == R(USERUNKNOWN), "bytes >= 0x80 separate words");
	bounce_phrases_scan("user doesn\xe2\x80\x99t exist", 20, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && p->reason == R(USERUNKNOWN), "a curly apostrophe matches a straight one");
	bounce_phrases_scan("mailbox\xc2\xa0" "full", 13, &m);
	p = bounce_phrase_get(m.best);
	CHECK(p != NULL && p->reason == R(MAILBOXFULL), "a no-break space matches a space");
}

/* Classifier fixes found on real bounce mail. */
static void
test_real_mail(void)
{
	bounce_reply r;
	bounce_verdict v;

	/* an enhanced code later in the text is adopted, words still override */
	rule_is("550 sorry, no mailbox here by that name (#5.1.1 - chkusr)",
			BOUNCE_CLASS_HARD, R(USERUNKNOWN), "enhanced code 5.1.1");
	rule_is("552 sorry, mailbox a@example.org is over quota temporarily (#5.1.1)",
			BOUNCE_CLASS_SOFT, R(MAILBOXFULL),
			"text \"over quota\" (overrides enhanced code 5.1.1)");
	cls_is("554 554 5.7.1 Service unavailable; Client host [192.0.2.49] blocked using zen.example",
		   BOUNCE_CLASS_HARD, R(BLOCKED));

	/* success-only details under a failure class: the words decide */
	rule_is("4.1.9 Resources temporarily unavailable, please try again later",
			BOUNCE_CLASS_SOFT, R(TOOMANYCONN),
			"text \"resources temporarily unavailable\"");
	cls_is("5.1.5 mailbox is full", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("4.3.6 connection refused", BOUNCE_CLASS_SOFT, R(NETWORKERROR));
	cls_is("250 2.1.5 Ok", BOUNCE_CLASS_NONE, R(DELIVERED));

	/* phrases */
	cls_is("mailfolder is full", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("Mail folder is full", BOUNCE_CLASS_SOFT, R(MAILBOXFULL));
	cls_is("Envelope expired", BOUNCE_CLASS_SOFT, R(EXPIRED));
	cls_is("after multiple retries, giving up", BOUNCE_CLASS_SOFT, R(EXPIRED));
	/* qmail names the host it gave up on after a refusal: the refusal is the reason */
	cls_is("550 Requested action not taken: mailbox unavailable Giving up on 198.51.100.9.",
		   BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("Giving up.", BOUNCE_CLASS_SOFT, R(EXPIRED));
	cls_is("Could not deliver for the last 5 days", BOUNCE_CLASS_SOFT, R(EXPIRED));
	cls_is("This message will be retried for 3 more days", BOUNCE_CLASS_SOFT, R(EXPIRED));
	cls_is("retry time not reached for any host", BOUNCE_CLASS_SOFT, R(EXPIRED));
	cls_is("delivery time expired", BOUNCE_CLASS_SOFT, R(EXPIRED));
	cls_is("DNS lookup failure", BOUNCE_CLASS_HARD, R(HOSTUNKNOWN));
	cls_is("Host not found", BOUNCE_CLASS_HARD, R(HOSTUNKNOWN));
	cls_is("Malformed address", BOUNCE_CLASS_SOFT, R(SYNTAXERROR));
	cls_is("mx.example.org did not accept our requests to connect",
		   BOUNCE_CLASS_SOFT, R(NETWORKERROR));
	cls_is("Connection refused", BOUNCE_CLASS_SOFT, R(NETWORKERROR));

	/* a temporary DNS failure is not an unknown host */
	rule_is("Name service error for domain example.com: Host not found, try again",
			BOUNCE_CLASS_SOFT, R(NETWORKERROR), "text \"host not found, try again\"");

	/* what "does not exist" is a domain name: the host is unknown */
	cls_is("553 neko.example.com does not exist", BOUNCE_CLASS_HARD, R(HOSTUNKNOWN));
	cls_is("553 Domain <example.org> does not exist.", BOUNCE_CLASS_HARD, R(HOSTUNKNOWN));
	cls_is("553 a@neko.example.com does not exist", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 Requested user does not exist", BOUNCE_CLASS_HARD, R(USERUNKNOWN));
	cls_is("550 Your account does not exist here.", BOUNCE_CLASS_HARD, R(USERUNKNOWN));

	/* no text at all (NULL, 0) is accepted (UBSan: no offset on NULL) */
	memset(&r, 0, sizeof(r));
	r.code = 550;
	r.text = NULL;
	r.text_len = 0;
	bounce_classify(&r, &v);
	CHECK(v.cls == BOUNCE_CLASS_HARD && v.reason == R(UNDEFINED),
		  "classify 550 with NULL text -> hard undefined (got %s %s)",
		  bounce_class_name(v.cls), bounce_reason_name(v.reason));
	r.code = 0;
	bounce_classify(&r, &v);
	CHECK(v.cls == BOUNCE_CLASS_SOFT && v.reason == R(UNDEFINED),
		  "classify no code, NULL text -> soft undefined (got %s %s)",
		  bounce_class_name(v.cls), bounce_reason_name(v.reason));
}


/* All classifier tests. */
void
test_classify(void)
{
	test_spec_table();
	test_registry();
	test_basic();
	test_text();
	test_text_only();
	test_policy();
	test_names();
	test_real_mail();
}

/* All automaton tests. */
void
test_phrases(void)
{
	test_automaton();
}
