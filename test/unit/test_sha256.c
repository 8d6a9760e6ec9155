/*
 * test_sha256.c - unit tests of SHA-256 and HMAC-SHA256 (src/core/sha256.c)
 * with the published vectors: the FIPS 180-4 examples (NIST's "abc",
 * two-block and long messages, plus the empty one) and the seven test cases
 * of RFC 4231.  Also: any split of a message into updates gives the same
 * digest, and the constant-time comparison.
 */
#include "unit.h"

#include "sha256.h"

#include <stdlib.h>

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
static const char *
hex(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t		i;

	for (i = 0; i < n; i++)
	{
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

/* SHA-256 of msg[0..len) must be 'want' (hex). */
static void
check_sha(const char *name, const void *msg, size_t len, const char *want)
{
	uint8_t		d[BOUNCE_SHA256_DIGEST];
	char		got[2 * BOUNCE_SHA256_DIGEST + 1];

	bounce_sha256(msg, len, d);
	hex(d, sizeof(d), got);
	CHECK(strcmp(got, want) == 0, "SHA-256 of %s (got %s)", name, got);
}

/* HMAC-SHA256; the first want_bytes bytes must be 'want' (RFC 4231 truncates case 5). */
static void
check_hmac(const char *name, const uint8_t *key, size_t key_len,
		   const void *msg, size_t len, const char *want, size_t want_bytes)
{
	uint8_t		d[BOUNCE_SHA256_DIGEST];
	char		got[2 * BOUNCE_SHA256_DIGEST + 1];

	bounce_hmac_sha256(key, key_len, msg, len, d);
	hex(d, want_bytes, got);
	CHECK(strcmp(got, want) == 0, "HMAC-SHA256 %s (got %s)", name, got);
}

/* FIPS 180-4 examples (and the empty message). */
static void
test_fips_vectors(void)
{
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char	   *million = malloc(1000000);
	bounce_sha256_ctx c;
	uint8_t		d[BOUNCE_SHA256_DIGEST];
	char		got[2 * BOUNCE_SHA256_DIGEST + 1];
	int			i;

	check_sha("\"abc\"", "abc", 3,
			  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_sha("the empty message", "", 0,
			  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_sha("the 448-bit message", two_blocks, strlen(two_blocks),
			  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', 1000000);
	check_sha("one million 'a'", million, 1000000,
			  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	/* the same million, fed one byte... then 1000 bytes at a time */
	bounce_sha256_init(&c);
	for (i = 0; i < 1000000; i++)
		bounce_sha256_update(&c, "a", 1);
	bounce_sha256_final(&c, d);
	CHECK(strcmp(hex(d, sizeof(d), got),
				 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
		  "SHA-256 of one million 'a' fed one byte at a time");
	bounce_sha256_init(&c);
	for (i = 0; i < 1000; i++)
		bounce_sha256_update(&c, million, 1000);
	bounce_sha256_final(&c, d);
	CHECK(strcmp(hex(d, sizeof(d), got),
				 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
		  "SHA-256 of one million 'a' fed 1000 bytes at a time");
	free(million);
}

/*
 * Every length around the padding boundaries (55, 56, 63, 64, 119, 120 ...)
 * split at every point gives the one-shot digest.
 */
static void
test_splits(void)
{
	uint8_t		msg[200];
	int			len,
				cut,
				bad = 0;

	for (len = 0; len < (int) sizeof(msg); len++)
		msg[len] = (uint8_t) (len * 7 + 1);
	for (len = 0; len <= (int) sizeof(msg); len++)
	{
		uint8_t		whole[BOUNCE_SHA256_DIGEST];

		bounce_sha256(msg, (size_t) len, whole);
		for (cut = 0; cut <= len; cut++)
		{
			bounce_sha256_ctx c;
			uint8_t		d[BOUNCE_SHA256_DIGEST];

			bounce_sha256_init(&c);
			bounce_sha256_update(&c, msg, (size_t) cut);
			bounce_sha256_update(&c, msg + cut, (size_t) (len - cut));
			bounce_sha256_final(&c, d);
			if (memcmp(d, whole, sizeof(d)) != 0)
				bad++;
		}
	}
	CHECK(bad == 0, "SHA-256 of 0..200 bytes split at every point equals the one-shot digest (%d differ)", bad);
}

/* RFC 4231 §4.2-4.8, HMAC-SHA-256 results. */
static void
test_rfc4231(void)
{
	uint8_t		key[131];
	uint8_t		data[50];
	size_t		i;

	memset(key, 0x0b, 20);
	check_hmac("RFC 4231 test case 1", key, 20, "Hi There", strlen("Hi There"),
			   "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32);
	check_hmac("RFC 4231 test case 2 (key shorter than the output)", (const uint8_t *) "Jefe", 4,
			   "what do ya want for nothing?", strlen("what do ya want for nothing?"),
			   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32);
	memset(key, 0xaa, 20);
	memset(data, 0xdd, 50);
	check_hmac("RFC 4231 test case 3", key, 20, data, 50,
			   "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32);
	for (i = 0; i < 25; i++)
		key[i] = (uint8_t) (i + 1);
	memset(data, 0xcd, 50);
	check_hmac("RFC 4231 test case 4", key, 25, data, 50,
			   "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32);
	memset(key, 0x0c, 20);
	check_hmac("RFC 4231 test case 5 (truncated to 128 bits)", key, 20, "Test With Truncation", strlen("Test With Truncation"),
			   "a3b6167473100ee06e0c796c2955552b", 16);
	memset(key, 0xaa, 131);
	check_hmac("RFC 4231 test case 6 (key larger than a block)", key, 131,
			   "Test Using Larger Than Block-Size Key - Hash Key First",
			   strlen("Test Using Larger Than Block-Size Key - Hash Key First"),
			   "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32);
	{
		static const char m7[] = "This is a test using a larger than block-size key and a larger "
			"than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";

		check_hmac("RFC 4231 test case 7 (key and data larger than a block)", key, 131,
				   m7, strlen(m7),
				   "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 32);
	}
}

/* A keyed state copied per message gives what keying afresh gives. */
static void
test_prepared_key(void)
{
	bounce_hmac_sha256_ctx keyed,
				c;
	uint8_t		a[BOUNCE_SHA256_DIGEST],
				b[BOUNCE_SHA256_DIGEST];

	bounce_hmac_sha256_init(&keyed, "Jefe", 4);
	c = keyed;
	bounce_hmac_sha256_update(&c, "what do ya want ", 16);
	bounce_hmac_sha256_update(&c, "for nothing?", 12);
	bounce_hmac_sha256_final(&c, a);
	bounce_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, b);
	CHECK(memcmp(a, b, sizeof(a)) == 0, "HMAC from a copied keyed state, fed in two parts, equals the one-shot");
	c = keyed;
	bounce_hmac_sha256_update(&c, "what do ya want for nothing!", 28);
	bounce_hmac_sha256_final(&c, a);
	CHECK(memcmp(a, b, sizeof(a)) != 0, "HMAC of a message one byte different differs");
}

/* bounce_equal_ct() answers like memcmp() == 0. */
static void
test_equal_ct(void)
{
	CHECK(bounce_equal_ct("abcdef", "abcdef", 6), "equal_ct: equal strings");
	CHECK(!bounce_equal_ct("abcdef", "abcdeg", 6), "equal_ct: last byte differs");
	CHECK(!bounce_equal_ct("xbcdef", "abcdef", 6), "equal_ct: first byte differs");
	CHECK(bounce_equal_ct("a", "b", 0), "equal_ct: nothing to compare is equal");
}

/* Run the group. */
void
run_sha256_tests(void)
{
	test_fips_vectors();
	test_splits();
	test_rfc4231();
	test_prepared_key();
	test_equal_ct();
}
