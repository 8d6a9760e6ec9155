/*
 * status_scan.c - bounce.to_status(text): the SMTP reply inside any text,
 * read leniently, as an smtp_status; NULL when the text has no code.
 *
 * For replies that arrive as free text (an ESP's webhook fields, a log
 * line), where the strict cast would throw.  The core's lenient scan
 * (bounce_reply_scan) finds the codes; the value is built so that it
 * restores from pg_dump as the same status (smtp_status_restorable).
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"

#include "smtp_status.h"

PG_FUNCTION_INFO_V1(bounce_to_status);
/* bounce.to_status(text) -> smtp_status, never an error. */
Datum
bounce_to_status(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	char	   *buf;
	bounce_reply r;

	/* the scan reads at most this much; cut at a character boundary */
	if (len > BOUNCE_REPLY_MAX_INPUT)
		len = pg_mbcliplen(s, len, BOUNCE_REPLY_MAX_INPUT);
	buf = palloc(len + 1);
	bounce_reply_scan(s, len, &r, buf);
	if (r.code == 0 && r.cls == 0)
		PG_RETURN_NULL();
	PG_RETURN_SMTP_STATUS_P(smtp_status_restorable(&r));
}
