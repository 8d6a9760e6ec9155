/*
 * verp_reader.h - reading the VERP return address a notice was sent to,
 * under the return path of bounce.config.verp_return (glue; the format is
 * core/verp.h's).  parse_dsn() and bounce.verp_recipient() make this one
 * decision; bounce-ingest asks the latter.
 */
#ifndef BOUNCE_VERP_READER_H
#define BOUNCE_VERP_READER_H

#include "postgres.h"
#include "compat.h"

#include "core/verp.h"

/* What the addresses a notice went to say (bounce.verp_recipient's verdict). */
typedef enum VerpVerdict
{
	VERP_OFF = 0,				/* config.verp_return is NULL: read as usual */
	VERP_NONE,					/* no address of the return path: read as usual */
	VERP_FOUND,					/* a VERP address names the recipient */
	VERP_FORGED,				/* one does not decode, or its tag does not verify */
	VERP_UNSIGNED,				/* signatures are required and none was there */
	VERP_CONFLICT				/* two name different recipients */
} VerpVerdict;

/* The names of the verdicts: off, none, verp, forged, unsigned, conflict. */
extern const char *bounce_verp_verdict_name(VerpVerdict v);

/* True for the verdicts that make a notice give no row. */
#define VERP_REFUSES(v) ((v) >= VERP_FORGED)

/*
 * The settings and the key, read once per query (zero it to start; keep it
 * in the call site's fn_mcxt: it holds key material).
 */
typedef struct VerpReader
{
	bool		loaded;
	bool		on;				/* verp_return is set */
	bool		require_signed;
	char		local[BOUNCE_VERP_LOCAL_MAX + 1];	/* R, lower case */
	size_t		local_len;
	char		domain[BOUNCE_ADDRESS_MAX + 1]; /* H, lower case */
	size_t		domain_len;
	bool		key_loaded;
	bool		key_found;
	bounce_hmac_sha256_ctx key;
} VerpReader;

/* Is VERP reading on (reads the settings the first time)? */
extern bool bounce_verp_reader_on(VerpReader *r);

/*
 * Decide from the n addresses a notice was sent to (as written: any case,
 * brackets); 'out' (BOUNCE_ADDRESS_MAX bytes) receives the recipient,
 * normalized, for VERP_FOUND.
 */
extern VerpVerdict bounce_verp_read(VerpReader *r, int n, const char *const *addrs,
									const size_t *lens, char *out, size_t *out_len);

#endif							/* BOUNCE_VERP_READER_H */
