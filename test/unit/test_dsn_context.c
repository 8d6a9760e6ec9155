/*
 * test_dsn_context.c - unit tests of what a delivery report says beyond
 * the reply itself (dsn.c context_verdict, dsn_text.c SMTP phase): the
 * SMTP command a failure answered, queue expiry, local delivery programs,
 * List-Unsubscribe requests.  Synthetic messages, written for these tests.
 */
#include "unit.h"

#include <stdlib.h>

#include "dsn.h"

void		run_dsn_context_tests(void);

typedef struct one_row
{
	int			n;
	bounce_reason reason;
	bounce_class cls;
	char		action[16];
} one_row;

static void
keep_first(void *ctx, const bounce_dsn_rcpt *r)
{
	one_row    *o = ctx;

	if (o->n++ == 0)
	{
		o->reason = r->verdict.reason;
		o->cls = r->verdict.cls;
		snprintf(o->action, sizeof(o->action), "%s", r->action ? r->action : "");
	}
}

/* Reason of the first row of a message; BOUNCE_NUM_REASONS when no row. */
static bounce_reason
first_reason(const char *msg, one_row *o)
{
	size_t		len = strlen(msg);
	size_t		cap = BOUNCE_DSN_ARENA_SIZE_FOR(len);
	char	   *buf = malloc(cap);
	bounce_arena a;

	memset(o, 0, sizeof(*o));
	bounce_arena_init(&a, buf, cap);
	bounce_dsn_parse(msg, len, &a, keep_first, o, NULL);
	free(buf);
	return o->n ? o->reason : BOUNCE_NUM_REASONS;
}

/* A multipart/report with the given human text and per-recipient fields. */
static char *
report(const char *human, const char *fields)
{
	static const char fmt[] =
		"From: MAILER-DAEMON@mx.example.net\n"
		"To: sender@example.org\n"
		"Subject: Undelivered Mail Returned to Sender\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n"
		"\n"
		"--BB\n"
		"Content-Type: text/plain\n"
		"\n"
		"%s\n"
		"--BB\n"
		"Content-Type: message/delivery-status\n"
		"\n"
		"Reporting-MTA: dns; mx.example.net\n"
		"\n"
		"%s\n"
		"--BB\n"
		"Content-Type: text/rfc822-headers\n"
		"\n"
		"From: sender@example.org\n"
		"To: rcpt@example.com\n"
		"Subject: hello\n"
		"--BB--\n";
	size_t		n = sizeof(fmt) + strlen(human) + strlen(fields);
	char	   *m = malloc(n);

	snprintf(m, n, fmt, human, fields);
	return m;
}

static void
check_report(const char *human, const char *fields, bounce_reason want, const char *what)
{
	char	   *m = report(human, fields);
	one_row		o;
	bounce_reason got = first_reason(m, &o);

	CHECK(got == want, "%s: %s (got %s)", what, bounce_reason_name(want),
		  got == BOUNCE_NUM_REASONS ? "no row" : bounce_reason_name(got));
	free(m);
}

#define FAILED(diag) \
	"Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 5.0.0\n" \
	"Diagnostic-Code: smtp; " diag "\n"

static void
test_phase(void)
{
	/* the same words, answering RCPT TO or DATA */
	check_report("<rcpt@example.com>: host mx.example.com[192.0.2.1] said: 550 User unknown\n"
				 "    (in reply to RCPT TO command)\n",
				 FAILED("550 User unknown"), BOUNCE_REASON_USERUNKNOWN,
				 "'user unknown' answering RCPT TO");
	check_report("<rcpt@example.com>: host mx.example.com[192.0.2.1] said: 550 User unknown\n"
				 "    (in reply to end of DATA command)\n",
				 FAILED("550 User unknown"), BOUNCE_REASON_FILTERED,
				 "'user unknown' answering end of DATA (Postfix layout)");
	check_report("   ----- Transcript of session follows -----\n"
				 "... while talking to mx.example.com.:\n>>> DATA\n"
				 "<<< 550 <rcpt@example.com>... User unknown\n",
				 FAILED("550 <rcpt@example.com>... User unknown"), BOUNCE_REASON_FILTERED,
				 "'user unknown' after '>>> DATA' (Sendmail transcript)");
	check_report("   ----- Transcript of session follows -----\n"
				 "... while talking to mx.example.com.:\n>>> DATA\n"
				 "<<< 550 5.1.1 <rcpt@example.com>... User unknown\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 5.1.1\n"
				 "Diagnostic-Code: smtp; 550 5.1.1 <rcpt@example.com>... User unknown\n",
				 BOUNCE_REASON_USERUNKNOWN,
				 "a 5.1.1 code keeps userunknown even after DATA");
	check_report("  rcpt@example.com\n    host mx.example.com [192.0.2.1]\n"
				 "    SMTP error from remote mail server after end of data:\n"
				 "    550 No such user\n",
				 FAILED("550 No such user"), BOUNCE_REASON_FILTERED,
				 "Exim's 'after end of data'");
	check_report("  rcpt@example.com\n    host mx.example.com [192.0.2.1]\n"
				 "    SMTP error from remote mail server after EHLO mx.example.net:\n"
				 "    550 Rejected\n",
				 FAILED("550 Rejected"), BOUNCE_REASON_BLOCKED,
				 "a bare refusal after EHLO is about the sending host");
	check_report("  rcpt@example.com\n    host mx.example.com [192.0.2.1]\n"
				 "    SMTP error from remote mail server after RCPT TO:<rcpt@example.com>:\n"
				 "    550 Rejected\n",
				 FAILED("550 Rejected"), BOUNCE_REASON_REJECTED,
				 "the same refusal after RCPT TO stays rejected");
	/* at MAIL FROM the only address named is the sender's */
	check_report("  rcpt@example.com\n    host mx.example.com [192.0.2.1]\n"
				 "    SMTP error from remote mail server after MAIL FROM:<sender@nx.example.org>:\n"
				 "    553 5.1.0 nx.example.org does not exist\n",
				 FAILED("553 5.1.0 nx.example.org does not exist"), BOUNCE_REASON_REJECTED,
				 "a domain that does not exist, answering MAIL FROM, is the sender's");
	check_report("<rcpt@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1\n"
				 "    <sender@example.org>: User unknown (in reply to MAIL FROM command)\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 5.1.1\n"
				 "Diagnostic-Code: smtp; 550 5.1.1 <sender@example.org>: User unknown\n",
				 BOUNCE_REASON_REJECTED,
				 "even with 5.1.1, an unknown user answering MAIL FROM is the sender");
	check_report("  rcpt@example.com\n    host mx.example.com [192.0.2.1]\n"
				 "    SMTP error from remote mail server after RCPT TO:<rcpt@example.com>:\n"
				 "    553 5.1.0 example.com does not exist\n",
				 FAILED("553 5.1.0 example.com does not exist"), BOUNCE_REASON_HOSTUNKNOWN,
				 "the same words answering RCPT TO stay hostunknown");
	/* a relay's summary quoting the remote reply: the quoted code wins */
	check_report("An error occurred while trying to deliver the mail.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 5.1.0\n"
				 "Diagnostic-Code: smtp; 5.1.0 - Unknown address error 550-'5.7.1"
				 " <bounce@relay.example.net>... Access denied' (delivery attempts: 0)\n",
				 BOUNCE_REASON_REJECTED,
				 "SES-style summary quoting 550 5.7.1 Access denied: the quoted reply decides");
	check_report("An error occurred while trying to deliver the mail.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 5.1.0\n"
				 "Diagnostic-Code: smtp; 5.1.0 - Unknown address error 550-'Unknown user"
				 " rcpt@example.com' (delivery attempts: 0)\n",
				 BOUNCE_REASON_USERUNKNOWN,
				 "a quoted reply without an enhanced code leaves the summary's status");
	/* the returned message's own words do not count */
	check_report("Your message could not be delivered.\n",
				 FAILED("550 User unknown"), BOUNCE_REASON_USERUNKNOWN,
				 "no command named: userunknown");
}

static void
test_expiry(void)
{
	check_report("Delivery failed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 4.4.1\n"
				 "Diagnostic-Code: X-Postfix; connect to mx.example.com[192.0.2.1]:25: "
				 "Connection timed out\n",
				 BOUNCE_REASON_EXPIRED, "a final failure that only timed out: expired");
	check_report("Delivery delayed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: delayed\nStatus: 4.4.1\n"
				 "Diagnostic-Code: X-Postfix; connect to mx.example.com[192.0.2.1]:25: "
				 "No route to host\n",
				 BOUNCE_REASON_NETWORKERROR, "a delay with a precise network cause stays networkerror");
	check_report("Delivery delayed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: delayed\nStatus: 4.4.1\n"
				 "Diagnostic-Code: X-Postfix; connect to mx.example.com[192.0.2.1]:25: "
				 "Connection timed out\n",
				 BOUNCE_REASON_NETWORKERROR,
				 "a delay whose host never answered is still queued, not expired: networkerror");
	check_report("Delivery delayed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: delayed\nStatus: 4.0.0\n",
				 BOUNCE_REASON_EXPIRED, "a delay with a generic status ages towards expiry");
	check_report("Delivery failed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 5.0.0\n"
				 "Diagnostic-Code: smtp; Delivery failed 12 attempts\n",
				 BOUNCE_REASON_EXPIRED, "counted attempts: expired");
	check_report("Delivery failed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 4.2.2\n"
				 "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\n",
				 BOUNCE_REASON_MAILBOXFULL, "a precise transient reason is kept");
}

static void
test_transcripts(void)
{
	one_row		o;
	bounce_reason got;

	/* the DNS cause of an expiry, found in the transcript's second listing */
	check_report("   ----- The following addresses had permanent fatal errors -----\n"
				 "<rcpt@example.com>\n"
				 "   ----- Transcript of session follows -----\n"
				 "<rcpt@example.com>... Deferred: Name server: example.com.: host name lookup failure\n"
				 "Message could not be delivered for 5 days\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 4.4.7\n",
				 BOUNCE_REASON_NETWORKERROR,
				 "an expiry blamed on a DNS lookup failure, from the transcript's listing");
	check_report("   ----- The following addresses had permanent fatal errors -----\n"
				 "<rcpt@example.com>\n"
				 "   ----- Transcript of session follows -----\n"
				 "<rcpt@example.com>... Deferred: Connection timed out with mx.example.com\n"
				 "Message could not be delivered for 5 days\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 4.4.7\n",
				 BOUNCE_REASON_EXPIRED, "an expiry after time-outs stays expired");

	/* Sendmail's summary line yields to the server's reply above it */
	got = first_reason("From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\n"
					   "To: sender@example.org\nSubject: Returned mail: Remote protocol error\n\n"
					   "   ----- Transcript of session follows -----\n"
					   "While talking to mx.example.com:\n"
					   ">>> MAIL From:<sender@example.org>\n"
					   "<<< 550 Relaying denied\n"
					   "554 <rcpt@example.com>... Remote protocol error\n"
					   "421 other.example (smtp)... Deferred: Connection timed out with other.example\n"
					   "   ----- Unsent message follows -----\n"
					   "From: sender@example.org\nTo: rcpt@example.com\nSubject: hi\n\nhello\n", &o);
	CHECK(got == BOUNCE_REASON_NORELAYING,
		  "the '<<<' server reply above Sendmail's summary decides (got %s)",
		  got == BOUNCE_NUM_REASONS ? "no row" : bounce_reason_name(got));

	/* a reply's paragraph ends where the transcript goes on */
	got = first_reason("From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\n"
					   "To: sender@example.org\nSubject: Returned mail: User unknown\n\n"
					   "   ----- Transcript of session follows -----\n"
					   "554 <rcpt@example.com>... Service unavailable\n"
					   "550 example.net (smtp)... 550 Host unknown\n"
					   "   ----- Unsent message follows -----\n"
					   "From: sender@example.org\nTo: rcpt@example.com\nSubject: hi\n\nhello\n", &o);
	CHECK(got != BOUNCE_REASON_HOSTUNKNOWN && got != BOUNCE_NUM_REASONS,
		  "the next transcript line (another code) is not part of the reply (got %s)",
		  got == BOUNCE_NUM_REASONS ? "no row" : bounce_reason_name(got));
}

static void
test_programs(void)
{
	check_report("Delivery failed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 5.1.1\n"
				 "Diagnostic-Code: x-unix; procmail: Couldn't create \"/var/mail/rcpt\": No such user\n",
				 BOUNCE_REASON_MAILERERROR, "X-Unix diagnostic: mailererror");
	check_report("Delivery failed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 5.2.2\n"
				 "Diagnostic-Code: x-unix; Disk quota exceeded\n",
				 BOUNCE_REASON_MAILBOXFULL, "X-Unix quota: mailboxfull");
	check_report("Delivery failed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 5.3.0\n"
				 "Diagnostic-Code: X-Unix; 77\n",
				 BOUNCE_REASON_SYSTEMERROR, "X-Unix; 77 is EX_NOPERM: systemerror");
	check_report("Delivery failed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\nAction: failed\nStatus: 5.3.0\n"
				 "Diagnostic-Code: X-Unix; 67\n",
				 BOUNCE_REASON_USERUNKNOWN, "X-Unix; 67 is EX_NOUSER: userunknown");
	check_report("Delivery failed.\n",
				 "Final-Recipient: rfc822; rcpt@example.com\n"
				 "X-Actual-Recipient: rfc822; |/usr/local/bin/filter\n"
				 "Action: failed\nStatus: 5.5.0\n",
				 BOUNCE_REASON_MAILERERROR, "a |command recipient: mailererror");
}

static void
test_unsubscribe(void)
{
	one_row		o;
	bounce_reason got;

	got = first_reason("From: reader@example.com\nTo: optout@example.org\n"
					   "Subject: unsubscribe\nAuto-Submitted: auto-replied\n\n"
					   "This mail was sent to unsubscribe.\n", &o);
	CHECK(got == BOUNCE_REASON_FEEDBACK && o.cls == BOUNCE_CLASS_NONE,
		  "List-Unsubscribe mailto request: feedback, class none");
	got = first_reason("From: reader@example.com\nTo: sender@example.org\n"
					   "Subject: Out of office\nAuto-Submitted: auto-replied\n\n"
					   "I am away until Monday.\n", &o);
	CHECK(got == BOUNCE_REASON_VACATION, "an out-of-office reply stays vacation");
}

static void
test_address_words(void)
{
	static const char *const t = "550 <does-not-exist-user@example.com>: Relay access denied";
	bounce_reply r;
	bounce_verdict v;
	char		buf[256];

	bounce_reply_scan(t, strlen(t), &r, buf);
	bounce_classify(&r, &v);
	CHECK(v.reason == BOUNCE_REASON_NORELAYING,
		  "words inside an address are not read (got %s)", bounce_reason_name(v.reason));
}

void
run_dsn_context_tests(void)
{
	test_phase();
	test_expiry();
	test_transcripts();
	test_programs();
	test_unsubscribe();
	test_address_words();
}
