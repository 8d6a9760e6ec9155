/*
 * dsn_fmgr.c - bounce.parse_dsn(text | bytea): one row per recipient of a
 * delivery report, read by the core's DSN reader (core/dsn.c).
 *
 * The core works in an arena palloc'd here; rows go into a tuplestore
 * (materialize mode).  Strings that come out of decoded parts can hold
 * bytes that are not valid in the database encoding (a Latin-1 part, a
 * broken UTF-8 sequence): those bytes are replaced, never an error.
 */
#include "postgres.h"
#include "compat.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "core/dsn.h"
#include "enums.h"
#include "smtp_status.h"
#include "verp_reader.h"

/*
 * The columns of parse_dsn's rows, in order.  Later versions append
 * columns, so an older install's row type (1.0: the first ten) is a
 * prefix of this one, and the same C function fills either.
 */
enum
{
	COL_RECIPIENT, COL_ORIGINAL_RECIPIENT, COL_ACTION, COL_STATUS, COL_DIAGNOSTIC,
	COL_REMOTE_MTA, COL_REPORTING_MTA, COL_LAST_ATTEMPT, COL_CLASS, COL_REASON,
	DSN_NCOLS_1_0,				/* the columns of version 1.0 end here */
	COL_RECIPIENT_RAW = DSN_NCOLS_1_0, COL_ORIGINAL_RECIPIENT_RAW, COL_EVIDENCE, COL_EVENT_KEY,
	DSN_NCOLS
};

/* What the row callback needs. */
typedef struct DsnCollect
{
	Tuplestorestate *store;
	TupleDesc	desc;
	int			encoding;
	MemoryContext rowcxt;		/* reset after every row */
	bool		out_of_memory;	/* a message did not fit in the arena */
	/* VERP: the settings of this query, and the decision for one message */
	VerpReader *verp;
	int			verp_msg;		/* the message it was made for (-1: none yet) */
	VerpVerdict verp_verdict;
	char		verp_addr[BOUNCE_ADDRESS_MAX + 1];
} DsnCollect;

/* What a call site of parse_dsn keeps in fn_extra across its calls. */
typedef struct DsnCallSite
{
	TupleDesc	desc;			/* the row type of its OUT columns */
	VerpReader	verp;			/* the VERP settings and key, read once */
} DsnCallSite;

/* Copy s (len bytes) to out, valid in the database encoding: bad bytes -> '?'. */
static void
valid_copy(char *out, const char *s, size_t len, int encoding)
{
	size_t		i = 0;

	while (i < len)
	{
		int			l;

		if ((unsigned char) s[i] < 0x80)
		{
			out[i] = s[i] ? s[i] : '?';
			i++;
			continue;
		}
		l = pg_encoding_verifymbchar(encoding, s + i, (int) Min(len - i, 8));
		if (l <= 0)
		{
			out[i++] = '?';
			continue;
		}
		memcpy(out + i, s + i, l);
		i += l;
	}
}

/* Copy of s (len bytes) valid in the database encoding, as a C string. */
static char *
valid_cstring(const char *s, size_t len, int encoding)
{
	char	   *out = palloc(len + 1);

	valid_copy(out, s, len, encoding);
	out[len] = '\0';
	return out;
}

/* The same as a text datum, built in place (no C string copied again). */
static Datum
valid_text(const char *s, size_t len, int encoding)
{
	text	   *t = (text *) palloc(len + VARHDRSZ);

	valid_copy(VARDATA(t), s, len, encoding);
	SET_VARSIZE(t, len + VARHDRSZ);
	return PointerGetDatum(t);
}

/* A text datum from a core string, or NULL. */
static Datum
text_or_null(const char *s, int encoding, bool *isnull)
{
	if (s == NULL)
	{
		*isnull = true;
		return (Datum) 0;
	}
	*isnull = false;
	return valid_text(s, strlen(s), encoding);
}

/*
 * An email date ("Tue, 14 May 2024 09:12:44 +0000 (UTC)") as timestamptz,
 * read the way timestamptz input reads it once comments are dropped; NULL
 * when it is not a date PostgreSQL understands.
 */
static bool
mail_date(const char *s, TimestampTz *result)
{
	char		clean[MAXDATELEN + 1];
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype;
	int			tz;
	struct pg_tm tt;
	fsec_t		fsec;
	size_t		o = 0;
	int			depth = 0;

	for (; *s && o < MAXDATELEN; s++)
	{
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
		else if (depth == 0)
			clean[o++] = *s;
	}
	if (*s)
		return false;			/* too long to be a date */
	clean[o] = '\0';

	if (ParseDateTime(clean, workbuf, sizeof(workbuf), field, ftype,
					  MAXDATEFIELDS, &nf) != 0)
		return false;
	if (bounce_decode_datetime(field, ftype, nf, &dtype, &tt, &fsec, &tz) != 0)
		return false;
	if (dtype != DTK_DATE)
		return false;
	return tm2timestamp(&tt, fsec, &tz, result) == 0 && IS_VALID_TIMESTAMP(*result);
}

/*
 * What the VERP address a message was sent to says, decided at its first
 * row (bounce.verp_recipient() makes the same decision).
 */
static void
verp_decide(DsnCollect *c, const bounce_dsn_info *msg)
{
	const char *to[BOUNCE_DSN_NOTICE_TO_MAX];
	size_t		to_len[BOUNCE_DSN_NOTICE_TO_MAX];
	int			n = 0;
	size_t		len;

	c->verp_msg = msg->index;
	if (bounce_verp_reader_on(c->verp))
		n = bounce_dsn_notice_to(msg->start, msg->len, to, to_len, BOUNCE_DSN_NOTICE_TO_MAX);
	c->verp_verdict = bounce_verp_read(c->verp, n, to, to_len, c->verp_addr, &len);
	c->verp_addr[len] = '\0';
}

/*
 * Core callback: one recipient becomes one tuple.  Under a VERP address
 * that decodes, the recipient we sent to is the row's original_recipient
 * (and its recipient when the notice names none), evidence verp; the
 * notice's own naming stays in recipient and the *_raw columns.  A
 * refused message gives no tuple.
 */
static void
dsn_row(void *ctx, const bounce_dsn_rcpt *row, const bounce_dsn_info *msg)
{
	DsnCollect *c = (DsnCollect *) ctx;
	Datum		values[DSN_NCOLS];
	bool		nulls[DSN_NCOLS];
	TimestampTz ts;
	bounce_dsn_rcpt verp_row;
	MemoryContext oldcxt;

	if (msg->index != c->verp_msg)
		verp_decide(c, msg);
	if (VERP_REFUSES(c->verp_verdict))
		return;
	if (c->verp_verdict == VERP_FOUND)
	{
		verp_row = *row;
		verp_row.original_recipient = c->verp_addr;
		if (verp_row.recipient == NULL)
			verp_row.recipient = c->verp_addr;
		verp_row.evidence = BOUNCE_EVIDENCE_VERP;
		row = &verp_row;
	}
	oldcxt = MemoryContextSwitchTo(c->rowcxt);

	values[COL_RECIPIENT] = text_or_null(row->recipient, c->encoding, &nulls[COL_RECIPIENT]);
	values[COL_ORIGINAL_RECIPIENT] = text_or_null(row->original_recipient, c->encoding,
												  &nulls[COL_ORIGINAL_RECIPIENT]);
	values[COL_ACTION] = text_or_null(row->action, c->encoding, &nulls[COL_ACTION]);
	if (row->status.code == 0 && row->status.cls == 0)
	{
		values[COL_STATUS] = (Datum) 0;
		nulls[COL_STATUS] = true;
	}
	else
	{
		bounce_reply r = row->status;

		if (r.text_len > 0)
			r.text = valid_cstring(r.text, r.text_len, c->encoding);
		values[COL_STATUS] = SmtpStatusPGetDatum(smtp_status_restorable(&r));
		nulls[COL_STATUS] = false;
	}
	values[COL_DIAGNOSTIC] = text_or_null(row->diagnostic, c->encoding, &nulls[COL_DIAGNOSTIC]);
	values[COL_REMOTE_MTA] = text_or_null(row->remote_mta, c->encoding, &nulls[COL_REMOTE_MTA]);
	values[COL_REPORTING_MTA] = text_or_null(row->reporting_mta, c->encoding,
											 &nulls[COL_REPORTING_MTA]);
	nulls[COL_LAST_ATTEMPT] = !(row->last_attempt && mail_date(row->last_attempt, &ts));
	values[COL_LAST_ATTEMPT] = nulls[COL_LAST_ATTEMPT] ? (Datum) 0 : TimestampTzGetDatum(ts);
	values[COL_CLASS] = bounce_class_datum(row->verdict.cls);
	nulls[COL_CLASS] = false;
	values[COL_REASON] = bounce_reason_datum(row->verdict.reason);
	nulls[COL_REASON] = false;
	values[COL_RECIPIENT_RAW] = text_or_null(row->recipient_raw, c->encoding,
											 &nulls[COL_RECIPIENT_RAW]);
	values[COL_ORIGINAL_RECIPIENT_RAW] = text_or_null(row->original_recipient_raw, c->encoding,
													  &nulls[COL_ORIGINAL_RECIPIENT_RAW]);
	values[COL_EVIDENCE] = CStringGetTextDatum(bounce_dsn_evidence_name(row->evidence));
	nulls[COL_EVIDENCE] = false;
	values[COL_EVENT_KEY] = valid_text(msg->key, strlen(msg->key), c->encoding);
	nulls[COL_EVENT_KEY] = false;

	/* the tuplestore copies the tuple into its own context */
	tuplestore_putvalues(c->store, c->desc, values, nulls);
	MemoryContextSwitchTo(oldcxt);
	MemoryContextReset(c->rowcxt);
}

/*
 * The core's arena.  Bounces are small and parse_dsn() is called once per
 * email, often for thousands in one query, so one buffer of a typical size
 * is kept for the backend's life instead of a fresh large palloc per call
 * (which costs a malloc/free pair and page faults each time).  A bigger
 * email gets its own buffer, freed right after.
 */
#define KEPT_ARENA_SIZE (1024 * 1024)
#define MAX_ARENA_SIZE ((size_t) 1024 * 1024 * 1024)
static char *kept_arena = NULL;

/* A buffer of at least cap bytes for the arena. */
static char *
arena_buffer(size_t cap)
{
	if (cap <= KEPT_ARENA_SIZE)
	{
		if (kept_arena == NULL)
			kept_arena = MemoryContextAlloc(TopMemoryContext, KEPT_ARENA_SIZE);
		return kept_arena;
	}
	return MemoryContextAllocHuge(CurrentMemoryContext, cap);
}

/* Give back a buffer from arena_buffer(). */
static void
arena_release(char *buf)
{
	if (buf != kept_arena)
		pfree(buf);
}

/*
 * The core's question "should I stop?": yes when the statement is to be
 * canceled or the backend to end (a cancel, statement_timeout): the core
 * unwinds and CHECK_FOR_INTERRUPTS() raises the error outside it.
 */
static bool
dsn_interrupted(void *ctx)
{
	(void) ctx;
	return QueryCancelPending || ProcDiePending;
}

/* Core callback after each message: note one that did not fit. */
static void
dsn_message(void *ctx, const bounce_dsn_info *msg)
{
	DsnCollect *c = (DsnCollect *) ctx;

	if (msg->out_of_memory)
		c->out_of_memory = true;
}

/* Shared body of both parse_dsn variants: parse 'len' bytes at 'msg'. */
static Datum
parse_dsn_bytes(FunctionCallInfo fcinfo, const char *msg, size_t len)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext oldcxt;
	DsnCollect	c;
	DsnCallSite *site;
	bounce_arena arena;
	size_t		cap;
	char	   *buf;
	int			n;
	bounce_dsn_sink sink = {dsn_row, dsn_message, dsn_interrupted, &c};

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		(rsinfo->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));

	/*
	 * What stays the same at every call of this call site is built once and
	 * kept in fn_extra: the row type of the function's OUT columns (a query
	 * calls parse_dsn once per email, and building it cost a few catalog
	 * lookups each time) and the VERP settings and key.
	 */
	if (fcinfo->flinfo->fn_extra == NULL)
	{
		TupleDesc	desc;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
					 errmsg("function returning record called in context that cannot accept type record")));

		/* the row type of this install: 1.0's, or the current one */
		if (desc->natts != DSN_NCOLS_1_0 && desc->natts != DSN_NCOLS)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("parse_dsn is declared with %d columns; this library returns %d (or %d for version 1.0)",
							desc->natts, DSN_NCOLS, DSN_NCOLS_1_0),
					 errhint("Run ALTER EXTENSION bounce UPDATE.")));
		oldcxt = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		site = palloc0(sizeof(DsnCallSite));
		site->desc = CreateTupleDescCopy(desc);
		fcinfo->flinfo->fn_extra = site;
		MemoryContextSwitchTo(oldcxt);
	}
	site = (DsnCallSite *) fcinfo->flinfo->fn_extra;

	/* the executor frees the result's descriptor after each call: a copy */
	oldcxt = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	c.desc = CreateTupleDescCopy(site->desc);
	c.store = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(oldcxt);
	c.encoding = GetDatabaseEncoding();
	c.rowcxt = AllocSetContextCreate(CurrentMemoryContext, "parse_dsn row",
									 ALLOCSET_SMALL_SIZES);
	c.out_of_memory = false;
	c.verp = &site->verp;
	c.verp_msg = -1;
	c.verp_verdict = VERP_OFF;

	/*
	 * Bounces are small; for a huge email the arena is capped and the core
	 * degrades (parts that do not fit are skipped) instead of asking for
	 * several times the email's size.
	 */
	cap = Min(BOUNCE_DSN_ARENA_SIZE_FOR(len), MAX_ARENA_SIZE);
	buf = arena_buffer(cap);
	bounce_arena_init(&arena, buf, cap);

	n = bounce_dsn_read(msg, len, &arena, &sink, BOUNCE_DSN_REUSE_ARENA);
	arena_release(buf);
	MemoryContextDelete(c.rowcxt);
	if (n < 0)
	{
		/* the core unwound on a cancel or a timeout: raise it now */
		CHECK_FOR_INTERRUPTS();
		ereport(ERROR,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("canceling parse_dsn")));
	}
	if (c.out_of_memory)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("bounce email too large to read"),
				 errdetail("Reading %zu bytes needed more than %zu MB of working memory; no row is returned rather than some.",
						   len, cap / (1024 * 1024))));

	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = c.store;
	rsinfo->setDesc = c.desc;
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(bounce_parse_dsn);
/* bounce.parse_dsn(text) -> SETOF record */
Datum
bounce_parse_dsn(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	return parse_dsn_bytes(fcinfo, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

PG_FUNCTION_INFO_V1(bounce_parse_dsn_bytea);
/* bounce.parse_dsn(bytea) -> SETOF record, for files in any charset */
Datum
bounce_parse_dsn_bytea(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	return parse_dsn_bytes(fcinfo, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}
