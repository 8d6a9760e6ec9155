/*
 * classify_fmgr.c - SQL functions over the core classifier:
 * bounce.classify(), bounce.reason(), bounce.explain() for smtp_status and
 * text, and bounce._default_policy() which seeds the policy table.
 */
#include "postgres.h"
#include "compat.h"

#include "access/htup_details.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "enums.h"
#include "smtp_status.h"

/* Texts up to this size are scanned in a stack buffer, without palloc. */
#define STACK_TEXT 2048

/* Classify the status in argument 0. */
static void
verdict_of_status(FunctionCallInfo fcinfo, bounce_verdict *v)
{
	bounce_reply r;

	smtp_status_as_reply(PG_GETARG_SMTP_STATUS_P(0), &r);
	bounce_classify(&r, v);
}

/*
 * Classify the text in argument 0, parsed leniently.  Only the first
 * BOUNCE_REPLY_MAX_INPUT bytes are read: a reply is never that long, and
 * it bounds the work on pathological input.
 */
static void
verdict_of_text(FunctionCallInfo fcinfo, bounce_verdict *v)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	size_t		len = Min(VARSIZE_ANY_EXHDR(t), BOUNCE_REPLY_MAX_INPUT);
	char		stackbuf[STACK_TEXT];
	char	   *buf = len <= STACK_TEXT ? stackbuf : palloc(len);
	bounce_reply r;

	bounce_reply_scan(VARDATA_ANY(t), len, &r, buf);
	bounce_classify(&r, v);
	/* the verdict keeps no pointer into buf: phrases are static */
	if (buf != stackbuf)
		pfree(buf);
}

PG_FUNCTION_INFO_V1(bounce_classify_status);
/* bounce.classify(smtp_status) -> bounce_class */
Datum
bounce_classify_status(PG_FUNCTION_ARGS)
{
	bounce_verdict v;

	verdict_of_status(fcinfo, &v);
	return bounce_class_datum(v.cls);
}

PG_FUNCTION_INFO_V1(bounce_classify_text);
/* bounce.classify(text) -> bounce_class */
Datum
bounce_classify_text(PG_FUNCTION_ARGS)
{
	bounce_verdict v;

	verdict_of_text(fcinfo, &v);
	return bounce_class_datum(v.cls);
}

PG_FUNCTION_INFO_V1(bounce_reason_status);
/* bounce.reason(smtp_status) -> bounce_reason */
Datum
bounce_reason_status(PG_FUNCTION_ARGS)
{
	bounce_verdict v;

	verdict_of_status(fcinfo, &v);
	return bounce_reason_datum(v.reason);
}

PG_FUNCTION_INFO_V1(bounce_reason_text);
/* bounce.reason(text) -> bounce_reason */
Datum
bounce_reason_text(PG_FUNCTION_ARGS)
{
	bounce_verdict v;

	verdict_of_text(fcinfo, &v);
	return bounce_reason_datum(v.reason);
}

/* An interval of 's' seconds, palloc'd; whole days shown as days. */
static Interval *
interval_seconds(int32 s)
{
	Interval   *i = palloc0(sizeof(Interval));

	if (s % SECS_PER_DAY == 0)
		i->day = s / SECS_PER_DAY;
	else
		i->time = (int64) s * USECS_PER_SEC;
	return i;
}

/*
 * One explain row: class, reason, action, retry_after, rule.  The action and
 * delay are the defaults of the reason; bounce.reason_policy may override
 * them, which the SQL wrapper applies.
 */
static Datum
explain_row(FunctionCallInfo fcinfo, const bounce_verdict *v)
{
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	const bounce_policy_default *p = bounce_policy_for(v->reason);
	bounce_action action = bounce_effective_action(v->cls, p->action);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	tupdesc = BlessTupleDesc(tupdesc);

	values[0] = bounce_class_datum(v->cls);
	values[1] = bounce_reason_datum(v->reason);
	values[2] = bounce_action_datum(action);
	if (action == BOUNCE_ACTION_RETRY && p->retry_after_s > 0)
		values[3] = PointerGetDatum(interval_seconds(p->retry_after_s));
	else
		nulls[3] = true;
	values[4] = bounce_rule_datum(v);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

PG_FUNCTION_INFO_V1(bounce_explain_status);
/* bounce.explain(smtp_status) */
Datum
bounce_explain_status(PG_FUNCTION_ARGS)
{
	bounce_verdict v;

	verdict_of_status(fcinfo, &v);
	return explain_row(fcinfo, &v);
}

PG_FUNCTION_INFO_V1(bounce_explain_text);
/* bounce.explain(text) */
Datum
bounce_explain_text(PG_FUNCTION_ARGS)
{
	bounce_verdict v;

	verdict_of_text(fcinfo, &v);
	return explain_row(fcinfo, &v);
}

PG_FUNCTION_INFO_V1(bounce_default_policy);
/*
 * bounce._default_policy(): one row per reason with the built-in action,
 * first retry delay, longest delay and whether the failure is about the
 * message rather than the address.  Value-per-call, so it works on 13-17.
 */
Datum
bounce_default_policy(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("function returning record called in context that cannot accept type record")));
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		funcctx->max_calls = BOUNCE_NUM_REASONS;
		MemoryContextSwitchTo(oldcontext);
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		bounce_reason reason = (bounce_reason) funcctx->call_cntr;
		const bounce_policy_default *p = bounce_policy_for(reason);
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		values[0] = bounce_reason_datum(reason);
		values[1] = bounce_action_datum(p->action);
		if (p->retry_after_s > 0)
		{
			values[2] = PointerGetDatum(interval_seconds(p->retry_after_s));
			values[3] = PointerGetDatum(interval_seconds(Max(p->retry_max_s, p->retry_after_s)));
		}
		else
			nulls[2] = nulls[3] = true;
		values[4] = BoolGetDatum(p->message_level);
		SRF_RETURN_NEXT(funcctx,
						HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
														  values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

PG_FUNCTION_INFO_V1(bounce_is_sender_side);
/* bounce.is_sender_side(bounce_reason) -> boolean: the core's one list. */
Datum
bounce_is_sender_side(PG_FUNCTION_ARGS)
{
	int			r = bounce_reason_from_datum(PG_GETARG_DATUM(0));

	PG_RETURN_BOOL(r >= 0 && bounce_reason_is_sender_side((bounce_reason) r));
}
