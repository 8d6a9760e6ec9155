/*
 * test_reply.c - unit tests of the SMTP reply parser (src/core/reply.c):
 * strict forms, canonical text, malformed input, lenient scan, format.
 */
#include "unit.h"

#include "reply.h"

#include <stdlib.h>

/* Format the enhanced code of r into buf ("" when absent). */
static const char *
enh_str(const bounce_reply *r, char *buf)
{
	if (r->cls == 0)
		buf[0] = '\0';
	else
		sprintf(buf, "%d.%d.%d", r->cls, r->subject, r->detail);
	return buf;
}

/* Strict parse of 'in' must succeed with these parts. */
static void
parse_ok(const char *in, int code, const char *enh, const char *text)
{
	size_t		len = strlen(in);
	char	   *buf = malloc(len + 1);
	bounce_reply r;
	bounce_parse_error err;
	size_t		pos;
	char		e[32];
	bool		ok = bounce_reply_parse(in, len, &r, buf, &err, &pos);

	CHECK(ok && r.code == code && strcmp(enh_str(&r, e), enh) == 0 &&
		  r.text_len == strlen(text) && memcmp(r.text, text, r.text_len) == 0,
		  "parse \"%s\" -> %d [%s] \"%s\" (got ok=%d %d [%s] \"%s\")",
		  ESC(in), code, enh, ESC(text), ok, r.code, enh_str(&r, e),
		  ok ? esc(r.text, r.text_len) : "");
	free(buf);
}

/* Strict parse of in[0..len) must fail with err at pos. */
static void
parse_err_n(const char *in, size_t len, bounce_parse_error want, size_t want_pos)
{
	char	   *buf = malloc(len + 1);
	bounce_reply r;
	bounce_parse_error err;
	size_t		pos;
	bool		ok = bounce_reply_parse(in, len, &r, buf, &err, &pos);

	CHECK(!ok && err == want && pos == want_pos,
		  "parse \"%s\" fails: %s at %zu (got ok=%d err=%d pos=%zu)",
		  esc(in, len < 60 ? len : 60), bounce_parse_error_message(want), want_pos, ok, (int) err, pos);
	free(buf);
}

/* Strict parse of the C string in must fail with err at pos. */
static void
parse_err(const char *in, bounce_parse_error want, size_t want_pos)
{
	parse_err_n(in, strlen(in), want, want_pos);
}

/* Lenient scan of 'in' must find these parts. */
static void
scan_is(const char *in, int code, const char *enh, const char *text)
{
	size_t		len = strlen(in);
	char	   *buf = malloc(len + 1);
	bounce_reply r;
	char		e[32];

	bounce_reply_scan(in, len, &r, buf);
	CHECK(r.code == code && strcmp(enh_str(&r, e), enh) == 0 &&
		  r.text_len == strlen(text) && memcmp(r.text, text, r.text_len) == 0,
		  "scan \"%s\" -> %d [%s] \"%s\" (got %d [%s] \"%s\")",
		  ESC(in), code, enh, ESC(text), r.code, enh_str(&r, e), esc(r.text, r.text_len));
	free(buf);
}

/* Strict parse then format must give 'want'. */
static void
format_is(const char *in, const char *want)
{
	size_t		len = strlen(in);
	char	   *buf = malloc(len + 1);
	char		out[512];
	bounce_reply r;
	bounce_parse_error err;
	size_t		pos;
	size_t		n = 0;

	if (bounce_reply_parse(in, len, &r, buf, &err, &pos))
		n = bounce_reply_format(&r, out, sizeof(out));
	else
		out[0] = '\0';
	CHECK(n == strlen(want) && strcmp(out, want) == 0,
		  "format \"%s\" -> \"%s\" (got \"%s\")", ESC(in), want, ESC(out));
	free(buf);
}

/* Strict forms of SPEC §2 and the brief. */
static void
test_forms(void)
{
	parse_ok("550 5.1.1 <a@b>: User unknown", 550, "5.1.1", "<a@b>: User unknown");
	parse_ok("550-5.1.1 User unknown", 550, "5.1.1", "User unknown");
	parse_ok("550 #5.1.0 Address rejected", 550, "5.1.0", "Address rejected");
	parse_ok("550 User unknown", 550, "", "User unknown");
	parse_ok("550", 550, "", "");
	parse_ok("#550 5.1.1 x", 550, "5.1.1", "x");
	parse_ok("5.1.1", 0, "5.1.1", "");
	parse_ok("#5.1.1", 0, "5.1.1", "");
	parse_ok("5.1.1 User unknown", 0, "5.1.1", "User unknown");
	parse_ok("550 5.1.1", 550, "5.1.1", "");
	parse_ok("  \t550 5.1.1 x \r\n", 550, "5.1.1", "x");
	parse_ok("550\t5.1.1\tx", 550, "5.1.1", "x");
	parse_ok("550  5.1.1   spaced   out", 550, "5.1.1", "spaced out");
	parse_ok("554 30 Sorry", 554, "", "30 Sorry");
	parse_ok("552 1 Requested action", 552, "", "1 Requested action");
	parse_ok("550 4.4.7 class disagrees", 550, "4.4.7", "class disagrees");
	parse_ok("421 4.7.0 Try again later", 421, "4.7.0", "Try again later");
	parse_ok("250 2.1.5 Ok", 250, "2.1.5", "Ok");
	parse_ok("200", 200, "", "");
	parse_ok("599 x", 599, "", "x");
	parse_ok("550 5.999.999 big", 550, "5.999.999", "big");
	parse_ok("550 5.1.10 null mx", 550, "5.1.10", "null mx");
	parse_ok("550 5.7.26 dmarc", 550, "5.7.26", "dmarc");
	parse_ok("550 192.0.2.1 blocked", 550, "", "192.0.2.1 blocked");
	parse_ok("550-", 550, "", "");
	parse_ok("550 #foo", 550, "", "#foo");
	parse_ok("550 5.1.1: colon", 550, "5.1.1", ": colon");
	parse_ok("550 5.1.1. dot", 550, "5.1.1", ". dot");
	parse_ok("550 caf\xc3\xa9 \xff\xfe opaque", 550, "", "caf\xc3\xa9 \xff\xfe opaque");
	parse_ok("550 a\x01" "b\x7f" "c", 550, "", "a b c");
	parse_ok("550\r\n5.1.1 next line", 550, "5.1.1", "next line");
	parse_ok("550 \x1e" "5.1.1 after a control byte", 550, "5.1.1", "after a control byte");
	parse_ok("550\n550-\n5.1.1 x", 550, "5.1.1", "x");
	parse_ok("550\n550-\n5.1.1 a 550 5.1.1 b", 550, "5.1.1", "a b");
	parse_ok("550 \x1e#5.1.1x", 550, "5.1.1", "x");
}

/* Type prefixes of DSN Diagnostic-Code values. */
static void
test_prefixes(void)
{
	parse_ok("smtp; 550 5.1.1 <a@b>... User Unknown", 550, "5.1.1", "<a@b>... User Unknown");
	parse_ok("SMTP;550 5.1.1 x", 550, "5.1.1", "x");
	parse_ok("X-Postfix; 550 x", 550, "", "x");
	parse_ok("x-unix; 5.3.0 x", 0, "5.3.0", "x");
	parse_ok("X-Notes; 550 x", 550, "", "x");
	parse_ok("smtp;   \t 550 5.1.1 x", 550, "5.1.1", "x");
	parse_ok("a_b.c-d; 550 x", 550, "", "x");
	parse_ok("smtp; #5.1.1", 0, "5.1.1", "");
	parse_err("smtp;", BOUNCE_PARSE_EMPTY_AFTER_PREFIX, 5);
	parse_err("smtp;   ", BOUNCE_PARSE_EMPTY_AFTER_PREFIX, 5);
	parse_err("X-Postfix; host x said: 550 y", BOUNCE_PARSE_NO_CODE, 11);
	parse_err("abcdefghijabcdefghijabcdefghijabc; 550", BOUNCE_PARSE_NO_CODE, 0);
	parse_ok("abcdefghijabcdefghijabcdefghijab; 550", 550, "", "");
}

/* Canonical text: lines, continuation prefixes, inline repeats, white space. */
static void
test_canonical(void)
{
	parse_ok("550-5.1.1 line one\r\n550-5.1.1 line two\r\n550 5.1.1 line three",
			 550, "5.1.1", "line one line two line three");
	parse_ok("550-5.1.1 one\n550 5.1.1 two", 550, "5.1.1", "one two");
	parse_ok("550-5.1.1 one\r550 5.1.1 two", 550, "5.1.1", "one two");
	parse_ok("550-5.1.1 one\n550-5.7.1 other code\n550 two", 550, "5.1.1", "one other code two");
	parse_ok("550-first\n550-second\n550 third", 550, "", "first second third");
	parse_ok("550-first\n\n550-\n550 third", 550, "", "first third");
	parse_ok("550-first\n   550 indented", 550, "", "first indented");
	parse_ok("550-first\n551 other code", 550, "", "first 551 other code");
	parse_ok("550-first\n550", 550, "", "first");
	parse_ok("550-5.1.1 The email account does not exist. 550 5.1.1 Please try again",
			 550, "5.1.1", "The email account does not exist. Please try again");
	parse_ok("550-5.1.1 a 550-5.1.1 b 550-5.1.1 c", 550, "5.1.1", "a b c");
	parse_ok("550 5.1.1 a 550 5.1.2 b", 550, "5.1.1", "a 550 5.1.2 b");
	parse_ok("550 5.1.1 a 551 5.1.1 b", 550, "5.1.1", "a 551 5.1.1 b");
	parse_ok("550 5.1.1 a x550 5.1.1 b", 550, "5.1.1", "a x550 5.1.1 b");
	parse_ok("550 5.1.1 a 550 5.1.1b", 550, "5.1.1", "a 550 5.1.1b");
	parse_ok("550 5.1.1 a 550 5.1.1", 550, "5.1.1", "a");
	parse_ok("550 5.1.1 550 5.1.1 550 5.1.1 x", 550, "5.1.1", "x");
	parse_ok("550 a 550 b", 550, "", "a 550 b");
	parse_ok("550 5.2.1 The email account that you tried to reach is disabled. Learn more at 550 5.2.1 https://x",
			 550, "5.2.1", "The email account that you tried to reach is disabled. Learn more at https://x");
	parse_ok("550 a\t\t b \r\n\r\n c", 550, "", "a b c");
	parse_ok("5.1.1 a\n5.1.1 b", 0, "5.1.1", "a 5.1.1 b");
}

/* Malformed input and the error reported. */
static void
test_malformed(void)
{
	parse_err("", BOUNCE_PARSE_EMPTY, 0);
	parse_err("   \r\n\t", BOUNCE_PARSE_EMPTY, 6);
	parse_err("hello", BOUNCE_PARSE_NO_CODE, 0);
	parse_err("User unknown 550", BOUNCE_PARSE_NO_CODE, 0);
	parse_err("55", BOUNCE_PARSE_NO_CODE, 0);
	parse_err("55 x", BOUNCE_PARSE_NO_CODE, 0);
	parse_err("5", BOUNCE_PARSE_NO_CODE, 0);
	parse_err("#", BOUNCE_PARSE_NO_CODE, 1);
	parse_err("# 550", BOUNCE_PARSE_NO_CODE, 1);
	parse_err("  x550", BOUNCE_PARSE_NO_CODE, 2);
	parse_err("150", BOUNCE_PARSE_BAD_BASIC, 0);
	parse_err("150 x", BOUNCE_PARSE_BAD_BASIC, 0);
	parse_err("650 5.1.1", BOUNCE_PARSE_BAD_BASIC, 0);
	parse_err("600", BOUNCE_PARSE_BAD_BASIC, 0);
	parse_err("199", BOUNCE_PARSE_BAD_BASIC, 0);
	parse_err("000", BOUNCE_PARSE_BAD_BASIC, 0);
	parse_err("5500", BOUNCE_PARSE_BAD_BASIC, 0);
	parse_err("5500 x", BOUNCE_PARSE_BAD_BASIC, 0);
	parse_err("550x", BOUNCE_PARSE_BAD_BASIC, 0);
	parse_err("550.5", BOUNCE_PARSE_BAD_BASIC, 0);
	parse_err("#5500", BOUNCE_PARSE_BAD_BASIC, 1);
	parse_err("550 5.1.", BOUNCE_PARSE_BAD_ENHANCED, 8);
	parse_err("550 5.1", BOUNCE_PARSE_BAD_ENHANCED, 7);
	parse_err("550 6.1.1", BOUNCE_PARSE_BAD_ENHANCED, 4);
	parse_err("550 3.1.1 x", BOUNCE_PARSE_BAD_ENHANCED, 4);
	parse_err("550 5.1.1000", BOUNCE_PARSE_BAD_ENHANCED, 11);
	parse_err("550 5.1000.1", BOUNCE_PARSE_BAD_ENHANCED, 9);
	parse_err("550 5.1.1.1", BOUNCE_PARSE_BAD_ENHANCED, 9);
	parse_err("550 #5.1.", BOUNCE_PARSE_BAD_ENHANCED, 9);
	parse_err("550-5..1", BOUNCE_PARSE_BAD_ENHANCED, 6);
	parse_err("5..1", BOUNCE_PARSE_BAD_ENHANCED, 2);
	parse_err("5.1", BOUNCE_PARSE_BAD_ENHANCED, 3);
	parse_err("5.1.", BOUNCE_PARSE_BAD_ENHANCED, 4);
	parse_err("6.1.1", BOUNCE_PARSE_BAD_ENHANCED, 0);
	parse_err("0.0.0", BOUNCE_PARSE_BAD_ENHANCED, 0);
	parse_err("#5.x.1", BOUNCE_PARSE_BAD_ENHANCED, 3);
	parse_err("5.1.1.2 x", BOUNCE_PARSE_BAD_ENHANCED, 5);
	parse_err("550\n5.1. x", BOUNCE_PARSE_BAD_ENHANCED, 8);
	parse_err("smtp; 650 x", BOUNCE_PARSE_BAD_BASIC, 6);
	parse_err("550 \x1e" "5.1. x", BOUNCE_PARSE_BAD_ENHANCED, 4);
	parse_err("550\n550-\n5.1 x", BOUNCE_PARSE_BAD_ENHANCED, 3);
	parse_err("smtp; 550 5.1.", BOUNCE_PARSE_BAD_ENHANCED, 14);
	parse_err_n("550 a\0b", 7, BOUNCE_PARSE_NUL_BYTE, 5);
	parse_err_n("\0", 1, BOUNCE_PARSE_NUL_BYTE, 0);

	{
		size_t		n = BOUNCE_REPLY_MAX_INPUT + 1;
		char	   *big = malloc(n);

		memset(big, 'a', n);
		memcpy(big, "550 ", 4);
		parse_err_n(big, n, BOUNCE_PARSE_TOO_LONG, BOUNCE_REPLY_MAX_INPUT);
		/* exactly the maximum is fine */
		{
			char	   *buf = malloc(n);
			bounce_reply r;
			bounce_parse_error err;
			size_t		pos;

			CHECK(bounce_reply_parse(big, n - 1, &r, buf, &err, &pos) &&
				  r.code == 550 && r.text_len == n - 5,
				  "parse of exactly BOUNCE_REPLY_MAX_INPUT bytes succeeds");
			bounce_reply_scan(big, n, &r, buf);
			CHECK(r.code == 550 && r.text_len == n - 5,
				  "scan of an over-long input works on its first MAX bytes");
			free(buf);
		}
		free(big);
	}
	CHECK(strcmp(bounce_parse_error_message(BOUNCE_PARSE_NO_CODE), "no reply code found") == 0,
		  "error message of NO_CODE");
	CHECK(strcmp(bounce_parse_error_message((bounce_parse_error) 99), "unknown parse error") == 0,
		  "error message of an unknown error");
}

/* Lenient scan on real-looking texts. */
static void
test_scan(void)
{
	scan_is("550 5.1.1 <a@b>: User unknown", 550, "5.1.1", "<a@b>: User unknown");
	scan_is("host mx.example.jp[192.0.2.1] said: 550 5.1.1 <a@b>... User unknown (in reply to RCPT TO command)",
			550, "5.1.1",
			"host mx.example.jp[192.0.2.1] said: <a@b>... User unknown (in reply to RCPT TO command)");
	scan_is("Sorry, no mailbox here by that name. (#5.1.1)", 0, "5.1.1",
			"Sorry, no mailbox here by that name. (#5.1.1)");
	scan_is("Remote host said: 554 delivery error: dd This user doesn't have a yahoo.com account",
			554, "", "Remote host said: 554 delivery error: dd This user doesn't have a yahoo.com account");
	scan_is("User unknown", 0, "", "User unknown");
	scan_is("", 0, "", "");
	scan_is("   ", 0, "", "");
	scan_is("connect to mx.example.org[192.0.2.153]:25: Connection timed out",
			0, "", "connect to mx.example.org[192.0.2.153]:25: Connection timed out");
	scan_is("relay 250.1.1.1 refused", 0, "", "relay 250.1.1.1 refused");
	scan_is("from 192.0.2.153 and 5.1.1.1 too", 0, "", "from 192.0.2.153 and 5.1.1.1 too");
	scan_is("version mxl_mta-5.5.0-3 here", 0, "", "version mxl_mta-5.5.0-3 here");
	scan_is("X-Postfix; host x said: 550 Protocol violation", 550, "",
			"host x said: 550 Protocol violation");
	scan_is("X-Postfix; unknown user: \"kijitora\"", 0, "", "unknown user: \"kijitora\"");
	scan_is("Unable to contact LDAP server. (#4.4.3)I'm not going", 0, "4.4.3",
			"Unable to contact LDAP server. (#4.4.3)I'm not going");
	scan_is("Remote host said: 550-5.7.26 Unauthenticated email\n550-5.7.26 DMARC policy.",
			550, "5.7.26", "Remote host said: Unauthenticated email DMARC policy.");
	scan_is("550 5.1. broken then words", 550, "", "5.1. broken then words");
	scan_is("5500 and 550", 550, "", "5500 and 550");
	scan_is("error 650 then (550)", 550, "", "error 650 then (550)");
	scan_is("at 12:30:00 port 25 year 2024", 0, "", "at 12:30:00 port 25 year 2024");
	scan_is("550x 450y", 0, "", "550x 450y");
	scan_is("connect to mx.example.org[192.0.2.1]:587: Connection refused", 0, "",
			"connect to mx.example.org[192.0.2.1]:587: Connection refused");
	scan_is("from [2001:db8:250:1::2] rejected", 0, "", "from [2001:db8:250:1::2] rejected");
	scan_is("host:465: timeout then said: 421 busy", 421, "", "host:465: timeout then said: 421 busy");
	scan_is("RCPT TO:<a@b>:550 User unknown", 550, "", "RCPT TO:<a@b>:550 User unknown");
	scan_is("said: 421 4.7.0 [TSS04] Messages deferred", 421, "4.7.0",
			"said: [TSS04] Messages deferred");
	scan_is("code=5.7.1, denied", 0, "5.7.1", "code=5.7.1, denied");
	{
		bounce_reply r;
		char		buf[16];

		bounce_reply_scan("a\0b 550 x", 9, &r, buf);
		CHECK(r.code == 550 && r.text_len == 9 && memcmp(r.text, "a b 550 x", 9) == 0,
			  "scan turns a NUL byte into a space");
	}
}

/* Canonical formatting and round trips. */
static void
test_format(void)
{
	char		out[64];
	bounce_reply r;
	size_t		n;

	format_is("550 5.1.1 <a@b>: User unknown", "550 5.1.1 <a@b>: User unknown");
	format_is("smtp; 550-5.1.1 a\r\n550 5.1.1 b", "550 5.1.1 a b");
	format_is("550 User unknown", "550 User unknown");
	format_is("5.1.1 text", "5.1.1 text");
	format_is("550", "550");
	format_is("5.1.1", "5.1.1");
	format_is("#550 #5.1.1", "550 5.1.1");
	format_is("  550\t\tx  ", "550 x");

	r.code = 550;
	r.cls = 5;
	r.subject = 1;
	r.detail = 1;
	r.text = "User unknown";
	r.text_len = 12;
	n = bounce_reply_format(&r, out, 8);
	CHECK(n == 22 && strcmp(out, "550 5.1") == 0,
		  "format truncates like snprintf and returns the full length");
	n = bounce_reply_format(&r, NULL, 0);
	CHECK(n == 22, "format with cap 0 only measures");
	r.code = 0;
	r.cls = 0;
	n = bounce_reply_format(&r, out, sizeof(out));
	CHECK(n == 12 && strcmp(out, "User unknown") == 0, "format of text alone");
}

/* Enhanced codes that do not directly follow the basic code. */
static void
test_inner_enhanced(void)
{
	/* "550:" is how some MTAs write the code; strict accepts it */
	parse_ok("550:", 550, "", "");
	parse_ok("550: 5.1.1 <a@example.jp>... User Unknown", 550, "5.1.1",
			 "<a@example.jp>... User Unknown");
	parse_ok("550:User unknown", 550, "", "User unknown");
	scan_is("550: 5.1.1 <a@example.jp>... User Unknown", 550, "5.1.1",
			"<a@example.jp>... User Unknown");

	/* qmail "(#x.y.z)", repeated code, code after words */
	scan_is("550 sorry, no mailbox here by that name (#5.1.1 - chkusr)", 550, "5.1.1",
			"sorry, no mailbox here by that name (#5.1.1 - chkusr)");
	scan_is("550 Unknown user a@example.ne.jp . (#5.5.0)", 550, "5.5.0",
			"Unknown user a@example.ne.jp . (#5.5.0)");
	scan_is("552 sorry, mailbox a@example.org is over quota temporarily (#5.1.1)", 552, "5.1.1",
			"sorry, mailbox a@example.org is over quota temporarily (#5.1.1)");
	scan_is("554 554 5.7.1 Service unavailable; Client host [192.0.2.49] blocked", 554, "5.7.1",
			"Service unavailable; Client host [192.0.2.49] blocked");
	scan_is("550, ERROR_CODE :5.1.1 <a@example.co.jp>... User Unknown", 550, "5.1.1",
			"ERROR_CODE :5.1.1 <a@example.co.jp>... User Unknown");
	scan_is("501 Rcpt-To validation failed: RCPT TO not accepted: 5.7.1 This system is not configured to relay mail",
			501, "5.7.1",
			"Rcpt-To validation failed: RCPT TO not accepted: 5.7.1 This system is not configured to relay mail");
	scan_is("host mx.example.org said: 550 blocked (#5.7.1)", 550, "5.7.1",
			"host mx.example.org said: 550 blocked (#5.7.1)");
	/* the type's input does the same, so scan and parse agree */
	parse_ok("550 sorry, no mailbox here by that name (#5.1.1 - chkusr)", 550, "5.1.1",
			 "sorry, no mailbox here by that name (#5.1.1 - chkusr)");
	parse_ok("554 554 5.7.1 x", 554, "5.7.1", "x");

	/* not codes: IPs, other classes, dates, versions, glued tokens */
	scan_is("550 host 192.0.2.1 blocked", 550, "", "host 192.0.2.1 blocked");
	scan_is("550 host 5.6.7.8 blocked", 550, "", "host 5.6.7.8 blocked");
	scan_is("550 policy 4.7.1 here", 550, "", "policy 4.7.1 here");
	scan_is("550 since 5.1.2024 blocked", 550, "", "since 5.1.2024 blocked");
	scan_is("550 filter v5.1.1 said no", 550, "", "filter v5.1.1 said no");
	scan_is("550 filter 5.1.1-beta said no", 550, "", "filter 5.1.1-beta said no");
	scan_is("550 see example.org/5.1.1 now", 550, "", "see example.org/5.1.1 now");
	scan_is("250 Postfix 2.3.1 ok", 250, "", "Postfix 2.3.1 ok");
}

/* All reply tests. */
/* A reply built from parts. */
static bounce_reply
parts(int code, int cls, int subject, int detail, const char *text)
{
	bounce_reply r;

	r.code = (uint16_t) code;
	r.cls = (uint8_t) cls;
	r.subject = (uint16_t) subject;
	r.detail = (uint16_t) detail;
	r.text = text;
	r.text_len = strlen(text);
	return r;
}

/* Parts round-trip only when text input reads their output back as them. */
static void
test_round_trip(void)
{
	static char scratch[4096];
	static const struct
	{
		int			code, cls, subject, detail;
		const char *text;
		bool		want;
	}			cases[] = {
		{550, 5, 1, 1, "User unknown", true},
		{550, 0, 0, 0, "", true},
		{0, 4, 2, 2, "Mailbox full", true},
		{550, 5, 1, 1, "see RFC 5321, 4.2.2 and 550", true},
		{550, 0, 0, 0, "4.2.2 x", false},	/* soft after a round trip */
		{552, 0, 0, 0, "5.1.1 x", false},
		{550, 0, 0, 0, "5.1.1.1 four parts", false},
		{550, 5, 1, 1, "550 5.1.1 said twice", false},	/* folded as a repeated reply */
		{550, 5, 1, 1, "two  spaces", false},	/* not canonical */
	};
	size_t		i;
	bounce_reply r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		r = parts(cases[i].code, cases[i].cls, cases[i].subject, cases[i].detail, cases[i].text);
		CHECK(bounce_reply_round_trips(&r, scratch, sizeof(scratch)) == cases[i].want,
			  "round trip of %d %d.%d.%d \"%s\" is %s", cases[i].code, cases[i].cls,
			  cases[i].subject, cases[i].detail, cases[i].text, cases[i].want ? "exact" : "refused");
	}
	r = parts(550, 5, 1, 1, "User unknown");
	CHECK(!bounce_reply_round_trips(&r, scratch, 10), "too little scratch is a refusal, not an overrun");

	CHECK(bounce_utf8_clip("abc", 3, 10) == 3, "utf8 clip: short text stays");
	CHECK(bounce_utf8_clip("ab\xc3\xa9", 4, 3) == 2, "utf8 clip: never inside a 2-byte character");
	CHECK(bounce_utf8_clip("a\xe6\x9d\xb1x", 5, 3) == 1, "utf8 clip: never inside a 3-byte character");
	CHECK(bounce_utf8_clip("a\xe6\x9d\xb1x", 5, 4) == 4, "utf8 clip: after a whole character");
	CHECK(bounce_utf8_clip("ab  cd", 6, 4) == 2, "utf8 clip: trailing spaces dropped");
}

void
test_reply(void)
{
	test_round_trip();
	test_forms();
	test_prefixes();
	test_canonical();
	test_malformed();
	test_scan();
	test_format();
	test_inner_enhanced();
}
