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

/*
 * Key an HMAC-SHA256 state with the secret 'name'.  False when there is no
 * such row.  The state is key material: keep it in backend memory only.
 */
extern bool bounce_secret_hmac(const char *name, bounce_hmac_sha256_ctx *out);

#endif							/* BOUNCE_SECRET_H */
