/*
 * policy_replay.c - the state against its log: bounce.verify() (the
 * addresses whose stored state differs from a replay), bounce.rebuild()
 * (make it what the replay gives), the triggers that refold addresses
 * whose events or deliveries are corrected (UPDATE, DELETE), bounce.prune()
 * (fold old entries into a per-address baseline and remove them) and
 * bounce.forget() (erase an address, keeping only a keyed hash of it when
 * it was suppressed).  A replay is the same fold as ingest: the core's
 * state machine over the baseline and the log in time order
 * (bounce_store_fold_log).
 */
#include "postgres.h"
#include "compat.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "core/sha256.h"
#include "enums.h"
#include "policy_glue.h"
#define BOUNCE_SHARD_SPI
#include "shard.h"
#include "secret.h"

PG_FUNCTION_INFO_V1(bounce_verify);
PG_FUNCTION_INFO_V1(bounce_rebuild);
PG_FUNCTION_INFO_V1(bounce_rebuild_here);
PG_FUNCTION_INFO_V1(bounce_log_changed);
PG_FUNCTION_INFO_V1(bounce_prune);
PG_FUNCTION_INFO_V1(bounce_prune_here);
PG_FUNCTION_INFO_V1(bounce_forget);

/*
 * Set while the extension itself deletes log rows (prune, forget): the
 * correction triggers leave those deletes alone.
 */
static bool internal_change = false;

/* Every address that has a row, a log entry or a baseline, in lock order. */
#define ALL_ADDRESSES \
	"SELECT x.address FROM (" \
	" SELECT a.address FROM bounce.addresses a UNION" \
	" SELECT e.address FROM bounce.events e UNION" \
	" SELECT d.address FROM bounce.deliveries d UNION" \
	" SELECT s.address FROM bounce.suppression_log s UNION" \
	" SELECT b.address FROM bounce.baselines b" \
	") x ORDER BY x.address COLLATE pg_catalog.\"C\""

/* What is done with each batch of addresses. */
typedef void (*BatchFn) (FoldAddr **a, int n, void *ctx);

/*
 * Run 'fn' over the addresses a query returns (one text column, in lock
 * order), FOLD_BATCH at a time, each batch in memory of its own.
 */
static void
for_each_batch(const char *query, int nargs, Oid *types, Datum *values, bool read_only,
			   BatchFn fn, void *ctx)
{
	MemoryContext batch = AllocSetContextCreate(CurrentMemoryContext, "bounce replay batch",
												ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = CurrentMemoryContext;
	Portal		portal = SPI_cursor_open_with_args(NULL, query, nargs, types, values, NULL,
												   read_only, 0);

	for (;;)
	{
		FoldAddr  **a;
		uint64		j;
		SPITupleTable *tt;

		CHECK_FOR_INTERRUPTS();
		SPI_cursor_fetch(portal, true, FOLD_BATCH);
		if (SPI_processed == 0)
			break;
		tt = SPI_tuptable;
		MemoryContextSwitchTo(batch);
		a = palloc(sizeof(FoldAddr *) * SPI_processed);
		for (j = 0; j < SPI_processed; j++)
		{
			bool		isnull;

			a[j] = palloc0(sizeof(FoldAddr));
			a[j]->address = TextDatumGetCString(SPI_getbinval(tt->vals[j], tt->tupdesc, 1, &isnull));
			a[j]->exists = true;
		}
		fn(a, (int) SPI_processed, ctx);
		MemoryContextSwitchTo(old);
		SPI_freetuptable(tt);
		MemoryContextReset(batch);
	}
	SPI_cursor_close(portal);
	MemoryContextDelete(batch);
}

/* ------------------------------------------------------------------------
 * The metrics' counters against the addresses' campaigns
 * ------------------------------------------------------------------------
 */
typedef struct CounterCheck
{
	const char *table;			/* reported by verify() when it differs */
	const char *summed;			/* the counters, summed over the slots */
	const char *counted;		/* the same from the per-address rows */
	const char *refill;			/* INSERT of 'counted' into slot $1 */
} CounterCheck;

#define CAMPAIGN_COUNTED \
	"SELECT c.campaign, count(*)::bigint AS addresses," \
	" count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.>) 'none')::bigint AS bounced," \
	" count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.=) 'hard')::bigint AS hard," \
	" count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.=) 'soft')::bigint AS soft" \
	" FROM bounce.address_campaigns c GROUP BY c.campaign"
#define DOMAIN_COUNTED \
	"SELECT c.campaign, substring(c.address FROM '@([^@]*)$') AS domain," \
	" count(*)::bigint AS addresses," \
	" count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.>) 'none')::bigint AS bounced," \
	" count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.=) 'hard')::bigint AS hard," \
	" count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.=) 'soft')::bigint AS soft," \
	" sum(c.sender_side)::bigint AS sender_side" \
	" FROM bounce.address_campaigns c GROUP BY 1, 2"
#define ADDRESS_COUNTED \
	"SELECT count(*) FILTER (WHERE a.soft_total OPERATOR(pg_catalog.>) 0)::bigint AS soft_addresses," \
	" count(*) FILTER (WHERE a.promoted_at IS NOT NULL)::bigint AS promoted FROM bounce.addresses a"

static const CounterCheck counter_checks[] = {
	{"bounce.campaign_counts",
		"SELECT k.campaign, sum(k.addresses)::bigint AS addresses, sum(k.bounced)::bigint AS bounced,"
		" sum(k.hard)::bigint AS hard, sum(k.soft)::bigint AS soft FROM bounce.campaign_counts k"
		" GROUP BY k.campaign HAVING sum(k.addresses) OPERATOR(pg_catalog.<>) 0"
		" OR sum(k.bounced) OPERATOR(pg_catalog.<>) 0",
		CAMPAIGN_COUNTED,
		"INSERT INTO bounce.campaign_counts (campaign, bucket, addresses, bounced, hard, soft)"
	" SELECT x.campaign, $1, x.addresses, x.bounced, x.hard, x.soft FROM (" CAMPAIGN_COUNTED ") x"},
	{"bounce.domain_counts",
		"SELECT k.campaign, k.domain, sum(k.addresses)::bigint AS addresses,"
		" sum(k.bounced)::bigint AS bounced, sum(k.hard)::bigint AS hard, sum(k.soft)::bigint AS soft,"
		" sum(k.sender_side)::bigint AS sender_side FROM bounce.domain_counts k GROUP BY 1, 2"
		" HAVING sum(k.addresses) OPERATOR(pg_catalog.<>) 0 OR sum(k.sender_side) OPERATOR(pg_catalog.<>) 0",
		DOMAIN_COUNTED,
		"INSERT INTO bounce.domain_counts (campaign, domain, bucket, addresses, bounced, hard, soft, sender_side)"
		" SELECT x.campaign, x.domain, $1, x.addresses, x.bounced, x.hard, x.soft, x.sender_side"
	" FROM (" DOMAIN_COUNTED ") x"},
	{"bounce.address_counts",
		"SELECT coalesce(sum(k.soft_addresses), 0)::bigint AS soft_addresses,"
		" coalesce(sum(k.promoted), 0)::bigint AS promoted FROM bounce.address_counts k",
		ADDRESS_COUNTED,
		"INSERT INTO bounce.address_counts (bucket, soft_addresses, promoted)"
	" SELECT $1, x.soft_addresses, x.promoted FROM (" ADDRESS_COUNTED ") x"},
};

/* Does a counter table differ from the per-address rows?  (inside SPI) */
static bool
counters_differ(const CounterCheck *c, bool read_only)
{
	char	   *q = psprintf("SELECT EXISTS ((%s) EXCEPT (%s)) OR EXISTS ((%s) EXCEPT (%s))",
							 c->summed, c->counted, c->counted, c->summed);

	if (SPI_execute(q, read_only, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "bounce: could not compare %s", c->table);
	return DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
									  &(bool) {false}));
}

/* The install keeps counters (1.1)? */
static bool
has_counters(void)
{
	return OidIsValid(get_relname_relid("campaign_counts", get_namespace_oid("bounce", false)));
}

/*
 * Counters that differ from the per-address rows are counted again into
 * this backend's slot (rebuild() of everything; inside SPI, as the owner).
 */
static void
recount(void)
{
	int			i;

	if (!has_counters())
		return;
	for (i = 0; i < (int) lengthof(counter_checks); i++)
	{
		const CounterCheck *c = &counter_checks[i];
		Oid			type = INT4OID;
		Datum		v = Int32GetDatum(BOUNCE_MY_PROC_NUMBER);

		if (!counters_differ(c, false))
			continue;
		if (SPI_execute(psprintf("DELETE FROM %s", c->table), false, 0) != SPI_OK_DELETE ||
			SPI_execute_with_args(c->refill, 1, &type, &v, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "bounce: could not count %s again", c->table);
	}
}

/* ------------------------------------------------------------------------
 * verify()
 * ------------------------------------------------------------------------
 */
typedef struct VerifyCtx
{
	bounce_policy policy;
	StrMap	   *campaigns;
	Tuplestorestate *out;
	TupleDesc	desc;
} VerifyCtx;

static void
verify_batch(FoldAddr **a, int n, void *arg)
{
	VerifyCtx  *v = (VerifyCtx *) arg;
	bounce_allocator al = {bounce_palloc_for_core, CurrentMemoryContext};
	int			k;

	bounce_store_load(a, n, &al);
	bounce_store_refold(a, n, &v->policy, &al, v->campaigns);
	for (k = 0; k < n; k++)
		if (!a[k]->found || !bounce_addr_equal(&a[k]->state, &a[k]->stored, true))
		{
			Datum		d = CStringGetTextDatum(a[k]->address);
			bool		isnull = false;

			tuplestore_putvalues(v->out, v->desc, &d, &isnull);
		}
}

/*
 * bounce.verify() -> SETOF text: the addresses whose stored state (row
 * and retries) differs from the replay of their baseline and log.  Reads
 * in the calling statement's snapshot, with the caller's rights.
 */
Datum
bounce_verify(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsi = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext per_query;
	MemoryContext old;
	VerifyCtx	v;

	if (rsi == NULL || !IsA(rsi, ReturnSetInfo) || (rsi->allowedModes & SFRM_Materialize) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("bounce.verify() must be called where a set can be returned")));
	per_query = rsi->econtext->ecxt_per_query_memory;
	old = MemoryContextSwitchTo(per_query);
	v.out = tuplestore_begin_heap(true, false, work_mem);
	v.desc = CreateTemplateTupleDesc(1);
	TupleDescInitEntry(v.desc, 1, "verify", TEXTOID, -1, 0);
	MemoryContextSwitchTo(old);
	v.campaigns = strmap_create(CurrentMemoryContext, 64);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	bounce_store_read_only(true);
	PG_TRY();
	{
		bounce_store_load_policy(&v.policy);
		for_each_batch(ALL_ADDRESSES, 0, NULL, NULL, true, verify_batch, &v);
		/* and the metrics' counters, as a whole */
		if (has_counters())
		{
			int			i;

			for (i = 0; i < (int) lengthof(counter_checks); i++)
				if (counters_differ(&counter_checks[i], true))
				{
					Datum		d = CStringGetTextDatum(counter_checks[i].table);
					bool		isnull = false;

					tuplestore_putvalues(v.out, v.desc, &d, &isnull);
				}
		}
	}
	PG_FINALLY();
	{
		bounce_store_read_only(false);
	}
	PG_END_TRY();
	SPI_finish();

	rsi->returnMode = SFRM_Materialize;
	rsi->setResult = v.out;
	rsi->setDesc = v.desc;
	return (Datum) 0;
}

/* ------------------------------------------------------------------------
 * rebuild() and the correction triggers
 * ------------------------------------------------------------------------
 */
typedef struct RebuildCtx
{
	bounce_policy policy;
	StrMap	   *campaigns;
	int64		changed;
	List	   *notify;			/* in 'keep' */
	MemoryContext keep;
} RebuildCtx;

/*
 * Lock a batch (making a row for an address that has only a log), read
 * it, replay it, and write the addresses whose state the replay changes.
 */
static void
rebuild_batch(FoldAddr **a, int n, void *arg)
{
	RebuildCtx *r = (RebuildCtx *) arg;
	bounce_allocator al = {bounce_palloc_for_core, CurrentMemoryContext};
	FoldAddr  **differ = palloc(sizeof(FoldAddr *) * n);
	int			nd = 0;
	int			k;

	for (k = 0; k < n; k++)
		bounce_addr_init(&a[k]->state);
	bounce_store_insert_new(a, n);
	bounce_store_load(a, n, &al);
	bounce_store_refold(a, n, &r->policy, &al, r->campaigns);
	for (k = 0; k < n; k++)
	{
		if (a[k]->exists && bounce_addr_equal(&a[k]->state, &a[k]->stored, true))
			continue;
		a[k]->refold = true;
		differ[nd++] = a[k];
		if ((a[k]->stored.state == BOUNCE_ADDR_SUPPRESSED) !=
			(a[k]->state.state == BOUNCE_ADDR_SUPPRESSED))
		{
			MemoryContext old = MemoryContextSwitchTo(r->keep);

			r->notify = lappend(r->notify, pstrdup(a[k]->address));
			MemoryContextSwitchTo(old);
		}
	}
	bounce_store_update(differ, nd);
	bounce_store_write_retries(differ, nd);
	bounce_store_count(differ, nd);
	r->changed += nd;
}

/* Rebuild the addresses of a query (as the owner), NOTIFY the changes; how many changed. */
static int64
rebuild_query(const char *query, int nargs, Oid *types, Datum *values, bool all)
{
	RebuildCtx	r;
	OwnerSwitch sw;

	r.changed = 0;
	r.notify = NIL;
	r.keep = CurrentMemoryContext;
	r.campaigns = strmap_create(CurrentMemoryContext, 64);
	bounce_become_owner(&sw);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	MemoryContextSwitchTo(r.keep);
	bounce_store_load_policy(&r.policy);
	for_each_batch(query, nargs, types, values, false, rebuild_batch, &r);
	if (all)
		recount();
	bounce_notify_or_queue(r.notify);
	SPI_finish();
	bounce_become_caller(&sw);
	return r.changed;
}

/*
 * bounce.rebuild(address text DEFAULT NULL) -> bigint: the state of one
 * address (or of all) becomes what the replay of its log gives; returns
 * how many addresses changed.
 */
/*
 * A query Citus sends to every shard (or, filtered by an address, to one),
 * whose one bigint Citus sums: rebuild() and prune() on a cluster.
 */
static int64
on_shards(const char *query, int nargs, Oid *types, Datum *values)
{
	bool		isnull;
	int64		n;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	if (SPI_execute_with_args(query, nargs, types, values, NULL, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "bounce: could not run on the shards");
	n = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	return isnull ? 0 : n;
}

/*
 * rebuild() on a distributed install: each address is rebuilt on its
 * shard's node, by bounce._rebuild_here() in a query Citus sends to every
 * shard (the union of the co-located tables is pushed down whole); then
 * the counters are summed again from the coordinator.
 */
static int64
rebuild_on_shards(const char *address)
{
	Oid			type = TEXTOID;
	Datum		v = address ? CStringGetTextDatum(address) : (Datum) 0;
	int64		n;
	OwnerSwitch sw;

	/* one address: each branch filtered by it, so the query goes to its shard */
	const char *f = address ? " WHERE t.address OPERATOR(pg_catalog.=) $1" : "";

	n = on_shards(psprintf("SELECT count(*) FILTER (WHERE bounce._rebuild_here(x.address)) FROM ("
						   " SELECT t.address FROM bounce.addresses t%s UNION"
						   " SELECT t.address FROM bounce.events t%s UNION"
						   " SELECT t.address FROM bounce.deliveries t%s UNION"
						   " SELECT t.address FROM bounce.suppression_log t%s UNION"
						   " SELECT t.address FROM bounce.baselines t%s) x",
						   f, f, f, f, f),
				  address ? 1 : 0, &type, &v);
	if (address == NULL)
	{
		/* the counters, summed again from the coordinator (inside SPI, as the owner) */
		bounce_become_owner(&sw);
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "bounce: SPI_connect failed");
		recount();
		SPI_finish();
		bounce_become_caller(&sw);
	}
	return n;
}

/*
 * bounce._rebuild_here(address) -> boolean: rebuild one address on this
 * node, against its shard (called in a query on that shard); true when
 * its state changed.
 */
Datum
bounce_rebuild_here(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	Oid			type = TEXTOID;
	Datum		v = CStringGetTextDatum(bounce_normalize_or_error(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
	BounceShard *prev = bounce_shard_enter(bounce_shard_for_address(TextDatumGetCString(v), "rebuild"));
	volatile int64 n = 0;

	PG_TRY();
	{
		n = rebuild_query("SELECT $1::pg_catalog.text", 1, &type, &v, false);
	}
	PG_FINALLY();
	{
		bounce_shard_enter(prev);
	}
	PG_END_TRY();
	PG_RETURN_BOOL(n > 0);
}

Datum
bounce_rebuild(PG_FUNCTION_ARGS)
{
	if (bounce_is_distributed())
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_INT64(rebuild_on_shards(NULL));
		else
		{
			text	   *t = PG_GETARG_TEXT_PP(0);

			PG_RETURN_INT64(rebuild_on_shards(bounce_normalize_or_error(VARDATA_ANY(t),
																		VARSIZE_ANY_EXHDR(t))));
		}
	}
	if (PG_ARGISNULL(0))
		PG_RETURN_INT64(rebuild_query(ALL_ADDRESSES, 0, NULL, NULL, true));
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(0);
		Oid			type = TEXTOID;
		Datum		v = CStringGetTextDatum(bounce_normalize_or_error(VARDATA_ANY(t),
																	  VARSIZE_ANY_EXHDR(t)));

		PG_RETURN_INT64(rebuild_query("SELECT $1::pg_catalog.text", 1, &type, &v, false));
	}
}

/* Add the addresses of a transition table to a set. */
static void
collect_addresses(Tuplestorestate *ts, TupleDesc desc, int att, StrMap *set)
{
	TupleTableSlot *slot;

	if (ts == NULL)
		return;
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		bool		isnull;
		Datum		v = slot_getattr(slot, att, &isnull);

		if (!isnull)
		{
			text	   *t = DatumGetTextPP(v);
			const char *key;
			void	  **value = strmap_slot(set, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &key);

			*value = (void *) key;
		}
	}
	ExecDropSingleTupleTableSlot(slot);
}

static int
cstring_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *) x, *(const char *const *) y);
}

/*
 * bounce._log_changed(): AFTER UPDATE / AFTER DELETE FOR EACH STATEMENT of
 * bounce.events and bounce.deliveries, with transition tables: a
 * correction; the addresses it touched (before and after) are rebuilt.
 */
Datum
bounce_log_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td;
	StrMap	   *set;
	char	  **addrs;
	int			n;
	int			att;
	ArrayType  *arr;
	Datum	   *elems;
	Oid			type = TEXTARRAYOID;
	Datum		v;
	int			k;
	BounceShard *prev;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("_log_changed: must be called as trigger")));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		(!TRIGGER_FIRED_BY_UPDATE(td->tg_event) && !TRIGGER_FIRED_BY_DELETE(td->tg_event)) ||
		td->tg_oldtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("_log_changed: must be fired AFTER UPDATE or DELETE FOR EACH STATEMENT with an OLD TABLE")));
	if (internal_change)
		return PointerGetDatum(NULL);	/* prune() or forget() at work */

	set = strmap_create(CurrentMemoryContext, 64);
	att = bounce_trigger_column(td, "_log_changed", "address");
	collect_addresses(td->tg_oldtable, RelationGetDescr(td->tg_relation), att, set);
	collect_addresses(td->tg_newtable, RelationGetDescr(td->tg_relation), att, set);
	n = strmap_count(set);
	if (n == 0)
		return PointerGetDatum(NULL);
	addrs = palloc(sizeof(char *) * n);
	n = strmap_values(set, (void **) addrs);
	qsort(addrs, n, sizeof(char *), cstring_cmp);
	elems = palloc(sizeof(Datum) * n);
	for (k = 0; k < n; k++)
		elems[k] = CStringGetTextDatum(addrs[k]);
	arr = construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
	v = PointerGetDatum(arr);
	/* on a shard, its own addresses are refolded there */
	prev = bounce_shard_enter(bounce_shard_of(td->tg_relation));
	PG_TRY();
	{
		(void) rebuild_query("SELECT u.a FROM pg_catalog.unnest($1) AS u(a)"
							 " ORDER BY u.a COLLATE pg_catalog.\"C\"", 1, &type, &v, false);
	}
	PG_FINALLY();
	{
		bounce_shard_enter(prev);
	}
	PG_END_TRY();
	return PointerGetDatum(NULL);
}

/* ------------------------------------------------------------------------
 * prune()
 * ------------------------------------------------------------------------
 */
typedef struct PruneCtx
{
	bounce_policy policy;
	StrMap	   *campaigns;
	TimestampTz before;
	int64		removed;
} PruneCtx;

static void
prune_batch(FoldAddr **a, int n, void *arg)
{
	PruneCtx   *pc = (PruneCtx *) arg;
	bounce_allocator al = {bounce_palloc_for_core, CurrentMemoryContext};
	int64	   *until = palloc(sizeof(int64) * n);
	Oid			types[2] = {TEXTARRAYOID, TIMESTAMPTZOID};
	Datum		vals[2];
	Datum	   *elems = palloc(sizeof(Datum) * n);
	int			k;

	for (k = 0; k < n; k++)
		bounce_addr_init(&a[k]->state);
	bounce_store_insert_new(a, n);	/* lock */
	bounce_store_load(a, n, &al);
	/* the new baseline: the old one and every entry before the cut */
	bounce_store_fold_log(a, n, pc->before, &pc->policy, &al, pc->campaigns);
	for (k = 0; k < n; k++)
	{
		bounce_policy_keep_handouts(&a[k]->state, &a[k]->stored);
		until[k] = Max(a[k]->base_log_id, a[k]->log_id_seen);
		elems[k] = CStringGetTextDatum(a[k]->address);
	}
	bounce_store_write_baselines(a, n, pc->before, until);

	vals[0] = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
	vals[1] = TimestampTzGetDatum(pc->before);
	if (SPI_execute_with_args("DELETE FROM bounce.events e WHERE e.address OPERATOR(pg_catalog.=) ANY ($1)"
							  " AND e.occurred_at OPERATOR(pg_catalog.<) $2",
							  2, types, vals, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "bounce: prune could not delete events");
	pc->removed += SPI_processed;
	if (SPI_execute_with_args("DELETE FROM bounce.deliveries d WHERE d.address OPERATOR(pg_catalog.=) ANY ($1)"
							  " AND d.delivered_at OPERATOR(pg_catalog.<) $2",
							  2, types, vals, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "bounce: prune could not delete deliveries");
	pc->removed += SPI_processed;
}

/* prune() of the addresses a query names ($1: before, $2: 'address' when not 0) */
static int64
prune_query(const char *query, Datum before, Datum address)
{
	PruneCtx	pc;
	OwnerSwitch sw;
	Oid			types[2] = {TIMESTAMPTZOID, TEXTOID};
	Datum		vals[2] = {before, address};
	MemoryContext caller = CurrentMemoryContext;

	pc.before = DatumGetTimestampTz(before);
	pc.removed = 0;
	pc.campaigns = strmap_create(CurrentMemoryContext, 64);
	bounce_become_owner(&sw);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	MemoryContextSwitchTo(caller);
	bounce_store_load_policy(&pc.policy);
	internal_change = true;
	PG_TRY();
	{
		for_each_batch(query, address ? 2 : 1, types, vals, false, prune_batch, &pc);
	}
	PG_FINALLY();
	{
		internal_change = false;
	}
	PG_END_TRY();
	SPI_finish();
	bounce_become_caller(&sw);
	return pc.removed;
}

/*
 * bounce.prune(before timestamptz) -> bigint: retention.  The events and
 * deliveries older than 'before' are folded into each address's baseline
 * (bounce.baselines) and removed; a replay is then baseline + the rest of
 * the log, so no state (no suppression) changes.  Returns the rows removed.
 */
Datum
bounce_prune(PG_FUNCTION_ARGS)
{
	Datum		v;

	if (PG_ARGISNULL(0) || TIMESTAMP_NOT_FINITE(PG_GETARG_TIMESTAMPTZ(0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bounce.prune: the time must be a finite timestamp")));
	v = TimestampTzGetDatum(PG_GETARG_TIMESTAMPTZ(0));
	if (bounce_is_distributed())
	{
		/* on a cluster: address by address, on each one's node (as rebuild()) */
		Oid			type = TIMESTAMPTZOID;

		PG_RETURN_INT64(on_shards("SELECT pg_catalog.sum(bounce._prune_here(x.address, $1))::pg_catalog.int8 FROM ("
								  " SELECT e.address FROM bounce.events e WHERE e.occurred_at OPERATOR(pg_catalog.<) $1"
								  " UNION"
								  " SELECT d.address FROM bounce.deliveries d WHERE d.delivered_at OPERATOR(pg_catalog.<) $1) x",
								  1, &type, &v));
	}
	PG_RETURN_INT64(prune_query("SELECT x.address FROM ("
								" SELECT e.address FROM bounce.events e WHERE e.occurred_at OPERATOR(pg_catalog.<) $1"
								" UNION"
								" SELECT d.address FROM bounce.deliveries d WHERE d.delivered_at OPERATOR(pg_catalog.<) $1"
								") x ORDER BY x.address COLLATE pg_catalog.\"C\"", v, (Datum) 0));
}

/*
 * bounce._prune_here(address, before) -> bigint: prune() of one address
 * on this node, against its shard (called in a query on that shard).
 */
Datum
bounce_prune_here(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char	   *address = bounce_normalize_or_error(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	BounceShard *prev = bounce_shard_enter(bounce_shard_for_address(address, "prune"));
	volatile int64 n = 0;

	PG_TRY();
	{
		n = prune_query("SELECT x.address FROM ("
						" SELECT e.address FROM bounce.events e WHERE e.address OPERATOR(pg_catalog.=) $2"
						" AND e.occurred_at OPERATOR(pg_catalog.<) $1"
						" UNION"
						" SELECT d.address FROM bounce.deliveries d WHERE d.address OPERATOR(pg_catalog.=) $2"
						" AND d.delivered_at OPERATOR(pg_catalog.<) $1) x",
						PG_GETARG_DATUM(1), CStringGetTextDatum(address));
	}
	PG_FINALLY();
	{
		bounce_shard_enter(prev);
	}
	PG_END_TRY();
	PG_RETURN_INT64(n);
}

/* ------------------------------------------------------------------------
 * forget() and forgotten addresses
 * ------------------------------------------------------------------------
 */

/* The erasure key (as the owner, inside SPI); an error when there is none. */
static void
erasure_key(bounce_hmac_sha256_ctx *key)
{
	if (!bounce_secret_hmac(BOUNCE_SECRET_ERASURE, key))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("bounce.secrets has no \"erasure\" key"),
				 errhint("INSERT INTO bounce.secrets VALUES ('erasure', bounce.random_key()).")));
}

static Datum
hash_datum(const bounce_hmac_sha256_ctx *key, const char *address)
{
	bytea	   *h = palloc(VARHDRSZ + BOUNCE_SHA256_DIGEST);

	SET_VARSIZE(h, VARHDRSZ + BOUNCE_SHA256_DIGEST);
	bounce_address_hash(key, address, (uint8 *) VARDATA(h));
	return PointerGetDatum(h);
}

/* Does the install keep forgotten addresses, and is any kept?  (inside SPI) */
static bool
any_forgotten(void)
{
	if (!OidIsValid(get_relname_relid("forgotten", get_namespace_oid("bounce", false))))
		return false;			/* 1.0, not updated */
	if (SPI_execute("SELECT FROM bounce.forgotten LIMIT 1", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not read bounce.forgotten");
	return SPI_processed > 0;
}

/*
 * Addresses of a batch about to be folded that were forgotten while
 * suppressed: their hash gives way to a manual suppression in the log, at
 * the time they were forgotten, and they are folded from the log (which
 * now holds it): a fresh history that starts suppressed.  Inside SPI, as
 * the owner; 'caller' is named in the audit log.
 */
void
bounce_claim_forgotten(FoldAddr **a, int n, Oid caller)
{
	bounce_hmac_sha256_ctx key;
	Datum	   *hashes;
	Oid			types[3] = {BYTEAARRAYOID, TEXTARRAYOID, NAMEOID};
	Datum		vals[3];
	Datum	   *addrs;
	int			k;
	uint64		j;

	if (n == 0 || !any_forgotten())
		return;
	erasure_key(&key);
	hashes = palloc(sizeof(Datum) * n);
	addrs = palloc(sizeof(Datum) * n);
	for (k = 0; k < n; k++)
	{
		hashes[k] = hash_datum(&key, a[k]->address);
		addrs[k] = CStringGetTextDatum(a[k]->address);
	}
	vals[0] = PointerGetDatum(construct_array(hashes, n, BYTEAOID, -1, false, TYPALIGN_INT));
	vals[1] = PointerGetDatum(construct_array(addrs, n, TEXTOID, -1, false, TYPALIGN_INT));
	vals[2] = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(caller, false)));
	if (SPI_execute_with_args(psprintf("WITH f AS (DELETE FROM bounce.forgotten f USING"
									   " ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS u(hash, address)"
									   " WHERE f.hash OPERATOR(pg_catalog.=) u.hash RETURNING u.address, f.forgotten_at)"
									   " INSERT INTO bounce.suppression_log (id, address, at, action, reason, done_by)"
									   " SELECT %s, f.address, f.forgotten_at, 'suppress', 'forgotten (erasure), seen again', $3"
									   " FROM f RETURNING address",
									   bounce_shard_next_id("bounce.suppression_log_id_seq")),
							  3, types, vals, NULL, false, 0) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "bounce: could not bring back a forgotten suppression");
	for (j = 0; j < SPI_processed; j++)
	{
		char	   *addr = SPI_getvalue(SPI_tuptable->vals[j], SPI_tuptable->tupdesc, 1);

		for (k = 0; k < n; k++)
			if (strcmp(a[k]->address, addr) == 0)
				a[k]->entries = NULL;	/* refold: the log holds the suppression */
	}
}

/*
 * Remove an address's hash from bounce.forgotten (inside SPI, as the
 * owner); true when there was one.  suppress() and unsuppress() call it:
 * a manual change settles the address in the clear again.
 */
bool
bounce_unforget(const char *address)
{
	bounce_hmac_sha256_ctx key;
	Oid			type = BYTEAOID;
	Datum		v;

	if (!any_forgotten())
		return false;
	erasure_key(&key);
	v = hash_datum(&key, address);
	if (SPI_execute_with_args("DELETE FROM bounce.forgotten f WHERE f.hash OPERATOR(pg_catalog.=) $1",
							  1, &type, &v, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "bounce: could not update bounce.forgotten");
	return SPI_processed > 0;
}

/*
 * bounce.forget(address text) -> boolean: the right to erasure.  The
 * address leaves every table (its events, deliveries, state, retries,
 * baseline, audit entries); if it was suppressed, a keyed hash of it stays
 * in bounce.forgotten, so is_suppressed() still says true and a later
 * bounce starts a fresh, suppressed history.  True when anything was
 * removed.
 */
static bool forget_here(const char *address);

/*
 * On a distributed install forget() is a distributed function: Citus runs
 * it on the node of the address's shard, where it erases the address from
 * that shard's tables and keeps the hash in the co-located shard of
 * bounce.forgotten.
 */
Datum
bounce_forget(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char	   *address = bounce_normalize_or_error(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	Oid			type = TEXTOID;
	Datum		v = CStringGetTextDatum(address);
	BounceShard *here;
	BounceShard *prev;
	bool		result;
	volatile bool r = false;

	/* the same call, on the address's node when that is not this one */
	if (!bounce_shard_route(address, &here, "bounce.forget($1)", 1, &type, &v, " ", &result))
		PG_RETURN_BOOL(result);
	prev = bounce_shard_enter(here);
	PG_TRY();
	{
		r = forget_here(address);
	}
	PG_FINALLY();
	{
		bounce_shard_enter(prev);
	}
	PG_END_TRY();
	PG_RETURN_BOOL(r);
}

static bool
forget_here(const char *address)
{
	static const char *const tables[] = {
		"bounce.events", "bounce.deliveries", "bounce.retries", "bounce.address_campaigns",
		"bounce.suppression_log", "bounce.baseline_retries", "bounce.baseline_campaigns",
		"bounce.baselines", "bounce.addresses", "bounce.suppression_outbox"
	};
	/* the outbox is empty on a single node, which notifies at commit */
	int			ntables = lengthof(tables) - (bounce_shard_current() == NULL);
	OwnerSwitch sw;
	Oid			type = TEXTOID;
	Datum		v = CStringGetTextDatum(address);
	bool		suppressed;
	uint64		removed = 0;
	int			i;

	bounce_become_owner(&sw);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	if (SPI_execute_with_args("SELECT a.state OPERATOR(pg_catalog.=) 'suppressed' FROM bounce.addresses a"
							  " WHERE a.address OPERATOR(pg_catalog.=) $1 FOR UPDATE",
							  1, &type, &v, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not lock the address");
	suppressed = SPI_processed == 1 &&
		DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &(bool) {false}));

	/* the metrics no longer count it */
	{
		FoldAddr	fa;
		FoldAddr   *fap = &fa;
		bounce_allocator al = {bounce_palloc_for_core, CurrentMemoryContext};

		memset(&fa, 0, sizeof(fa));
		fa.address = address;
		fa.exists = true;
		bounce_store_load(&fap, 1, &al);
		bounce_addr_init(&fa.state);
		bounce_store_count(&fap, 1);
	}

	internal_change = true;
	PG_TRY();
	{
		for (i = 0; i < ntables; i++)
		{
			char	   *q = psprintf("DELETE FROM %s t WHERE t.address OPERATOR(pg_catalog.=) $1",
									 tables[i]);

			if (SPI_execute_with_args(q, 1, &type, &v, NULL, false, 0) != SPI_OK_DELETE)
				elog(ERROR, "bounce: forget could not delete from %s", tables[i]);
			removed += SPI_processed;
		}
	}
	PG_FINALLY();
	{
		internal_change = false;
	}
	PG_END_TRY();

	if (suppressed)
	{
		bounce_hmac_sha256_ctx key;
		Oid			htypes[2] = {BYTEAOID, TEXTOID};
		Datum		h[2];

		erasure_key(&key);
		h[0] = hash_datum(&key, address);
		/* on a shard, the anchor places the row with the address's shards */
		h[1] = CStringGetTextDatum(bounce_shard_current() ? bounce_shard_anchor(bounce_shard_current()) : "");
		if (SPI_execute_with_args("INSERT INTO bounce.forgotten (hash, forgotten_at, shard_key)"
								  " VALUES ($1, pg_catalog.now(), $2) ON CONFLICT (hash, shard_key) DO NOTHING",
								  2, htypes, h, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "bounce: could not keep the forgotten address's hash");
	}
	SPI_finish();
	bounce_become_caller(&sw);
	return removed > 0;
}
