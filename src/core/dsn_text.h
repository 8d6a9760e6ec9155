/*
 * dsn_text.h - rows of a plain-text bounce (see dsn_ctx.h).
 */
#ifndef BOUNCE_DSN_TEXT_H
#define BOUNCE_DSN_TEXT_H

#include "dsn_ctx.h"

/* Read text part k as a plain-text bounce; adds rows, returns how many. */
extern int	dsn_text_bounce(dsn_ctx *c, int k);

/*
 * A bounce whose prose names no recipient and gives no reply but says that
 * delivery failed: one row for the returned original's recipient.
 */
extern int	dsn_text_returned_rcpt(dsn_ctx *c, int k);

/* The addresses on the recipient lines of text part k's prose, in order (at most max). */
extern int	dsn_text_recipients(dsn_ctx *c, int k, const char **addrs, size_t *lens, int max);

/*
 * The address the returned original was sent to (its envelope, else its
 * To when that is no list's or sender's own), with the evidence that named
 * it: the attached original, else (k a text part) the copy of its headers
 * after text part k's prose; NULL when there is no such original or
 * address.  k = -1: the attached original only.
 */
extern const char *dsn_returned_address(dsn_ctx *c, int k, size_t *an, bounce_dsn_evidence *evidence);

#endif							/* BOUNCE_DSN_TEXT_H */
