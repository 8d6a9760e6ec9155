/*
 * test_verp.c - unit tests of VERP return addresses (src/core/verp.c):
 * the format, round trips through every byte a local part may hold,
 * case-mangled addresses, signed forms (a tag checked against an
 * independent HMAC computation), forged, moved and truncated tags,
 * non-canonical and non-VERP inputs, and the 64-octet limit.
 */
#include "unit.h"

#include "verp.h"

static const char test_key[] = "0123456789abcdef0123456789abcdef";

/* The keyed HMAC state of a key string. */
static bounce_hmac_sha256_ctx
keyed(const char *k)
{
	bounce_hmac_sha256_ctx c;

	bounce_hmac_sha256_init(&c, k, strlen(k));
	return c;
}

/* Encode into a static buffer (NUL-terminated); NULL on failure, *f filled. */
static const char *
enc(const char *rl, const char *addr, const char *dom, const bounce_hmac_sha256_ctx *key,
	bounce_verp_failure *f)
{
	static char out[BOUNCE_VERP_MAX + 1];
	size_t		n;
	bounce_verp_failure dummy;

	if (f == NULL)
		f = &dummy;
	if (!bounce_verp_encode(rl, strlen(rl), addr, strlen(addr), dom, strlen(dom), key, out, &n, f))
		return NULL;
	out[n] = '\0';
	return out;
}

/* Parse and verify: the address (static), or NULL when not read or not verified. */
static const char *
dec(const char *in, const bounce_hmac_sha256_ctx *key)
{
	static char out[BOUNCE_ADDRESS_MAX + 1];
	bounce_verp_parsed p;

	if (in == NULL || !bounce_verp_parse(in, strlen(in), &p))
		return NULL;
	if (p.is_signed && !bounce_verp_verify(&p, key))
		return NULL;
	memcpy(out, p.address, p.address_len);
	out[p.address_len] = '\0';
	return out;
}

/* encode(address) must give 'want'. */
static void
check_enc(const char *addr, const bounce_hmac_sha256_ctx *key, const char *want)
{
	const char *got = enc("bounces", addr, "lists.example.org", key, NULL);

	CHECK(got != NULL && strcmp(got, want) == 0, "verp_encode(%s) = %s (got %s)",
		  ESC(addr), ESC(want), got ? ESC(got) : "failure");
}

/* decode(in) must give 'want' (NULL: must not decode). */
static void
check_dec(const char *in, const bounce_hmac_sha256_ctx *key, const char *want)
{
	const char *got = dec(in, key);

	if (in == NULL)
		in = "(encoding failed)";
	if (want == NULL)
		CHECK(got == NULL, "verp_decode(%s) is NULL (got %s)", ESC(in), got ? ESC(got) : "NULL");
	else
		CHECK(got != NULL && strcmp(got, want) == 0, "verp_decode(%s) = %s (got %s)",
			  ESC(in), ESC(want), got ? ESC(got) : "NULL");
}

/* The format, and escapes of specials. */
static void
test_format(void)
{
	check_enc("jane@example.com", NULL, "bounces+jane=example.com@lists.example.org");
	check_enc("  <Jane.Doe@Example.COM> ", NULL, "bounces+jane.doe=example.com@lists.example.org");
	check_enc("a+b=c@example.com", NULL, "bounces+a=2bb=3dc=example.com@lists.example.org");
	check_enc("o'brien@example.com", NULL, "bounces+o=27brien=example.com@lists.example.org");
	check_enc("first_last-x@sub.example.co.uk", NULL, "bounces+first_last-x=sub.example.co.uk@lists.example.org");
	check_enc("\"john doe\"@example.com", NULL, "bounces+=22john=20doe=22=example.com@lists.example.org");
	check_enc("\"a..b\"@example.com", NULL, "bounces+=22a.=2eb=22=example.com@lists.example.org");
	check_enc("\"a...b\"@example.com", NULL, "bounces+=22a.=2e.b=22=example.com@lists.example.org");
	check_enc("\"a\\\"b@c\"@example.com", NULL, "bounces+=22a=5c=22b=40c=22=example.com@lists.example.org");
	check_enc("j\xc3\xb6rg@example.com", NULL, "bounces+j=c3=b6rg=example.com@lists.example.org");

	/* what encodes, decodes */
	check_dec("bounces+jane=example.com@lists.example.org", NULL, "jane@example.com");
	check_dec("bounces+a=2bb=3dc=example.com@lists.example.org", NULL, "a+b=c@example.com");
	check_dec("bounces+=22john=20doe=22=example.com@lists.example.org", NULL, "\"john doe\"@example.com");
	check_dec("bounces+=22a.=2eb=22=example.com@lists.example.org", NULL, "\"a..b\"@example.com");
	check_dec("bounces+j=c3=b6rg=example.com@lists.example.org", NULL, "j\xc3\xb6rg@example.com");
	check_dec("mylist-bounces+jane=example.com@example.org", NULL, "jane@example.com");
	check_dec(" <bounces+jane=example.com@lists.example.org> ", NULL, "jane@example.com");
}

/*
 * Every byte a local part can hold survives the round trip: each atext
 * special in a dot-atom, each byte 0x20-0xff (but '"', '\\' and DEL) in a
 * quoted string, and '"' and '\\' escaped by a backslash in one.
 */
static void
test_round_trips(void)
{
	char		addr[64];
	int			b,
				tried = 0,
				bad = 0;
	const char *specials = "!#$%&'*+-/=?^_`{|}~";
	const char *s;
	bounce_hmac_sha256_ctx k = keyed(test_key);

	for (s = specials; *s; s++)
	{
		const char *e;
		const char *d;

		snprintf(addr, sizeof(addr), "x%cy@example.com", *s);
		tried++;
		e = enc("bounces", addr, "h.example", NULL, NULL);
		d = e ? dec(e, NULL) : NULL;
		if (d == NULL || strcmp(d, addr) != 0)
			bad++;
	}
	CHECK(bad == 0, "every atext special round-trips in a dot-atom (%d of %d fail)", bad, tried);

	tried = bad = 0;
	for (b = 0x20; b <= 0xff; b++)
	{
		const char *e;
		const char *d;

		if (b == '"' || b == '\\' || b == 0x7f)
			continue;
		snprintf(addr, sizeof(addr), "\"a%cb\"@example.com", b);
		if (b >= 'A' && b <= 'Z')
			addr[2] = (char) (b + 32);	/* the normalized form is lower case */
		tried++;
		e = enc("bounces", addr, "h.example", &k, NULL);
		d = e ? dec(e, &k) : NULL;
		if (d == NULL || strcmp(d, addr) != 0)
			bad++;
	}
	CHECK(bad == 0, "every byte 0x20-0xff round-trips in a quoted local part, signed (%d of %d fail)", bad, tried);
	check_dec(enc("bounces", "\"a\\\"b\\\\c\"@example.com", "h.example", NULL, NULL), NULL,
			  "\"a\\\"b\\\\c\"@example.com");
	check_dec(enc("b", "!#$%&'*+-/=?^_`{|}~@e.co", "h.example", NULL, NULL), NULL,
			  "!#$%&'*+-/=?^_`{|}~@e.co");
}

/* MTAs may change the case of a return path: decoding does not mind. */
static void
test_case_mangled(void)
{
	bounce_hmac_sha256_ctx k = keyed(test_key);

	check_dec("BOUNCES+JANE=EXAMPLE.COM@LISTS.EXAMPLE.ORG", NULL, "jane@example.com");
	check_dec("Bounces+A=2Bb=3Dc=Example.Com@Lists.Example.Org", NULL, "a+b=c@example.com");
	check_dec("BOUNCES+A=2BB=3DC=EXAMPLE.COM+KK3X6TQ6OS@LISTS.EXAMPLE.ORG", &k, "a+b=c@example.com");
	check_dec("bounces+a=2bb=3dc=example.com+Kk3X6tQ6oS@lists.example.org", &k, "a+b=c@example.com");
}

/* Signed forms: the tag is HMAC-SHA256's first 50 bits, base32; forgeries fail. */
static void
test_signed(void)
{
	bounce_hmac_sha256_ctx k = keyed(test_key);
	bounce_hmac_sha256_ctx other = keyed("another key, another key, another");
	bounce_verp_parsed p;
	const char *s;

	/* tags computed apart, by base32(HMAC-SHA256(key, address))[:10] */
	check_enc("jane@example.com", &k, "bounces+jane=example.com+4vhm3auf33@lists.example.org");
	check_enc("Jane@EXAMPLE.com", &k, "bounces+jane=example.com+4vhm3auf33@lists.example.org");
	check_enc("a+b=c@example.com", &k, "bounces+a=2bb=3dc=example.com+kk3x6tq6os@lists.example.org");

	check_dec("bounces+jane=example.com+4vhm3auf33@lists.example.org", &k, "jane@example.com");
	s = "bounces+jane=example.com+4vhm3auf33@lists.example.org";
	CHECK(bounce_verp_parse(s, strlen(s), &p) && p.is_signed && bounce_verp_verify(&p, &k),
		  "a signed address parses as signed and verifies");
	CHECK(!bounce_verp_verify(&p, &other), "... and does not verify under another key");
	CHECK(!bounce_verp_verify(&p, NULL), "... nor without a key");
	s = "bounces+jane=example.com@lists.example.org";
	CHECK(bounce_verp_parse(s, strlen(s), &p) && !p.is_signed && !bounce_verp_verify(&p, &k),
		  "an unsigned address parses as unsigned, and verify() says it is not signed");

	/* forged: a wrong character, a tag moved to another address, a tag guessed */
	check_dec("bounces+jane=example.com+4vhm3auf34@lists.example.org", &k, NULL);
	check_dec("bounces+jane=example.com+5vhm3auf33@lists.example.org", &k, NULL);
	check_dec("bounces+john=example.com+4vhm3auf33@lists.example.org", &k, NULL);
	check_dec("bounces+jane=example.org+4vhm3auf33@lists.example.org", &k, NULL);
	check_dec("bounces+jane=example.com+aaaaaaaaaa@lists.example.org", &k, NULL);
	/* truncated, padded, outside the alphabet, empty, two tags */
	check_dec("bounces+jane=example.com+4vhm3auf3@lists.example.org", &k, NULL);
	check_dec("bounces+jane=example.com+4vhm3auf333@lists.example.org", &k, NULL);
	check_dec("bounces+jane=example.com+4vhm3auf31@lists.example.org", &k, NULL);
	check_dec("bounces+jane=example.com+@lists.example.org", &k, NULL);
	check_dec("bounces+jane=example.com+4vhm3auf33+4vhm3auf33@lists.example.org", &k, NULL);
	/* the return parts are not signed: another list's address still names jane */
	check_dec("other+jane=example.com+4vhm3auf33@elsewhere.example", &k, "jane@example.com");
}

/* Not VERP of this scheme, or not its canonical spelling: no address. */
static void
test_not_verp(void)
{
	check_dec("jane@example.com", NULL, NULL);
	check_dec("bounces+jane@lists.example.org", NULL, NULL);
	check_dec("bounces=jane=example.com@lists.example.org", NULL, NULL);
	check_dec("+jane=example.com@lists.example.org", NULL, NULL);
	check_dec("bounces+=example.com@lists.example.org", NULL, NULL);
	check_dec("bounces+jane=@lists.example.org", NULL, NULL);
	check_dec("bounces+jane=localhost@lists.example.org", NULL, NULL);
	check_dec("bounces+jane=exa_mple.com@lists.example.org", NULL, NULL);
	check_dec("bounces+a=zz=example.com@lists.example.org", NULL, NULL);
	check_dec("bounces+a=2=example.com@lists.example.org", NULL, NULL);
	check_dec("bounces+a=00b=example.com@lists.example.org", NULL, NULL);
	check_dec("bounces+=6aane=example.com@lists.example.org", NULL, NULL);	/* "j" escaped */
	check_dec("bounces+a=2Bb=example.com@lists.example.org", NULL, "a+b@example.com");	/* case only */
	check_dec("bounces+a..b=example.com@lists.example.org", NULL, NULL);
	check_dec("bounces+a.=2eb=example.com@lists.example.org", NULL, NULL);	/* dot-atom "a..b" is no address */
	check_dec("bou..nces+jane=example.com@lists.example.org", NULL, NULL);
	check_dec("\"bounces+jane=example.com\"@lists.example.org", NULL, NULL);
	check_dec("bounces+jane=example.com@[192.0.2.1]", NULL, NULL);
	check_dec("", NULL, NULL);
	check_dec("not an address", NULL, NULL);
	check_dec("bounces+jane=example.com", NULL, NULL);
}

/* Encoding errors, and the 64-octet limit with the length it would have. */
static void
test_errors(void)
{
	bounce_hmac_sha256_ctx k = keyed(test_key);
	bounce_verp_failure f;
	char		addr[200];
	char		host[300];

	CHECK(enc("bou+nces", "a@example.com", "h.example", NULL, &f) == NULL && f.err == BOUNCE_VERP_BAD_RETURN_LOCAL,
		  "a return local part with '+' is refused");
	CHECK(enc("b=x", "a@example.com", "h.example", NULL, &f) == NULL && f.err == BOUNCE_VERP_BAD_RETURN_LOCAL,
		  "a return local part with '=' is refused");
	CHECK(enc("", "a@example.com", "h.example", NULL, &f) == NULL && f.err == BOUNCE_VERP_BAD_RETURN_LOCAL,
		  "an empty return local part is refused");
	CHECK(enc("a..b", "a@example.com", "h.example", NULL, &f) == NULL && f.err == BOUNCE_VERP_BAD_RETURN_LOCAL,
		  "a return local part with two dots in a row is refused");
	CHECK(enc("bounces", "a@example.com", "-h.example", NULL, &f) == NULL && f.err == BOUNCE_VERP_BAD_RETURN_DOMAIN,
		  "a return domain starting with '-' is refused");
	CHECK(enc("bounces", "a@example.com", "[192.0.2.1]", NULL, &f) == NULL && f.err == BOUNCE_VERP_BAD_RETURN_DOMAIN,
		  "an address literal as return domain is refused");
	CHECK(enc("bounces", "a@example.com", "", NULL, &f) == NULL && f.err == BOUNCE_VERP_BAD_RETURN_DOMAIN,
		  "an empty return domain is refused");
	CHECK(enc("bounces", "no address", "h.example", NULL, &f) == NULL &&
		  f.err == BOUNCE_VERP_BAD_ADDRESS && f.addr_err == BOUNCE_ADDR_NO_AT,
		  "a recipient that is not an address is refused, saying why");
	CHECK(enc("bounces", "a@[192.0.2.1]", "h.example", NULL, &f) == NULL && f.err == BOUNCE_VERP_BAD_DOMAIN,
		  "a recipient at an address literal is refused");
	CHECK(enc("bounces", "a@localhost", "h.example", NULL, &f) == NULL && f.err == BOUNCE_VERP_BAD_DOMAIN,
		  "a recipient at a dotless domain is refused");
	CHECK(enc("bounces", "a@b\xc3\xbc" "cher.example", "h.example", NULL, &f) == NULL && f.err == BOUNCE_VERP_BAD_DOMAIN,
		  "a recipient at a UTF-8 domain is refused (its xn-- form is not)");
	check_enc("a@xn--bcher-kva.example", NULL, "bounces+a=xn--bcher-kva.example@lists.example.org");

	/* 7 + 1 + 44 + 1 + 11 = 64: fits; one more byte does not */
	memset(addr, 'a', 44);
	strcpy(addr + 44, "@example.com");
	CHECK(enc("bounces", addr, "h.example", NULL, &f) != NULL && strlen(enc("bounces", addr, "h.example", NULL, &f)) == 64 + 10,
		  "a local part of exactly 64 octets is encoded");
	CHECK(enc("bounces", addr, "h.example", &k, &f) == NULL && f.err == BOUNCE_VERP_LOCAL_TOO_LONG && f.would_be == 75,
		  "... signed it would be 75 octets: refused, saying so (would_be %zu)", f.would_be);
	memset(addr, 'a', 45);
	strcpy(addr + 45, "@example.com");
	CHECK(enc("bounces", addr, "h.example", NULL, &f) == NULL && f.err == BOUNCE_VERP_LOCAL_TOO_LONG && f.would_be == 65,
		  "65 octets are refused (would_be %zu)", f.would_be);
	/* escapes count three octets each */
	memset(addr, '+', 16);
	strcpy(addr + 16, "@example.com");
	CHECK(enc("bounces", addr, "h.example", NULL, &f) == NULL && f.err == BOUNCE_VERP_LOCAL_TOO_LONG && f.would_be == 68,
		  "16 escaped '+' take 48 octets: 68 in all, refused (would_be %zu)", f.would_be);
	/* the whole address stays within 254 bytes */
	memset(host, 'h', 60);
	host[60] = '.';
	memset(host + 61, 'h', 60);
	host[121] = '.';
	memset(host + 122, 'h', 60);
	host[182] = '.';
	memset(host + 183, 'h', 60);
	strcpy(host + 243, ".example");
	CHECK(enc("bounces", "a@example.com", host, NULL, &f) == NULL && f.err == BOUNCE_VERP_TOO_LONG && f.would_be == 21 + 1 + 251,
		  "an address over 254 bytes is refused (would_be %zu)", f.would_be);
	CHECK(strcmp(bounce_verp_error_message(BOUNCE_VERP_LOCAL_TOO_LONG),
				 "the local part would be longer than the 64 octets RFC 5321 allows") == 0,
		  "error messages are English sentences");
}

/* Run the group. */
void
run_verp_tests(void)
{
	test_format();
	test_round_trips();
	test_case_mangled();
	test_signed();
	test_not_verp();
	test_errors();
}
