/*
 * test_address.c - unit tests of the address normalizer (src/core/address.c).
 *
 * Linked into the one unit binary; its main() calls run_address_tests().
 * Every case is one CHECK() of the harness in unit.h.
 */
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "unit.h"

/* One case: 'in' must normalize to 'want' (NULL: must fail with 'err'). */
static void
check(const char *in, const char *want, bounce_address_error want_err)
{
	char		out[512];
	size_t		out_len = 0;
	size_t		pos = 0;
	bounce_address_error err;
	bool		ok;

	ok = bounce_address_normalize(in, strlen(in), out, &out_len, &err, &pos);
	if (want != NULL)
		CHECK(ok && out_len == strlen(want) && memcmp(out, want, out_len) == 0,
			  "address \"%s\" -> \"%s\" (%s)", ESC(in), ESC(want),
			  ok ? "normalized" : bounce_address_error_message(err));
	else
		CHECK(!ok && err == want_err && pos <= strlen(in),
			  "address \"%s\" rejected: %s (got: %s)", ESC(in),
			  bounce_address_error_message(want_err),
			  ok ? "accepted" : bounce_address_error_message(err));
}

/* Inputs with an embedded NUL cannot go through strlen(): tested apart. */
static void
check_nul(void)
{
	static const char in[] = "a\0b@example.com";
	char		out[sizeof(in)];
	size_t		out_len,
				pos;
	bounce_address_error err;

	CHECK(!bounce_address_normalize(in, sizeof(in) - 1, out, &out_len, &err, &pos) &&
		  err == BOUNCE_ADDR_NUL_BYTE && pos == 1,
		  "address with a NUL byte rejected at its offset");
}

/* The output never needs more room than the input, even when nothing changes. */
static void
check_output_bound(void)
{
	const char *in = "  <Jane.Doe+tag@Example.COM>  ";
	char		out[64];
	size_t		out_len,
				pos;
	bounce_address_error err;

	memset(out, 'X', sizeof(out));
	CHECK(bounce_address_normalize(in, strlen(in), out, &out_len, &err, &pos) &&
		  out_len <= strlen(in) && out[out_len] == 'X',
		  "normalizer writes only out_len bytes");
}

/* The address found in text: its local part is UTF-8, with no CJK label glued on. */
static void
check_find(const char *text, const char *want)
{
	size_t		n = 0;
	const char *a = bounce_address_find(text, strlen(text), &n);

	CHECK(a != NULL && n == strlen(want) && memcmp(a, want, n) == 0,
		  "address in \"%s\" is \"%s\" (got \"%s\")", ESC(text), ESC(want),
		  a ? esc(a, n) : "(none)");
}

/* Entry point called by the unit binary's main(). */
void
run_address_tests(void)
{
	char		longlocal[80];
	char		longaddr[300];
	int			i;

	/* normalization */
	check("jane@example.com", "jane@example.com", BOUNCE_ADDR_OK);
	check("Jane@Example.com", "jane@example.com", BOUNCE_ADDR_OK);
	check("  jane@example.com\t ", "jane@example.com", BOUNCE_ADDR_OK);
	check("<Jane@Example.com>", "jane@example.com", BOUNCE_ADDR_OK);
	check(" < jane@example.com > ", "jane@example.com", BOUNCE_ADDR_OK);
	check("rfc822; JANE@example.com", "jane@example.com", BOUNCE_ADDR_OK);
	check("RFC822;<jane@example.com>", "jane@example.com", BOUNCE_ADDR_OK);
	check("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk", BOUNCE_ADDR_OK);
	check("o'brien@example.ie", "o'brien@example.ie", BOUNCE_ADDR_OK);
	check("\"john doe\"@example.com", "\"john doe\"@example.com", BOUNCE_ADDR_OK);
	check("\"a@b\"@example.com", "\"a@b\"@example.com", BOUNCE_ADDR_OK);
	check("user@[192.0.2.1]", "user@[192.0.2.1]", BOUNCE_ADDR_OK);
	check("user@[IPv6:2001:db8::1]", "user@[ipv6:2001:db8::1]", BOUNCE_ADDR_OK);
	check("postmaster@localhost", "postmaster@localhost", BOUNCE_ADDR_OK);
	check("J\xc3\xb6rg@B\xc3\xbc" "cher.de", "j\xc3\xb6rg@b\xc3\xbc" "cher.de", BOUNCE_ADDR_OK);
	check("x@a-b.example", "x@a-b.example", BOUNCE_ADDR_OK);

	/* addresses in text */
	check_find("Recipient: jane@example.com failed", "jane@example.com");
	check_find("to J\xc3\xb6rg@example.de", "J\xc3\xb6rg@example.de");	/* an SMTPUTF8 local part */
	check_find("\xe6\x94\xb6\xe4\xbb\xb6\xe4\xba\xba\xef\xbc\x9aliu@example.cn", "liu@example.cn");	/* UTF-8 "收件人：" */
	check_find("\xca\xd5\xbc\xfe\xc8\xcb\xa3\xbaliu@example.cn", "liu@example.cn");	/* the same in GBK */
	check_find("\xe3\x80\x80taro@example.jp", "taro@example.jp");	/* an ideographic space */

	/* rejections */
	check("", NULL, BOUNCE_ADDR_EMPTY);
	check("   ", NULL, BOUNCE_ADDR_EMPTY);
	check("<>", NULL, BOUNCE_ADDR_EMPTY);
	check("not an address", NULL, BOUNCE_ADDR_NO_AT);
	check("not an@address.com", NULL, BOUNCE_ADDR_CONTROL_CHAR);
	check("janeexample.com", NULL, BOUNCE_ADDR_NO_AT);
	check("@example.com", NULL, BOUNCE_ADDR_EMPTY_LOCAL);
	check("jane@", NULL, BOUNCE_ADDR_EMPTY_DOMAIN);
	check("<jane@example.com", NULL, BOUNCE_ADDR_UNBALANCED);
	check("jane@example.com>", NULL, BOUNCE_ADDR_UNBALANCED);
	check(".jane@example.com", NULL, BOUNCE_ADDR_BAD_LOCAL);
	check("jane.@example.com", NULL, BOUNCE_ADDR_BAD_LOCAL);
	check("ja..ne@example.com", NULL, BOUNCE_ADDR_BAD_LOCAL);
	check("ja(ne@example.com", NULL, BOUNCE_ADDR_BAD_LOCAL);
	check("a@b@example.com", NULL, BOUNCE_ADDR_BAD_LOCAL);
	check("\"unterminated@example.com", NULL, BOUNCE_ADDR_NO_AT);
	check("jane@example..com", NULL, BOUNCE_ADDR_BAD_DOMAIN);
	check("jane@.example.com", NULL, BOUNCE_ADDR_BAD_DOMAIN);
	check("jane@example.com.", NULL, BOUNCE_ADDR_BAD_DOMAIN);
	check("jane@-example.com", NULL, BOUNCE_ADDR_BAD_DOMAIN);
	check("jane@example-.com", NULL, BOUNCE_ADDR_BAD_DOMAIN);
	check("jane@exa_mple.com", NULL, BOUNCE_ADDR_BAD_DOMAIN);
	check("jane@[192.0.2.1", NULL, BOUNCE_ADDR_BAD_DOMAIN);
	check("jane@exa mple.com", NULL, BOUNCE_ADDR_CONTROL_CHAR);
	check("ja\tne@example.com", NULL, BOUNCE_ADDR_CONTROL_CHAR);

	memset(longlocal, 'a', 65);
	strcpy(longlocal + 65, "@example.com");
	check(longlocal, NULL, BOUNCE_ADDR_LOCAL_TOO_LONG);

	/* 2 + 26 * 10 bytes: every label is short, the whole is too long */
	strcpy(longaddr, "x@");
	for (i = 0; i < 26; i++)
		strcat(longaddr, "bbbbbbbbb.");
	strcat(longaddr, "com");
	check(longaddr, NULL, BOUNCE_ADDR_TOO_LONG);

	check_nul();
	check_output_bound();
}
