/*
 * fuzz_verp.c - libFuzzer harness of VERP addresses (src/core/verp.c).
 *
 * Every input is both read as a VERP address and encoded as a recipient.
 * Checks: what parses is a normalized address that encodes and parses back
 * to itself; what encodes fits 64 octets of local part and 254 bytes,
 * parses back to the normalized recipient, and, signed, verifies under its
 * key only (a changed tag character or another key fails).
 */
#include "verp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless cond: libFuzzer and the replay both report the crash. */
#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

/* Encode addr[0..n) (signed when key), then check it reads back. */
static void
round_trip(const char *addr, size_t n, const bounce_hmac_sha256_ctx *key,
		   const bounce_hmac_sha256_ctx *other)
{
	char		out[BOUNCE_VERP_MAX];
	char		norm[BOUNCE_VERP_INPUT_MAX];
	size_t		len,
				norm_len,
				pos,
				at;
	bounce_verp_failure f;
	bounce_verp_parsed p;
	bounce_address_error err;

	if (!bounce_verp_encode("bounces", 7, addr, n, "lists.example.org", 17, key, out, &len, &f))
	{
		REQUIRE(f.err != BOUNCE_VERP_OK);
		REQUIRE(bounce_verp_error_message(f.err) != NULL);
		if (f.err == BOUNCE_VERP_LOCAL_TOO_LONG)
			REQUIRE(f.would_be > BOUNCE_VERP_LOCAL_MAX);
		return;
	}
	REQUIRE(len <= BOUNCE_VERP_MAX);
	at = (size_t) ((char *) memchr(out, '@', len) - out);
	REQUIRE(at <= BOUNCE_VERP_LOCAL_MAX);
	REQUIRE(bounce_verp_parse(out, len, &p));
	REQUIRE(p.is_signed == (key != NULL));
	REQUIRE(n <= sizeof(norm) && bounce_address_normalize(addr, n, norm, &norm_len, &err, &pos));
	REQUIRE(p.address_len == norm_len && memcmp(p.address, norm, norm_len) == 0);
	if (key != NULL)
	{
		REQUIRE(bounce_verp_verify(&p, key));
		REQUIRE(!bounce_verp_verify(&p, other));
		p.tag[0] = p.tag[0] == 'a' ? 'b' : 'a';
		REQUIRE(!bounce_verp_verify(&p, key));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bounce_hmac_sha256_ctx key,
				other;
	bounce_verp_parsed p;

	bounce_hmac_sha256_init(&key, "fuzz key", 8);
	bounce_hmac_sha256_init(&other, "another key", 11);
	if (bounce_verp_parse((const char *) data, size, &p))
	{
		/* what parses is normalized, and encodes back to itself */
		char		norm[BOUNCE_ADDRESS_MAX];
		size_t		n,
					pos;
		bounce_address_error err;

		REQUIRE(bounce_address_normalize(p.address, p.address_len, norm, &n, &err, &pos));
		REQUIRE(n == p.address_len && memcmp(norm, p.address, n) == 0);
		round_trip(p.address, p.address_len, NULL, &other);
	}
	round_trip((const char *) data, size, NULL, &other);
	round_trip((const char *) data, size, &key, &other);
	return 0;
}
