/*
 * dsn_rows.h - what the reader's unit tests keep of the rows of one
 * bounce_dsn_parse() call (copies of the strings, at most 8 rows).
 */
#ifndef BOUNCE_TEST_DSN_ROWS_H
#define BOUNCE_TEST_DSN_ROWS_H

#include "dsn.h"

typedef struct got_rows
{
	int			n;
	char		rcpt[8][128];	/* as the report wrote them */
	char		orig[8][128];
	char		key[8][128];	/* the address the sender used, normalized ("" none) */
	const char *evidence[8];
	char		action[8][16];
	int			code[8];
	char		enhanced[8][16];
	bounce_class cls[8];
	bounce_reason reason[8];
} got_rows;

/* The row callback that fills a got_rows (ctx). */
extern void keep_row(void *ctx, const bounce_dsn_rcpt *r);

/* Parse a message with an arena of the advertised size; returns the row count. */
extern int	parse(const char *msg, got_rows *g);

#endif							/* BOUNCE_TEST_DSN_ROWS_H */
