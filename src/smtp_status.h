/*
 * smtp_status.h - on-disk layout of bounce.smtp_status and the helpers the
 * glue files share to move between it and the core's bounce_reply.
 */
#ifndef BOUNCE_SMTP_STATUS_H
#define BOUNCE_SMTP_STATUS_H

#include "postgres.h"
#include "fmgr.h"

#include "core/reply.h"

/*
 * A varlena: fixed header then the canonical text (not NUL-terminated).
 * code == 0 means no basic code, cls == 0 no enhanced code.
 */
typedef struct SmtpStatus
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint16		code;
	uint16		subject;
	uint16		detail;
	uint8		cls;
	uint8		flags;			/* reserved, always 0 */
	char		text[FLEXIBLE_ARRAY_MEMBER];
} SmtpStatus;

#define SMTP_STATUS_HDRSZ			offsetof(SmtpStatus, text)
#define SMTP_STATUS_TEXT_LEN(s)		(VARSIZE(s) - SMTP_STATUS_HDRSZ)

#define DatumGetSmtpStatusP(X)		((SmtpStatus *) PG_DETOAST_DATUM(X))
#define SmtpStatusPGetDatum(X)		PointerGetDatum(X)
#define PG_GETARG_SMTP_STATUS_P(n)	DatumGetSmtpStatusP(PG_GETARG_DATUM(n))
#define PG_RETURN_SMTP_STATUS_P(x)	return SmtpStatusPGetDatum(x)

/* View a stored status as a core reply (text points into the datum). */
static inline void
smtp_status_as_reply(const SmtpStatus *s, bounce_reply *r)
{
	r->code = s->code;
	r->cls = s->cls;
	r->subject = s->subject;
	r->detail = s->detail;
	r->text = s->text;
	r->text_len = SMTP_STATUS_TEXT_LEN(s);
}

/* Build a palloc'd datum from a core reply. */
extern SmtpStatus *smtp_status_from_reply(const bounce_reply *r);

/*
 * Parse a C string as smtp_status; on bad input reports 22P02 through
 * 'escontext' (soft error on PG16+) and returns NULL.
 */
extern SmtpStatus *smtp_status_parse(const char *str, size_t len,
									 struct Node *escontext);

#endif							/* BOUNCE_SMTP_STATUS_H */
