/*
 * sha256.h - SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) of the pure C
 * core (no postgres.h, no allocation: every state lives in the caller's
 * struct).
 *
 * The core has no crypto library to lean on, and signed VERP addresses
 * (verp.h) need a keyed hash.  An HMAC state holds the key already mixed
 * in (the inner and outer pads hashed once): a caller that signs many
 * messages with one key prepares it once and copies the struct per message.
 */
#ifndef BOUNCE_SHA256_H
#define BOUNCE_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOUNCE_SHA256_DIGEST 32		/* bytes of a digest */
#define BOUNCE_SHA256_BLOCK 64		/* bytes of a compression block */

/* A running SHA-256. */
typedef struct bounce_sha256_ctx
{
	uint32_t	h[8];			/* chaining value */
	uint64_t	bytes;			/* message length so far */
	uint8_t		block[BOUNCE_SHA256_BLOCK];	/* bytes not yet compressed */
	size_t		used;			/* how many of them */
} bounce_sha256_ctx;

/* A running HMAC-SHA256: the inner hash, and the outer one keyed but empty. */
typedef struct bounce_hmac_sha256_ctx
{
	bounce_sha256_ctx inner;
	bounce_sha256_ctx outer;
} bounce_hmac_sha256_ctx;

extern void bounce_sha256_init(bounce_sha256_ctx *c);
extern void bounce_sha256_update(bounce_sha256_ctx *c, const void *data, size_t len);
/* Pads, writes the digest; the state must be initialized again to reuse it. */
extern void bounce_sha256_final(bounce_sha256_ctx *c, uint8_t out[BOUNCE_SHA256_DIGEST]);
/* One-shot digest of data[0..len). */
extern void bounce_sha256(const void *data, size_t len, uint8_t out[BOUNCE_SHA256_DIGEST]);

/* Key an HMAC (keys longer than a block are hashed first, RFC 2104 §2). */
extern void bounce_hmac_sha256_init(bounce_hmac_sha256_ctx *c, const void *key, size_t key_len);
extern void bounce_hmac_sha256_update(bounce_hmac_sha256_ctx *c, const void *data, size_t len);
extern void bounce_hmac_sha256_final(bounce_hmac_sha256_ctx *c, uint8_t out[BOUNCE_SHA256_DIGEST]);
/* One-shot HMAC of msg[0..len) under key[0..key_len). */
extern void bounce_hmac_sha256(const void *key, size_t key_len, const void *msg,
							   size_t len, uint8_t out[BOUNCE_SHA256_DIGEST]);

/*
 * a[0..n) == b[0..n), in time that depends on n only (no early exit), so a
 * forger cannot learn from the answer's delay how much of a tag was right.
 */
extern bool bounce_equal_ct(const void *a, const void *b, size_t n);

#endif							/* BOUNCE_SHA256_H */
