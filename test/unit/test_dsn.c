/*
 * test_dsn.c - unit tests of the core's MIME reader (mime.c) and delivery
 * report reader (dsn.c, dsn_text.c), outside the server.
 */
#include "unit.h"

#include <stdlib.h>

#include "dsn.h"
#include "dsn_rows.h"
#include "mime.h"

void		run_dsn_tests(void);

/* Replace every "\n" of s by 'eol' into a new malloc'd string. */
static char *
with_eol(const char *s, const char *eol)
{
	size_t		el = strlen(eol);
	char	   *out = malloc(strlen(s) * el + 1);
	char	   *o = out;

	for (; *s; s++)
	{
		if (*s == '\n')
		{
			memcpy(o, eol, el);
			o += el;
		}
		else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

static const char *const two_rcpts =
"From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
"To: sender@example.net\n"
"Subject: Undelivered Mail Returned to Sender\n"
"MIME-Version: 1.0\n"
"Content-Type: multipart/report; report-type=delivery-status;\n"
"\tboundary=\"B/1\"\n"
"\n"
"--B/1\n"
"Content-Type: text/plain\n"
"\n"
"<alice@example.com>: host mx1.example.com said: 550 5.1.1 User unknown\n"
"\n"
"--B/1\n"
"Content-Type: message/delivery-status\n"
"\n"
"Reporting-MTA: dns; mx.example.net\n"
"\n"
"Final-Recipient: rfc822; alice@example.com\n"
"Action: failed\n"
"Status: 5.1.1\n"
"Diagnostic-Code: smtp; 550 5.1.1 <alice@example.com>: Recipient address\n"
"    rejected: User unknown\n"
"\n"
"Final-Recipient: rfc822; bob@example.org\n"
"Action: Delayed\n"
"Status: 4.2.2\n"
"Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\n"
"\n"
"--B/1\n"
"Content-Type: text/rfc822-headers\n"
"\n"
"To: alice@example.com\n"
"\n"
"--B/1--\n";

/* Line ends, unfolding, parameters and transfer decodings. */
static void
test_mime_pieces(void)
{
	const char *buf = "a\r\nb\rc\nd";
	size_t		pos = 0;
	const char *line;
	size_t		ll;
	int			n = 0;
	char		out[128];
	size_t		ol;
	const char *quoted = "multipart/report; report-type=delivery-status;\n boundary=\"a;b\\\"c\"";
	const char *b64 = "U3RhdHVz\r\nOiA1LjEuMQ==";
	const char *qp = "Status: 5.=\n1.1 caf=C3=A9 =ZZ";

	while (bounce_next_line(buf, strlen(buf), &pos, &line, &ll))
	{
		n++;
		CHECK(ll == 1, "line %d has one byte whatever the line end", n);
	}
	CHECK(n == 4, "LF, CRLF and CR all end lines (%d lines)", n);

	ol = bounce_unfold(" smtp; 550 5.1.1 a\r\n    b\n\tc ", 29, out);
	out[ol] = '\0';
	CHECK(strcmp(out, "smtp; 550 5.1.1 a b c") == 0, "unfold joins folded lines: %s", ESC(out));

	CHECK(bounce_header_param(quoted, strlen(quoted), "boundary", out, sizeof(out)) &&
		  strcmp(out, "a;b\"c") == 0, "quoted boundary with ; and escaped quote: %s", ESC(out));
	CHECK(bounce_header_param("multipart/report; REPORT-TYPE=Delivery-Status", 45,
							  "report-type", out, sizeof(out)) &&
		  strcmp(out, "Delivery-Status") == 0, "parameter names are case-insensitive");
	CHECK(!bounce_header_param("text/plain", 10, "boundary", out, sizeof(out)),
		  "absent parameter is reported absent");

	ol = bounce_base64_decode(b64, strlen(b64), out);
	CHECK(ol == 13 && memcmp(out, "Status: 5.1.1", 13) == 0,
		  "base64 across a line break: %s", esc(out, ol));
	ol = bounce_qp_decode(qp, strlen(qp), out);
	CHECK(ol == 23 && memcmp(out, "Status: 5.1.1 caf\xc3\xa9 =ZZ", 23) == 0,
		  "quoted-printable: soft break, hex escapes, broken escape kept: %s", esc(out, ol));
}

/* Leaf parts the walker reports. */
typedef struct leaves
{
	int			n;
	char		types[8][64];
	char		bodies[8][64];
} leaves;

/* Walker callback for the tests. */
static bool
keep_leaf(void *ctx, const bounce_mime_part *p)
{
	leaves	   *l = (leaves *) ctx;

	if (l->n < 8)
	{
		snprintf(l->types[l->n], 64, "%s", p->type);
		snprintf(l->bodies[l->n], 64, "%.*s", (int) (p->body_len < 63 ? p->body_len : 63), p->body);
	}
	l->n++;
	return true;
}

/* Nesting, decoding and broken multiparts. */
static void
test_mime_walk(void)
{
	const char *nested =
	"From xyz Tue May 14 09:12:44 2024\n"
	"Content-Type: multipart/mixed; boundary=outer\n\n"
	"preamble\n--outer\nContent-Type: multipart/alternative; boundary=\"in\"\n\n"
	"--in\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n"
	"--in--\n--outer\nContent-Type: MESSAGE/Delivery-Status\n\nAction: failed\n--outer--\nepilogue\n";
	const char *no_delims =
	"Content-Type: multipart/report; boundary=gone\n\nReporting-MTA: dns; x\n";
	char		arena_buf[4096];
	bounce_arena a;
	leaves		l;

	memset(&l, 0, sizeof(l));
	bounce_arena_init(&a, arena_buf, sizeof(arena_buf));
	bounce_mime_walk(nested, strlen(nested), &a, keep_leaf, &l);
	CHECK(l.n == 2, "two leaves in a nested multipart (%d)", l.n);
	CHECK(strcmp(l.types[0], "text/plain") == 0 && strcmp(l.bodies[0], "hello") == 0,
		  "base64 leaf decoded: %s %s", l.types[0], ESC(l.bodies[0]));
	CHECK(strcmp(l.types[1], "message/delivery-status") == 0 &&
		  strcmp(l.bodies[1], "Action: failed") == 0,
		  "type lower-cased, line end before the delimiter not in the body: %s", ESC(l.bodies[1]));

	memset(&l, 0, sizeof(l));
	bounce_arena_init(&a, arena_buf, sizeof(arena_buf));
	bounce_mime_walk(no_delims, strlen(no_delims), &a, keep_leaf, &l);
	CHECK(l.n == 1 && strcmp(l.types[0], "text/plain") == 0,
		  "a multipart whose delimiters were stripped is read as text");

	memset(&l, 0, sizeof(l));
	bounce_arena_init(&a, arena_buf, 4);
	bounce_mime_walk(nested, strlen(nested), &a, keep_leaf, &l);
	CHECK(l.n == 1, "arena too small: the base64 part is skipped, the rest still read (%d)", l.n);
}

/* Standard reports, whatever the line ends. */
static void
test_dsn_reports(void)
{
	static const char *const eols[] = {"\n", "\r\n", "\r"};
	int			k;
	got_rows	g;

	for (k = 0; k < 3; k++)
	{
		char	   *m = with_eol(two_rcpts, eols[k]);

		CHECK(parse(m, &g) == 2, "two recipients (eol %d)", k);
		CHECK(strcmp(g.rcpt[0], "alice@example.com") == 0 && strcmp(g.action[0], "failed") == 0 &&
			  g.code[0] == 550 && strcmp(g.enhanced[0], "5.1.1") == 0 &&
			  g.cls[0] == BOUNCE_CLASS_HARD && g.reason[0] == BOUNCE_REASON_USERUNKNOWN,
			  "alice: failed 550 5.1.1 hard userunknown (eol %d): %s %s %d %s", k,
			  g.rcpt[0], g.action[0], g.code[0], g.enhanced[0]);
		CHECK(strcmp(g.rcpt[1], "bob@example.org") == 0 && strcmp(g.action[1], "delayed") == 0 &&
			  g.code[1] == 452 && g.cls[1] == BOUNCE_CLASS_SOFT &&
			  g.reason[1] == BOUNCE_REASON_MAILBOXFULL,
			  "bob: delayed 452 soft mailboxfull (eol %d)", k);
		free(m);
	}

	/* a generic Status loses to the reply; a bare Status fills in the code */
	CHECK(parse("From: MAILER-DAEMON@x.example\nContent-Type: multipart/report; boundary=b\n\n"
				"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
				"Final-Recipient: rfc822; c@example.com\nAction: failed\nStatus: 4.0.0\n"
				"Diagnostic-Code: smtp; 554 5.7.1 blocked by policy\n\n"
				"Final-recipient: RFC822; <d@example.com>\nAction: failed\nStatus: 5.2.2 (mailbox full)\n"
				"--b--\n", &g) == 2, "report with odd spellings gives two rows");
	CHECK(strcmp(g.enhanced[0], "5.7.1") == 0 && g.code[0] == 554,
		  "reply 554 5.7.1 wins over Status 4.0.0: %d %s", g.code[0], g.enhanced[0]);
	CHECK(parse("Content-Type: multipart/report; boundary=g\n\n--g\n"
				"Content-Type: message/global-delivery-status\n\n"
				"Final-Recipient: utf-8; \\x{5F20}\\x{4E09}@example.com\nAction: failed\n"
				"Status: 5.1.1\n--g--\n", &g) == 1 &&
		  strcmp(g.rcpt[0], "\xe5\xbc\xa0\xe4\xb8\x89@example.com") == 0,
		  "RFC 6533 utf-8 address with \\x{HEX} escapes decoded: %s", ESC(g.rcpt[0]));
	/* Original-Recipient is xtext (RFC 3461); Final-Recipient is not */
	CHECK(parse("Content-Type: multipart/report; boundary=x\n\n--x\n"
				"Content-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
				"Original-Recipient: rfc822; a+2Bnews+3D1@example.com\n"
				"Final-Recipient: rfc822; a+news=1@example.com\nAction: failed\nStatus: 5.1.1\n\n"
				"Original-Recipient: rfc822;ren+C3+A9e+2B@example.org\n"
				"Final-Recipient: rfc822; r+2B@example.org\nAction: failed\nStatus: 5.1.1\n\n"
				"Original-Recipient: rfc822; tag+AB+2b+C3@example.net\n"
				"Final-Recipient: rfc822; t@example.net\nAction: failed\nStatus: 5.1.1\n"
				"--x--\n", &g) == 3, "three rows with Original-Recipient");
	CHECK(strcmp(g.orig[0], "a+news=1@example.com") == 0 &&
		  strcmp(g.rcpt[0], "a+news=1@example.com") == 0,
		  "xtext +2B and +3D decoded in Original-Recipient: %s", g.orig[0]);
	CHECK(strcmp(g.orig[1], "ren\xc3\xa9" "e+@example.org") == 0 &&
		  strcmp(g.rcpt[1], "r+2B@example.org") == 0,
		  "xtext UTF-8 run decoded, Final-Recipient kept as written: %s / %s",
		  ESC(g.orig[1]), g.rcpt[1]);
	CHECK(strcmp(g.orig[2], "tag+AB+2b+C3@example.net") == 0,
		  "a +XX that is not an escape (lone 8-bit byte, lower case, cut UTF-8) stays: %s",
		  ESC(g.orig[2]));

	CHECK(parse("From: MAILER-DAEMON@x.example\nContent-Type: multipart/report; boundary=b\n\n"
				"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
				"Final-Recipient: rfc822; c@example.com\nAction: failed\nStatus: 4.0.0\n"
				"Diagnostic-Code: smtp; 554 5.7.1 blocked by policy\n\n"
				"Final-recipient: RFC822; <d@example.com>\nAction: failed\nStatus: 5.2.2 (mailbox full)\n"
				"--b--\n", &g) == 2, "parsed again for the checks below");
	CHECK(strcmp(g.rcpt[1], "d@example.com") == 0 && strcmp(g.enhanced[1], "5.2.2") == 0 &&
		  g.reason[1] == BOUNCE_REASON_MAILBOXFULL,
		  "Status with a comment and no reply: 5.2.2 mailboxfull (%s)", g.enhanced[1]);
}

/* Plain-text bounces, complaints, auto-replies and non-bounces. */
static void
test_dsn_other_kinds(void)
{
	got_rows	g;
	char		tiny[64];
	bounce_arena a;

	CHECK(parse("From: MAILER-DAEMON@mx.example.jp\nSubject: failure notice\n\n"
				"Hi. This is the qmail-send program.\n\n"
				"<e@example.ne.jp>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
				"--- Below this line is a copy of the message.\n\nTo: e@example.ne.jp\n", &g) == 1 &&
		  strcmp(g.rcpt[0], "e@example.ne.jp") == 0 && strcmp(g.enhanced[0], "5.1.1") == 0 &&
		  g.reason[0] == BOUNCE_REASON_USERUNKNOWN,
		  "qmail text bounce: e@example.ne.jp 5.1.1 userunknown (%s %s)", g.rcpt[0], g.enhanced[0]);

	CHECK(parse("From: Mail Delivery System <Mailer-Daemon@x.example>\n"
				"Subject: Mail delivery failed: returning message to sender\n\n"
				"A message that you sent could not be delivered. The following address(es) failed:\n\n"
				"  f@example.com\n    retry timeout exceeded\n\n"
				"------ This is a copy of the message, including all the headers. ------\n", &g) == 1 &&
		  strcmp(g.rcpt[0], "f@example.com") == 0 && strcmp(g.action[0], "failed") == 0 &&
		  g.enhanced[0][0] == '4',
		  "Exim text with no code: a temporary generic status (%s)", g.enhanced[0]);

	CHECK(parse("From: <abuse@example.com>\nContent-Type: multipart/report; "
				"report-type=feedback-report; boundary=f\n\n--f\nContent-Type: message/feedback-report\n\n"
				"Feedback-Type: abuse\nVersion: 1\nOriginal-Rcpt-To: <g@example.com>\n--f--\n", &g) == 1 &&
		  strcmp(g.rcpt[0], "g@example.com") == 0 && g.cls[0] == BOUNCE_CLASS_NONE &&
		  g.reason[0] == BOUNCE_REASON_FEEDBACK && g.code[0] == 0 && g.enhanced[0][0] == '\0',
		  "ARF complaint: feedback, class none, no status");

	CHECK(parse("From: Heidi <h@example.com>\nSubject: Out of office\nAuto-Submitted: auto-replied\n\n"
				"Away.\n", &g) == 1 &&
		  strcmp(g.rcpt[0], "h@example.com") == 0 && g.reason[0] == BOUNCE_REASON_VACATION &&
		  g.cls[0] == BOUNCE_CLASS_NONE, "auto-reply: vacation, class none");

	CHECK(parse("From: Ivan <i@example.com>\nSubject: hi\n\n550 reasons, i@example.com\n", &g) == 0,
		  "a letter is not a bounce");
	CHECK(parse("From: postmaster@example.de\nAuto-Submitted: auto-replied\nSubject: email bounce notification\n\n"
				"reject reason: Mailbox full\ntarget mail address: j@example.net\n", &g) == 1 &&
		  g.key[0][0] == '\0' && strcmp(g.evidence[0], "notice") == 0,
		  "a notice with no code and no recipient line names nobody: one row, no recipient (%d)", g.n);
	CHECK(parse("", &g) == 0 && parse("\n\n\n", &g) == 0 && parse("--\n--\n", &g) == 0,
		  "empty and junk input: no rows");

	bounce_arena_init(&a, tiny, sizeof(tiny));
	CHECK(bounce_dsn_parse(two_rcpts, strlen(two_rcpts), &a, keep_row, &g, NULL) == 0,
		  "an arena too small for the row table: no rows, no overflow");
}

/* Message structure: encoded words, several reports, embedded reports. */
static void
test_dsn_structure(void)
{
	got_rows	g;
	char		out[128];
	const char *ew = "=?utf-8?B?UmV0dXJuZWQgbWFpbA==?= =?ISO-8859-1?Q?:_User_unknown?= (=?x?q?a?=)";
	size_t		n = bounce_decode_words(ew, strlen(ew), out);

	out[n] = '\0';
	CHECK(strcmp(out, "Returned mail: User unknown (a)") == 0,
		  "RFC 2047 words decoded, space between adjacent words dropped: %s", ESC(out));
	n = bounce_decode_words("=?a?B?x =?b?Q?", 14, out);
	out[n] = '\0';
	CHECK(strcmp(out, "=?a?B?x =?b?Q?") == 0, "broken encoded words stay as they are: %s", ESC(out));

	CHECK(parse("From: =?us-ascii?Q?Mail_Delivery_Subsystem?= <m@x.example>\n"
				"Subject: =?utf-8?B?UmV0dXJuZWQgbWFpbA==?=\n\n"
				"<k@example.com>: 550 5.1.1 unknown user\n", &g) == 1 &&
		  strcmp(g.rcpt[0], "k@example.com") == 0,
		  "an encoded-word From and Subject still say bounce (%d rows)", g.n);
	CHECK(parse("From: info@x.example\nSubject: "
				"\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe3\x82\xa8\xe3\x83\xa9\xe3\x83\xbc\n\n"
				"Could not be delivered to: <l@example.com>\n  mailbox is full\n", &g) == 1 &&
		  strcmp(g.rcpt[0], "l@example.com") == 0,
		  "a Japanese 'mail error' subject says bounce (%d rows)", g.n);

	/* an mbox file of two reports: a row from each */
	CHECK(parse("From MAILER-DAEMON Thu Apr 29 23:34:45 2015\n"
				"From: MAILER-DAEMON@x.example\nContent-Type: multipart/report; boundary=a\n\n"
				"--a\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
				"Final-Recipient: rfc822; m@example.com\nAction: delivered\nStatus: 2.1.5\n--a--\n\n"
				"From MAILER-DAEMON Thu Apr 29 23:34:46 2015\n"
				"From: MAILER-DAEMON@x.example\nContent-Type: multipart/report; boundary=b\n\n"
				"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
				"Final-Recipient: rfc822; n@example.com\nAction: failed\nStatus: 5.1.1\n--b--\n", &g) == 2 &&
		  strcmp(g.rcpt[0], "m@example.com") == 0 && strcmp(g.rcpt[1], "n@example.com") == 0 &&
		  strcmp(g.action[1], "failed") == 0,
		  "mbox with two reports: both read (%d rows: %s %s)", g.n, g.rcpt[0], g.rcpt[1]);
	CHECK(parse("From: a@example.com\nSubject: hi\n\nFrom the desk of a\n\n"
				"From b@example.com\nTo: b@example.com\n\n550 x\n", &g) == 0,
		  "'From ' lines in a letter that is no mbox split nothing");

	/* a notice naming nobody that wraps another MTA's report */
	CHECK(parse("From: MAILER-DAEMON@gw.example\nSubject: Returned mail\n"
				"Content-Type: multipart/mixed; boundary=o\n\n"
				"--o\nContent-Type: text/plain\n\nThe following addresses had permanent errors\n\n"
				"--o\nContent-Type: message/rfc822\n\n"
				"From: MAILER-DAEMON@in.example\nSubject: Returned mail: User unknown\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=i\n\n"
				"--i\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; in.example\n\n"
				"Final-Recipient: rfc822; o@example.org\nAction: failed\nStatus: 5.1.1\n"
				"Diagnostic-Code: smtp; 550 5.1.1 User unknown\n--i--\n--o--\n", &g) == 1 &&
		  strcmp(g.rcpt[0], "o@example.org") == 0 && g.reason[0] == BOUNCE_REASON_USERUNKNOWN,
		  "a report nested in the returned message/rfc822 is read (%s)", g.rcpt[0]);
	CHECK(parse("From: MAILER-DAEMON@gw.example\nSubject: Returned mail\n"
				"Content-Type: multipart/mixed; boundary=o\n\n"
				"--o\nContent-Type: text/plain\n\nSorry.\n\n"
				"--o\nContent-Type: message/rfc822\n\n"
				"From: p@example.org\nTo: q@example.org\nSubject: Out of office\n"
				"Auto-Submitted: auto-replied\n\nAway.\n--o--\n", &g) == 1 &&
		  g.key[0][0] == '\0' && g.reason[0] != BOUNCE_REASON_VACATION,
		  "a returned auto-reply is no vacation row of the bounce, which names nobody (%d rows)", g.n);
	CHECK(parse("From: MAILER-DAEMON@gw.example\nSubject: Returned mail\n"
				"Content-Type: multipart/mixed; boundary=o\n\n"
				"--o\nContent-Type: text/plain\n\nSorry.\n\n"
				"--o\nContent-Type: message/rfc822\n\n"
				"From: p@example.org\nTo: q@example.org\nSubject: Delivery failure notification\n\n"
				"r@example.org: unknown user, please check\n--o--\n", &g) == 1 &&
		  g.key[0][0] == '\0',
		  "a returned original that only looks like a bounce names no recipient (%d rows)", g.n);

	/* a bounce forwarded by a person, quoted inline */
	CHECK(parse("From: r@example.jp\nSubject: Fwd: Returned mail: see transcript for details\n\n"
				"See below.\n\nBegin forwarded message:\n\n"
				"> From: Mail Delivery Subsystem <MAILER-DAEMON@x.example>\n"
				"> Subject: Returned mail: see transcript for details\n>\n"
				"> The original message was received at Thu, 29 Apr 2009 23:45:01\n>\n"
				"> Reporting-MTA: dns; x.example\n>\n"
				"> Final-Recipient: RFC822; s@example.com\n> Action: failed\n> Status: 5.1.1\n"
				"> Diagnostic-Code: SMTP; 550 5.1.1 User unknown\n", &g) == 1 &&
		  strcmp(g.rcpt[0], "s@example.com") == 0 && strcmp(g.enhanced[0], "5.1.1") == 0,
		  "a quoted forwarded report is read (%d rows, %s)", g.n, g.rcpt[0]);
	CHECK(parse("From: r@example.jp\nSubject: Fwd: returned mail\n\n"
				"> you wrote to t@example.com\n>\n> Subject: none\n", &g) == 0,
		  "quoted prose is no forwarded message (%d rows)", g.n);

	/* reports that name nobody: the returned original's To */
	CHECK(parse("From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=d\n\n"
				"--d\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
				"--d\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x.example\n\n"
				"--d\nContent-Type: message/rfc822\n\nFrom: u@example.net\nTo: v@example.com\n\nhi\n--d--\n",
				&g) == 1 && strcmp(g.rcpt[0], "v@example.com") == 0 && strcmp(g.action[0], "failed") == 0,
		  "a report without recipient blocks: the returned To (%d rows, %s)", g.n, g.rcpt[0]);
	CHECK(parse("From: NDR Administrator <ndr@x.example>\nSubject: Undeliverable Message\n\n"
				"Message could not be delivered.\n\nOriginal Message:\nFrom: u@example.net\n"
				"To: w@example.com\nSubject: x\n", &g) == 1 && strcmp(g.rcpt[0], "w@example.com") == 0,
		  "a failure notice with an inline original: its To (%d rows, %s)", g.n, g.rcpt[0]);
	CHECK(parse("From: NDR Administrator <ndr@x.example>\nSubject: Undeliverable Message\n\n"
				"Your message was sent.\n\nOriginal Message:\nFrom: u@example.net\n"
				"To: w@example.com\nSubject: x\n", &g) == 0,
		  "no failure words, no recipient: no row (%d rows)", g.n);
	CHECK(parse("From: Postmaster <postmaster@x.example>\nSubject: Undeliverable: x@example.net\n\n"
				"Your Message\n\nTo: <x@example.net>\n\n"
				"Did not reach the following recipient: x@example.net\n", &g) == 1 &&
		  strcmp(g.rcpt[0], "x@example.net") == 0,
		  "'did not reach the following recipient' names the recipient (%d rows)", g.n);
}

/* What the sink collects of a message's info for the notice_to tests. */
typedef struct notice_to_got
{
	int			rows;
	int			messages;
	int			n;
	char		to[BOUNCE_DSN_NOTICE_TO_MAX][128];
	char		rcpt[128];
	char		evidence[32];
} notice_to_got;

static void
notice_to_row(void *ctx, const bounce_dsn_rcpt *r, const bounce_dsn_info *msg)
{
	notice_to_got *g = ctx;
	int			k;

	/* what the caller of a row would ask */
	if (g->rows++ == 0)
	{
		const char *a[BOUNCE_DSN_NOTICE_TO_MAX];
		size_t		l[BOUNCE_DSN_NOTICE_TO_MAX];

		g->n = bounce_dsn_notice_to(msg->start, msg->len, a, l, BOUNCE_DSN_NOTICE_TO_MAX);
		for (k = 0; k < g->n; k++)
			snprintf(g->to[k], sizeof(g->to[k]), "%.*s", (int) l[k], a[k]);
		snprintf(g->rcpt, sizeof(g->rcpt), "%s", r->recipient ? r->recipient : "");
		snprintf(g->evidence, sizeof(g->evidence), "%s", bounce_dsn_evidence_name(r->evidence));
	}
}

static void
notice_to_message(void *ctx, const bounce_dsn_info *msg)
{
	notice_to_got *g = ctx;

	const char *a[BOUNCE_DSN_NOTICE_TO_MAX];
	size_t		l[BOUNCE_DSN_NOTICE_TO_MAX];

	g->messages++;
	if (g->rows == 0)
		g->n = bounce_dsn_notice_to(msg->start, msg->len, a, l, BOUNCE_DSN_NOTICE_TO_MAX);
}

/* Read one mail into g; returns the number of rows. */
static int
notice_to_read(const char *msg, notice_to_got *g)
{
	size_t		len = strlen(msg);
	size_t		cap = BOUNCE_DSN_ARENA_SIZE_FOR(len);
	char	   *buf = malloc(cap);
	bounce_arena a;
	bounce_dsn_sink sink = {notice_to_row, notice_to_message, NULL, g};
	int			n;

	memset(g, 0, sizeof(*g));
	bounce_arena_init(&a, buf, cap);
	n = bounce_dsn_read(msg, len, &a, &sink, BOUNCE_DSN_ONE_MESSAGE);
	free(buf);
	return n;
}

/*
 * bounce_dsn_notice_to(): where the notice itself went (for VERP), in
 * header order, as written; never the recipient of a row.
 */
static void
test_dsn_notice_to(void)
{
	notice_to_got g;
	char		many[2048];
	int			k;
	size_t		o;

	CHECK(notice_to_read("Return-Path: <>\n"
						 "Delivered-To: bounces+jane=example.com@lists.example.org\n"
						 "X-Original-To: Bounces+Jane=Example.com@Lists.Example.org\n"
						 "From: MAILER-DAEMON@mx.example.net\n"
						 "To: <bounces+jane=example.com+4vhm3auf33@lists.example.org>\n"
						 "Subject: Undelivered Mail Returned to Sender\n\n"
						 "<jane.doe@example.net>: 550 5.1.1 no such user\n", &g) == 1 &&
		  g.n == 3 &&
		  strcmp(g.to[0], "bounces+jane=example.com@lists.example.org") == 0 &&
		  strcmp(g.to[1], "Bounces+Jane=Example.com@Lists.Example.org") == 0 &&
		  strcmp(g.to[2], "bounces+jane=example.com+4vhm3auf33@lists.example.org") == 0 &&
		  strcmp(g.rcpt, "jane.doe@example.net") == 0,
		  "Delivered-To, X-Original-To and To in header order, as written; the row keeps the prose's recipient (%d: %s | %s | %s; %s)",
		  g.n, g.to[0], g.to[1], g.to[2], g.rcpt);
	CHECK(notice_to_read("Envelope-To: a@lists.example.org, b@lists.example.org\n"
						 "X-Envelope-To: c@lists.example.org\n"
						 "Cc: d@lists.example.org\n"
						 "From: MAILER-DAEMON@mx.example.net\n"
						 "Subject: Mail delivery failed\n\n"
						 "<x@example.net>: 550 5.1.1 no such user\n\n"
						 "To: e@lists.example.org\n", &g) == 1 &&
		  g.n == 3 && strcmp(g.to[0], "a@lists.example.org") == 0 &&
		  strcmp(g.to[1], "b@lists.example.org") == 0 && strcmp(g.to[2], "c@lists.example.org") == 0,
		  "every address of Envelope-To and X-Envelope-To; not Cc, not a To in the body (%d)", g.n);
	CHECK(notice_to_read("From: MAILER-DAEMON@mx.example.net\n"
						 "To: bounces+jane=example.com@lists.example.org\n"
						 "Subject: Undelivered Mail Returned to Sender\n\n"
						 "This message was created automatically by mail delivery software.\n"
						 "A message that you sent could not be delivered.\n", &g) == 1 &&
		  g.n == 1 && g.rcpt[0] == '\0' && strcmp(g.evidence, "notice") == 0,
		  "a notice that names nobody: one row without a recipient, the To in the info (%d, %s)",
		  g.n, g.evidence);
	CHECK(notice_to_read("From: a@example.com\nTo: bounces+jane=example.com@lists.example.org\n"
						 "Subject: hello\n\nJust a letter.\n", &g) == 0 &&
		  g.messages == 1 && g.n == 1,
		  "a letter gives no row; its info still has its To (%d)", g.n);

	CHECK(notice_to_read("\r\n  \r\nFrom: MAILER-DAEMON@mx.example.net\r\n"
						 "To: <bounces+jane=example.com@lists.example.org>\r\n"
						 "Subject: Undelivered Mail Returned to Sender\r\n\r\n"
						 "<x@example.net>: 550 5.1.1 no such user\r\n", &g) == 1 &&
		  g.n == 1 && strcmp(g.to[0], "bounces+jane=example.com@lists.example.org") == 0,
		  "CRLF, blank lines before the headers: the header block the reader reads (%d)", g.n);
	{
		const char *mbox = "From MAILER-DAEMON Tue May 14 09:12:44 2024\n"
			"From: MAILER-DAEMON@mx.example.net\nTo: a@lists.example.org\n"
			"Subject: Undelivered Mail\n\n<x@example.net>: 550 5.1.1 no such user\n\n"
			"From MAILER-DAEMON Tue May 14 09:12:45 2024\n"
			"From: MAILER-DAEMON@mx.example.net\nTo: b@lists.example.org\n"
			"Subject: Undelivered Mail\n\n<y@example.net>: 550 5.1.1 no such user\n";
		const char *a[BOUNCE_DSN_NOTICE_TO_MAX];
		size_t		l[BOUNCE_DSN_NOTICE_TO_MAX];
		size_t		second = bounce_mbox_next(mbox, strlen(mbox), 0);

		CHECK(bounce_dsn_notice_to(mbox, second, a, l, BOUNCE_DSN_NOTICE_TO_MAX) == 1 &&
			  l[0] == 19 && strncmp(a[0], "a@lists.example.org", 19) == 0 &&
			  bounce_dsn_notice_to(mbox + second, strlen(mbox) - second, a, l, BOUNCE_DSN_NOTICE_TO_MAX) == 1 &&
			  strncmp(a[0], "b@lists.example.org", 19) == 0,
			  "each mail of an mbox, after its From line, has its own To");
		CHECK(bounce_dsn_notice_to(mbox, second, a, l, 0) == 0 && bounce_dsn_notice_to("", 0, a, l, 8) == 0,
			  "no room, no input: none");
	}

	o = (size_t) snprintf(many, sizeof(many), "From: MAILER-DAEMON@mx.example.net\nTo: ");
	for (k = 0; k < BOUNCE_DSN_NOTICE_TO_MAX + 3; k++)
		o += (size_t) snprintf(many + o, sizeof(many) - o, "%sr%d@lists.example.org", k ? ", " : "", k);
	snprintf(many + o, sizeof(many) - o, "\nSubject: Undelivered Mail\n\n<x@example.net>: 550 5.1.1 no such user\n");
	CHECK(notice_to_read(many, &g) == 1 && g.n == BOUNCE_DSN_NOTICE_TO_MAX &&
		  strcmp(g.to[BOUNCE_DSN_NOTICE_TO_MAX - 1], "r7@lists.example.org") == 0,
		  "at most BOUNCE_DSN_NOTICE_TO_MAX addresses (%d)", g.n);
	CHECK(strcmp(bounce_dsn_evidence_name(BOUNCE_EVIDENCE_VERP), "verp") == 0,
		  "the evidence a VERP reader sets is named verp");
}

/* Entry point called by unit_main.c. */
void
run_dsn_tests(void)
{
	test_mime_pieces();
	test_mime_walk();
	test_dsn_reports();
	test_dsn_other_kinds();
	test_dsn_structure();
	test_dsn_notice_to();
}
