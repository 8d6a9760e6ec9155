/*
 * secret.h - the extension's keys (table bounce.secrets), for the glue.
 *
 * Keys live in a table only its owner can read; the SQL functions that
 * need one are SECURITY DEFINER and hand out HMAC results, never the key.
 * This helper reads a key as the current user, so call it only from such
 * a function (it then runs as the owner).
 */
#ifndef BOUNCE_SECRET_H
#define BOUNCE_SECRET_H

#include "postgres.h"
#include "compat.h"

#include "core/sha256.h"

/* The row of bounce.secrets that signs VERP addresses. */
#define BOUNCE_SECRET_VERP "verp"

/* The row that keys the hashes of forgotten addresses (bounce.forgotten). */
#define BOUNCE_SECRET_ERASURE "erasure"

/*
 * Key an HMAC-SHA256 state with the secret 'name'.  False when there is no
 * such row.  The state is key material: keep it in backend memory only.
 */
extern bool bounce_secret_hmac(const char *name, bounce_hmac_sha256_ctx *out);

/* The same read directly, without SPI or a privilege check (is_suppressed). */
extern bool bounce_secret_hmac_direct(const char *name, bounce_hmac_sha256_ctx *out);

/* HMAC of a normalized address under a keyed state. */
extern void bounce_address_hash(const bounce_hmac_sha256_ctx *key, const char *address,
								uint8 out[BOUNCE_SHA256_DIGEST]);

#endif							/* BOUNCE_SECRET_H */
