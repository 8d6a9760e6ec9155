/*
 * smtp_status.c - the bounce.smtp_status type: text and binary I/O,
 * comparison and hash support, casts, constructor and accessors.
 *
 * Parsing lives in the core (src/core/reply.c); this file only moves bytes
 * between PostgreSQL and the core and turns parse failures into errors.
 */
#include "postgres.h"
#include "compat.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "smtp_status.h"

/* First byte of the binary format; bump it when the layout changes. */
#define SMTP_STATUS_SEND_VERSION 1

/* Allocate a datum with room for 'text_len' bytes of text. */
static SmtpStatus *
smtp_status_alloc(size_t text_len)
{
	Size		total = VARHDRSZ + SMTP_STATUS_FIXED + text_len;
	SmtpStatus *s = (SmtpStatus *) palloc(total);

	SET_VARSIZE(s, total);
	return s;
}

/* Write the fixed fields of 'r' into a datum allocated for it. */
static void
smtp_status_set_fixed(SmtpStatus *s, const bounce_reply *r)
{
	char	   *p = VARDATA(s);
	uint16		f[3];

	f[0] = r->code;
	f[1] = r->subject;
	f[2] = r->detail;
	memcpy(p, f, sizeof(f));
	p[6] = (char) r->cls;
	p[7] = 0;
}

/* Build a palloc'd datum from a core reply. */
SmtpStatus *
smtp_status_from_reply(const bounce_reply *r)
{
	SmtpStatus *s = smtp_status_alloc(r->text_len);

	smtp_status_set_fixed(s, r);
	if (r->text_len > 0)
		memcpy(VARDATA(s) + SMTP_STATUS_FIXED, r->text, r->text_len);
	return s;
}

/*
 * Parse into a datum allocated once: the canonical text is never longer than
 * the input, so the core writes it straight into the result.
 */
SmtpStatus *
smtp_status_parse(const char *str, size_t len, struct Node *escontext)
{
	SmtpStatus *s;
	bounce_reply r;
	bounce_parse_error err;
	size_t		err_pos;

	if (len > BOUNCE_REPLY_MAX_INPUT)
		len = BOUNCE_REPLY_MAX_INPUT + 1;	/* the core reports TOO_LONG */
	s = smtp_status_alloc(len);
	if (!bounce_reply_parse(str, len, &r,
							VARDATA(s) + SMTP_STATUS_FIXED, &err, &err_pos))
	{
		const char *msg = bounce_parse_error_message(err);

		pfree(s);
		ereturn(escontext, NULL,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%.*s\"",
						"smtp_status", (int) Min(len, 200), str),
				 errdetail("%c%s at byte %zu.",
						   pg_toupper((unsigned char) msg[0]), msg + 1,
						   err_pos + 1),
				 errhint("A status looks like \"550 5.1.1 User unknown\", \"550\", \"5.1.1\" or \"smtp; 550 ...\".")));
	}
	smtp_status_set_fixed(s, &r);
	SET_VARSIZE(s, VARHDRSZ + SMTP_STATUS_FIXED + r.text_len);
	return s;
}

/* Canonical text of a status, palloc'd and NUL-terminated. */
static char *
smtp_status_cstring(const SmtpStatus *s)
{
	bounce_reply r;
	size_t		need;
	char	   *buf;

	smtp_status_as_reply(s, &r);
	need = r.text_len + 32;
	buf = palloc(need);
	bounce_reply_format(&r, buf, need);
	return buf;
}

/*
 * Refuse (22P02) a status built from parts (constructor, binary receive)
 * unless text input reads its output back as the same value: pg_dump
 * writes text, so anything else would fail to restore or restore as a
 * different status (e.g. 550 with a message "4.2.2 x" reads back as a
 * soft 550 4.2.2).
 */
static void
smtp_status_check_round_trip(const bounce_reply *r, const char *source)
{
	size_t		cap = BOUNCE_REPLY_ROUND_TRIP_SCRATCH(r);
	char	   *scratch = palloc(cap);

	if (!bounce_reply_round_trips(r, scratch, cap))
	{
		size_t		n = bounce_reply_format(r, scratch, cap);

		if (n > BOUNCE_REPLY_MAX_INPUT)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid %s for type %s: the status is too long", source, "smtp_status"),
					 errdetail("Its text form has %zu bytes; text input accepts up to %d.",
							   n, BOUNCE_REPLY_MAX_INPUT)));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s for type %s: \"%.*s\" would read back as a different status",
						source, "smtp_status", (int) Min(n, 200), scratch),
				 errdetail("Text input, which pg_dump relies on, reads the codes and the message differently."),
				 errhint("A message must not start with a reply code or an enhanced status code of its own.")));
	}
	pfree(scratch);
}

/*
 * A status the extension builds itself (parse_dsn from a Diagnostic-Code):
 * its canonical text, cut to what text input accepts (at a character
 * boundary of the database encoding), read back by text input, so the
 * stored value is exactly what a restore gives.  r->text must be valid in
 * the database encoding.
 */
SmtpStatus *
smtp_status_restorable(const bounce_reply *r)
{
	size_t		cap = r->text_len + 32;
	char	   *buf = palloc(2 * cap);
	size_t		n = bounce_reply_format(r, buf, cap);
	bounce_reply back;
	bounce_parse_error err;
	size_t		pos;
	SmtpStatus *s;

	if (n > BOUNCE_REPLY_MAX_INPUT)
	{
		n = pg_mbcliplen(buf, (int) n, BOUNCE_REPLY_MAX_INPUT);
		while (n > 0 && buf[n - 1] == ' ')
			n--;
	}
	if (bounce_reply_parse(buf, n, &back, buf + cap, &err, &pos))
		s = smtp_status_from_reply(&back);
	else
	{
		/* cannot happen for a reply with a code; keep the codes only */
		bounce_reply codes = *r;

		codes.text_len = 0;
		s = smtp_status_from_reply(&codes);
	}
	pfree(buf);
	return s;
}

PG_FUNCTION_INFO_V1(smtp_status_in);
/* Text input: "550 5.1.1 User unknown" and every form the SPEC lists. */
Datum
smtp_status_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	SmtpStatus *s;

	s = smtp_status_parse(str, strlen(str), fcinfo->context);
	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_SMTP_STATUS_P(s);
}

PG_FUNCTION_INFO_V1(smtp_status_out);
/* Text output, canonical: "550 5.1.1 text" on one line. */
Datum
smtp_status_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(smtp_status_cstring(PG_GETARG_SMTP_STATUS_P(0)));
}

PG_FUNCTION_INFO_V1(smtp_status_recv);
/*
 * Binary input: version byte, code, class, subject, detail, text.  Every
 * field is checked, as a client can send anything.
 */
Datum
smtp_status_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	bounce_reply r;
	int			version;
	int			code,
				cls,
				subject,
				detail;
	const char *text;
	int			text_len;
	int			i;

	version = pq_getmsgbyte(buf);
	if (version != SMTP_STATUS_SEND_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type %s",
						version, "smtp_status"),
				 errdetail("This server reads version %d.", SMTP_STATUS_SEND_VERSION)));
	code = pq_getmsgint(buf, 2);
	cls = pq_getmsgbyte(buf);
	subject = pq_getmsgint(buf, 2);
	detail = pq_getmsgint(buf, 2);
	text_len = buf->len - buf->cursor;
	text = pq_getmsgbytes(buf, text_len);

	if (code != 0 && !bounce_basic_valid(code))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid basic reply code %d in external \"%s\" value",
						code, "smtp_status")));
	if (cls != 0 ? !bounce_enhanced_valid(cls, subject, detail)
		: (subject != 0 || detail != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid enhanced status code %d.%d.%d in external \"%s\" value",
						cls, subject, detail, "smtp_status")));
	if (code == 0 && cls == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("external \"%s\" value has neither a basic nor an enhanced code",
						"smtp_status")));
	/* as textrecv does: converted from the client encoding, so verified */
	if (text_len > 0)
	{
		char	   *conv = pg_client_to_server(text, text_len);

		if (conv != text)
		{
			text = conv;
			text_len = strlen(conv);
		}
	}
	/* canonical text is one line, single-spaced, trimmed, with no NUL */
	for (i = 0; i < text_len; i++)
	{
		unsigned char c = (unsigned char) text[i];

		if (c < 0x20 || c == 0x7f ||
			(c == ' ' && (i == 0 || i == text_len - 1 || text[i - 1] == ' ')))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("external \"%s\" value has non-canonical text",
							"smtp_status"),
					 errdetail("Byte %d is a control character or extra white space.", i + 1)));
	}
	r.code = (uint16) code;
	r.cls = (uint8) cls;
	r.subject = (uint16) subject;
	r.detail = (uint16) detail;
	r.text = text;
	r.text_len = text_len;
	smtp_status_check_round_trip(&r, "external value");
	PG_RETURN_SMTP_STATUS_P(smtp_status_from_reply(&r));
}

PG_FUNCTION_INFO_V1(smtp_status_send);
/* Binary output, the layout smtp_status_recv reads. */
Datum
smtp_status_send(PG_FUNCTION_ARGS)
{
	SmtpStatus *s = PG_GETARG_SMTP_STATUS_P(0);
	bounce_reply r;
	StringInfoData buf;

	smtp_status_as_reply(s, &r);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SMTP_STATUS_SEND_VERSION);
	pq_sendint16(&buf, r.code);
	pq_sendbyte(&buf, r.cls);
	pq_sendint16(&buf, r.subject);
	pq_sendint16(&buf, r.detail);
	pq_sendbytes(&buf, r.text, r.text_len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Order: basic code, enhanced class, subject, detail, then text bytewise. */
static int
smtp_status_cmp_internal(const SmtpStatus *a, const SmtpStatus *b)
{
	bounce_reply ra,
				rb;
	int			c;

	smtp_status_as_reply(a, &ra);
	smtp_status_as_reply(b, &rb);
	if (ra.code != rb.code)
		return ra.code < rb.code ? -1 : 1;
	if (ra.cls != rb.cls)
		return ra.cls < rb.cls ? -1 : 1;
	if (ra.subject != rb.subject)
		return ra.subject < rb.subject ? -1 : 1;
	if (ra.detail != rb.detail)
		return ra.detail < rb.detail ? -1 : 1;
	c = memcmp(ra.text, rb.text, Min(ra.text_len, rb.text_len));
	if (c != 0)
		return c < 0 ? -1 : 1;
	if (ra.text_len != rb.text_len)
		return ra.text_len < rb.text_len ? -1 : 1;
	return 0;
}

/* Equality is byte equality of the payload (the reserved byte is always 0). */
static bool
smtp_status_eq_internal(const SmtpStatus *a, const SmtpStatus *b)
{
	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

/* Define an SQL-callable comparison operator function from an expression. */
#define SMTP_STATUS_CMP_FN(name, expr) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	SmtpStatus *a = PG_GETARG_SMTP_STATUS_P(0); \
	SmtpStatus *b = PG_GETARG_SMTP_STATUS_P(1); \
	bool		result = (expr); \
	PG_FREE_IF_COPY(a, 0); \
	PG_FREE_IF_COPY(b, 1); \
	PG_RETURN_BOOL(result); \
}

SMTP_STATUS_CMP_FN(smtp_status_eq, smtp_status_eq_internal(a, b))
SMTP_STATUS_CMP_FN(smtp_status_ne, !smtp_status_eq_internal(a, b))
SMTP_STATUS_CMP_FN(smtp_status_lt, smtp_status_cmp_internal(a, b) < 0)
SMTP_STATUS_CMP_FN(smtp_status_le, smtp_status_cmp_internal(a, b) <= 0)
SMTP_STATUS_CMP_FN(smtp_status_gt, smtp_status_cmp_internal(a, b) > 0)
SMTP_STATUS_CMP_FN(smtp_status_ge, smtp_status_cmp_internal(a, b) >= 0)

PG_FUNCTION_INFO_V1(smtp_status_cmp);
/* btree support function 1. */
Datum
smtp_status_cmp(PG_FUNCTION_ARGS)
{
	SmtpStatus *a = PG_GETARG_SMTP_STATUS_P(0);
	SmtpStatus *b = PG_GETARG_SMTP_STATUS_P(1);
	int			result = smtp_status_cmp_internal(a, b);

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	PG_RETURN_INT32(result);
}

PG_FUNCTION_INFO_V1(smtp_status_hash);
/* hash support function 1: the whole payload, consistent with equality. */
Datum
smtp_status_hash(PG_FUNCTION_ARGS)
{
	SmtpStatus *s = PG_GETARG_SMTP_STATUS_P(0);

	return hash_any((const unsigned char *) VARDATA_ANY(s), VARSIZE_ANY_EXHDR(s));
}

PG_FUNCTION_INFO_V1(smtp_status_hash_extended);
/* hash support function 2 (seeded 64-bit hash). */
Datum
smtp_status_hash_extended(PG_FUNCTION_ARGS)
{
	SmtpStatus *s = PG_GETARG_SMTP_STATUS_P(0);

	return hash_any_extended((const unsigned char *) VARDATA_ANY(s),
							 VARSIZE_ANY_EXHDR(s), PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(smtp_status_from_text);
/* Cast text -> smtp_status (strict, like the input function). */
Datum
smtp_status_from_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_SMTP_STATUS_P(smtp_status_parse(VARDATA_ANY(t),
											  VARSIZE_ANY_EXHDR(t), NULL));
}

PG_FUNCTION_INFO_V1(smtp_status_to_text);
/* Cast smtp_status -> text: the canonical output. */
Datum
smtp_status_to_text(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(smtp_status_cstring(PG_GETARG_SMTP_STATUS_P(0))));
}

/*
 * Canonical message text for the constructor: control characters become
 * spaces, runs of white space one space, ends trimmed (as the parser does).
 * Returns the length written to 'out', which has room for 'len' bytes.
 */
static size_t
canonical_message(const char *in, size_t len, char *out)
{
	size_t		n = 0;
	size_t		i;
	bool		pending_space = false;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) in[i];

		if (c <= 0x20 || c == 0x7f)
		{
			pending_space = (n > 0);
			continue;
		}
		if (pending_space)
			out[n++] = ' ';
		pending_space = false;
		out[n++] = (char) c;
	}
	return n;
}

PG_FUNCTION_INFO_V1(smtp_status_make);
/*
 * bounce.smtp_status(code int, enhanced text, message text): build a status
 * from its parts; code or enhanced may be NULL, not both.
 */
Datum
smtp_status_make(PG_FUNCTION_ARGS)
{
	bounce_reply r;
	char	   *msgbuf = NULL;

	memset(&r, 0, sizeof(r));
	if (!PG_ARGISNULL(0))
	{
		int32		code = PG_GETARG_INT32(0);

		if (!bounce_basic_valid(code))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid basic reply code %d", code),
					 errdetail("A basic reply code is a number from 200 to 599.")));
		r.code = (uint16) code;
	}
	if (!PG_ARGISNULL(1))
	{
		text	   *e = PG_GETARG_TEXT_PP(1);
		char	   *estr = text_to_cstring(e);
		bounce_reply er;
		bounce_parse_error err;
		size_t		pos;
		char	   *tmp = palloc(strlen(estr) + 1);

		if (!bounce_reply_parse(estr, strlen(estr), &er, tmp, &err, &pos) ||
			er.code != 0 || er.cls == 0 || er.text_len != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid enhanced status code \"%s\"", estr),
					 errdetail("An enhanced status code looks like \"5.1.1\": class 2, 4 or 5, then subject and detail of 1 to 3 digits.")));
		r.cls = er.cls;
		r.subject = er.subject;
		r.detail = er.detail;
	}
	if (r.code == 0 && r.cls == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("an smtp_status needs a basic code or an enhanced code"),
				 errdetail("Both code and enhanced are NULL.")));
	if (!PG_ARGISNULL(2))
	{
		text	   *m = PG_GETARG_TEXT_PP(2);
		size_t		mlen = VARSIZE_ANY_EXHDR(m);

		msgbuf = palloc(mlen + 1);
		r.text_len = canonical_message(VARDATA_ANY(m), mlen, msgbuf);
		r.text = msgbuf;
	}
	smtp_status_check_round_trip(&r, "parts");
	PG_RETURN_SMTP_STATUS_P(smtp_status_from_reply(&r));
}

PG_FUNCTION_INFO_V1(smtp_status_code);
/* bounce.code(s): the basic reply code, NULL when the reply had none. */
Datum
smtp_status_code(PG_FUNCTION_ARGS)
{
	bounce_reply r;

	smtp_status_as_reply(PG_GETARG_SMTP_STATUS_P(0), &r);
	if (r.code == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(r.code);
}

PG_FUNCTION_INFO_V1(smtp_status_enhanced);
/* bounce.enhanced(s): "5.1.1", NULL when the reply had no enhanced code. */
Datum
smtp_status_enhanced(PG_FUNCTION_ARGS)
{
	bounce_reply r;

	smtp_status_as_reply(PG_GETARG_SMTP_STATUS_P(0), &r);
	if (r.cls == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("%d.%d.%d", r.cls, r.subject, r.detail)));
}

PG_FUNCTION_INFO_V1(smtp_status_class);
/*
 * bounce.status_class(s): the class digit, from the enhanced code when there
 * is one, else the first digit of the basic code.
 */
Datum
smtp_status_class(PG_FUNCTION_ARGS)
{
	bounce_reply r;

	smtp_status_as_reply(PG_GETARG_SMTP_STATUS_P(0), &r);
	PG_RETURN_INT32(r.cls != 0 ? r.cls : r.code / 100);
}

PG_FUNCTION_INFO_V1(smtp_status_subject);
/* bounce.subject(s): the enhanced subject, NULL without an enhanced code. */
Datum
smtp_status_subject(PG_FUNCTION_ARGS)
{
	bounce_reply r;

	smtp_status_as_reply(PG_GETARG_SMTP_STATUS_P(0), &r);
	if (r.cls == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(r.subject);
}

PG_FUNCTION_INFO_V1(smtp_status_detail);
/* bounce.detail(s): the enhanced detail, NULL without an enhanced code. */
Datum
smtp_status_detail(PG_FUNCTION_ARGS)
{
	bounce_reply r;

	smtp_status_as_reply(PG_GETARG_SMTP_STATUS_P(0), &r);
	if (r.cls == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(r.detail);
}

PG_FUNCTION_INFO_V1(smtp_status_message);
/* bounce.message(s): the reply text without its codes ('' when none). */
Datum
smtp_status_message(PG_FUNCTION_ARGS)
{
	bounce_reply r;

	smtp_status_as_reply(PG_GETARG_SMTP_STATUS_P(0), &r);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(r.text, r.text_len));
}
