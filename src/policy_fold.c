/*
 * policy_fold.c - the policy's writers: the AFTER STATEMENT triggers of
 * bounce.events and bounce.deliveries, and bounce.suppress() /
 * bounce.unsuppress().  Each one reads the addresses it touches, folds
 * the new log entries into them with the core (src/core/policy.c) and
 * writes them back; the rules live in the core alone.
 *
 * Rights: the writes run as the owner of bounce.addresses, switched for
 * them alone (SetUserIdAndSecContext, as PostgreSQL's foreign-key triggers
 * do), so a role that may only insert events can feed bounces without
 * being able to write any state; NOTIFY and the audit log name the caller.
 *
 * Locking: addresses are locked in one pass in byte order (the order of
 * COLLATE "C"), a batch of FOLD_BATCH at a time, so concurrent writers
 * wait for each other but never deadlock.
 *
 * Memory: the statement keeps each distinct address once, and its new
 * entries while they fit in bounce.fold_work_mem; beyond that the
 * statement's addresses are folded again from the log, which the executor
 * sorts, so a COPY of any size runs in memory that grows with distinct
 * addresses, not events.
 */
#include "postgres.h"
#include "compat.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "enums.h"
#include "policy_glue.h"
#define BOUNCE_SHARD_SPI
#include "shard.h"

PG_FUNCTION_INFO_V1(bounce_log_after);
PG_FUNCTION_INFO_V1(bounce_events_after);
PG_FUNCTION_INFO_V1(bounce_suppress);
PG_FUNCTION_INFO_V1(bounce_unsuppress);

void		_PG_init(void);

/* bounce.fold_work_mem: kB of new entries a statement keeps in memory. */
static int	fold_work_mem = 65536;

void
_PG_init(void)
{
	DefineCustomIntVariable("bounce.fold_work_mem",
							"Memory for the new events of one statement before the policy reads them back from the log.",
							"A statement with more new events (about 56 bytes each) folds its addresses "
							"again from the log, sorted by the executor: slower, in memory that grows "
							"with distinct addresses only.",
							&fold_work_mem, 65536, 64, MAX_KILOBYTES,
							PGC_USERSET, GUC_UNIT_KB, NULL, NULL, NULL);
	MarkGUCPrefixReserved("bounce");
	bounce_shard_init();
}

/* ------------------------------------------------------------------------
 * Running as the owner
 * ------------------------------------------------------------------------
 */
/* The owner of bounce.addresses: the role the policy writes as. */
static Oid
policy_owner(void)
{
	Oid			relid = get_relname_relid("addresses", get_namespace_oid("bounce", false));
	HeapTuple	tup;
	Oid			owner;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"bounce.addresses\" does not exist")));
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/*
 * Become the owner for the policy's own statements.  Restricted: nothing
 * the caller set up (temporary objects, SET ROLE) can act inside.  An
 * error on the way unwinds it with the (sub)transaction.
 */
void
bounce_become_owner(OwnerSwitch *sw)
{
	GetUserIdAndSecContext(&sw->caller, &sw->sec_context);
	SetUserIdAndSecContext(policy_owner(), sw->sec_context |
						   SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
}

void
bounce_become_caller(const OwnerSwitch *sw)
{
	SetUserIdAndSecContext(sw->caller, sw->sec_context);
}

/* The core's allocator over palloc (errors out rather than return NULL). */
void *
bounce_palloc_for_core(void *ctx, size_t size)
{
	return MemoryContextAllocHuge((MemoryContext) ctx, size);
}

/* ------------------------------------------------------------------------
 * Fold errors
 * ------------------------------------------------------------------------
 */

/*
 * A time past timestamptz's range could not be read back (pg_dump,
 * restore), and clamping it would change the policy without saying so:
 * the event is refused instead.
 */
void
bounce_fold_error(bounce_fold_status st, const FoldAddr *fa, const bounce_entry *e,
				  const bounce_policy *p)
{
	if (st == BOUNCE_FOLD_TIME_RANGE)
	{
		const bounce_policy_rule *rule = &p->rule[e->reason][e->cls];
		const char *campaign = e->campaign ? e->campaign : "";
		int32		attempts = 1;
		size_t		i;

		for (i = 0; i < fa->state.nretries; i++)
			if (strcmp(fa->state.retries[i].campaign, campaign) == 0)
				attempts = fa->state.retries[i].attempts;
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the retry of a bounce at %s would be due past the end of timestamptz",
						timestamptz_to_str(e->at)),
				 errdetail("Bounce event %lld: its retry delay is %lld seconds.",
						   (long long) e->id,
						   (long long) (bounce_policy_retry_delay(p, rule, attempts) / USECS_PER_SEC)),
				 errhint("Bounce times must leave room for the retry delays of bounce.reason_policy and bounce.config.")));
	}
	ereport(ERROR,
			(errcode(ERRCODE_OUT_OF_MEMORY),
			 errmsg("out of memory while applying the bounce policy to \"%s\"", fa->address)));
}

/* Fold sorted entries into a state, or throw. */
static void
fold_or_error(FoldAddr *fa, const bounce_entry *e, int n, const bounce_policy *p,
			  const bounce_allocator *al)
{
	size_t		failed = 0;
	bounce_fold_status st = bounce_policy_fold(&fa->state, e, n, p, al, &failed);

	if (st != BOUNCE_FOLD_OK)
		bounce_fold_error(st, fa, &e[failed], p);
}

/* ------------------------------------------------------------------------
 * One batch of addresses, in lock order
 * ------------------------------------------------------------------------
 */

/*
 * After the lock: each address is folded from what it was ('stored'):
 * its new entries onto it when they come after it, else its whole log
 * again.  Then written.  'provisional' addresses were inserted with a
 * state that still needs this fold.  Returns the addresses whose
 * suppression changed, for NOTIFY.
 */
List *
bounce_fold_locked(FoldAddr **a, int n, const bool *final, const bounce_policy *p,
			const bounce_allocator *al, StrMap *campaigns, MemoryContext keep)
{
	FoldAddr  **refold = palloc(sizeof(FoldAddr *) * Max(n, 1));
	FoldAddr  **write = palloc(sizeof(FoldAddr *) * Max(n, 1));
	int			nrefold = 0;
	int			nwrite = 0;
	List	   *notify = NIL;
	int			k;

	for (k = 0; k < n; k++)
	{
		FoldAddr   *fa = a[k];

		if (final && final[k])
			continue;			/* inserted with its folded state */
		write[nwrite++] = fa;
		if (fa->entries == NULL || (fa->exists && bounce_policy_is_late(&fa->stored, fa->entries,
																		  fa->nentries)))
		{
			fa->refold = true;
			refold[nrefold++] = fa;
			continue;
		}
		bounce_store_copy_state(&fa->state, &fa->stored, al);
		fold_or_error(fa, fa->entries, fa->nentries, p, al);
	}
	bounce_store_refold(refold, nrefold, p, al, campaigns);
	bounce_store_update(write, nwrite);
	bounce_store_write_retries(a, n);
	bounce_store_count(a, n);

	for (k = 0; k < n; k++)
		if ((a[k]->stored.state == BOUNCE_ADDR_SUPPRESSED) !=
			(a[k]->state.state == BOUNCE_ADDR_SUPPRESSED))
			notify = lappend(notify, MemoryContextStrdup(keep, a[k]->address));
	return notify;
}

/*
 * Lock and fold a batch of a statement's addresses: fold each as if new,
 * insert those that have no row with that state (one write each), lock the
 * others, read them, fold them and write them.
 */
static List *
fold_batch(FoldAddr **a, int n, const bounce_policy *p, StrMap *campaigns,
		   MemoryContext keep, Oid caller)
{
	bounce_allocator al = {bounce_palloc_for_core, CurrentMemoryContext};
	bool	   *final = palloc0(sizeof(bool) * n);
	int			k;

	bounce_claim_forgotten(a, n, caller);

	for (k = 0; k < n; k++)
	{
		FoldAddr   *fa = a[k];
		size_t		failed;

		bounce_addr_init(&fa->state);
		if (fa->entries != NULL &&
			bounce_policy_fold(&fa->state, fa->entries, fa->nentries, p, &al, &failed) == BOUNCE_FOLD_OK)
			final[k] = true;
		else
			bounce_addr_init(&fa->state);	/* a placeholder: folded below */
	}
	bounce_store_insert_new(a, n);
	for (k = 0; k < n; k++)
		if (a[k]->exists)
			final[k] = false;
	bounce_store_load(a, n, &al);
	return bounce_fold_locked(a, n, final, p, &al, campaigns, keep);
}

/* ------------------------------------------------------------------------
 * The statement triggers
 * ------------------------------------------------------------------------
 */

/* A new entry of the statement, before the entries are grouped by address. */
typedef struct NewEntry
{
	FoldAddr   *fa;
	bounce_entry e;
} NewEntry;

static int
fold_addr_cmp(const void *x, const void *y)
{
	return strcmp((*(FoldAddr *const *) x)->address, (*(FoldAddr *const *) y)->address);
}

/* By address in lock order, then folding order. */
static int
new_entry_cmp(const void *x, const void *y)
{
	const NewEntry *a = (const NewEntry *) x;
	const NewEntry *b = (const NewEntry *) y;

	if (a->fa != b->fa)
		return a->fa->rank < b->fa->rank ? -1 : 1;
	return bounce_entry_cmp(&a->e, &b->e);
}

/* Columns of the log table a trigger reads. */
typedef struct LogColumns
{
	int			address;
	int			campaign;
	int			at;
	int			id;
	int			cls;			/* bounces only */
	int			reason;
} LogColumns;

/*
 * Read the statement's new rows: each address once (in 'addrs'), and the
 * entries while they fit the budget (*in_memory false beyond it).
 */
static NewEntry *
read_new_rows(TriggerData *td, bounce_entry_kind kind, const char *fname, StrMap *addrs,
			  StrMap *campaigns, long *nentries, bool *in_memory)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	Oid			relid = RelationGetRelid(td->tg_relation);
	long		budget = Max((long) fold_work_mem * 1024L / (long) sizeof(NewEntry), 1L);
	long		cap = Min(1024L, budget);
	long		n = 0;
	NewEntry   *ne = palloc(sizeof(NewEntry) * cap);
	bool		skips = bounce_skip_pending();
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	LogColumns	col;
	long		i;

	col.address = bounce_trigger_column(td, fname, "address");
	col.campaign = bounce_trigger_column(td, fname, "campaign");
	col.at = bounce_trigger_column(td, fname,
								   kind == BOUNCE_ENTRY_BOUNCE ? "occurred_at" : "delivered_at");
	col.id = bounce_trigger_column(td, fname, "id");
	col.cls = kind == BOUNCE_ENTRY_BOUNCE ? bounce_trigger_column(td, fname, "class") : 0;
	col.reason = kind == BOUNCE_ENTRY_BOUNCE ? bounce_trigger_column(td, fname, "reason") : 0;

	*in_memory = true;
	tuplestore_rescan(td->tg_newtable);
	for (i = 0; tuplestore_gettupleslot(td->tg_newtable, true, false, slot); i++)
	{
		bool		isnull;
		Datum		v;
		text	   *t;
		const char *key;
		void	  **fslot;
		FoldAddr   *fa;
		bounce_entry e;

		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		v = slot_getattr(slot, col.address, &isnull);
		if (isnull)
			continue;			/* NOT NULL in the table; defensive */
		t = DatumGetTextPP(v);
		memset(&e, 0, sizeof(e));
		e.kind = kind;
		v = slot_getattr(slot, col.id, &isnull);
		e.id = isnull ? 0 : DatumGetInt64(v);
		fslot = strmap_slot(addrs, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &key);
		if (skips && bounce_skip_has(relid, key, e.id))
			continue;			/* restored, already applied */
		v = slot_getattr(slot, col.at, &isnull);
		if (isnull)
			continue;
		e.at = DatumGetTimestampTz(v);
		v = slot_getattr(slot, col.campaign, &isnull);
		if (!isnull)
		{
			text	   *c = DatumGetTextPP(v);

			(void) strmap_slot(campaigns, VARDATA_ANY(c), VARSIZE_ANY_EXHDR(c), &e.campaign);
		}
		if (kind == BOUNCE_ENTRY_BOUNCE)
		{
			int			cls = bounce_class_from_datum(slot_getattr(slot, col.cls, &isnull));
			int			reason = bounce_reason_from_datum(slot_getattr(slot, col.reason, &isnull));

			e.cls = cls < 0 ? BOUNCE_CLASS_NONE : (bounce_class) cls;
			e.reason = reason < 0 ? BOUNCE_REASON_UNDEFINED : (bounce_reason) reason;
		}
		if (*fslot == NULL)
		{
			fa = palloc0(sizeof(FoldAddr));
			fa->address = key;
			*fslot = fa;
		}
		fa = (FoldAddr *) *fslot;
		fa->count++;
		if (*in_memory && n >= budget)
		{
			*in_memory = false; /* too many: the addresses are refolded */
			pfree(ne);
			ne = NULL;
		}
		if (*in_memory)
		{
			if (n == cap)
			{
				cap = Min(cap * 2, budget);	/* never past the budget */
				ne = repalloc_huge(ne, sizeof(NewEntry) * cap);
			}
			ne[n].fa = fa;
			ne[n].e = e;
			n++;
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	*nentries = n;
	return ne;
}

/*
 * The fold of one statement's new rows of bounce.events (bounces) or
 * bounce.deliveries.
 */
static void
fold_statement(TriggerData *td, bounce_entry_kind kind, const char *fname)
{
	MemoryContext stmt = AllocSetContextCreate(CurrentMemoryContext, "bounce policy fold",
											   ALLOCSET_DEFAULT_SIZES);
	MemoryContext batch = AllocSetContextCreate(stmt, "bounce policy batch",
												ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(stmt);
	StrMap	   *addrs = strmap_create(stmt, 1024);
	StrMap	   *campaigns = strmap_create(stmt, 64);
	long		nne;
	bool		in_memory;
	NewEntry   *ne = read_new_rows(td, kind, fname, addrs, campaigns, &nne, &in_memory);
	FoldAddr  **order = palloc(sizeof(FoldAddr *) * Max(strmap_count(addrs), 1));
	int			naddrs = strmap_values(addrs, (void **) order);
	bounce_entry *entries;
	bounce_policy policy;
	OwnerSwitch sw;
	List	   *notify = NIL;
	long		i;
	int			k;

	/* no rows, or only restored ones (skipped) */
	if (naddrs == 0)
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(stmt);
		return;
	}

	/* 2. addresses in lock order, each with its entries in folding order */
	qsort(order, naddrs, sizeof(FoldAddr *), fold_addr_cmp);
	for (k = 0; k < naddrs; k++)
		order[k]->rank = k;
	if (in_memory)
	{
		qsort(ne, nne, sizeof(NewEntry), new_entry_cmp);
		entries = palloc(sizeof(bounce_entry) * Max(nne, 1));
		for (i = 0; i < nne; i++)
		{
			FoldAddr   *fa = ne[i].fa;

			entries[i] = ne[i].e;
			if (fa->entries == NULL)
				fa->entries = &entries[i];
			fa->nentries++;
		}
		pfree(ne);
	}

	/* 3. as the owner: lock, fold and write, a batch of addresses at a time */
	bounce_become_owner(&sw);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	bounce_store_load_policy(&policy);
	for (k = 0; k < naddrs; k += FOLD_BATCH)
	{
		int			n = Min(FOLD_BATCH, naddrs - k);
		List	   *changed;

		CHECK_FOR_INTERRUPTS();
		MemoryContextSwitchTo(batch);
		changed = fold_batch(order + k, n, &policy, campaigns, stmt, sw.caller);
		MemoryContextSwitchTo(stmt);	/* the list outlives the batch */
		notify = list_concat(notify, changed);
		MemoryContextReset(batch);
	}
	bounce_notify_or_queue(notify);
	SPI_finish();
	bounce_become_caller(&sw);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(stmt);
}

/*
 * Applications learn about (un)suppressions at commit.  On a shard, a
 * NOTIFY would make the worker refuse to PREPARE the coordinator's
 * multi-shard commit, so the addresses go to the shard's outbox, which
 * bounce.relay_suppressions() drains on the coordinator.  Inside SPI.
 */
void
bounce_notify_or_queue(List *notify)
{
	ListCell   *lc;

	if (notify == NIL)
		return;
	if (bounce_shard_current() == NULL)
	{
		foreach(lc, notify)
			Async_Notify("bounce_suppression", (const char *) lfirst(lc));
		return;
	}
	{
		Datum	   *addrs = palloc(sizeof(Datum) * list_length(notify));
		Oid			type = TEXTARRAYOID;
		Datum		arr;
		int			n = 0;

		foreach(lc, notify)
			addrs[n++] = CStringGetTextDatum((const char *) lfirst(lc));
		arr = PointerGetDatum(construct_array(addrs, n, TEXTOID, -1, false, TYPALIGN_INT));
		if (SPI_execute_with_args("INSERT INTO bounce.suppression_outbox (address)"
								  " SELECT pg_catalog.unnest($1)",
								  1, &type, &arr, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "bounce: could not queue a suppression notice");
	}
}

/* fold_statement on the shard the trigger fires on, if it is one */
static void
fold_statement_on_shard(TriggerData *td, bounce_entry_kind kind, const char *fname)
{
	BounceShard *prev = bounce_shard_enter(bounce_shard_of(td->tg_relation));

	PG_TRY();
	{
		fold_statement(td, kind, fname);
	}
	PG_FINALLY();
	{
		bounce_shard_enter(prev);
	}
	PG_END_TRY();
}

/* The statement trigger's checks; the table's kind of entries. */
static bounce_entry_kind
log_trigger_kind(FunctionCallInfo fcinfo, const char *fname)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be called as trigger", fname)));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_BY_INSERT(td->tg_event) || td->tg_newtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be fired AFTER INSERT FOR EACH STATEMENT with a NEW TABLE",
						fname)));
	if (td->tg_trigger->tgnargs == 0)
		return BOUNCE_ENTRY_BOUNCE;		/* 1.0's events trigger */
	if (td->tg_trigger->tgnargs == 1 && strcmp(td->tg_trigger->tgargs[0], "bounce") == 0)
		return BOUNCE_ENTRY_BOUNCE;
	if (td->tg_trigger->tgnargs == 1 && strcmp(td->tg_trigger->tgargs[0], "delivery") == 0)
		return BOUNCE_ENTRY_DELIVERY;
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("%s: the argument must be 'bounce' or 'delivery'", fname)));
	return BOUNCE_ENTRY_BOUNCE;
}

/*
 * bounce._log_after('bounce' | 'delivery'): AFTER INSERT FOR EACH
 * STATEMENT on bounce.events / bounce.deliveries, REFERENCING NEW TABLE.
 */
Datum
bounce_log_after(PG_FUNCTION_ARGS)
{
	bounce_entry_kind kind = log_trigger_kind(fcinfo, "_log_after");

	fold_statement_on_shard((TriggerData *) fcinfo->context, kind, "_log_after");
	return PointerGetDatum(NULL);
}

/* bounce._events_after(): 1.0's name of the events trigger. */
Datum
bounce_events_after(PG_FUNCTION_ARGS)
{
	bounce_entry_kind kind = log_trigger_kind(fcinfo, "_events_after");

	fold_statement_on_shard((TriggerData *) fcinfo->context, kind, "_events_after");
	return PointerGetDatum(NULL);
}

/* ------------------------------------------------------------------------
 * By hand: bounce.suppress() and bounce.unsuppress()
 * ------------------------------------------------------------------------
 */

/*
 * One manual change of one address: lock it, decide whether it changes
 * anything, log it (the log is what a replay reads), fold it, write it.
 */
static bool manual_change_here(FunctionCallInfo fcinfo, bounce_entry_kind kind,
							   const char *fname, const char *address);

/*
 * On a distributed install the change runs on the node of the address's
 * shard (bounce.distribute() makes the function a distributed one, which
 * Citus hands to that node), against the shard's tables.
 */
static bool
manual_change(FunctionCallInfo fcinfo, bounce_entry_kind kind, const char *fname)
{
	text	   *addr_t;
	char	   *address;
	BounceShard *prev;
	volatile bool r = false;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("bounce.%s: the address must not be NULL", fname)));
	addr_t = PG_GETARG_TEXT_PP(0);
	address = bounce_normalize_or_error(VARDATA_ANY(addr_t), VARSIZE_ANY_EXHDR(addr_t));
	{
		/* the same call, on the address's node when that is not this one */
		bool		sup = kind == BOUNCE_ENTRY_SUPPRESS;
		Oid			types[3] = {TEXTOID, sup ? TEXTOID : TIMESTAMPTZOID, TIMESTAMPTZOID};
		Datum		vals[3] = {CStringGetTextDatum(address), PG_GETARG_DATUM(1),
		sup ? PG_GETARG_DATUM(2) : (Datum) 0};
		char		nulls[3] = {' ', PG_ARGISNULL(1) ? 'n' : ' ', sup && PG_ARGISNULL(2) ? 'n' : ' '};
		BounceShard *here;
		bool		result;

		if (!bounce_shard_route(address, &here,
								sup ? "bounce.suppress($1, $2, $3)" : "bounce.unsuppress($1, $2)",
								sup ? 3 : 2, types, vals, nulls, &result))
			return result;
		prev = bounce_shard_enter(here);
	}
	PG_TRY();
	{
		r = manual_change_here(fcinfo, kind, fname, address);
	}
	PG_FINALLY();
	{
		bounce_shard_enter(prev);
	}
	PG_END_TRY();
	return r;
}

static bool
manual_change_here(FunctionCallInfo fcinfo, bounce_entry_kind kind, const char *fname,
				   const char *address)
{
	TimestampTz at;
	char	   *note = NULL;
	OwnerSwitch sw;
	bounce_policy policy;
	bounce_allocator al = {bounce_palloc_for_core, CurrentMemoryContext};
	FoldAddr	fa;
	FoldAddr   *fap = &fa;
	bounce_entry e;
	bool		changed;
	bool		unforgotten;
	List	   *notify;
	int			at_arg = kind == BOUNCE_ENTRY_SUPPRESS ? 2 : 1;
	MemoryContext caller = CurrentMemoryContext;

	if (PG_ARGISNULL(at_arg) ||
		TIMESTAMP_NOT_FINITE(PG_GETARG_TIMESTAMPTZ(at_arg)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bounce.%s: the time must be a finite timestamp", fname)));
	at = PG_GETARG_TIMESTAMPTZ(at_arg);
	if (kind == BOUNCE_ENTRY_SUPPRESS && !PG_ARGISNULL(1))
		note = text_to_cstring(PG_GETARG_TEXT_PP(1));

	memset(&fa, 0, sizeof(fa));
	fa.address = address;
	bounce_become_owner(&sw);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	/* what must outlive SPI_finish lives in the caller's context */
	MemoryContextSwitchTo(caller);
	bounce_store_load_policy(&policy);

	/* the lock: suppress makes the row of an address never seen */
	if (kind == BOUNCE_ENTRY_SUPPRESS)
	{
		bounce_addr_init(&fa.state);
		bounce_store_insert_new(&fap, 1);
	}
	else
	{
		Oid			type = TEXTOID;
		Datum		arg = CStringGetTextDatum(address);

		if (SPI_execute_with_args("SELECT 1 FROM bounce.addresses a"
								  " WHERE a.address OPERATOR(pg_catalog.=) $1 FOR UPDATE",
								  1, &type, &arg, NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "bounce: could not lock the address");
		fa.exists = SPI_processed > 0;
	}
	bounce_store_load(&fap, 1, &al);
	/* a manual change settles a forgotten address in the clear again */
	unforgotten = bounce_unforget(address);

	if (kind == BOUNCE_ENTRY_SUPPRESS)
		changed = !(fa.stored.state == BOUNCE_ADDR_SUPPRESSED &&
					fa.stored.suppressed_by != BOUNCE_BY_PROMOTION);
	else
		changed = fa.exists && fa.stored.state == BOUNCE_ADDR_SUPPRESSED;
	if (!changed)
	{
		/* unsuppress of a forgotten address: its hash is gone, nothing logged */
		SPI_finish();
		bounce_become_caller(&sw);
		return unforgotten && kind == BOUNCE_ENTRY_UNSUPPRESS;
	}

	/* the audit log names the caller */
	{
		Oid			types[5] = {TEXTOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, NAMEOID};
		Datum		vals[5];
		char		nulls[5] = {' ', ' ', ' ', note ? ' ' : 'n', ' '};
		bool		isnull;

		vals[0] = CStringGetTextDatum(address);
		vals[1] = TimestampTzGetDatum(at);
		vals[2] = CStringGetTextDatum(kind == BOUNCE_ENTRY_SUPPRESS ? "suppress" : "unsuppress");
		vals[3] = note ? CStringGetTextDatum(note) : (Datum) 0;
		vals[4] = DirectFunctionCall1(namein, CStringGetDatum(GetUserNameFromId(sw.caller, false)));
		/*
		 * The id named, not left to the default: Citus's shards have no
		 * sequence defaults, and the sequence on a worker gives ids of
		 * that node's own range.
		 */
		if (SPI_execute_with_args(psprintf("INSERT INTO bounce.suppression_log (id, address, at, action, reason, done_by)"
										   " VALUES (%s, $1, $2, $3, $4, $5) RETURNING id",
										   bounce_shard_next_id("bounce.suppression_log_id_seq")),
								  5, types, vals, nulls, false, 0) != SPI_OK_INSERT_RETURNING ||
			SPI_processed != 1)
			elog(ERROR, "bounce: could not write bounce.suppression_log");
		memset(&e, 0, sizeof(e));
		e.kind = kind;
		e.at = at;
		e.id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		e.note = note;
	}
	fa.entries = &e;
	fa.nentries = 1;
	fa.count = 1;
	fa.exists = true;			/* it has a row now */
	notify = bounce_fold_locked(&fap, 1, NULL, &policy, &al, strmap_create(caller, 4), caller);
	bounce_notify_or_queue(notify);
	SPI_finish();
	bounce_become_caller(&sw);
	return true;
}

/* bounce.suppress(address, reason DEFAULT 'manual', at DEFAULT now()) */
Datum
bounce_suppress(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(manual_change(fcinfo, BOUNCE_ENTRY_SUPPRESS, "suppress"));
}

/* bounce.unsuppress(address, at DEFAULT now()) */
Datum
bounce_unsuppress(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(manual_change(fcinfo, BOUNCE_ENTRY_UNSUPPRESS, "unsuppress"));
}
