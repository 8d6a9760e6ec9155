/*
 * policy_cache.c - bounce.reason_policy and bounce.config, read once per
 * backend and kept until they change: the fold of every statement and
 * bounce.explain() read them from here, not with a query each.  A
 * statement trigger on both tables sends a relcache invalidation
 * (CacheInvalidateRelcache), which every backend receives at the
 * writer's commit, and the writer at its next command.  Also explain()
 * itself, with a one-entry cache of its last result: `(explain(x)).*`
 * calls it once per output column.
 */
#include "postgres.h"
#include "compat.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "enums.h"
#include "policy_glue.h"
#define BOUNCE_SHARD_SPI
#include "shard.h"
#include "smtp_status.h"

PG_FUNCTION_INFO_V1(bounce_policy_changed);
PG_FUNCTION_INFO_V1(bounce_explain_configured_status);
PG_FUNCTION_INFO_V1(bounce_explain_configured_text);

typedef struct PolicyCache
{
	bool		valid;
	uint64		generation;		/* bumped at each load: explain()'s cache key */
	Oid			policy_relid;
	Oid			config_relid;
	bounce_policy policy;		/* for the fold */
	/* for explain(): the intervals as stored */
	Interval	retry_after[BOUNCE_NUM_REASONS][BOUNCE_NUM_CLASSES];
	bool		has_retry_after[BOUNCE_NUM_REASONS][BOUNCE_NUM_CLASSES];
	Interval	backoff_base;
} PolicyCache;

static PolicyCache cache;
static bool callback_registered = false;

static void
policy_cache_inval(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == cache.policy_relid || relid == cache.config_relid)
		cache.valid = false;
}

/* Read both tables (inside or outside SPI; with the caller's rights). */
static void
policy_cache_load(void)
{
	uint64		i;
	bool		isnull;
	int			r,
				c;
	bounce_policy *p = &cache.policy;
	Oid			ns = get_namespace_oid("bounce", false);

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(policy_cache_inval, (Datum) 0);
		callback_registered = true;
	}
	cache.policy_relid = get_relname_relid("reason_policy", ns);
	cache.config_relid = get_relname_relid("config", ns);

	/* what a deleted row would mean: nothing happens */
	bounce_policy_defaults(p);
	for (r = 0; r < BOUNCE_NUM_REASONS; r++)
		for (c = 0; c < BOUNCE_NUM_CLASSES; c++)
		{
			p->rule[r][c].action = BOUNCE_ACTION_IGNORE;
			p->rule[r][c].retry_after = p->rule[r][c].retry_max = 0;
			cache.has_retry_after[r][c] = false;
		}
	p->time_max = END_TIMESTAMP - 1;
	memset(&cache.backoff_base, 0, sizeof(Interval));
	cache.backoff_base.day = 1;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	if (SPI_execute("SELECT p.reason, p.class, p.action, p.retry_after,"
					" (EXTRACT(epoch FROM p.retry_after) OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8,"
					" (EXTRACT(epoch FROM p.retry_max) OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8"
					" FROM bounce.reason_policy p", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not read bounce.reason_policy");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		int			reason = bounce_reason_from_datum(SPI_getbinval(t, d, 1, &isnull));
		int			cls = bounce_class_from_datum(SPI_getbinval(t, d, 2, &isnull));
		int			action = bounce_action_from_datum(SPI_getbinval(t, d, 3, &isnull));
		bounce_policy_rule *rule;
		Datum		v;

		if (reason < 0 || cls < 0 || action < 0)
			continue;			/* a label this library does not know */
		rule = &p->rule[reason][cls];
		rule->action = (bounce_action) action;
		v = SPI_getbinval(t, d, 4, &isnull);
		if (!isnull)
		{
			cache.retry_after[reason][cls] = *DatumGetIntervalP(v);
			cache.has_retry_after[reason][cls] = true;
		}
		v = SPI_getbinval(t, d, 5, &isnull);
		rule->retry_after = isnull ? 0 : DatumGetInt64(v);
		v = SPI_getbinval(t, d, 6, &isnull);
		rule->retry_max = isnull ? 0 : DatumGetInt64(v);
	}

	if (SPI_execute("SELECT c.soft_threshold, c.monitor_after, c.retry_count,"
					" (EXTRACT(epoch FROM c.reset_window) OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8,"
					" (EXTRACT(epoch FROM c.backoff_base) OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8,"
					" (EXTRACT(epoch FROM c.backoff_cap) OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8,"
					" c.backoff_base FROM bounce.config c", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not read bounce.config");
	if (SPI_processed > 0)
	{
		HeapTuple	t = SPI_tuptable->vals[0];
		TupleDesc	d = SPI_tuptable->tupdesc;

		p->soft_threshold = DatumGetInt32(SPI_getbinval(t, d, 1, &isnull));
		p->monitor_after = DatumGetInt32(SPI_getbinval(t, d, 2, &isnull));
		p->retry_count = DatumGetInt32(SPI_getbinval(t, d, 3, &isnull));
		p->reset_window = DatumGetInt64(SPI_getbinval(t, d, 4, &isnull));
		p->backoff_base = DatumGetInt64(SPI_getbinval(t, d, 5, &isnull));
		p->backoff_cap = DatumGetInt64(SPI_getbinval(t, d, 6, &isnull));
		cache.backoff_base = *DatumGetIntervalP(SPI_getbinval(t, d, 7, &isnull));
	}
	/*
	 * Kept only where the triggers that invalidate it exist: an install of
	 * 1.0 not yet updated has none, and reads the policy every time.
	 */
	if (SPI_execute("SELECT count(*) FROM pg_catalog.pg_trigger t"
					" JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) t.tgrelid"
					" JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
					" WHERE n.nspname OPERATOR(pg_catalog.=) 'bounce'"
					" AND t.tgname OPERATOR(pg_catalog.=) ANY ('{reason_policy_changed,config_changed}')",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not read pg_trigger");
	cache.valid = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
											  &isnull)) == 2;
	SPI_finish();
	cache.generation++;
}

static const PolicyCache *
policy_cache(void)
{
	if (!cache.valid)
		policy_cache_load();
	return &cache;
}

/* The policy for a fold (bounce_store_load_policy's contract). */
void
bounce_store_load_policy(bounce_policy *p)
{
	*p = policy_cache()->policy;
}

/*
 * bounce._policy_changed(): AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
 * FOR EACH STATEMENT of bounce.reason_policy and bounce.config: every
 * backend reads them again.
 */
Datum
bounce_policy_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("_policy_changed: must be called as trigger")));
	td = (TriggerData *) fcinfo->context;
	CacheInvalidateRelcache(td->tg_relation);
	/* a reference table's shard changed: the cache knows the table */
	if (bounce_shard_of(td->tg_relation) != NULL)
	{
		char	   *base = pstrdup(RelationGetRelationName(td->tg_relation));
		Oid			relid;

		*strrchr(base, '_') = '\0';
		relid = get_relname_relid(base, RelationGetNamespace(td->tg_relation));
		if (OidIsValid(relid))
			CacheInvalidateRelcacheByRelid(relid);
	}
	return PointerGetDatum(NULL);
}

/* ------------------------------------------------------------------------
 * explain() with the configured policy
 * ------------------------------------------------------------------------
 */

/* explain()'s per-call-site state: privileges checked, the last result. */
typedef struct ExplainCache
{
	bool		checked;
	TupleDesc	desc;
	uint64		generation;		/* of the policy the last result used */
	bytea	   *last_input;		/* NULL: none yet */
	HeapTuple	last_result;
} ExplainCache;

static ExplainCache *
explain_cache(FunctionCallInfo fcinfo)
{
	ExplainCache *ec = (ExplainCache *) fcinfo->flinfo->fn_extra;

	if (ec == NULL)
	{
		TupleDesc	desc;
		MemoryContext old;

		ec = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ExplainCache));
		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("function returning record called in context that cannot accept type record")));
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		ec->desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = ec;
	}
	if (!ec->checked)
	{
		/* the tables are read with the caller's rights, as a query would */
		const PolicyCache *pc = policy_cache();
		AclResult	acl;

		acl = pg_class_aclcheck(pc->policy_relid, GetUserId(), ACL_SELECT);
		if (acl != ACLCHECK_OK)
			aclcheck_error(acl, OBJECT_TABLE, "reason_policy");
		acl = pg_class_aclcheck(pc->config_relid, GetUserId(), ACL_SELECT);
		if (acl != ACLCHECK_OK)
			aclcheck_error(acl, OBJECT_TABLE, "config");
		ec->checked = true;
	}
	return ec;
}

/* The result for a verdict: class, reason, configured action, first delay, rule. */
static HeapTuple
explain_tuple(TupleDesc desc, const bounce_verdict *v)
{
	const PolicyCache *pc = policy_cache();
	bounce_action action = pc->policy.rule[v->reason][v->cls].action;
	const bounce_policy_default *def = bounce_policy_for(v->reason);
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	values[0] = bounce_class_datum(v->cls);
	values[1] = bounce_reason_datum(v->reason);
	values[2] = bounce_action_datum(action);
	if (action != BOUNCE_ACTION_RETRY)
		nulls[3] = true;
	else
	{
		/* the reason's own delay, else the built-in one, else the config's */
		Interval   *i = palloc0(sizeof(Interval));

		if (pc->has_retry_after[v->reason][v->cls])
			*i = pc->retry_after[v->reason][v->cls];
		else if (bounce_effective_action(v->cls, def->action) == BOUNCE_ACTION_RETRY &&
				 def->retry_after_s > 0)
		{
			if (def->retry_after_s % SECS_PER_DAY == 0)
				i->day = def->retry_after_s / SECS_PER_DAY;
			else
				i->time = (int64) def->retry_after_s * USECS_PER_SEC;
		}
		else
			*i = pc->backoff_base;
		values[3] = IntervalPGetDatum(i);
	}
	values[4] = bounce_rule_datum(v);
	return heap_form_tuple(desc, values, nulls);
}

/*
 * Shared by both explain()s: the last input again (same bytes, same
 * policy) gives a copy of the last result.
 */
static Datum
explain_configured(FunctionCallInfo fcinfo, bool is_status)
{
	ExplainCache *ec = explain_cache(fcinfo);
	bytea	   *in = (bytea *) PG_GETARG_VARLENA_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(in);
	const PolicyCache *pc = policy_cache();
	bounce_verdict v;
	HeapTuple	t;
	MemoryContext old;

	if (ec->last_input != NULL && ec->generation == pc->generation &&
		VARSIZE_ANY_EXHDR(ec->last_input) == len &&
		memcmp(VARDATA_ANY(ec->last_input), VARDATA_ANY(in), len) == 0)
		return HeapTupleGetDatum(heap_copytuple(ec->last_result));

	if (is_status)
	{
		bounce_reply r;

		smtp_status_as_reply((SmtpStatus *) in, &r);
		bounce_classify(&r, &v);
	}
	else
	{
		size_t		n = Min(len, BOUNCE_REPLY_MAX_INPUT);
		char	   *buf = palloc(n + 1);
		bounce_reply r;

		bounce_reply_scan(VARDATA_ANY(in), n, &r, buf);
		bounce_classify(&r, &v);
		pfree(buf);
	}
	t = explain_tuple(ec->desc, &v);

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (ec->last_input)
	{
		pfree(ec->last_input);
		heap_freetuple(ec->last_result);
	}
	ec->last_input = palloc(VARHDRSZ + len);
	SET_VARSIZE(ec->last_input, VARHDRSZ + len);
	memcpy(VARDATA(ec->last_input), VARDATA_ANY(in), len);
	ec->last_result = heap_copytuple(t);
	ec->generation = pc->generation;
	MemoryContextSwitchTo(old);
	return HeapTupleGetDatum(t);
}

/* bounce.explain(smtp_status) */
Datum
bounce_explain_configured_status(PG_FUNCTION_ARGS)
{
	return explain_configured(fcinfo, true);
}

/* bounce.explain(text) */
Datum
bounce_explain_configured_text(PG_FUNCTION_ARGS)
{
	return explain_configured(fcinfo, false);
}
