/*
 * dsn_base.h - rows, strings, addresses and the words of a text, for the
 * modules of the delivery report reader (see dsn_ctx.h).
 */
#ifndef BOUNCE_DSN_BASE_H
#define BOUNCE_DSN_BASE_H

#include "dsn_ctx.h"

/* Append an empty row (the table grows); NULL when the arena is exhausted. */
extern bounce_dsn_rcpt *dsn_add_row(dsn_ctx *c);

/* Copy a span into the arena, trimmed and NUL-terminated (NULL if empty). */
extern const char *dsn_strdup_trim(dsn_ctx *c, const char *s, size_t len);

/* ASCII case-insensitive equality of two spans of n bytes. */
extern bool dsn_span_ieq(const char *a, const char *b, size_t n);

/* A top-level header field of the notice, unfolded (NULL when absent); fields asked for often are read once. */
extern const char *dsn_header(dsn_ctx *c, const char *name, size_t *len);

/* A header of the notice with its RFC 2047 encoded words decoded (arena). */
extern const char *dsn_decoded_header(dsn_ctx *c, const char *name, size_t *len);

/* The notice's decoded Subject (or From, subject false), read once. */
extern const char *dsn_notice_header(dsn_ctx *c, bool subject, size_t *len);

/* The signs (BOUNCE_SIGN_*) the phrase automaton finds in a text. */
extern uint32_t dsn_signs(dsn_ctx *c, const char *text, size_t len);

/*
 * A finished row's recipient and original recipient, normalized as
 * bounce.events keys them or NULL, the text as written kept in *_raw.
 */
extern void dsn_finish_addresses(dsn_ctx *c, bounce_dsn_rcpt *r);

/* True when a value is an address bounce.events accepts. */
extern bool dsn_is_valid_address(dsn_ctx *c, const char *v);

/* A set of addresses, case-insensitive, in the arena: deduplication in linear time. */
typedef struct dsn_addr_set
{
	const char **a;
	size_t	   *n;
	int			cap;
	int			count;
} dsn_addr_set;

/* An empty set for about 'expected' addresses; false when the arena is full. */
extern bool dsn_addr_set_init(dsn_ctx *c, dsn_addr_set *set, int expected);

/* Add an address; true when it was not in the set yet. */
extern bool dsn_addr_set_add(dsn_addr_set *set, const char *a, size_t n);

/* Is the address in the set? */
extern bool dsn_addr_set_has(const dsn_addr_set *set, const char *a, size_t n);

#endif							/* BOUNCE_DSN_BASE_H */
