/*
 * smtp_status.h - on-disk layout of bounce.smtp_status and the helpers the
 * glue files share to move between it and the core's bounce_reply.
 *
 * A datum is a varlena whose payload is 8 bytes of fixed fields (code,
 * subject, detail as uint16, class and a reserved byte as uint8, native byte
 * order) followed by the canonical text, not NUL-terminated.  Fields are
 * read with memcpy, so short (1-byte header, unaligned) varlenas are used in
 * place, without the copy that detoasting to an aligned struct would cost
 * on every call.
 */
#ifndef BOUNCE_SMTP_STATUS_H
#define BOUNCE_SMTP_STATUS_H

#include "postgres.h"
#include "compat.h"
#include "fmgr.h"

#include "core/reply.h"

typedef struct varlena SmtpStatus;

#define SMTP_STATUS_FIXED		8	/* bytes of fixed fields before the text */

#define DatumGetSmtpStatusP(X)		((SmtpStatus *) PG_DETOAST_DATUM_PACKED(X))
#define SmtpStatusPGetDatum(X)		PointerGetDatum(X)
#define PG_GETARG_SMTP_STATUS_P(n)	DatumGetSmtpStatusP(PG_GETARG_DATUM(n))
#define PG_RETURN_SMTP_STATUS_P(x)	return SmtpStatusPGetDatum(x)

/* View a stored status as a core reply (text points into the datum). */
static inline void
smtp_status_as_reply(const SmtpStatus *s, bounce_reply *r)
{
	const char *p = VARDATA_ANY(s);
	uint16		f[3];

	memcpy(f, p, sizeof(f));
	r->code = f[0];
	r->subject = f[1];
	r->detail = f[2];
	r->cls = (uint8) p[6];
	r->text = p + SMTP_STATUS_FIXED;
	r->text_len = VARSIZE_ANY_EXHDR(s) - SMTP_STATUS_FIXED;
}

/* Build a palloc'd datum from a core reply. */
extern SmtpStatus *smtp_status_from_reply(const bounce_reply *r);

/*
 * A status built by the extension from a reply (parse_dsn): cut and read
 * back as text input reads it, so that it restores as the same value.
 */
extern SmtpStatus *smtp_status_restorable(const bounce_reply *r);

/*
 * Parse a string as smtp_status; on bad input reports 22P02 through
 * 'escontext' (a soft error on PG16+, else ERROR) and returns NULL.
 */
extern SmtpStatus *smtp_status_parse(const char *str, size_t len,
									 struct Node *escontext);

#endif							/* BOUNCE_SMTP_STATUS_H */
