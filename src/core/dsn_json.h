/*
 * dsn_json.h - rows of an Amazon SES JSON notification (see dsn_ctx.h).
 */
#ifndef BOUNCE_DSN_JSON_H
#define BOUNCE_DSN_JSON_H

#include "dsn_ctx.h"

/* Read an Amazon SES JSON notification in 'text'; adds rows, returns how many. */
extern int	dsn_json_notification(dsn_ctx *c, const char *text, size_t len);

#endif							/* BOUNCE_DSN_JSON_H */
