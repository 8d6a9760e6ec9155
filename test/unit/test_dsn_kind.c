/*
 * test_dsn_kind.c - unit tests of what kind of message a notice is and
 * which recipients it names (dsn.c, dsn_text.c): delay warnings in prose,
 * complaints that are none, auto-replies, challenge-response, the sender's
 * and the list's own addresses, the envelope fallback, "expanded from",
 * invalid addresses, notices naming nobody.  Synthetic messages, written
 * for these tests (none comes from a corpus).
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "dsn_rows.h"
#include "dsn_prose.h"

void		run_dsn_kind_tests(void);

/* A plain-text notice from a mail system with the given subject and body. */
static char *
notice(const char *subject, const char *body)
{
	static const char fmt[] =
		"From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
		"To: bounces@sender.example\n"
		"Subject: %s\n"
		"\n%s";
	char	   *m = malloc(sizeof(fmt) + strlen(subject) + strlen(body));

	sprintf(m, fmt, subject, body);
	return m;
}

/* Delay warnings, in prose as in reports: delayed rows, never failed or hard. */
static void
test_delays(void)
{
	got_rows	g;
	char	   *m;

	m = notice("Warning: message 1abc-00 delayed 24 hours",
			   "This message was created automatically by mail delivery software.\n"
			   "A message that you sent has not yet been delivered to one or more of its\n"
			   "recipients after more than 24 hours on the queue on mx.example.net.\n\n"
			   "The address to which the message has not yet been delivered is:\n\n"
			   "  pat@example.com\n"
			   "    host mx.example.com [192.0.2.1]\n"
			   "    Delay reason: SMTP error from remote mail server after RCPT TO:<pat@example.com>:\n"
			   "    550 5.1.1 Mailbox busy, come back later\n\n"
			   "No action is required on your part. Delivery attempts will continue for\n"
			   "some time, and this warning may be repeated at intervals if the message\n"
			   "remains undelivered. Eventually the mail delivery software will give up,\n"
			   "and when that happens, the message will be returned to you.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "delayed") == 0 && g.cls[0] == BOUNCE_CLASS_SOFT,
		  "a delay warning in prose (even quoting a 550) is delayed and soft: %s %s",
		  g.action[0], bounce_class_name(g.cls[0]));
	free(m);

	m = notice("Warning: could not send message for past 4 hours",
			   "    **********************************************\n"
			   "    **      THIS IS A WARNING MESSAGE ONLY      **\n"
			   "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
			   "    **********************************************\n\n"
			   "The original message was received at Mon, 1 Jun 2026 10:00:00 GMT\n\n"
			   "   ----- The following addresses had transient non-fatal errors -----\n"
			   "<quinn@example.org>\n\n"
			   "   ----- Transcript of session follows -----\n"
			   "<quinn@example.org>... Deferred: Connection timed out with mx.example.org.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "delayed") == 0,
		  "'transient non-fatal errors' is no 'fatal error': delayed (%s)", g.action[0]);
	free(m);

	m = notice("Delivery Status Notification (Delay)",
			   "Delivery incomplete\n\nThere was a temporary problem delivering your message to "
			   "rae@example.com. Gmail will retry for 46 more hours. You'll be notified if the "
			   "delivery fails permanently.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "delayed") == 0 &&
		  strcmp(g.key[0], "rae@example.com") == 0,
		  "'notified if it fails permanently' does not make a delay final: %s %s",
		  g.action[0], g.key[0]);
	free(m);

	m = notice("failure notice",
			   "Hi. This is the qmail-send program at mx.example.net.\n"
			   "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
			   "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
			   "<sam@example.com>:\n192.0.2.3 does not like recipient.\n"
			   "Remote host said: 451 please try again later, I will retry\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "failed") == 0,
		  "a notice that says it gave up is a failure, whatever retry words it quotes (%s)",
		  g.action[0]);
	free(m);

	/* a transient reply that nobody gave up on: still queued */
	m = notice("Undelivered Mail",
			   "I could not deliver your message to the following recipient yet.\n\n"
			   "<uma@example.net>: host mx.example.net[192.0.2.5] said:\n"
			   "    451 4.3.0 Error: queue file write error (in reply to end of DATA command)\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "delayed") == 0 && g.cls[0] == BOUNCE_CLASS_SOFT &&
		  strcmp(g.key[0], "uma@example.net") == 0,
		  "a 4xx that nobody gave up on is a delay: %s %s %s", g.action[0],
		  bounce_class_name(g.cls[0]), g.key[0]);
	free(m);

	/* a delay warning that names the recipient in a sentence */
	m = notice("Message delivery is delayed",
			   "Your message to <wil@example.org> is delayed. It has been waiting in our\n"
			   "queue for 19 hours. We are still trying to deliver it.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "delayed") == 0 &&
		  strcmp(g.key[0], "wil@example.org") == 0,
		  "'your message to <a@b> is delayed' names the delayed recipient: %s %s", g.action[0], g.key[0]);
	free(m);

	/* a relay without a queue that says it dropped the message gave up */
	m = notice("Undelivered Mail",
			   "Your message could not be delivered to the following recipient:\n\n"
			   "  <xia@example.net>\n\n"
			   "The receiving server answered: 451 4.7.1 Greylisted, please try again later\n\n"
			   "This relay does not retry temporary errors. The message has been discarded.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "failed") == 0 && g.cls[0] == BOUNCE_CLASS_SOFT,
		  "'does not retry ... has been discarded' after a 451 is a soft failure: %s %s",
		  g.action[0], bounce_class_name(g.cls[0]));
	free(m);

	/* Sendmail: the transcript under the deferred address is the failed one's */
	m = notice("Returned mail: see transcript for details",
			   "--B\nContent-Type: text/plain\n\n"
			   "   ----- The following addresses had permanent fatal errors -----\n"
			   "<yan@example.com>\n    (reason: 550 5.1.1 <yan@example.com>... User unknown)\n\n"
			   "   ----- The following addresses had transient non-fatal errors -----\n"
			   "<zoe@example.net>\n    (reason: Connection refused by mx.example.net.)\n\n"
			   "   ----- Transcript of session follows -----\n"
			   "<<< 550 5.1.1 <yan@example.com>... User unknown\n"
			   "<zoe@example.net>... Deferred: Connection refused by mx.example.net.\n\n"
			   "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.test\n\n"
			   "Final-Recipient: RFC822; yan@example.com\nAction: failed\nStatus: 5.1.1\n"
			   "Diagnostic-Code: SMTP; 550 5.1.1 <yan@example.com>... User unknown\n\n"
			   "Final-Recipient: RFC822; zoe@example.net\nAction: delayed\nStatus: 4.4.1\n\n--B--\n");
	{
		/* the notice() helper writes no MIME type: make it a report */
		char	   *mm = malloc(strlen(m) + 128);
		char	   *body = strstr(m, "\n\n");

		sprintf(mm, "From: MAILER-DAEMON@mx.example.test\nSubject: Returned mail\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=B\n%s", body);
		CHECK(parse(mm, &g) == 2 && strcmp(g.action[1], "delayed") == 0 &&
			  g.reason[1] != BOUNCE_REASON_USERUNKNOWN && g.cls[1] == BOUNCE_CLASS_SOFT,
			  "a deferred recipient does not take the 550 that names another one: %s %s",
			  g.action[1], bounce_reason_name(g.reason[1]));
		free(mm);
	}
	free(m);

	/* soft_bounce: a 550 the MTA keeps retrying keeps the report's 4.x.x Status */
	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nSubject: Delayed Mail (still being retried)\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=d\n\n"
				"--d\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
				"Final-Recipient: rfc822; abe@example.com\nAction: delayed\nStatus: 4.1.1\n"
				"Diagnostic-Code: smtp; 550 5.1.1 user unknown\n--d--\n", &g) == 1 &&
		  strcmp(g.enhanced[0], "4.1.1") == 0 && g.cls[0] == BOUNCE_CLASS_SOFT,
		  "Action delayed, Status 4.1.1 under a 550 5.1.1: status %s", g.enhanced[0]);

	/* a person's reply that quotes a bounce is mail about one, not one */
	CHECK(parse("Return-Path: <gia@home.example>\nFrom: Gia <gia@home.example>\n"
				"To: billing@shop.example\nSubject: Re: your invoice - did my mail bounce?\n"
				"In-Reply-To: <inv-1@shop.example>\n\n"
				"I got this back when I replied, is the address right?\n\n"
				"Delivery to the following recipient failed permanently:\n\n"
				"     accounts@shop.example\n\n"
				"550 5.1.1 The email account that you tried to reach does not exist.\n", &g) == 0,
		  "a person's Re: with In-Reply-To that quotes a 550 gives no row (%d)", g.n);
	/* ... while a mail system's notice under a Re: subject stays a bounce */
	CHECK(parse("Return-Path: <>\nFrom: post_master@mx.example.net\nSubject: Re: hello\n"
				"In-Reply-To: <x@sender.example>\n\n"
				"Error: the following recipient could not be reached:\n\n"
				"<ivy@example.net>: 550 5.1.1 user unknown\n", &g) == 1 &&
		  strcmp(g.action[0], "failed") == 0,
		  "a mail system's Re: notice with a null envelope is a bounce (%d)", g.n);

	/* an address that starts a line only because a sentence wrapped is none */
	m = notice("Mail delivery failed: returning message to sender",
			   "A message that you sent could not be delivered to one or more of its\n"
			   "recipients. This is a permanent error. The following address(es) failed:\n\n"
			   "  jon@example.org\n"
			   "    SMTP error from remote mail server after RCPT TO:<jon@example.org>:\n"
			   "    554 Service unavailable; Client host blocked using a block list\n\n"
			   "If you keep getting this message, please forward it to\n"
			   "postmaster@relay.example (or, if you think our network sends spam, to\n"
			   "abuse@relay.example) and we will look into it.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.key[0], "jon@example.org") == 0,
		  "the help text's postmaster@ on a wrapped line is no recipient: %d rows, %s", g.n, g.key[0]);
	free(m);

	/* a receiving server's transcript of its own session: no bounce of the sender's */
	m = notice("SMTP server: errors from client.example.org",
			   "Transcript of session follows.\n\n"
			   " Out: 220 mx.example.net ESMTP\n In:  MAIL FROM:<list@sender.example>\n"
			   " Out: 250 2.1.0 Ok\n In:  RCPT TO:<uma@example.net>\n"
			   " Out: 550 5.1.1 <uma@example.net>: Recipient address rejected: User unknown\n"
			   " In:  DATA\n Out: 554 5.5.1 Error: no valid recipients\n");
	CHECK(parse(m, &g) == 0, "a server's In:/Out: transcript of mail it refused gives no row (%d)",
		  parse(m, &g));
	free(m);
	m = notice("Returned mail: see transcript for details",
			   "   ----- The following addresses had permanent fatal errors -----\n"
			   "<vic@example.org>\n    (reason: 550 5.1.1 User unknown)\n\n"
			   "   ----- Transcript of session follows -----\n"
			   "... while talking to mx.example.org.:\n>>> RCPT To:<vic@example.org>\n"
			   "<<< 550 5.1.1 User unknown\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "failed") == 0 && strcmp(g.key[0], "vic@example.org") == 0,
		  "a sending system's >>>/<<< transcript is a bounce: %s", g.action[0]);
	free(m);

	m = notice("failure notice",
			   "Hi. This is the qmail-send program at mx.example.net.\n"
			   "I'm afraid I wasn't able to deliver your message to the following addresses.\n\n"
			   "<val@example.com>:\nConnected to 192.0.2.4 but the connection died.\n"
			   "Remote host said: 421 4.4.2 timeout\n"
			   "I'm not going to try again; this message has been in the queue too long.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "failed") == 0 && g.cls[0] == BOUNCE_CLASS_SOFT,
		  "a 4xx after the queue lifetime ended is a soft failure: %s %s", g.action[0],
		  bounce_class_name(g.cls[0]));
	free(m);

	m = notice("Delivery status notification: warning",
			   "A message is delayed for more than 4 hours for the following recipients:\n\n"
			   "wes@example.com: Network error on destination MXs\n\n"
			   "Please note that this is only a temporary failure report.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "delayed") == 0,
		  "a temporary failure report with no code is a delay (%s)", g.action[0]);
	free(m);

	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nSubject: Delayed Mail (still being retried)\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=d\n\n"
				"--d\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
				"Final-Recipient: rfc822; tom@example.com\nAction: delayed\nStatus: 5.1.1\n"
				"Diagnostic-Code: smtp; 550 5.1.1 user unknown\n--d--\n", &g) == 1 &&
		  strcmp(g.action[0], "delayed") == 0 && g.cls[0] == BOUNCE_CLASS_SOFT,
		  "Action: delayed with a 5.1.1 reply stays delayed and soft (%s)", bounce_class_name(g.cls[0]));
}

/* Reports that are no complaint, auto-replies, challenge-response. */
static void
test_kinds(void)
{
	got_rows	g;
	static const char arf[] =
		"From: fbl@isp.example\nSubject: report\n"
		"Content-Type: multipart/report; report-type=feedback-report; boundary=f\n\n"
		"--f\nContent-Type: text/plain\n\nA report.\n"
		"--f\nContent-Type: message/feedback-report\n\nFeedback-Type: %s\nVersion: 1\n"
		"Original-Rcpt-To: <una@example.com>\n--f--\n";
	char		m[512];

	snprintf(m, sizeof(m), arf, "abuse");
	CHECK(parse(m, &g) == 1 && g.reason[0] == BOUNCE_REASON_FEEDBACK &&
		  strcmp(g.key[0], "una@example.com") == 0, "an abuse report is a complaint of its recipient");
	snprintf(m, sizeof(m), arf, "auth-failure");
	CHECK(parse(m, &g) == 0, "an RFC 6591 auth-failure report is about the sender: no row (%d)", g.n);
	snprintf(m, sizeof(m), arf, "not-spam");
	CHECK(parse(m, &g) == 0, "a not-spam report is no complaint: no row (%d)", g.n);

	CHECK(parse("Return-Path: <>\nFrom: Vera Vega <vera@example.com>\nTo: <list@sender.example>\n"
				"Subject: Thank you for your e-mail\nPrecedence: bulk\n\n"
				"Thank you for your e-mail. I will reply as soon as I can.\n", &g) == 1 &&
		  g.reason[0] == BOUNCE_REASON_VACATION && strcmp(g.key[0], "vera@example.com") == 0,
		  "a person's mailbox answering with Precedence: bulk is an auto-reply (%d rows)", g.n);
	CHECK(parse("From: Wanda <wanda@example.pl>\nSubject: =?iso-8859-2?Q?[Automatyczna_odpowied=BC]_re?=\n\n"
				"Jestem na urlopie.\n", &g) == 1 && g.reason[0] == BOUNCE_REASON_VACATION,
		  "a Polish 'automatic reply' subject (RFC 2047) is an auto-reply");
	CHECK(parse("From: Xaver <xaver@example.de>\nSubject: Automatische Antwort: Angebot\n\nBin weg.\n", &g) == 1 &&
		  g.reason[0] == BOUNCE_REASON_VACATION, "a German 'automatic reply' subject is an auto-reply");
	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nPrecedence: junk\nSubject: Undeliverable\n\n"
				"<yan@example.com>: 550 5.1.1 user unknown\n", &g) == 1 &&
		  strcmp(g.action[0], "failed") == 0 && g.reason[0] == BOUNCE_REASON_USERUNKNOWN,
		  "a mail system's bounce with Precedence: junk stays a bounce");

	CHECK(parse("From: noreply@cr.example\nTo: bounces@sender.example\nSubject: Re: news (Action Required)\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=c\n\n"
				"--c\nContent-Type: text/plain\n\nYour message is waiting. To deliver it, add "
				"yourself to my guest list by following the link below.\n"
				"--c\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; cr.example\n\n"
				"Final-Recipient: rfc822; zoe@example.com\nAction: failed\nStatus: 4.7.0\n--c--\n", &g) == 0,
		  "a challenge-response notice dressed as a report bounced nothing (%d rows)", g.n);
}

/* The sender's and the list's addresses are never the recipient. */
static void
test_own_addresses(void)
{
	got_rows	g;

	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nTo: bounces@sender.example\n"
				"Subject: Returned mail\nContent-Type: multipart/mixed; boundary=o\n\n"
				"--o\nContent-Type: text/plain\n\nYour message could not be delivered.\n"
				"--o\nContent-Type: message/rfc822\n\n"
				"Received: from out.sender.example by mx.example.net\n\tfor <abe@example.com>; Mon, 1 Jun 2026\n"
				"From: News <news@sender.example>\nTo: Our List <list@lists.sender.example>\n"
				"List-Post: <mailto:list@lists.sender.example>\nSubject: news\n\nhello\n--o--\n", &g) == 1 &&
		  strcmp(g.key[0], "abe@example.com") == 0 && strcmp(g.evidence[0], "envelope") == 0,
		  "a list's copy: the envelope names the subscriber, never the list's To: %s (%s)",
		  g.key[0], g.evidence[0]);
	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nTo: bounces@sender.example\n"
				"Subject: Returned mail\nContent-Type: multipart/mixed; boundary=o\n\n"
				"--o\nContent-Type: text/plain\n\nYour message could not be delivered.\n"
				"--o\nContent-Type: message/rfc822\n\n"
				"From: News <news@sender.example>\nTo: Our List <list@lists.sender.example>\n"
				"List-Id: <list.lists.sender.example>\nSubject: news\n\nhello\n--o--\n", &g) == 1 &&
		  g.key[0][0] == '\0' && strcmp(g.evidence[0], "notice") == 0,
		  "a list mail naming nobody else: no recipient rather than the list (%s)", g.key[0]);
	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nTo: bounces@sender.example\nSubject: Undelivered Mail\n\n"
				"Transcript of session follows.\n\n"
				" In:  MAIL\n     FROM:<bounces+x=y@sender.example> SIZE=100\n"
				" Out: 250 2.1.0 Ok\n Out: 451 4.3.0 Error: queue file write error\n", &g) <= 1 &&
		  (g.n == 0 || strcmp(g.key[0], "bounces+x=y@sender.example") != 0),
		  "a transcript's MAIL FROM address is the sender's, never the recipient (%s)",
		  g.n ? g.key[0] : "no row");
	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nTo: bounces@sender.example\n"
				"Reply-To: help@sender.example\nSubject: Undeliverable\n\n"
				"Delivery to help@sender.example failed: please contact us.\n"
				"bea@example.com: 550 5.1.1 no such user\n", &g) == 1 &&
		  strcmp(g.key[0], "bea@example.com") == 0,
		  "the notice's own Reply-To is no recipient: %s", g.key[0]);
}

/* The address the sender used, and addresses that are no address. */
static void
test_addresses(void)
{
	got_rows	g;

	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nSubject: Mail delivery failed\n\n"
				"This message was created automatically by mail delivery software.\n\n"
				"A message that you sent could not be delivered to one or more of its\n"
				"recipients. This is a permanent error. The following address(es) failed:\n\n"
				"  cal.c@elsewhere.example\n    (ultimately generated from cal@example.com)\n"
				"    all hosts have been failing for a long time\n", &g) == 1 &&
		  strcmp(g.key[0], "cal@example.com") == 0 && strcmp(g.rcpt[0], "cal.c@elsewhere.example") == 0,
		  "'generated from' names the address the sender used: %s (failed %s)", g.key[0], g.rcpt[0]);
	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nSubject: Returned mail: User unknown\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=e\n\n"
				"--e\nContent-Type: text/plain\n\n"
				"   ----- The following addresses had permanent fatal errors -----\n"
				"\"|/usr/bin/procmail #dee\"\n    (expanded from: <dee@example.com>)\n"
				"--e\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
				"Final-Recipient: RFC822; dee@host7.example.com\nX-Actual-Recipient: X-Unix; |/usr/bin/procmail\n"
				"Action: failed\nStatus: 5.0.0\n--e--\n", &g) == 1 &&
		  strcmp(g.key[0], "dee@example.com") == 0,
		  "Sendmail's 'expanded from' is the original recipient of a report row: %s", g.key[0]);
	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nSubject: Returned mail\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=e\n\n"
				"--e\nContent-Type: text/plain\n\n<eve@example.com>... Host unknown\n"
				"--e\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
				"Final-Recipient: RFC822; @mx.example.com\nAction: failed\nStatus: 5.1.2\n--e--\n", &g) == 1 &&
		  strcmp(g.key[0], "eve@example.com") == 0 && strcmp(g.evidence[0], "prose") == 0,
		  "a report whose Final-Recipient is no address takes the prose's: %s (%s)", g.key[0],
		  g.evidence[0]);

	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
				"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
				"Final-Recipient: rfc822; a..b@example.com\nAction: failed\nStatus: 5.1.1\n\n"
				"Final-Recipient: rfc822; x@-example.com\nAction: failed\nStatus: 5.1.1\n\n"
				"Final-Recipient: rfc822; "
				"a234567890123456789012345678901234567890123456789012345678901234567890123@example.com\n"
				"Action: failed\nStatus: 5.1.1\n\n"
				"Final-Recipient: rfc822; Good.One@Example.COM\nAction: failed\nStatus: 5.1.1\n--b--\n",
				&g) == 4 &&
		  g.key[0][0] == '\0' && strcmp(g.rcpt[0], "a..b@example.com") == 0 && g.key[1][0] == '\0' &&
		  g.key[2][0] == '\0' && strcmp(g.key[3], "good.one@example.com") == 0,
		  "addresses that are none come back NULL with their raw text; a valid one normalized: "
		  "'%s' '%s' '%s' '%s'", g.key[0], g.key[1], g.key[2], g.key[3]);

	CHECK(parse("\n   \n\t\nFrom: MAILER-DAEMON@mx.example.net\nSubject: Undelivered\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
				"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
				"Final-Recipient: rfc822; fay@example.com\nAction: failed\nStatus: 5.1.1\n--b--\n", &g) == 1 &&
		  strcmp(g.key[0], "fay@example.com") == 0,
		  "blank and white-space lines before the headers hide nothing (%d rows)", g.n);

	CHECK(parse("From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\n"
				"Subject: Returned mail: see transcript for details\nAuto-Submitted: auto-generated (failure)\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=x\n\n"
				"<<< No Message Collected >>>\n", &g) == 1 &&
		  g.key[0][0] == '\0' && strcmp(g.action[0], "failed") == 0 && strcmp(g.evidence[0], "notice") == 0,
		  "a failure notice with nothing in it: one row naming nobody (%d rows)", g.n);
}

/* Classes of code-less and contradictory replies. */
static void
test_classes(void)
{
	got_rows	g;
	char	   *m;

	m = notice("Undeliverable", "There was an error delivering your mail to <gil@example.com>.\n\n"
			   "Could not deliver for the last 432000 seconds. Giving up.\n");
	CHECK(parse(m, &g) == 1 && g.cls[0] == BOUNCE_CLASS_SOFT && strcmp(g.action[0], "failed") == 0 &&
		  g.enhanced[0][0] == '5',
		  "a code-less expiry is a failure (5.0.0) but soft: %s %s", g.enhanced[0], bounce_class_name(g.cls[0]));
	free(m);
	m = notice("Mail delivery failed",
			   "A message that you sent could not be delivered to one or more of its\n"
			   "recipients. This is a permanent error. The following address(es) failed:\n\n"
			   "  hal@example.com\n    retry timeout exceeded\n");
	CHECK(parse(m, &g) == 1 && g.cls[0] == BOUNCE_CLASS_HARD,
		  "a code-less expiry the notice calls permanent is hard (%s)", bounce_class_name(g.cls[0]));
	free(m);
	CHECK(parse("From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered\n"
				"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
				"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
				"Final-Recipient: rfc822; ivy@example.com\nAction: failed\nStatus: 4.4.7\n"
				"Diagnostic-Code: smtp; 554 4.4.7 Message expired: unable to deliver in 840 minutes\n--b--\n",
				&g) == 1 && g.cls[0] == BOUNCE_CLASS_SOFT,
		  "554 4.4.7: codes that disagree count as temporary (%s)", bounce_class_name(g.cls[0]));
}

/* Notices in other languages: the phrases that decide, in UTF-8 and Latin-1. */
static void
test_languages(void)
{
	static const struct
	{
		const char *subject;
		const char *body;
		const char *action;
		bounce_reason reason;
		const char *what;
	}			cases[] = {
		{"Unzustellbar", "Die Nachricht konnte nicht zugestellt werden.\n\n"
			"<ab@example.de>: Empf\xc3\xa4nger unbekannt\n", "failed", BOUNCE_REASON_USERUNKNOWN,
		"German, UTF-8: Empfänger unbekannt"},
		{"Unzustellbar", "Die Nachricht konnte nicht zugestellt werden.\n\n"
			"<ab@example.de>: Empf\xe4nger unbekannt\n", "failed", BOUNCE_REASON_USERUNKNOWN,
		"German, Latin-1: Empfänger unbekannt"},
		{"Warnung", "Ihre Nachricht wurde noch nicht zugestellt, es wird weiterhin versucht.\n\n"
			"<ac@example.de>\n", "delayed", BOUNCE_REASON_UNDEFINED, "German delay: noch nicht zugestellt"},
		{"Non remis", "Votre message n'a pas pu \xc3\xaatre remis.\n\n"
			"<fr@example.fr>: Bo\xc3\xaete pleine\n", "failed", BOUNCE_REASON_MAILBOXFULL,
		"French: boîte pleine"},
		{"Avertissement", "Votre message n'a pas encore \xc3\xa9t\xc3\xa9 remis.\n\n"
			"<fs@example.fr>\n", "delayed", BOUNCE_REASON_UNDEFINED, "French delay: pas encore été remis"},
		{"No entregado", "No se pudo entregar el mensaje.\n\n"
			"<es@example.es>: usuario desconocido\n", "failed", BOUNCE_REASON_USERUNKNOWN,
		"Spanish: usuario desconocido"},
		{"N\xc3\xa3o entregue", "N\xc3\xa3o foi poss\xc3\xadvel entregar a mensagem.\n\n"
			"<pt@example.pt>: caixa postal cheia\n", "failed", BOUNCE_REASON_MAILBOXFULL,
		"Portuguese: caixa postal cheia"},
		{"Mancata consegna", "Non \xc3\xa8 stato possibile consegnare il messaggio.\n\n"
			"<it@example.it>: messaggio troppo grande\n", "failed", BOUNCE_REASON_MESGTOOBIG,
		"Italian: messaggio troppo grande"},
		{"Wiadomo\xc5\x9b\xc4\x87 niedostarczona", "Nie mo\xc5\xbcna dostarczy\xc4\x87 wiadomo\xc5\x9b" "ci.\n\n"
			"<pl@example.pl>: nieznany u\xc5\xbc" "ytkownik\n", "failed", BOUNCE_REASON_USERUNKNOWN,
		"Polish: nieznany użytkownik"},
		{"Aviso", "Su mensaje todav\xc3\xad" "a no ha podido entregarse. El sistema seguir\xc3\xa1 "
			"intent\xc3\xa1ndolo durante 5 d\xc3\xad" "as.\n\n<es2@example.es>\n", "delayed",
			BOUNCE_REASON_UNDEFINED, "Spanish delay: todavía no ha, seguirá intentándolo"},
		{"Av\xc3\xads", "El vostre missatge encara no s'ha pogut lliurar.\n\n<ca@example.cat>\n",
			"delayed", BOUNCE_REASON_UNDEFINED, "Catalan delay: encara no s'ha pogut lliurar"},
		{"Waarschuwing: bericht vertraagd 24 uur", "Uw bericht is na 24 uur nog steeds niet afgeleverd.\n\n"
			"<nl@example.nl>\n", "delayed", BOUNCE_REASON_UNDEFINED, "Dutch delay: vertraagd, nog steeds niet"},
		{"Hoiatus", "SEE ON AINULT HOIATUS.\n\n<et@example.ee>\n", "delayed", BOUNCE_REASON_UNDEFINED,
		"Estonian delay: ainult hoiatus"},
		{"Error en la entrega", "El mensaje todav\xc3\xad" "a no ha llegado a:\n\n    <co@example.co>\n\n"
			"    421 Servicio no disponible temporalmente\n", "delayed", BOUNCE_REASON_UNDEFINED,
		"a bare 421 never given up is a delay, whatever the Subject"},
		{"Messaggio non consegnato", "Dopo 5 giorni di tentativi non \xc3\xa8 stato possibile consegnare "
			"il messaggio; non verranno effettuati ulteriori tentativi.\n\n  Destinatario: <it2@example.it>\n"
			"  Ultimo errore: 451 4.3.0 Temporary lookup failure\n", "failed", BOUNCE_REASON_UNDEFINED,
		"Italian give-up after a 4xx: non verranno effettuati ulteriori tentativi"},
		{"Returned mail: Cannot send message for 4 days", "421 example.com (smtp)... Deferred: "
			"Connection timed out\n\n<v5@example.com>\n", "failed", BOUNCE_REASON_UNDEFINED,
		"Sendmail's give-up after 4xx: Cannot send message for 4 days"},
		{"Mensaje no entregado", "Nuestro servidor ha estado intent\xc3\xa1ndolo durante 5 d\xc3\xad" "as y "
			"ha desistido.\n\n  Destinatario:   <es3@example.es>\n  \xc3\x9altimo error:   tiempo de "
			"espera agotado\n", "failed", BOUNCE_REASON_EXPIRED,
		"Spanish give-up after timeouts: ha desistido, tiempo de espera agotado"},
		{"Nedoru\xc4\x8d" "en\xc3\xa1 spr\xc3\xa1va", "TOTO JE LEN UPOZORNENIE.\n\nVa\xc5\xa1u spr\xc3\xa1vu sa zatia\xc4\xbe "
			"nepodarilo doru\xc4\x8di\xc5\xa5" ":\n\n    <sk@example.sk>\n", "delayed", BOUNCE_REASON_UNDEFINED,
		"Slovak delay: len upozornenie, zatiaľ nepodarilo"},
		{"Spr\xc3\xa1vu sa nepodarilo doru\xc4\x8di\xc5\xa5", "Spr\xc3\xa1va bola odstr\xc3\xa1nen\xc3\xa1 z fronty. "
			"\xc4\x8e" "al\xc5\xa1ie pokusy u\xc5\xbe nebud\xc3\xba uskuto\xc4\x8dnen\xc3\xa9.\n\n"
			"  Pr\xc3\xad" "jemca: <sk2@example.sk>\n  451 4.3.0 Temporary server error\n", "failed",
			BOUNCE_REASON_UNDEFINED, "Slovak give-up after a 4xx: odstránená z fronty"},
		{"Forsinket e-post", "Meldingen din er enn\xc3\xa5 ikke levert til:\n\n    <nb@example.no>\n\n"
			"Vi vil fortsette \xc3\xa5 pr\xc3\xb8ve.\n", "delayed", BOUNCE_REASON_UNDEFINED,
		"Norwegian delay: ennå ikke levert"},
		{"Pesan tidak terkirim", "Pesan Anda belum berhasil dikirim ke:\n\n    <id@example.id>\n\n"
			"Server kami akan terus mencoba.\n", "delayed", BOUNCE_REASON_UNDEFINED,
		"Indonesian delay: belum berhasil dikirim, akan terus mencoba"},
		{"\xc3\x89" "chec de remise", "Votre message n'a pas encore pu \xc3\xaatre distribu\xc3\xa9 :\n\n"
			"    <be@example.be>\n\nCeci n'est qu'un avertissement.\n", "delayed", BOUNCE_REASON_UNDEFINED,
		"French delay under a failure Subject: pas encore pu être distribué"},
		{"Mensaxe non entregada", "Non foi posible entregar a s\xc3\xba" "a mensaxe:\n\n    <gl@example.gal>\n\n"
			"O dominio non existe. Este erro \xc3\xa9 permanente.\n", "failed", BOUNCE_REASON_HOSTUNKNOWN,
		"Galician: o dominio non existe"},
		{"Hoiatus: kiri on viibinud 24 tundi", "Aadress, millele kirja pole veel edastatud:\n\n"
			"  <et2@example.ee>\n    host mx.example.ee: Connection refused\n\nEdastamist proovitakse veel.\n",
			"delayed", BOUNCE_REASON_UNDEFINED, "Estonian delay: pole veel edastatud, proovitakse veel"},
		{"Obavijest o ka\xc5\xa1njenju", "Va\xc5\xa1" "a poruka jo\xc5\xa1 nije isporu\xc4\x8d" "ena primatelju:\n\n"
			"    <hr@example.hr>\n\nPoslu\xc5\xbeitelj \xc4\x87" "e nastaviti s poku\xc5\xa1" "ajima isporuke.\n",
			"delayed", BOUNCE_REASON_UNDEFINED, "Croatian delay: još nije isporučena, nastaviti s pokušajima"},
		{"Pazi\xc5\x86ojums", "J\xc5\xabsu zi\xc5\x86ojums v\xc4\x93l nav pieg\xc4\x81" "d\xc4\x81ts:\n\n"
			"  <lv@example.lv>\n    host mx.example.lv: Connection refused\n", "delayed", BOUNCE_REASON_NETWORKERROR,
		"no code, a refused connection, no word of giving up (in words the table lacks): a delay"},
		{"failure notice", "I'm afraid I wasn't able to deliver your message. This is a permanent error; "
			"I've given up.\n\n<gu@example.com>:\nConnection refused\n", "failed", BOUNCE_REASON_NETWORKERROR,
		"no code, a refused connection, and given up: a failure"},
		{"Mesaj nelivrat", "Mesajul nu a putut fi livrat:\n\n    <ro@example.ro>\n\n"
			"Motiv: adresa de e-mail nu exist\xc4\x83 pe server.\n", "failed", BOUNCE_REASON_USERUNKNOWN,
		"Romanian: adresa de e-mail nu există"},
	};
	size_t		i;
	got_rows	g;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char	   *m = notice(cases[i].subject, cases[i].body);

		CHECK(parse(m, &g) == 1 && strcmp(g.action[0], cases[i].action) == 0 &&
			  (cases[i].reason == BOUNCE_REASON_UNDEFINED || g.reason[0] == cases[i].reason) &&
			  (strcmp(cases[i].action, "delayed") != 0 || g.cls[0] == BOUNCE_CLASS_SOFT),
			  "%s: %s %s", cases[i].what, g.n ? g.action[0] : "no row",
			  g.n ? bounce_reason_name(g.reason[0]) : "");
		free(m);
	}
}

/* Classic prose notices, written after the layouts those servers use. */
static void
test_formats(void)
{
	static const struct
	{
		const char *subject;
		const char *body;
		const char *rcpt;
		bounce_reason reason;
		const char *what;
	}			cases[] = {
		{"Delivery Status Notification (Failure)",
			"This is an automatically generated Delivery Status Notification.\n\n"
			"Delivery to the following recipients failed.\n\n"
			"       ann@example.com\n\n", "ann@example.com", BOUNCE_REASON_UNDEFINED,
		"Exchange SMTPSVC: an indented recipient"},
		{"Undeliverable: news",
			"Delivery has failed to these recipients or distribution lists:\n\n"
			"bea@example.com\n"
			"The recipient's e-mail address was not found in the recipient's e-mail system.\n\n"
			"Diagnostic information for administrators:\n\nGenerating server: mx.example.com\n\n"
			"bea@example.com\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n",
			"bea@example.com", BOUNCE_REASON_USERUNKNOWN, "Exchange 2007: the reply under Diagnostic information"},
		{"Undeliverable: news",
			"Your message did not reach some or all of the intended recipients.\n\n"
			"      Subject:\tnews\n      Sent:\t1/6/2026 10:00 AM\n\n"
			"The following recipient(s) cannot be reached:\n\n"
			"      cat@example.com on 1/6/2026 10:00 AM\n"
			"            There was a SMTP communication problem with the recipient's email server.\n"
			"            <mx.example.com #5.5.0 smtp;550 5.1.1 unknown user>\n",
			"cat@example.com", BOUNCE_REASON_USERUNKNOWN, "Exchange 2003: cannot be reached"},
		{"DELIVERY FAILURE: User dan (dan@example.com) not listed in Domino Directory",
			"Your message\n\n  Subject: news\n\nwas not delivered to:\n\n  dan@example.com\n\n"
			"because:\n\n  User dan (dan@example.com) not listed in Domino Directory\n",
			"dan@example.com", BOUNCE_REASON_USERUNKNOWN, "Domino: was not delivered to ... because"},
		{"Message status - undeliverable",
			"The message that you sent was undeliverable to the following:\n"
			"\teve@example.com (user not found)\n\nPossible causes:\n\tUser or group does not exist\n",
			"eve@example.com", BOUNCE_REASON_USERUNKNOWN, "GroupWise: undeliverable to the following"},
		{"Permanent Delivery Failure",
			"The attached message had PERMANENT fatal delivery errors!\n\n"
			"After one or more unsuccessful delivery attempts the attached message has\n"
			"been removed from the mail queue on this server.\n\n"
			"--- Session Transcript ---\n"
			" Mon 2026-06-01 10:00:00: Attempting SMTP connection to [mx.example.com]\n"
			" Mon 2026-06-01 10:00:01: MAIL FROM:<news@sender.example>\n"
			" Mon 2026-06-01 10:00:01: 250 2.1.0 Ok\n"
			" Mon 2026-06-01 10:00:01: RCPT TO:<fay@example.com>\n"
			" Mon 2026-06-01 10:00:01: 550 5.1.1 <fay@example.com>: Recipient address rejected\n"
			"--- End Transcript ---\n", "fay@example.com", BOUNCE_REASON_USERUNKNOWN,
		"MDaemon: the recipient in the transcript, not the sender"},
		{"failure delivery",
			"Sorry, we were unable to deliver your message to the following address.\n\n"
			"<gus@example.com>:\nRemote host said: 550 5.1.1 <gus@example.com>... User unknown [RCPT_TO]\n",
			"gus@example.com", BOUNCE_REASON_USERUNKNOWN, "Yahoo: Remote host said"},
		{"Returned mail: User unknown",
			"The original message was received at Mon, 1 Jun 2026 10:00:00 -0400\n\n"
			"   ----- The following addresses had permanent fatal errors -----\n"
			"<hal@example.com>\n\n   ----- Transcript of session follows -----\n"
			"... while talking to mx.example.com.:\n>>> RCPT To:<hal@example.com>\n"
			"<<< 550 MAILBOX NOT FOUND\n550 <hal@example.com>... User unknown\n",
			"hal@example.com", BOUNCE_REASON_USERUNKNOWN, "AOL/Sendmail: permanent fatal errors"},
		{"Mail delivery failed: returning message to sender",
			"This message was created automatically by mail delivery software.\n\n"
			"A message that you sent could not be delivered to one or more of its\n"
			"recipients. This is a permanent error. The following address(es) failed:\n\n"
			"  ida@example.com\n"
			"    host mx.example.com [192.0.2.1]\n"
			"    SMTP error from remote mail server after RCPT TO:<ida@example.com>:\n"
			"    550 5.1.1 <ida@example.com>: Recipient address rejected: User unknown\n\n"
			"------ This is a copy of the message, including all the headers. ------\n",
			"ida@example.com", BOUNCE_REASON_USERUNKNOWN, "Exim: the address on an indented line, the reply under it"},
		{"Undelivered Mail Returned to Sender",
			"This is the Postfix program at host mx.sender.example.\n\n"
			"I'm sorry to have to inform you that the message returned\n"
			"below could not be delivered to one or more destinations.\n\n"
			"For further assistance, please contact <postmaster@sender.example>\n\n"
			"If you do so, please include this problem report. You can\n"
			"delete your own text from the message returned below.\n\n"
			"\t\t\tThe Postfix program\n\n"
			"<joe@example.com>: host mx.example.com[192.0.2.2] said: 550 5.1.1\n"
			"    <joe@example.com>: Recipient address rejected: User unknown in local\n"
			"    recipient table (in reply to RCPT TO command)\n",
			"joe@example.com", BOUNCE_REASON_USERUNKNOWN, "Postfix (older text): the address, said:, folded reply"},
		{"failure notice",
			"Hi. This is the qmail-send program at mx.sender.example.\n"
			"I'm afraid I wasn't able to deliver your message to the following addresses.\n"
			"This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
			"<kim@example.com>:\n"
			"Sorry, no mailbox here by that name. (#5.1.1)\n\n"
			"--- Below this line is a copy of the message.\n",
			"kim@example.com", BOUNCE_REASON_USERUNKNOWN, "qmail: no mailbox here by that name (#5.1.1)"},
	};
	size_t		i;
	got_rows	g;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char	   *m = notice(cases[i].subject, cases[i].body);

		CHECK(parse(m, &g) == 1 && strcmp(g.key[0], cases[i].rcpt) == 0 &&
			  strcmp(g.action[0], "failed") == 0 &&
			  (cases[i].reason == BOUNCE_REASON_UNDEFINED || g.reason[0] == cases[i].reason),
			  "%s: %d rows, %s %s", cases[i].what, g.n, g.n ? g.key[0] : "-",
			  g.n ? bounce_reason_name(g.reason[0]) : "");
		free(m);
	}
}

/*
 * The lines that start the returned copy of the message (read through the
 * phrase automaton's RETURNED sign, or a separator line's layout), and
 * lines of prose that only mention the original message.
 */
static void
test_returned_markers(void)
{
	static const struct
	{
		const char *line;
		bool		marker;
	}			cases[] = {
		{"----- Original Message -----", true},
		{"Original-Message:", true},
		{"  === original message ===", true},
		{"--- Below this line is a copy of the message.", true},
		{"------ This is a copy of the message, including all the headers. ------", true},
		{"Content-Type: message/rfc822", true},
		{"Your message reads (in part):", true},
		{"   ----- Original message follows -----", true},
		{"Undelivered Message Headers:", true},
		{"Received: from mx.example.net by mx2.example.net", true},
		{"The MTS-ID of the original message is: c=jp;a= ;p=x", false},
		{"The original message was received at Mon, 1 Jun 2026 10:00:00 GMT", false},
		{"Your message could not be delivered to the following recipients:", false},
		{"Original message id 1234 was refused", false},
		{"", false},
		{"-----", false},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(dsn_is_returned_marker(cases[i].line, strlen(cases[i].line)) == cases[i].marker,
			  "returned marker: \"%s\" %s", cases[i].line, cases[i].marker ? "starts the copy" : "is prose");
}

/* Rules from the crafted sets' tune halves: labels, shared replies, moderation holds. */
static void
test_more_shapes(void)
{
	got_rows	g;
	char	   *m;

	/* a recipient named by a label on the same line (a filtering gateway's notice) */
	m = notice("**Message you sent blocked by our bulk email filter**",
			   "Your message to: kim@example.com\n"
			   "was blocked by our Spam Firewall. The email you sent has NOT BEEN DELIVERED.\n\n"
			   "Reason: the message was classified as spam\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.rcpt[0], "kim@example.com") == 0 &&
		  strcmp(g.evidence[0], "prose") == 0 && g.reason[0] == BOUNCE_REASON_SPAMDETECTED,
		  "\"Your message to: addr\" names the recipient (%d rows, %s, %s)", g.n,
		  g.n ? g.rcpt[0] : "", g.n ? g.evidence[0] : "");
	free(m);
	m = notice("Undeliverable", "Original recipient: lee@example.com\n\n550 5.1.1 mailbox unavailable\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.rcpt[0], "lee@example.com") == 0 && g.code[0] == 550,
		  "\"Original recipient: addr\" names the recipient (%d rows)", g.n);
	free(m);
	/* "To:" is no label: a summary of the returned message may name the list */
	m = notice("Undeliverable", "The message you sent\n\n  To: list@example.org\n  Subject: news\n\n"
			   "could not be delivered.\n");
	CHECK(parse(m, &g) == 0 || strcmp(g.rcpt[0], "list@example.org") != 0,
		  "a \"To:\" summary line names no recipient (%d rows)", g.n);
	free(m);

	/* a list of addresses shares the reply written after the last one */
	m = notice("Delivery failure",
			   "The message was not sent to:\n"
			   "  ana@example.com\n"
			   "  bo@example.com\n\n"
			   "Error: 552 5.3.4 Message size exceeds fixed maximum message size\n");
	CHECK(parse(m, &g) == 2 && strcmp(g.enhanced[0], "5.3.4") == 0 && strcmp(g.enhanced[1], "5.3.4") == 0 &&
		  g.reason[0] == BOUNCE_REASON_MESGTOOBIG && g.reason[1] == BOUNCE_REASON_MESGTOOBIG,
		  "two listed addresses share the reply after the list (%d rows: %s %s)", g.n,
		  g.n > 0 ? g.enhanced[0] : "", g.n > 1 ? g.enhanced[1] : "");
	free(m);
	/* ... but an address with its own reply keeps it */
	m = notice("Delivery failure",
			   "  ana@example.com\n"
			   "    550 5.1.1 user unknown\n"
			   "  bo@example.com\n"
			   "    552 5.2.2 mailbox full\n");
	CHECK(parse(m, &g) == 2 && g.reason[0] == BOUNCE_REASON_USERUNKNOWN &&
		  g.reason[1] == BOUNCE_REASON_MAILBOXFULL,
		  "addresses with replies of their own keep them (%d rows)", g.n);
	free(m);

	/* a list's moderation hold bounced nothing */
	m = malloc(1024);
	strcpy(m, "From: members-owner@lists.example.org\n"
		   "To: bounces@sender.example\n"
		   "Subject: Your message to Members awaits moderator approval\n"
		   "Precedence: bulk\n\n"
		   "Your mail to 'Members' is being held until the list moderator can review it\n"
		   "for approval.\n");
	CHECK(parse(m, &g) == 0, "a moderation hold gives no row (%d rows)", g.n);
	free(m);

	/* a list's subscription check and a challenge-response request bounced nothing */
	m = malloc(1024);
	strcpy(m, "From: news-request@lists.example.org\n"
		   "To: bounces@sender.example\n"
		   "Subject: confirm 3f8a1c0e9d\n"
		   "Precedence: bulk\n\n"
		   "Mailing list subscription confirmation notice for mailing list News\n\n"
		   "We have received a request for subscription of your email address.\n");
	CHECK(parse(m, &g) == 0, "a subscription confirmation gives no row (%d rows)", g.n);
	strcpy(m, "From: Ruth <ruth@example.com>\n"
		   "To: bounces@sender.example\n"
		   "Subject: Please verify your email address\n"
		   "Auto-Submitted: auto-replied\n\n"
		   "Your message is being held until you confirm that you are a real person.\n");
	CHECK(parse(m, &g) == 0, "a challenge-response request gives no row (%d rows)", g.n);
	free(m);

	/* "400 4.4.7 Message delayed" names no cause: the reply below it does */
	m = malloc(2048);
	strcpy(m, "From: postmaster@mx.example.net\n"
		   "To: bounces@sender.example\n"
		   "Subject: Delivery delayed:Spring news\n"
		   "MIME-Version: 1.0\n"
		   "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
		   "--b\nContent-Type: text/plain\n\n"
		   "Delivery is delayed to these recipients or groups:\n\n"
		   "wei@example.com\n\n"
		   "Diagnostic information for administrators:\n\n"
		   "wei@example.com\n"
		   "Remote Server at mx.example.com returned '400 4.4.7 Message delayed'\n"
		   "3/15/2024 2:31:09 PM - Remote Server at mx.example.com returned '451 4.7.0 Too many "
		   "messages from 192.0.2.1, rate limited; please try again later'\n\n"
		   "--b\nContent-Type: message/delivery-status\n\n"
		   "Reporting-MTA: dns;mx.example.net\n\n"
		   "Final-Recipient: rfc822;wei@example.com\n"
		   "Action: delayed\n"
		   "Status: 4.4.7\n"
		   "Diagnostic-Code: smtp;400 4.4.7 Message delayed\n\n"
		   "--b--\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "delayed") == 0 && strcmp(g.enhanced[0], "4.4.7") == 0 &&
		  g.reason[0] == BOUNCE_REASON_SPEEDING,
		  "a delay whose reply names no cause takes the reason of the reply below it (%d rows: %s %s)",
		  g.n, g.n ? g.enhanced[0] : "", g.n ? bounce_reason_name(g.reason[0]) : "");
	free(m);
	m = malloc(4096);
	/* a person's forward of a bounce, asking about it: mail about a bounce */
	strcpy(m, "Return-Path: <marta@example.org>\n"
		   "From: Marta <marta@example.org>\n"
		   "To: support@esp.example\n"
		   "Subject: Fwd: Undelivered Mail Returned to Sender\n"
		   "MIME-Version: 1.0\n"
		   "Content-Type: multipart/mixed; boundary=\"f\"\n\n"
		   "--f\nContent-Type: text/plain\n\n"
		   "We got this back for one of our customers, why did this happen?\n\n"
		   "--f\nContent-Type: message/rfc822\n\n"
		   "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
		   "Subject: Undelivered Mail Returned to Sender\n"
		   "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n\n"
		   "--r\nContent-Type: message/delivery-status\n\n"
		   "Reporting-MTA: dns; mx.example.net\n\n"
		   "Final-Recipient: rfc822; hannah@example.net\nAction: failed\nStatus: 5.1.1\n\n"
		   "--r--\n--f--\n");
	CHECK(parse(m, &g) == 0, "a person's forward of a bounce with a question gives no row (%d rows)", g.n);
	/* ... but a forward with no words of its own is read for the bounce */
	memset(strstr(m, "We got this back"), ' ', strlen("We got this back for one of our customers, why did this happen?"));
	CHECK(parse(m, &g) == 1 && strcmp(g.rcpt[0], "hannah@example.net") == 0,
		  "a forward with no words of its own is read for its bounce (%d rows)", g.n);
	free(m);

	/* delay warnings in German and French prose, and MDaemon as a mail system */
	m = notice("Warnung: Nachricht verzoegert",
			   "Ihre Nachricht konnte seit mehr als 4 Stunden nicht an folgenden\n"
			   "Empfaenger zugestellt werden:\n\n  jan@example.de\n\n"
			   "Es handelt sich nur um eine Warnung. Sie muessen die Nachricht NICHT\n"
			   "erneut versenden.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "delayed") == 0,
		  "a German delay warning in words only is a delay (%d rows, %s)", g.n, g.n ? g.action[0] : "");
	free(m);
	m = malloc(1024);
	strcpy(m, "From: \"MDaemon\" <MDaemon@example.fr>\n"
		   "To: bounces@sender.example\n"
		   "Subject: Avertissement : remise differee\n"
		   "Auto-Submitted: auto-replied\n\n"
		   "Le message ci-joint n'a pas encore pu etre remis au destinataire suivant :\n\n"
		   "    claire@example.fr\n\n"
		   "Il s'agit d'un simple avertissement.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.rcpt[0], "claire@example.fr") == 0 &&
		  strcmp(g.action[0], "delayed") == 0,
		  "an MDaemon delay warning in French is a delay of its recipient, no auto-reply (%d rows)", g.n);
	free(m);
	/* Exim's "retry time not reached" is no giving up: a Portuguese delay warning */
	m = notice("Aviso: mensagem atrasada 24 horas",
			   "Uma mensagem que enviou ainda nao foi entregue a um ou mais destinatarios.\n\n"
			   "  helena@example.pt\n"
			   "    retry time not reached for any host after a long failure period\n\n"
			   "ATENCAO: ISTO E APENAS UM AVISO. NAO PRECISA DE VOLTAR A ENVIAR A MENSAGEM.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "delayed") == 0,
		  "an Exim delay warning in Portuguese is a delay (%d rows, %s)", g.n, g.n ? g.action[0] : "");
	free(m);
	/* MDaemon@ names a mail system: its Swedish delay warning is no auto-reply */
	m = malloc(1024);
	strcpy(m, "From: MDaemon@gw.example.se\n"
		   "To: bounces@sender.example\n"
		   "Subject: Varning: leveransen av meddelandet har fordrojts\n"
		   "Auto-Submitted: auto-replied\n\n"
		   "Meddelandet nedan har annu INTE levererats till alla mottagare.\n"
		   "Detta ar endast en varning.\n\n"
		   "    johan@example.se\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.rcpt[0], "johan@example.se") == 0 &&
		  strcmp(g.action[0], "delayed") == 0,
		  "an MDaemon delay warning in Swedish is a delay of its recipient (%d rows)", g.n);
	free(m);
	/* a give-up that says no further attempts will be made is a failure, not a delay */
	m = notice("DELIVERY FAILURE: Delivery time expired",
			   "was not delivered to:\n\n  werner@example.de\n\nbecause:\n\n  Delivery time expired\n\n"
			   "Every attempt failed with a temporary error, and the message has now been\n"
			   "returned. No further delivery attempts will be made.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "failed") == 0,
		  "a give-up after temporary errors is failed (%d rows, %s)", g.n, g.n ? g.action[0] : "");
	free(m);
	m = malloc(1024);
	/* a helpdesk's "Ticket Received" is an auto-reply; a list's registration check is none */
	strcpy(m, "From: Clinic Support <help@example.org>\n"
		   "To: bounces@sender.example\n"
		   "Subject: Ticket Received - your appointment\n\n"
		   "We have received your request and a ticket has been created.\n");
	CHECK(parse(m, &g) == 1 && g.reason[0] == BOUNCE_REASON_VACATION,
		  "a helpdesk's ticket acknowledgement is an auto-reply (%d rows)", g.n);
	strcpy(m, "From: team-confirm+f441@lists.example.org\n"
		   "To: bounces@sender.example\n"
		   "Subject: Your confirmation is needed to join the team list\n"
		   "Precedence: bulk\n\n"
		   "Before you can start using GNU Mailman at this site, you must first\n"
		   "confirm that this is your email address.\n");
	CHECK(parse(m, &g) == 0, "a list's registration check gives no row (%d rows)", g.n);
	/* a helpdesk's acknowledgement in its own words, with no auto-reply header */
	strcpy(m, "From: Payroll Support <support@example.com>\n"
		   "To: bounces@sender.example\n"
		   "Subject: Re: Webinar next week\n\n"
		   "Thanks for getting in touch! We've received your message and one of us\n"
		   "will get back to you within one business day.\n");
	CHECK(parse(m, &g) == 1 && g.reason[0] == BOUNCE_REASON_VACATION &&
		  strcmp(g.rcpt[0], "support@example.com") == 0,
		  "a helpdesk's acknowledgement in words is an auto-reply (%d rows)", g.n);
	/* a newsletter at the return path: bulk, but a list's own mail, no reply */
	strcpy(m, "From: Parcelwise <newsletter@example.com>\n"
		   "To: bounces@sender.example\n"
		   "Subject: Carrier surcharges are changing again\n"
		   "Precedence: bulk\n"
		   "List-Unsubscribe: <https://news.example.com/unsubscribe?u=1>\n\n"
		   "This month: new surcharges, and how to plan for them.\n");
	CHECK(parse(m, &g) == 0, "a newsletter with list headers is no auto-reply (%d rows)", g.n);
	/* a webmail's out-of-office sent from its MAILER-DAEMON: the answering mailbox is the Reply-To */
	strcpy(m, "Return-Path: <>\n"
		   "From: Webmail autoreply <MAILER-DAEMON@autoreply.example.kr>\n"
		   "Reply-To: minjun@example.kr\n"
		   "To: bounces@sender.example\n"
		   "Subject: Automatic reply: Spring offers\n"
		   "Auto-Submitted: auto-replied\n\n"
		   "I am on holiday until June 28 and will answer when I am back.\n");
	CHECK(parse(m, &g) == 1 && g.reason[0] == BOUNCE_REASON_VACATION &&
		  strcmp(g.rcpt[0], "minjun@example.kr") == 0,
		  "an out-of-office from a webmail's MAILER-DAEMON is an auto-reply of its Reply-To (%d rows, %s)",
		  g.n, g.n ? g.rcpt[0] : "");
	/* the same address's notice that reports a failure is a bounce */
	strcpy(m, "Return-Path: <>\n"
		   "From: Mail Delivery System <MAILER-DAEMON@mx.example.kr>\n"
		   "To: bounces@sender.example\n"
		   "Subject: Automatic reply: Undelivered Mail\n"
		   "Auto-Submitted: auto-replied\n\n"
		   "Your message could not be delivered to:\n\n  <lee@example.kr>: user unknown\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "failed") == 0,
		  "a MAILER-DAEMON notice that reports a failure stays a bounce (%d rows)", g.n);
	/* a French out-of-office, written by a woman ("absente") */
	strcpy(m, "From: Helene <helene@example.com>\n"
		   "To: bounces@sender.example\n"
		   "Subject: Absence du bureau : Re: nouvelles\n\n"
		   "Bonjour, je suis absente du bureau jusqu'au 2 septembre.\n");
	CHECK(parse(m, &g) == 1 && g.reason[0] == BOUNCE_REASON_VACATION &&
		  strcmp(g.rcpt[0], "helene@example.com") == 0,
		  "\"absente du bureau\" is an auto-reply from its sender (%d rows)", g.n);
	free(m);
}

/* A gateway's summary of the stopped message: its field lines name the recipients. */
static void
test_gateway_summaries(void)
{
	got_rows	g;
	char	   *m;

	/* a list of recipients on one line, under the sender's own field line */
	m = notice("[Blocked] Your message was blocked",
			   "Your message was blocked by the content policy and was not delivered.\n\n"
			   "  Sender:     bounces@sender.example\n"
			   "  Recipients: ann@example.org, bob@example.org; <cy@example.org>\n"
			   "  Subject:    Offers\n\n"
			   "The message contained a virus.\n");
	CHECK(parse(m, &g) == 3 && strcmp(g.rcpt[0], "ann@example.org") == 0 &&
		  strcmp(g.rcpt[1], "bob@example.org") == 0 && strcmp(g.rcpt[2], "cy@example.org") == 0 &&
		  g.reason[0] == BOUNCE_REASON_VIRUSDETECTED && g.reason[1] == g.reason[0] &&
		  g.reason[2] == g.reason[0],
		  "each address of a recipients line is a row, read alike (%d rows)", g.n);
	free(m);
	/* a French summary: "Destinataires :" with the space before the colon */
	m = notice("Message bloqu\xc3\xa9",
			   "Votre message a \xc3\xa9t\xc3\xa9 bloqu\xc3\xa9 (DLP).\n\n"
			   "  Exp\xc3\xa9" "diteur :     bounces@sender.example\n"
			   "  Destinataires :  dee@example.fr, eve@example.fr\n");
	CHECK(parse(m, &g) == 2 && strcmp(g.rcpt[0], "dee@example.fr") == 0 &&
		  strcmp(g.rcpt[1], "eve@example.fr") == 0 && g.reason[0] == BOUNCE_REASON_POLICYVIOLATION,
		  "\"Destinataires :\" names the recipients (%d rows)", g.n);
	free(m);
	/* a filter's notice to the sender: "Message blocked" Subject, a "Recipient:" field */
	m = malloc(1024);
	strcpy(m, "Return-Path: <notify@gw.example.com>\n"
		   "From: Email Security <notify@gw.example.com>\n"
		   "To: bounces@sender.example\n"
		   "Subject: Message blocked - encrypted attachment: Agreement\n\n"
		   "Your message could not be delivered: the policy does not allow encrypted or\n"
		   "password-protected attachments.\n\n"
		   "  Sender:     bounces@sender.example\n"
		   "  Recipient:  dee@example.com\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.rcpt[0], "dee@example.com") == 0 &&
		  g.reason[0] == BOUNCE_REASON_CONTENTERROR,
		  "a filter's \"Message blocked\" notice names its recipient, content error (%d rows)", g.n);
	free(m);
	/* a wrapped sentence still is no recipient line */
	m = notice("Undelivered Mail",
			   "The following address failed:\n\n  ann@example.org\n  550 5.1.1 User unknown\n\n"
			   "If you need help, please forward this notice to\n"
			   "helpdesk@example.org, who can help.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.rcpt[0], "ann@example.org") == 0,
		  "an address that a sentence wrapped onto is no recipient (%d rows, %s)", g.n,
		  g.n ? g.rcpt[0] : "");
	free(m);
}

/* Old and odd notices: names that are no address, old Subjects, forwards. */
static void
test_old_notices(void)
{
	got_rows	g;
	char	   *m;
	static const char notes[] =
		"From: Postmaster <postmaster@notes.example.com>\n"
		"To: bounces@sender.example\n"
		"Subject: DELIVERY FAILURE\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"n\"\n\n"
		"--n\nContent-Type: text/plain\n\nYour message was not delivered.\n"
		"--n\nContent-Type: message/delivery-status\n\n"
		"Reporting-MTA: dns; notes.example.com\n\n"
		"Final-Recipient: x-notes; Pat Quill/Marketing/Heron@HERON\nAction: failed\nStatus: 5.0.0\n"
		"Diagnostic-Code: X-Notes; recipient's mail file is over its quota\n"
		"--n\nContent-Type: message/rfc822\n\n"
		"Received: from out.sender.example by notes.example.com for <pquill@example.com>;\n"
		" Thu, 15 Jan 2004 10:02:31 -0500\n"
		"From: News <news@sender.example>\nTo: pquill@example.com\nSubject: News\n\nHello.\n"
		"--n--\n";

	/* a report that names its one recipient by a Notes name: the returned envelope is whom we addressed */
	CHECK(parse(notes, &g) == 1 && strcmp(g.key[0], "pquill@example.com") == 0 &&
		  g.reason[0] == BOUNCE_REASON_MAILBOXFULL && strcmp(g.evidence[0], "envelope") == 0,
		  "a Notes name in the report: the address is the returned envelope's (%d rows, %s)", g.n,
		  g.n ? g.key[0] : "");
	/* MMDF's Subject names a bounce */
	m = malloc(512);
	strcpy(m, "Return-Path: <mmdf@cs.example.edu>\nFrom: MMDF Mail System <mmdf@cs.example.edu>\n"
		   "To: owner-list@lists.example.org\nSubject: Failed mail  (msg.aa04122)\n\n"
		   "    Your message was not delivered to the following addresses:\n\n"
		   "        gwynne@cs.example.edu:\n"
		   "            (USER) Unknown user name in \"To\" field\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.rcpt[0], "gwynne@cs.example.edu") == 0 &&
		  g.reason[0] == BOUNCE_REASON_USERUNKNOWN, "MMDF's \"Failed mail\" notice (%d rows)", g.n);
	free(m);
	/* Exim: "<a> was forwarded to b": the address the sender used is a */
	m = notice("Warning: message 1v8Xq2-0004Kj-3T delayed 24 hours",
			   "A message that you sent has not yet been delivered to one or more of its\n"
			   "recipients after more than 24 hours on the queue.\n\n"
			   "The address to which the message has not yet been delivered is:\n\n"
			   "  petrov@mail.example\n"
			   "    <contact@example.org> was forwarded to petrov@mail.example\n"
			   "    451 4.7.1 Ratelimit exceeded. Try again later.\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.key[0], "contact@example.org") == 0 &&
		  strcmp(g.action[0], "delayed") == 0,
		  "an Exim forward: the address the sender used, one row (%d rows, %s)", g.n, g.n ? g.key[0] : "");
	free(m);
}

/* A program's notice that attaches a delivery report is read for the report. */
static void
test_wrapped_reports(void)
{
	got_rows	g;
	static const char m[] =
		"From: team-bounces@lists.example.org\n"
		"To: team-owner@lists.example.org\n"
		"Subject: ann@example.com's subscription disabled on team@lists.example.org\n"
		"Precedence: bulk\n"
		"Content-Type: multipart/mixed; boundary=\"o\"\n\n"
		"--o\nContent-Type: text/plain\n\n"
		"ann@example.com's subscription has been disabled due to her bounce score.\n"
		"--o\nContent-Type: message/rfc822\n\n"
		"From: MAILER-DAEMON@mx.example.org\n"
		"Subject: Mail delivery failed\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"i\"\n\n"
		"--i\nContent-Type: text/plain\n\nA message could not be delivered.\n"
		"--i\nContent-Type: message/delivery-status\n\n"
		"Reporting-MTA: dns; mx.example.org\n\n"
		"Final-Recipient: rfc822; ann@example.com\nAction: failed\nStatus: 5.2.2\n"
		"Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n"
		"--i--\n"
		"--o--\n";

	CHECK(parse(m, &g) == 1 && strcmp(g.rcpt[0], "ann@example.com") == 0 &&
		  g.reason[0] == BOUNCE_REASON_MAILBOXFULL,
		  "a list's notice with the bounce attached gives the bounce's row (%d rows, %s)", g.n,
		  g.n ? g.rcpt[0] : "");
}

/* Complaints in words: an abuse desk's, the recipient's own; not words they quote. */
static void
test_prose_complaints(void)
{
	got_rows	g;
	char	   *m = malloc(2048);

	/* the recipient's own reply complains of their own address */
	strcpy(m, "Return-Path: <kim@example.net>\n"
		   "From: Kim <kim@example.net>\n"
		   "To: bounces+x1@sender.example\n"
		   "Subject: Re: Spring offers\n"
		   "In-Reply-To: <c1.77@sender.example>\n\n"
		   "Stop sending me these. I never signed up for anything.\n\n"
		   "> Hi Kim, our spring offers are here.\n");
	CHECK(parse(m, &g) == 1 && g.reason[0] == BOUNCE_REASON_FEEDBACK &&
		  g.cls[0] == BOUNCE_CLASS_NONE && strcmp(g.rcpt[0], "kim@example.net") == 0,
		  "a recipient's reply in complaint words is a complaint of their address (%d rows)", g.n);
	/* the same words only in our own quoted footer: a reply, no complaint */
	strcpy(m, "Return-Path: <kim@example.net>\n"
		   "From: Kim <kim@example.net>\n"
		   "To: bounces+x1@sender.example\n"
		   "Subject: Re: Spring offers\n"
		   "In-Reply-To: <c1.77@sender.example>\n\n"
		   "Thanks, the blue one please.\n\n"
		   "> Never signed up? Stop emailing me? Tell us: unsubscribe here.\n");
	CHECK(parse(m, &g) == 0, "complaint words in a reply's quote give no row (%d rows)", g.n);
	/* an abuse desk names its subscriber in the headers it pastes, not our own To */
	strcpy(m, "Return-Path: <abuse@isp.example>\n"
		   "From: ISP Abuse Team <abuse@isp.example>\n"
		   "To: bounces+x2@sender.example\n"
		   "Subject: [AB-1] Report 11\n\n"
		   "We have received a complaint from one of our subscribers about\n"
		   "unsolicited commercial email from your network.\n\n"
		   "  From: News <news@sender.example>\n"
		   "  To: lee@isp.example\n"
		   "  Subject: Spring offers\n");
	CHECK(parse(m, &g) == 1 && g.reason[0] == BOUNCE_REASON_FEEDBACK &&
		  strcmp(g.rcpt[0], "lee@isp.example") == 0,
		  "an abuse desk's complaint in words is about the pasted To (%d rows, %s)", g.n,
		  g.n ? g.rcpt[0] : "");
	/* the reported message's headers copied below a separator: its envelope names the subscriber */
	strcpy(m, "From: ISP Abuse Team <abuse@isp.example>\n"
		   "To: abuse@sender.example\n"
		   "Subject: [AB-3] Unsolicited email from 198.51.100.25\n"
		   "Auto-Submitted: auto-generated\n\n"
		   "We have received a complaint from one of our customers about unsolicited\n"
		   "email from mta1.bounce.sender.example; they never subscribed.\n\n"
		   "------------------------------------------------------------------------\n"
		   "Received: from mta1.bounce.sender.example by mx.isp.example\n"
		   "\tfor <kim@isp.example>; Tue, 11 Jun 2024 08:02:18 +0000\n"
		   "From: News <news@sender.example>\n"
		   "Subject: Offers\n");
	CHECK(parse(m, &g) == 1 && g.reason[0] == BOUNCE_REASON_FEEDBACK &&
		  strcmp(g.rcpt[0], "kim@isp.example") == 0 && strcmp(g.evidence[0], "envelope") == 0,
		  "an abuse desk's complaint: the envelope of the headers it copies (%d rows, %s)", g.n,
		  g.n ? g.rcpt[0] : "");
	/* pasted headers that name only our own address: no row rather than a wrong one */
	strcpy(m, "From: ISP Abuse Team <abuse@isp.example>\n"
		   "To: bounces+x2@sender.example\n"
		   "Subject: [AB-2] Report 12\n\n"
		   "We have received a complaint about unsolicited bulk email.\n\n"
		   "  To: bounces+x2@sender.example\n");
	CHECK(parse(m, &g) == 0, "an abuse desk's complaint that names no subscriber gives no row (%d rows)", g.n);
	/* a newsletter that says it sends no unsolicited email is a list's own mail */
	strcpy(m, "From: Parcelwise <newsletter@example.com>\n"
		   "To: bounces@sender.example\n"
		   "Subject: Carrier surcharges\n"
		   "List-Unsubscribe: <https://news.example.com/unsubscribe?u=1>\n\n"
		   "We never send unsolicited email.\n"
		   "To: all our readers\n");
	CHECK(parse(m, &g) == 0, "a newsletter's words about unsolicited email are no complaint (%d rows)", g.n);
	free(m);
}

/*
 * Disposition notifications: a Sieve "reject" (RFC 5429) is a refusal of
 * the MDN's recipient; a receipt, Exchange's "Not read" included, is none.
 */
static void
test_mdn_refusals(void)
{
	static const struct
	{
		const char *text;
		const char *disposition;
		int			rows;
		const char *what;
	}			cases[] = {
		{"Your message to <m@example.org> was automatically rejected:\nQuotes are not accepted here.\n",
		 "automatic-action/MDN-sent-automatically; deleted", 1, "a Sieve reject: filtered"},
		{"Your message was deleted without being read on Monday.\n",
		 "automatic-action/MDN-sent-automatically; deleted", 0, "Exchange's \"Not read\": no row"},
		{"Your message was automatically rejected.\n",
		 "manual-action/MDN-sent-manually; deleted", 0, "deleted by a person: no row"},
		{"Your message was displayed.\n",
		 "manual-action/MDN-sent-manually; displayed", 0, "a read receipt: no row"},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char		m[2048];
		got_rows	g;
		int			n;

		snprintf(m, sizeof(m),
				 "From: Mail Delivery Subsystem <MAILER-DAEMON@imap.example.org>\n"
				 "To: sender@example.com\nSubject: Automatically rejected mail\nMIME-Version: 1.0\n"
				 "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b\"\n\n"
				 "--b\nContent-Type: text/plain\n\n%s\n--b\nContent-Type: message/disposition-notification\n\n"
				 "Reporting-UA: imap.example.org; Dovecot Mail Delivery Agent\n"
				 "Final-Recipient: rfc822; m@example.org\nDisposition: %s\n\n--b--\n",
				 cases[i].text, cases[i].disposition);
		n = parse(m, &g);
		CHECK(n == cases[i].rows &&
			  (n == 0 || (strcmp(g.action[0], "failed") == 0 && g.reason[0] == BOUNCE_REASON_FILTERED &&
						  strcmp(g.key[0], "m@example.org") == 0)),
			  "MDN, %s (%d rows)", cases[i].what, n);
	}
}

/* A filter's digest to the mailbox owner lists the senders it holds: nobody bounced. */
static void
test_quarantine_digests(void)
{
	static const char *const intro[] = {
		"There are 2 new messages in your Email Quarantine since your last notification.",
		"Quarantine Summary: 2 messages were quarantined for you.",
		"Quarantine digest for s@example.org",
	};
	size_t		i;

	for (i = 0; i < sizeof(intro) / sizeof(intro[0]); i++)
	{
		char		m[1024];
		got_rows	g;
		int			n;

		snprintf(m, sizeof(m),
				 "From: Spam Quarantine <quarantine@gw.example.org>\nTo: s@example.org\n"
				 "Subject: Spam Quarantine Notification\nAuto-Submitted: auto-generated\n"
				 "Content-Type: text/html\n\n<html><body><p>The message(s) below have been blocked by "
				 "your administrator as suspected spam.</p><p>%s</p><table><tr><th>From</th><th>Subject</th>"
				 "</tr><tr><td>offers@loans.example</td><td>Pre-approved</td><td><a href=\"x\">Release</a>"
				 "</td></tr></table></body></html>\n", intro[i]);
		n = parse(m, &g);
		CHECK(n == 0, "a quarantine digest (%s) bounces nobody (%d rows%s%s)", intro[i], n,
			  n ? ": " : "", n ? g.rcpt[0] : "");
	}
}

void
run_dsn_kind_tests(void)
{
	test_mdn_refusals();
	test_quarantine_digests();
	test_more_shapes();
	test_prose_complaints();
	test_gateway_summaries();
	test_wrapped_reports();
	test_old_notices();
	test_returned_markers();
	test_formats();
	test_languages();
	test_delays();
	test_kinds();
	test_own_addresses();
	test_addresses();
	test_classes();
}
