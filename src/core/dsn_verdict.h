/*
 * dsn_verdict.h - the status and verdict of a finished row (see dsn_ctx.h).
 */
#ifndef BOUNCE_DSN_VERDICT_H
#define BOUNCE_DSN_VERDICT_H

#include "dsn_ctx.h"

/*
 * Finish a row: its status from its reply text and its Status field (the
 * value given, NULL when none), its action normalised, its class and
 * reason from the classifier, then what the report's context adds.
 */
extern void dsn_finish_row(dsn_ctx *c, bounce_dsn_rcpt *r, const char *status_field);

#endif							/* BOUNCE_DSN_VERDICT_H */
