/*
 * dsn_rows.c - the row collector of the reader's unit tests (dsn_rows.h).
 */
#include "unit.h"

#include <stdlib.h>

#include "dsn_rows.h"

/* Row callback: keep what the tests look at. */
void
keep_row(void *ctx, const bounce_dsn_rcpt *r)
{
	got_rows   *g = (got_rows *) ctx;
	int			i = g->n++;

	if (i >= 8)
		return;
	snprintf(g->rcpt[i], sizeof(g->rcpt[i]), "%s", r->recipient_raw ? r->recipient_raw : "");
	snprintf(g->orig[i], sizeof(g->orig[i]), "%s",
			 r->original_recipient_raw ? r->original_recipient_raw : "");
	snprintf(g->key[i], sizeof(g->key[i]), "%s",
			 r->original_recipient ? r->original_recipient : r->recipient ? r->recipient : "");
	g->evidence[i] = bounce_dsn_evidence_name(r->evidence);
	snprintf(g->action[i], sizeof(g->action[i]), "%s", r->action ? r->action : "");
	g->code[i] = r->status.code;
	if (r->status.cls)
		snprintf(g->enhanced[i], sizeof(g->enhanced[i]), "%d.%d.%d",
				 r->status.cls, r->status.subject, r->status.detail);
	else
		g->enhanced[i][0] = '\0';
	g->cls[i] = r->verdict.cls;
	g->reason[i] = r->verdict.reason;
}

/* Parse a message with an arena of the advertised size. */
int
parse(const char *msg, got_rows *g)
{
	size_t		len = strlen(msg);
	size_t		cap = BOUNCE_DSN_ARENA_SIZE_FOR(len);
	char	   *buf = malloc(cap);
	bounce_arena a;
	int			n;

	memset(g, 0, sizeof(*g));
	bounce_arena_init(&a, buf, cap);
	n = bounce_dsn_parse(msg, len, &a, keep_row, g, NULL);
	free(buf);
	return n;
}

