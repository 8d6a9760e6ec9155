/*
 * policy.c - glue of the per-address bounce policy (SPEC §2 "Policy state").
 *
 * What lives here:
 *   bounce.normalize_address(text)   the core normalizer as a SQL function;
 *   bounce._before_row()             BEFORE ROW trigger of bounce.events and
 *                                    bounce.deliveries: normalizes and checks
 *                                    the address without any SPI;
 *   bounce._events_after()           AFTER STATEMENT trigger of bounce.events
 *                                    (transition table): folds the new events
 *                                    into bounce.addresses and bounce.retries
 *                                    set-based, a handful of statements per
 *                                    INSERT or COPY whatever its size;
 *   bounce._effective_action()       the core's class/action rule, to seed
 *                                    bounce.reason_policy;
 *   bounce.track()                   the trigger users attach to their own
 *                                    tables.
 *
 * Locking: every writer of bounce.addresses takes its row locks in one
 * order, the byte order of the normalized address (COLLATE "C" in SQL,
 * strcmp() here), in a single pass, so concurrent statements may wait for
 * each other but never deadlock.
 */
#include "postgres.h"
#include "compat.h"

#include "access/genam.h"
#include "common/int.h"
#include "access/htup_details.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "core/address.h"
#include "core/classify.h"
#include "enums.h"
#include "smtp_status.h"

PG_FUNCTION_INFO_V1(bounce_normalize_address);
PG_FUNCTION_INFO_V1(bounce_is_suppressed);
PG_FUNCTION_INFO_V1(bounce_before_row);
PG_FUNCTION_INFO_V1(bounce_restored);
PG_FUNCTION_INFO_V1(bounce_events_after);
PG_FUNCTION_INFO_V1(bounce_effective_action_sql);
PG_FUNCTION_INFO_V1(bounce_track);

/* NULL timestamps inside the fold (events cannot be -infinity: CHECK). */
#define TS_NULL		DT_NOBEGIN

/* Address states, in the order of the SQL enum bounce.address_state. */
typedef enum AddrStateKind
{
	ADDR_ACTIVE = 0,
	ADDR_MONITORED,
	ADDR_SUPPRESSED
} AddrStateKind;

static const char *const addr_state_names[] = {"active", "monitored", "suppressed"};

/* ------------------------------------------------------------------------
 * Address normalization
 * ------------------------------------------------------------------------
 */

/*
 * Normalize an address or throw 22P02 with the core's reason as detail.
 * Returns a palloc'd NUL-terminated string.
 */
static char *
normalize_or_error(const char *in, size_t len)
{
	char	   *out = palloc(len + 1);
	size_t		out_len;
	size_t		pos;
	bounce_address_error err;

	if (!bounce_address_normalize(in, len, out, &out_len, &err, &pos))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid email address: \"%s\"",
						err == BOUNCE_ADDR_NUL_BYTE ? "(contains NUL)" : pnstrdup(in, len)),
				 errdetail("The %s at byte %zu.",
						   bounce_address_error_message(err) + 4, pos + 1),
				 errhint("An address looks like \"user@example.com\"; white space, angle brackets and an \"rfc822;\" prefix around it are removed.")));
	out[out_len] = '\0';
	return out;
}

/* bounce.normalize_address(text): the key bounce.addresses is indexed by. */
Datum
bounce_normalize_address(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_TEXT_P(cstring_to_text(normalize_or_error(VARDATA_ANY(t),
														VARSIZE_ANY_EXHDR(t))));
}

/*
 * is_suppressed through SPI with a plan prepared once per session: the path
 * for tables under row-level security, which a direct probe would bypass.
 * Every name carries its schema, so no search_path changes its meaning.
 */
static bool
is_suppressed_spi(const char *addr)
{
	static SPIPlanPtr plan = NULL;
	Datum		param;
	bool		result = false;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "is_suppressed: SPI_connect failed");
	if (plan == NULL)
	{
		Oid			types[1] = {TEXTOID};
		SPIPlanPtr	p = SPI_prepare("SELECT a.state OPERATOR(pg_catalog.=) 'suppressed'::bounce.address_state"
									" FROM bounce.addresses a"
									" WHERE a.address OPERATOR(pg_catalog.=) $1",
									1, types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "is_suppressed: could not prepare the lookup: %s",
				 SPI_result_code_string(SPI_result));
		plan = p;
	}
	param = CStringGetTextDatum(addr);
	if (SPI_execute_plan(plan, &param, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "is_suppressed: lookup failed");
	if (SPI_processed == 1)
	{
		bool		isnull;
		Datum		v = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		result = !isnull && DatumGetBool(v);
	}
	SPI_finish();
	return result;
}

/* What is_suppressed() looks up once per query (kept in fn_extra). */
typedef struct IsSuppressedCache
{
	Oid			relid;
	Oid			idxoid;
	AttrNumber	state_att;
	Oid			suppressed;
	bool		use_spi;		/* row-level security: go through SQL */
} IsSuppressedCache;

/*
 * bounce.is_suppressed(text): one probe of the primary key of
 * bounce.addresses, straight through the index AM with the query's
 * snapshot, so it costs about what the key lookup itself costs (no SQL to
 * plan or execute).  Privileges are checked as a query would; under
 * row-level security the SPI path above is used instead.  Names are looked
 * up in schema bounce itself, never through search_path, once per query.
 */
Datum
bounce_is_suppressed(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char	   *addr = normalize_or_error(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	IsSuppressedCache *cache = (IsSuppressedCache *) fcinfo->flinfo->fn_extra;
	Relation	rel;
	Relation	idx;
	ScanKeyData key;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	bool		result = false;

	if (cache == NULL)
	{
		Oid			relid = get_relname_relid("addresses", get_namespace_oid("bounce", false));
		AclResult	acl;

		if (!OidIsValid(relid))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("relation \"bounce.addresses\" does not exist")));
		acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);
		if (acl != ACLCHECK_OK)
			aclcheck_error(acl, OBJECT_TABLE, "addresses");

		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(IsSuppressedCache));
		cache->relid = relid;
		cache->use_spi = (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED);
		rel = table_open(relid, AccessShareLock);
		cache->idxoid = bounce_primary_key_index(rel);
		table_close(rel, NoLock);
		cache->state_att = get_attnum(relid, "state");
		if (cache->state_att != InvalidAttrNumber)
			cache->suppressed = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
												ObjectIdGetDatum(get_atttype(relid, cache->state_att)),
												CStringGetDatum("suppressed"));
		if (!OidIsValid(cache->idxoid) || cache->state_att == InvalidAttrNumber ||
			!OidIsValid(cache->suppressed))
			elog(ERROR, "is_suppressed: bounce.addresses is not as the extension made it");
		/* the lock taken above keeps these OIDs valid until the query ends */
		fcinfo->flinfo->fn_extra = cache;
	}
	if (cache->use_spi)
		PG_RETURN_BOOL(is_suppressed_spi(addr));

	rel = table_open(cache->relid, AccessShareLock);
	idx = index_open(cache->idxoid, AccessShareLock);

	/* compare with the index's own collation, as the planner would */
	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   idx->rd_indcollation[0], F_TEXTEQ, CStringGetTextDatum(addr));
	scan = bounce_index_beginscan(rel, idx, GetActiveSnapshot(), 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	slot = table_slot_create(rel, NULL);
	if (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		v = slot_getattr(slot, cache->state_att, &isnull);

		result = !isnull && DatumGetObjectId(v) == cache->suppressed;
	}
	ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	index_close(idx, AccessShareLock);
	table_close(rel, AccessShareLock);
	PG_RETURN_BOOL(result);
}

/* ------------------------------------------------------------------------
 * Rows restored from a dump: already applied, so not applied again
 * ------------------------------------------------------------------------
 *
 * bounce.events.applied (and bounce.deliveries.applied) is set to true by
 * the BEFORE ROW trigger on every new row.  A row that arrives with applied
 * = true was already applied: pg_dump restores bounce.addresses as it was
 * and then loads the events through COPY, possibly in parallel sessions.
 * The BEFORE trigger remembers such a row here, by table and id, and the
 * AFTER STATEMENT triggers leave it out.  The list lives for one
 * transaction and is empty in normal use.
 */
typedef struct SkipEntry
{
	Oid			relid;
	int64		id;
} SkipEntry;

static SkipEntry *skip_ids = NULL;
static int	skip_count = 0;
static int	skip_cap = 0;
static bool skip_sorted = true;
static LocalTransactionId skip_lxid = InvalidLocalTransactionId;

/* Forget a list left by an earlier transaction (its memory is gone). */
static void
skip_list_check_xact(void)
{
	if (skip_lxid != BOUNCE_MY_LXID)
	{
		skip_ids = NULL;
		skip_count = 0;
		skip_cap = 0;
		skip_sorted = true;
		skip_lxid = BOUNCE_MY_LXID;
	}
}

/* Remember a row that must not be applied. */
static void
skip_list_add(Oid relid, int64 id)
{
	skip_list_check_xact();
	if (skip_count == skip_cap)
	{
		int			newcap = skip_cap == 0 ? 64 : skip_cap * 2;

		if (skip_ids == NULL)
			skip_ids = MemoryContextAlloc(TopTransactionContext, newcap * sizeof(SkipEntry));
		else
			skip_ids = repalloc_huge(skip_ids, newcap * sizeof(SkipEntry));
		skip_cap = newcap;
	}
	skip_ids[skip_count].relid = relid;
	skip_ids[skip_count].id = id;
	skip_count++;
	skip_sorted = false;
}

/* Order of entries, for qsort() and bsearch(). */
static int
skip_cmp(const void *a, const void *b)
{
	const SkipEntry *x = (const SkipEntry *) a;
	const SkipEntry *y = (const SkipEntry *) b;

	if (x->relid != y->relid)
		return x->relid < y->relid ? -1 : 1;
	return x->id < y->id ? -1 : (x->id > y->id ? 1 : 0);
}

/* Is this row on the list?  Sorts the list on the first look-up after adds. */
static bool
skip_list_has(Oid relid, int64 id)
{
	SkipEntry	key;

	skip_list_check_xact();
	if (skip_count == 0)
		return false;
	if (!skip_sorted)
	{
		qsort(skip_ids, skip_count, sizeof(SkipEntry), skip_cmp);
		skip_sorted = true;
	}
	key.relid = relid;
	key.id = id;
	return bsearch(&key, skip_ids, skip_count, sizeof(SkipEntry), skip_cmp) != NULL;
}

/*
 * bounce._restored(regclass, bigint): true when that row arrived already
 * applied (restore); used by the deliveries trigger, which is in SQL.
 */
Datum
bounce_restored(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(skip_list_has(PG_GETARG_OID(0), PG_GETARG_INT64(1)));
}

/* ------------------------------------------------------------------------
 * Trigger helpers
 * ------------------------------------------------------------------------
 */

/* Throw the trigger-protocol error unless called as the expected trigger. */
static TriggerData *
check_trigger(FunctionCallInfo fcinfo, const char *name, bool row, bool before)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be called as trigger", name)));
	td = (TriggerData *) fcinfo->context;
	if (row && !TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be fired for each row", name)));
	if (!row && !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be fired for each statement", name)));
	if (before && !TRIGGER_FIRED_BEFORE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be fired before the event", name)));
	if (!before && !TRIGGER_FIRED_AFTER(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be fired after the event", name)));
	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event) && !TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be fired on INSERT or UPDATE", name)));
	return td;
}

/* Attribute number of a named column of the trigger's table, or an error. */
static int
column_or_error(TriggerData *td, const char *trigger_name, const char *col)
{
	int			attno = SPI_fnumber(RelationGetDescr(td->tg_relation), col);

	if (attno <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s: column \"%s\" of relation \"%s\" does not exist",
						trigger_name, col, RelationGetRelationName(td->tg_relation))));
	return attno;
}

/* The row a BEFORE ROW trigger works on (new row for UPDATE). */
static HeapTuple
trigger_row(TriggerData *td)
{
	return TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
}

/*
 * Class and reason of an event from its status where not given; an event
 * with neither a status nor both of them is refused (23502).  Adds the
 * columns to set to cols/vals from index n on; returns the new count.
 */
static int
fill_verdict(TriggerData *td, HeapTuple row, TupleDesc desc, char **args,
			 int *cols, Datum *vals, int n)
{
	int			status_att = column_or_error(td, "_before_row", args[3]);
	int			class_att = column_or_error(td, "_before_row", args[4]);
	int			reason_att = column_or_error(td, "_before_row", args[5]);
	bool		status_null,
				class_null,
				reason_null;
	Datum		status = heap_getattr(row, status_att, desc, &status_null);
	bounce_reply r;
	bounce_verdict v;

	(void) heap_getattr(row, class_att, desc, &class_null);
	(void) heap_getattr(row, reason_att, desc, &reason_null);
	if (!class_null && !reason_null)
		return n;
	if (status_null)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a bounce event needs a status, or a class and a reason"),
				 errdetail("The row of %s has no %s, and its %s or %s is NULL.",
						   RelationGetRelationName(td->tg_relation), args[3], args[4], args[5]),
				 errhint("A complaint has no SMTP reply: give class 'none' and reason 'feedback'.")));
	smtp_status_as_reply(DatumGetSmtpStatusP(status), &r);
	bounce_classify(&r, &v);
	if (class_null)
	{
		cols[n] = class_att;
		vals[n++] = bounce_class_datum(v.cls);
	}
	if (reason_null)
	{
		cols[n] = reason_att;
		vals[n++] = bounce_reason_datum(v.reason);
	}
	return n;
}

/*
 * bounce._before_row(address_column [, applied_column, id_column]):
 * BEFORE INSERT OR UPDATE FOR EACH ROW of bounce.events / bounce.deliveries.
 * Replaces the address by its normalized form (or rejects the row), and
 * marks the row applied, remembering restored rows.  No SPI,
 * so a COPY of many rows pays only for the normalizer.
 */
Datum
bounce_before_row(PG_FUNCTION_ARGS)
{
	TriggerData *td = check_trigger(fcinfo, "_before_row", true, true);
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	HeapTuple	row = trigger_row(td);
	char	  **args = td->tg_trigger->tgargs;
	int			cols[4];
	Datum		vals[4];
	bool		nulls[4] = {false, false, false, false};
	int			ncols = 0;
	int			addr_att;
	bool		isnull;
	Datum		d;

	if (td->tg_trigger->tgnargs != 1 && td->tg_trigger->tgnargs != 3 &&
		td->tg_trigger->tgnargs != 6)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("_before_row: expected 1, 3 or 6 trigger arguments, got %d",
						td->tg_trigger->tgnargs)));

	addr_att = column_or_error(td, "_before_row", args[0]);
	d = heap_getattr(row, addr_att, desc, &isnull);
	if (!isnull)
	{
		text	   *t = DatumGetTextPP(d);

		cols[ncols] = addr_att;
		vals[ncols] = CStringGetTextDatum(normalize_or_error(VARDATA_ANY(t),
															 VARSIZE_ANY_EXHDR(t)));
		ncols++;
	}

	if (td->tg_trigger->tgnargs >= 3 && TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		int			applied_att = column_or_error(td, "_before_row", args[1]);
		int			id_att = column_or_error(td, "_before_row", args[2]);
		bool		id_null;
		Datum		applied = heap_getattr(row, applied_att, desc, &isnull);
		Datum		id = heap_getattr(row, id_att, desc, &id_null);

		if (!isnull && DatumGetBool(applied) && !id_null)
			skip_list_add(RelationGetRelid(td->tg_relation), DatumGetInt64(id));
		else
		{
			cols[ncols] = applied_att;
			vals[ncols] = BoolGetDatum(true);
			ncols++;
		}
	}

	/*
	 * Since 1.1 (six arguments: ..., status, class, reason): class and
	 * reason are ordinary columns that keep a reader's verdict (parse_dsn's
	 * context, a complaint's feedback); when not given they come from the
	 * status, as bounce.classify(status) and bounce.reason(status) say.
	 */
	if (td->tg_trigger->tgnargs == 6)
		ncols = fill_verdict(td, row, desc, args, cols, vals, ncols);

	if (ncols == 0)
		return PointerGetDatum(row);
	return PointerGetDatum(heap_modify_tuple_by_cols(row, desc, ncols, cols, vals, nulls));
}

/* ------------------------------------------------------------------------
 * The fold: new events applied to the address state
 * ------------------------------------------------------------------------
 */

/* One row of bounce.reason_policy, with its enum values as stored. */
typedef struct PolicyRule
{
	Oid			reason;
	Oid			cls;
	bounce_action action;
	char	   *reason_name;
	int64		retry_after;	/* microseconds, 0 = use the config */
	int64		retry_max;
} PolicyRule;

/* The one row of bounce.config, intervals in microseconds. */
typedef struct PolicyConfig
{
	int32		soft_threshold;
	int32		monitor_after;
	int64		reset_window;
	int32		retry_count;
	int64		backoff_base;
	int64		backoff_cap;
} PolicyConfig;

/* One new event, from the transition table. */
typedef struct Event
{
	char	   *address;
	char	   *campaign;		/* NULL when the event has none */
	TimestampTz at;
	int64		id;
	Oid			cls;
	Oid			reason;
} Event;

/* One row of bounce.retries: next attempt for an address and campaign. */
typedef struct Retry
{
	char	   *campaign;		/* '' for events without a campaign */
	Oid			reason;
	int32		attempts;
	TimestampTz last_bounce_at;
	TimestampTz next_retry_at;
	TimestampTz handed_out_at;
	bool		dirty;
} Retry;

/* One row of bounce.addresses while the statement's events are folded in. */
typedef struct AddrState
{
	char	   *address;
	int			first;			/* its events: events[first .. first+n) */
	int			n;
	AddrStateKind state;
	int32		consecutive_soft;
	int32		soft_total;
	int32		hard_total;
	TimestampTz first_bounce_at;
	TimestampTz last_bounce_at;
	TimestampTz last_soft_at;
	char	   *last_soft_campaign;
	TimestampTz last_delivery_at;
	TimestampTz next_retry_at;
	TimestampTz suppressed_at;
	char	   *suppressed_reason;
	int64		suppressed_event;	/* 0 = none */
	TimestampTz promoted_at;
	TimestampTz unsuppressed_at;
	bool		newly_suppressed;
	bool		drop_retries;	/* suppressed: its retries are deleted */
	bool		inserted;		/* its row was created by this statement */
	Retry	   *retries;
	int			nretries;
	int			cap_retries;
} AddrState;

/* Sort events by address (byte order: the lock order), time, id. */
static int
event_cmp(const void *a, const void *b)
{
	const Event *x = (const Event *) a;
	const Event *y = (const Event *) b;
	int			c = strcmp(x->address, y->address);

	if (c != 0)
		return c;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

/* Read the policy table, the config row and the soft/hard enum values. */
static void
load_policy(PolicyRule **rules, int *nrules, PolicyConfig *cfg,
			Oid *soft_oid, Oid *hard_oid, MemoryContext mcxt)
{
	uint64		i;
	bool		isnull;

	if (SPI_execute("SELECT p.reason, p.class, p.action::pg_catalog.text, p.reason::pg_catalog.text,"
					" EXTRACT(epoch FROM p.retry_after) OPERATOR(pg_catalog.*) 1000000,"
					" EXTRACT(epoch FROM p.retry_max) OPERATOR(pg_catalog.*) 1000000"
					" FROM bounce.reason_policy p", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not read bounce.reason_policy");
	*nrules = (int) SPI_processed;
	*rules = MemoryContextAllocZero(mcxt, sizeof(PolicyRule) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		PolicyRule *r = &(*rules)[i];
		char	   *action = SPI_getvalue(t, d, 3);
		char	   *v;
		int			a;

		r->reason = DatumGetObjectId(SPI_getbinval(t, d, 1, &isnull));
		r->cls = DatumGetObjectId(SPI_getbinval(t, d, 2, &isnull));
		r->action = BOUNCE_ACTION_IGNORE;
		for (a = 0; a < BOUNCE_NUM_ACTIONS; a++)
			if (strcmp(action, bounce_action_name((bounce_action) a)) == 0)
				r->action = (bounce_action) a;
		r->reason_name = MemoryContextStrdup(mcxt, SPI_getvalue(t, d, 4));
		v = SPI_getvalue(t, d, 5);
		r->retry_after = v ? (int64) strtod(v, NULL) : 0;
		v = SPI_getvalue(t, d, 6);
		r->retry_max = v ? (int64) strtod(v, NULL) : 0;
	}

	/* defaults, in case the row was removed by hand */
	cfg->soft_threshold = 3;
	cfg->monitor_after = 2;
	cfg->reset_window = INT64CONST(90) * USECS_PER_DAY;
	cfg->retry_count = 5;
	cfg->backoff_base = INT64CONST(24) * USECS_PER_HOUR;
	cfg->backoff_cap = INT64CONST(72) * USECS_PER_HOUR;
	if (SPI_execute("SELECT c.soft_threshold, c.monitor_after,"
					" (EXTRACT(epoch FROM c.reset_window) OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8,"
					" c.retry_count,"
					" (EXTRACT(epoch FROM c.backoff_base) OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8,"
					" (EXTRACT(epoch FROM c.backoff_cap) OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8,"
					" 'soft'::bounce.bounce_class, 'hard'::bounce.bounce_class"
					" FROM bounce.config c", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not read bounce.config");
	if (SPI_processed > 0)
	{
		HeapTuple	t = SPI_tuptable->vals[0];
		TupleDesc	d = SPI_tuptable->tupdesc;

		cfg->soft_threshold = DatumGetInt32(SPI_getbinval(t, d, 1, &isnull));
		cfg->monitor_after = DatumGetInt32(SPI_getbinval(t, d, 2, &isnull));
		cfg->reset_window = DatumGetInt64(SPI_getbinval(t, d, 3, &isnull));
		cfg->retry_count = DatumGetInt32(SPI_getbinval(t, d, 4, &isnull));
		cfg->backoff_base = DatumGetInt64(SPI_getbinval(t, d, 5, &isnull));
		cfg->backoff_cap = DatumGetInt64(SPI_getbinval(t, d, 6, &isnull));
		*soft_oid = DatumGetObjectId(SPI_getbinval(t, d, 7, &isnull));
		*hard_oid = DatumGetObjectId(SPI_getbinval(t, d, 8, &isnull));
	}
	else
	{
		if (SPI_execute("SELECT 'soft'::bounce.bounce_class, 'hard'::bounce.bounce_class",
						true, 0) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "bounce: could not look up bounce.bounce_class");
		*soft_oid = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		*hard_oid = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	}
}

/* The policy rule of an event's (reason, class); NULL when there is none. */
static const PolicyRule *
find_rule(const PolicyRule *rules, int nrules, Oid reason, Oid cls)
{
	int			i;

	for (i = 0; i < nrules; i++)
		if (rules[i].reason == reason && rules[i].cls == cls)
			return &rules[i];
	return NULL;
}

/* Retry row of an address for a campaign, created (clean) when missing. */
static Retry *
retry_for(AddrState *a, const char *campaign, MemoryContext mcxt)
{
	int			i;
	Retry	   *r;

	for (i = 0; i < a->nretries; i++)
		if (strcmp(a->retries[i].campaign, campaign) == 0)
			return &a->retries[i];
	if (a->nretries == a->cap_retries)
	{
		a->cap_retries = a->cap_retries == 0 ? 4 : a->cap_retries * 2;
		a->retries = a->retries == NULL
			? MemoryContextAlloc(mcxt, sizeof(Retry) * a->cap_retries)
			: repalloc(a->retries, sizeof(Retry) * a->cap_retries);
	}
	r = &a->retries[a->nretries++];
	memset(r, 0, sizeof(Retry));
	r->campaign = MemoryContextStrdup(mcxt, campaign);
	r->last_bounce_at = TS_NULL;
	r->next_retry_at = TS_NULL;
	r->handed_out_at = TS_NULL;
	return r;
}

/* Suppress an address from within the fold (hard bounce or promotion). */
static void
fold_suppress(AddrState *a, const Event *e, const char *why, MemoryContext mcxt)
{
	a->state = ADDR_SUPPRESSED;
	a->suppressed_at = e->at;
	a->suppressed_reason = MemoryContextStrdup(mcxt, why);
	a->suppressed_event = e->id;
	a->next_retry_at = TS_NULL;
	a->newly_suppressed = true;
	a->drop_retries = true;
}

/*
 * Delay before the next attempt: the reason's first delay (or the config's
 * backoff base) doubled for each earlier failure, capped by the reason's
 * maximum (or the config's cap).  No jitter: replays must be repeatable.
 */
static int64
retry_delay(const PolicyRule *rule, const PolicyConfig *cfg, int32 attempts)
{
	int64		base = (rule && rule->retry_after > 0) ? rule->retry_after : cfg->backoff_base;
	int64		cap = (rule && rule->retry_max > 0) ? rule->retry_max :
		((rule && rule->retry_after > 0) ? Max(rule->retry_after, cfg->backoff_cap) : cfg->backoff_cap);
	int64		delay = base;
	int32		i;

	if (cap < base)
		cap = base;
	for (i = 1; i < attempts && delay < cap; i++)
		delay *= 2;
	return Min(delay, cap);
}

/*
 * When the retry after event 'e' is due.  A time past timestamptz's range
 * could not be read back (pg_dump, restore), and clamping it would change
 * the policy without saying so: the event is refused instead.
 */
static TimestampTz
retry_time(const Event *e, int64 delay)
{
	TimestampTz at;

	if (pg_add_s64_overflow(e->at, delay, &at) || !IS_VALID_TIMESTAMP(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the retry of a bounce at %s would be due past the end of timestamptz",
						timestamptz_to_str(e->at)),
				 errdetail("Bounce event %lld: its retry delay is %lld seconds.",
						   (long long) e->id, (long long) (delay / USECS_PER_SEC)),
				 errhint("Bounce times must leave room for the retry delays of bounce.reason_policy and bounce.config.")));
	return at;
}

/*
 * Apply one address's new events, in time order, to its state.  See the
 * SQL comments on bounce.addresses for the rules; in short: hard bounces
 * suppress (unless older than a manual unsuppress), soft bounces extend the
 * streak unless older than the last delivery or unsuppress, the streak
 * restarts after reset_window without soft bounces, and counts one per
 * campaign; monitoring at monitor_after, promotion at soft_threshold or
 * when a campaign's attempts are used up.
 */
static void
fold_address(AddrState *a, const Event *events, const PolicyRule *rules,
			 int nrules, const PolicyConfig *cfg, Oid soft_oid, Oid hard_oid,
			 MemoryContext mcxt)
{
	int			k;

	for (k = a->first; k < a->first + a->n; k++)
	{
		const Event *e = &events[k];
		const PolicyRule *rule = find_rule(rules, nrules, e->reason, e->cls);
		bounce_action action = rule ? rule->action : BOUNCE_ACTION_IGNORE;
		bool		is_bounce = (e->cls == soft_oid || e->cls == hard_oid);
		TimestampTz floor_at;
		Retry	   *r;
		char		why[256];

		if (e->cls == soft_oid)
			a->soft_total++;
		else if (e->cls == hard_oid)
			a->hard_total++;
		if (is_bounce)
		{
			if (a->first_bounce_at == TS_NULL || e->at < a->first_bounce_at)
				a->first_bounce_at = e->at;
			if (a->last_bounce_at == TS_NULL || e->at > a->last_bounce_at)
				a->last_bounce_at = e->at;
		}

		if (action == BOUNCE_ACTION_SUPPRESS)
		{
			/* suppressed for good, unless a person lifted it later */
			if (a->state != ADDR_SUPPRESSED &&
				(a->unsuppressed_at == TS_NULL || e->at > a->unsuppressed_at))
			{
				snprintf(why, sizeof(why), "%s: %s",
						 e->cls == hard_oid ? "hard bounce" : (e->cls == soft_oid ? "soft bounce" : "report"),
						 rule ? rule->reason_name : "?");
				fold_suppress(a, e, why, mcxt);
			}
			continue;
		}
		if (action != BOUNCE_ACTION_RETRY || a->state == ADDR_SUPPRESSED)
			continue;			/* alert / ignore: counted, no state change */

		/* a bounce older than a delivery or an unsuppress is history only */
		floor_at = a->last_delivery_at;
		if (a->unsuppressed_at != TS_NULL &&
			(floor_at == TS_NULL || a->unsuppressed_at > floor_at))
			floor_at = a->unsuppressed_at;
		if (floor_at != TS_NULL && e->at <= floor_at)
			continue;

		/* 90+ days since the last soft bounce: a new streak */
		if (a->last_soft_at != TS_NULL && e->at - a->last_soft_at >= cfg->reset_window)
		{
			a->consecutive_soft = 0;
			a->last_soft_campaign = NULL;
		}
		/* one step per campaign; events without a campaign count each */
		if (a->consecutive_soft == 0 || e->campaign == NULL ||
			a->last_soft_campaign == NULL ||
			strcmp(e->campaign, a->last_soft_campaign) != 0)
			a->consecutive_soft++;
		if (a->last_soft_at == TS_NULL || e->at >= a->last_soft_at)
		{
			a->last_soft_at = e->at;
			a->last_soft_campaign = e->campaign;
		}

		/* the campaign's retry: attempts restart after the reset window */
		r = retry_for(a, e->campaign ? e->campaign : "", mcxt);
		if (r->last_bounce_at != TS_NULL && e->at - r->last_bounce_at >= cfg->reset_window)
			r->attempts = 0;
		r->attempts++;
		if (r->last_bounce_at == TS_NULL || e->at > r->last_bounce_at)
			r->last_bounce_at = e->at;
		r->reason = e->reason;
		r->next_retry_at = retry_time(e, retry_delay(rule, cfg, r->attempts));
		r->handed_out_at = TS_NULL;
		r->dirty = true;

		if (a->consecutive_soft >= cfg->soft_threshold)
		{
			snprintf(why, sizeof(why), "promoted: %d consecutive soft bounces (last: %s)",
					 a->consecutive_soft, rule ? rule->reason_name : "?");
			fold_suppress(a, e, why, mcxt);
			a->promoted_at = e->at;
		}
		else if (r->attempts >= cfg->retry_count)
		{
			snprintf(why, sizeof(why), "promoted: %d failed attempts (last: %s)",
					 r->attempts, rule ? rule->reason_name : "?");
			fold_suppress(a, e, why, mcxt);
			a->promoted_at = e->at;
		}
		else
			a->state = a->consecutive_soft >= cfg->monitor_after ? ADDR_MONITORED : ADDR_ACTIVE;
	}

	/* the address's next retry is its earliest scheduled one */
	if (a->state == ADDR_SUPPRESSED)
		a->next_retry_at = TS_NULL;
	else
	{
		int			i;

		a->next_retry_at = TS_NULL;
		for (i = 0; i < a->nretries; i++)
			if (a->next_retry_at == TS_NULL || a->retries[i].next_retry_at < a->next_retry_at)
				a->next_retry_at = a->retries[i].next_retry_at;
	}
}

/* ------------------------------------------------------------------------
 * Arrays passed to the set-based statements
 * ------------------------------------------------------------------------
 */

/* A growable column of Datums, turned into a SQL array. */
typedef struct Column
{
	Oid			elemtype;
	Datum	   *values;
	bool	   *nulls;
	int			n;
} Column;

/* Start a column able to hold 'cap' values. */
static void
column_init(Column *c, Oid elemtype, int cap)
{
	c->elemtype = elemtype;
	c->values = palloc(sizeof(Datum) * Max(cap, 1));
	c->nulls = palloc(sizeof(bool) * Max(cap, 1));
	c->n = 0;
}

/* Append a value (or NULL). */
static inline void
column_add(Column *c, Datum v, bool isnull)
{
	c->values[c->n] = v;
	c->nulls[c->n] = isnull;
	c->n++;
}

/* Append a C string, NULL for NULL. */
static inline void
column_add_text(Column *c, const char *s)
{
	column_add(c, s ? CStringGetTextDatum(s) : (Datum) 0, s == NULL);
}

/* Append a timestamp, NULL for TS_NULL. */
static inline void
column_add_ts(Column *c, TimestampTz t)
{
	column_add(c, TimestampTzGetDatum(t), t == TS_NULL);
}

/* The column as an array Datum. */
static Datum
column_array(Column *c)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			dims[1];
	int			lbs[1] = {1};

	get_typlenbyvalalign(c->elemtype, &typlen, &typbyval, &typalign);
	dims[0] = c->n;
	return PointerGetDatum(construct_md_array(c->values, c->nulls, 1, dims, lbs,
											  c->elemtype, typlen, typbyval, typalign));
}

/* Run a statement whose parameters are the given columns as arrays. */
static void
exec_with_columns(const char *sql, Column *cols, int ncols, int expect)
{
	Oid		   *types = palloc(sizeof(Oid) * ncols);
	Datum	   *values = palloc(sizeof(Datum) * ncols);
	int			i;
	int			rc;

	for (i = 0; i < ncols; i++)
	{
		types[i] = get_array_type(cols[i].elemtype);
		values[i] = column_array(&cols[i]);
	}
	rc = SPI_execute_with_args(sql, ncols, types, values, NULL, false, 0);
	if (rc != expect)
		elog(ERROR, "bounce: statement failed (%s): %s", SPI_result_code_string(rc), sql);
}

/* Time from a SPI result column, TS_NULL for NULL. */
static TimestampTz
get_ts(HeapTuple t, TupleDesc d, int col)
{
	bool		isnull;
	Datum		v = SPI_getbinval(t, d, col, &isnull);

	return isnull ? TS_NULL : DatumGetTimestampTz(v);
}

/* Text from a SPI result column copied into 'mcxt', NULL for NULL. */
static char *
get_text(HeapTuple t, TupleDesc d, int col, MemoryContext mcxt)
{
	bool		isnull;
	Datum		v = SPI_getbinval(t, d, col, &isnull);

	return isnull ? NULL : MemoryContextStrdup(mcxt, TextDatumGetCString(v));
}

/* Start an address from the state of an address never seen. */
static void
addr_state_reset(AddrState *a)
{
	a->state = ADDR_ACTIVE;
	a->consecutive_soft = a->soft_total = a->hard_total = 0;
	a->first_bounce_at = a->last_bounce_at = a->last_soft_at = TS_NULL;
	a->last_delivery_at = a->next_retry_at = a->suppressed_at = TS_NULL;
	a->promoted_at = a->unsuppressed_at = TS_NULL;
	a->last_soft_campaign = NULL;
	a->suppressed_reason = NULL;
	a->suppressed_event = 0;
	a->newly_suppressed = false;
	a->drop_retries = false;
	a->nretries = 0;
}

/* Order of address states by address (byte order), for bsearch(). */
static int
addr_state_cmp(const void *a, const void *b)
{
	return strcmp(((const AddrState *) a)->address, ((const AddrState *) b)->address);
}

/* The columns of bounce.addresses that the fold writes, as parameters $1..$14. */
#define NSTATE_COLUMNS 14
#define STATE_ROWS_FROM \
	"ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)," \
	" pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6)," \
	" pg_catalog.unnest($7), pg_catalog.unnest($8), pg_catalog.unnest($9)," \
	" pg_catalog.unnest($10), pg_catalog.unnest($11), pg_catalog.unnest($12)," \
	" pg_catalog.unnest($13), pg_catalog.unnest($14))" \
	" AS u(address, state, consecutive_soft, soft_total, hard_total," \
	" first_bounce_at, last_bounce_at, last_soft_at, last_soft_campaign," \
	" next_retry_at, suppressed_at, suppressed_reason, suppressed_event, promoted_at)"

/* Fill the 14 columns from n states (addrs[which[k]], or addrs[k] if which is NULL). */
static void
state_columns(AddrState *addrs, int n, const int *which, Column *c)
{
	int			k;

	column_init(&c[0], TEXTOID, n);
	column_init(&c[1], TEXTOID, n);
	column_init(&c[2], INT4OID, n);
	column_init(&c[3], INT4OID, n);
	column_init(&c[4], INT4OID, n);
	column_init(&c[5], TIMESTAMPTZOID, n);
	column_init(&c[6], TIMESTAMPTZOID, n);
	column_init(&c[7], TIMESTAMPTZOID, n);
	column_init(&c[8], TEXTOID, n);
	column_init(&c[9], TIMESTAMPTZOID, n);
	column_init(&c[10], TIMESTAMPTZOID, n);
	column_init(&c[11], TEXTOID, n);
	column_init(&c[12], INT8OID, n);
	column_init(&c[13], TIMESTAMPTZOID, n);
	for (k = 0; k < n; k++)
	{
		AddrState  *a = &addrs[which ? which[k] : k];

		column_add_text(&c[0], a->address);
		column_add_text(&c[1], addr_state_names[a->state]);
		column_add(&c[2], Int32GetDatum(a->consecutive_soft), false);
		column_add(&c[3], Int32GetDatum(a->soft_total), false);
		column_add(&c[4], Int32GetDatum(a->hard_total), false);
		column_add_ts(&c[5], a->first_bounce_at);
		column_add_ts(&c[6], a->last_bounce_at);
		column_add_ts(&c[7], a->last_soft_at);
		column_add_text(&c[8], a->last_soft_campaign);
		column_add_ts(&c[9], a->next_retry_at);
		column_add_ts(&c[10], a->suppressed_at);
		column_add_text(&c[11], a->suppressed_reason);
		column_add(&c[12], Int64GetDatum(a->suppressed_event), a->suppressed_event == 0);
		column_add_ts(&c[13], a->promoted_at);
	}
}

/*
 * bounce._events_after(): AFTER INSERT FOR EACH STATEMENT on bounce.events,
 * REFERENCING NEW TABLE AS new_rows.
 *
 * 1. read the new events, sort them by (address, time, id);
 * 2. fold each address's events as if the address were new, and INSERT
 *    the results in address order with ON CONFLICT (address) DO UPDATE
 *    ... WHERE false: new addresses get their final row in one write,
 *    existing ones are locked (not written), all in one ordered pass;
 * 3. read the state and retries of the addresses that existed (locked:
 *    nobody else can change them now);
 * 4. fold their events again from that state and write them back with one
 *    UPDATE ... FROM unnest(arrays);
 * 5. delete and upsert bounce.retries set-based, and NOTIFY the newly
 *    suppressed addresses (delivered at commit).
 */
Datum
bounce_events_after(PG_FUNCTION_ARGS)
{
	TriggerData *td;
	TupleDesc	desc;
	Tuplestorestate *ts;
	TupleTableSlot *slot;
	MemoryContext mcxt;
	MemoryContext oldcxt;
	Event	   *events;
	int			nevents = 0;
	int			cap = 1024;
	AddrState  *addrs;
	int			naddrs = 0;
	int			att_addr,
				att_campaign,
				att_at,
				att_id,
				att_class,
				att_reason;
	Oid			reason_type;
	PolicyRule *rules;
	int			nrules;
	PolicyConfig cfg;
	Oid			soft_oid = InvalidOid;
	Oid			hard_oid = InvalidOid;
	int			nold;
	int			i;
	uint64		j;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be called as trigger", "_events_after")));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_BY_INSERT(td->tg_event) || td->tg_newtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s: must be fired AFTER INSERT FOR EACH STATEMENT with a NEW TABLE",
						"_events_after")));

	desc = RelationGetDescr(td->tg_relation);
	att_addr = column_or_error(td, "_events_after", "address");
	att_campaign = column_or_error(td, "_events_after", "campaign");
	att_at = column_or_error(td, "_events_after", "occurred_at");
	att_id = column_or_error(td, "_events_after", "id");
	att_class = column_or_error(td, "_events_after", "class");
	att_reason = column_or_error(td, "_events_after", "reason");
	reason_type = TupleDescAttr(desc, att_reason - 1)->atttypid;

	mcxt = AllocSetContextCreate(CurrentMemoryContext, "bounce policy fold",
								 ALLOCSET_DEFAULT_SIZES);
	oldcxt = MemoryContextSwitchTo(mcxt);

	/* 1. the new events */
	events = palloc(sizeof(Event) * cap);
	ts = td->tg_newtable;
	slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		bool		isnull;
		Datum		v;
		Event	   *e;
		int64		id;

		v = slot_getattr(slot, att_id, &isnull);
		id = isnull ? 0 : DatumGetInt64(v);
		if (skip_count > 0 && skip_list_has(RelationGetRelid(td->tg_relation), id))
			continue;
		if (nevents == cap)
		{
			cap *= 2;
			events = repalloc_huge(events, sizeof(Event) * cap);
		}
		e = &events[nevents];
		e->id = id;
		v = slot_getattr(slot, att_addr, &isnull);
		if (isnull)
			continue;			/* NOT NULL in the table; defensive */
		e->address = TextDatumGetCString(v);
		v = slot_getattr(slot, att_campaign, &isnull);
		e->campaign = isnull ? NULL : TextDatumGetCString(v);
		v = slot_getattr(slot, att_at, &isnull);
		if (isnull)
			continue;
		e->at = DatumGetTimestampTz(v);
		v = slot_getattr(slot, att_class, &isnull);
		e->cls = isnull ? InvalidOid : DatumGetObjectId(v);
		v = slot_getattr(slot, att_reason, &isnull);
		e->reason = isnull ? InvalidOid : DatumGetObjectId(v);
		nevents++;
	}
	ExecDropSingleTupleTableSlot(slot);
	if (nevents == 0)
	{
		MemoryContextSwitchTo(oldcxt);
		MemoryContextDelete(mcxt);
		return PointerGetDatum(NULL);
	}
	qsort(events, nevents, sizeof(Event), event_cmp);

	/* one state per distinct address, in lock order */
	addrs = palloc0(sizeof(AddrState) * nevents);
	for (i = 0; i < nevents; i++)
	{
		if (naddrs == 0 || strcmp(addrs[naddrs - 1].address, events[i].address) != 0)
		{
			AddrState  *a = &addrs[naddrs++];

			a->address = events[i].address;
			a->first = i;
			addr_state_reset(a);
		}
		addrs[naddrs - 1].n++;
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	load_policy(&rules, &nrules, &cfg, &soft_oid, &hard_oid, mcxt);

	/*
	 * 2. fold every address as if it were new, then insert the results in
	 * address order; an address that exists is not inserted but locked (ON
	 * CONFLICT DO UPDATE ... WHERE false locks without writing).  RETURNING
	 * names the rows really inserted: their state is final, one write each.
	 */
	MemoryContextSwitchTo(mcxt);
	for (i = 0; i < naddrs; i++)
		fold_address(&addrs[i], events, rules, nrules, &cfg, soft_oid, hard_oid, mcxt);
	{
		Column		c[NSTATE_COLUMNS];

		state_columns(addrs, naddrs, NULL, c);
		exec_with_columns("INSERT INTO bounce.addresses AS a (address, state, consecutive_soft,"
						  " soft_total, hard_total, first_bounce_at, last_bounce_at, last_soft_at,"
						  " last_soft_campaign, next_retry_at, suppressed_at, suppressed_reason,"
						  " suppressed_event, promoted_at)"
						  " SELECT u.address, u.state::bounce.address_state, u.consecutive_soft,"
						  " u.soft_total, u.hard_total, u.first_bounce_at, u.last_bounce_at,"
						  " u.last_soft_at, u.last_soft_campaign, u.next_retry_at, u.suppressed_at,"
						  " u.suppressed_reason, u.suppressed_event, u.promoted_at"
						  " FROM " STATE_ROWS_FROM
						  " ON CONFLICT (address) DO UPDATE SET address = EXCLUDED.address WHERE false"
						  " RETURNING a.address",
						  c, NSTATE_COLUMNS, SPI_OK_INSERT_RETURNING);
	}
	for (j = 0; j < SPI_processed; j++)
	{
		char	   *addr = SPI_getvalue(SPI_tuptable->vals[j], SPI_tuptable->tupdesc, 1);
		AddrState	key;
		AddrState  *a;

		key.address = addr;
		a = bsearch(&key, addrs, naddrs, sizeof(AddrState), addr_state_cmp);
		if (a == NULL)
			elog(ERROR, "bounce: inserted address \"%s\" not found", addr);
		a->inserted = true;
	}

	/* 3. the addresses that existed: read their state and retries (locked) */
	nold = 0;
	for (i = 0; i < naddrs; i++)
		if (!addrs[i].inserted)
			nold++;
	if (nold > 0)
	{
		Column		keys;
		int		   *old = palloc(sizeof(int) * nold);
		int			k = 0;
		Column		c[NSTATE_COLUMNS];

		column_init(&keys, TEXTOID, nold);
		for (i = 0; i < naddrs; i++)
			if (!addrs[i].inserted)
			{
				old[k++] = i;
				addr_state_reset(&addrs[i]);
				column_add_text(&keys, addrs[i].address);
			}

		exec_with_columns("SELECT u.i, a.state::pg_catalog.text, a.consecutive_soft, a.soft_total,"
						  " a.hard_total, a.first_bounce_at, a.last_bounce_at, a.last_soft_at,"
						  " a.last_soft_campaign, a.last_delivery_at, a.next_retry_at,"
						  " a.suppressed_at, a.suppressed_reason, a.suppressed_event,"
						  " a.promoted_at, a.unsuppressed_at"
						  " FROM pg_catalog.unnest($1) WITH ORDINALITY AS u(address, i)"
						  " JOIN bounce.addresses a ON a.address OPERATOR(pg_catalog.=) u.address",
						  &keys, 1, SPI_OK_SELECT);
		for (j = 0; j < SPI_processed; j++)
		{
			HeapTuple	t = SPI_tuptable->vals[j];
			TupleDesc	d = SPI_tuptable->tupdesc;
			bool		isnull;
			int64		idx = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull)) - 1;
			AddrState  *a;
			char	   *state;
			Datum		v;

			if (idx < 0 || idx >= nold)
				elog(ERROR, "bounce: address index out of range");
			a = &addrs[old[idx]];
			state = SPI_getvalue(t, d, 2);
			a->state = strcmp(state, "suppressed") == 0 ? ADDR_SUPPRESSED :
				strcmp(state, "monitored") == 0 ? ADDR_MONITORED : ADDR_ACTIVE;
			a->consecutive_soft = DatumGetInt32(SPI_getbinval(t, d, 3, &isnull));
			a->soft_total = DatumGetInt32(SPI_getbinval(t, d, 4, &isnull));
			a->hard_total = DatumGetInt32(SPI_getbinval(t, d, 5, &isnull));
			a->first_bounce_at = get_ts(t, d, 6);
			a->last_bounce_at = get_ts(t, d, 7);
			a->last_soft_at = get_ts(t, d, 8);
			a->last_soft_campaign = get_text(t, d, 9, mcxt);
			a->last_delivery_at = get_ts(t, d, 10);
			a->next_retry_at = get_ts(t, d, 11);
			a->suppressed_at = get_ts(t, d, 12);
			a->suppressed_reason = get_text(t, d, 13, mcxt);
			v = SPI_getbinval(t, d, 14, &isnull);
			a->suppressed_event = isnull ? 0 : DatumGetInt64(v);
			a->promoted_at = get_ts(t, d, 15);
			a->unsuppressed_at = get_ts(t, d, 16);
		}

		exec_with_columns("SELECT u.i, r.campaign, r.reason, r.attempts, r.last_bounce_at,"
						  " r.next_retry_at, r.handed_out_at"
						  " FROM pg_catalog.unnest($1) WITH ORDINALITY AS u(address, i)"
						  " JOIN bounce.retries r ON r.address OPERATOR(pg_catalog.=) u.address",
						  &keys, 1, SPI_OK_SELECT);
		for (j = 0; j < SPI_processed; j++)
		{
			HeapTuple	t = SPI_tuptable->vals[j];
			TupleDesc	d = SPI_tuptable->tupdesc;
			bool		isnull;
			int64		idx = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull)) - 1;
			Retry	   *r;

			if (idx < 0 || idx >= nold)
				elog(ERROR, "bounce: address index out of range");
			r = retry_for(&addrs[old[idx]], get_text(t, d, 2, mcxt), mcxt);
			r->reason = DatumGetObjectId(SPI_getbinval(t, d, 3, &isnull));
			r->attempts = DatumGetInt32(SPI_getbinval(t, d, 4, &isnull));
			r->last_bounce_at = get_ts(t, d, 5);
			r->next_retry_at = get_ts(t, d, 6);
			r->handed_out_at = get_ts(t, d, 7);
			r->dirty = false;
		}

		/* 4. fold their events into the real state and write it back */
		MemoryContextSwitchTo(mcxt);
		for (k = 0; k < nold; k++)
			fold_address(&addrs[old[k]], events, rules, nrules, &cfg, soft_oid, hard_oid, mcxt);
		state_columns(addrs, nold, old, c);
		exec_with_columns("UPDATE bounce.addresses a SET"
						  " state = u.state::bounce.address_state,"
						  " consecutive_soft = u.consecutive_soft, soft_total = u.soft_total,"
						  " hard_total = u.hard_total, first_bounce_at = u.first_bounce_at,"
						  " last_bounce_at = u.last_bounce_at, last_soft_at = u.last_soft_at,"
						  " last_soft_campaign = u.last_soft_campaign, next_retry_at = u.next_retry_at,"
						  " suppressed_at = u.suppressed_at, suppressed_reason = u.suppressed_reason,"
						  " suppressed_event = u.suppressed_event, promoted_at = u.promoted_at"
						  " FROM " STATE_ROWS_FROM
						  " WHERE a.address OPERATOR(pg_catalog.=) u.address",
						  c, NSTATE_COLUMNS, SPI_OK_UPDATE);
	}

	/* 5. retries: drop those of suppressed addresses, upsert the changed ones */
	{
		int			nret = 0;
		int			ndrop = 0;

		for (i = 0; i < naddrs; i++)
		{
			int			k;

			if (addrs[i].drop_retries)
				ndrop++;
			else
				for (k = 0; k < addrs[i].nretries; k++)
					nret += addrs[i].retries[k].dirty ? 1 : 0;
		}
		if (ndrop > 0)
		{
			Column		drop;

			column_init(&drop, TEXTOID, ndrop);
			for (i = 0; i < naddrs; i++)
				if (addrs[i].drop_retries)
					column_add_text(&drop, addrs[i].address);
			exec_with_columns("DELETE FROM bounce.retries r"
							  " WHERE r.address OPERATOR(pg_catalog.=) ANY ($1)",
							  &drop, 1, SPI_OK_DELETE);
		}
		if (nret > 0)
		{
			Column		r[7];

			column_init(&r[0], TEXTOID, nret);
			column_init(&r[1], TEXTOID, nret);
			column_init(&r[2], reason_type, nret);
			column_init(&r[3], INT4OID, nret);
			column_init(&r[4], TIMESTAMPTZOID, nret);
			column_init(&r[5], TIMESTAMPTZOID, nret);
			column_init(&r[6], TIMESTAMPTZOID, nret);
			for (i = 0; i < naddrs; i++)
			{
				int			k;

				if (addrs[i].drop_retries)
					continue;
				for (k = 0; k < addrs[i].nretries; k++)
				{
					Retry	   *rt = &addrs[i].retries[k];

					if (!rt->dirty)
						continue;
					column_add_text(&r[0], addrs[i].address);
					column_add_text(&r[1], rt->campaign);
					column_add(&r[2], ObjectIdGetDatum(rt->reason), false);
					column_add(&r[3], Int32GetDatum(rt->attempts), false);
					column_add_ts(&r[4], rt->last_bounce_at);
					column_add_ts(&r[5], rt->next_retry_at);
					column_add_ts(&r[6], rt->handed_out_at);
				}
			}
			exec_with_columns("INSERT INTO bounce.retries AS r (address, campaign, reason, attempts,"
							  " last_bounce_at, next_retry_at, handed_out_at)"
							  " SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2),"
							  " pg_catalog.unnest($3), pg_catalog.unnest($4), pg_catalog.unnest($5),"
							  " pg_catalog.unnest($6), pg_catalog.unnest($7))"
							  " ON CONFLICT (address, campaign) DO UPDATE SET"
							  " reason = EXCLUDED.reason, attempts = EXCLUDED.attempts,"
							  " last_bounce_at = EXCLUDED.last_bounce_at,"
							  " next_retry_at = EXCLUDED.next_retry_at,"
							  " handed_out_at = EXCLUDED.handed_out_at",
							  r, 7, SPI_OK_INSERT);
		}
	}

	/* applications learn about new suppressions at commit */
	for (i = 0; i < naddrs; i++)
		if (addrs[i].newly_suppressed)
			Async_Notify("bounce_suppression", addrs[i].address);

	SPI_finish();
	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(mcxt);
	return PointerGetDatum(NULL);
}

/* ------------------------------------------------------------------------
 * Seeding bounce.reason_policy from the core's defaults
 * ------------------------------------------------------------------------
 */

/*
 * bounce._effective_action(bounce_class, bounce_action) -> bounce_action:
 * the core's rule (soft bounces never suppress on their own, hard bounces
 * are never retried...), so the seeded table says what will happen.
 */
Datum
bounce_effective_action_sql(PG_FUNCTION_ARGS)
{
	int			cls = bounce_class_from_datum(PG_GETARG_DATUM(0));
	int			act = bounce_action_from_datum(PG_GETARG_DATUM(1));

	if (cls < 0 || act < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("_effective_action: unknown class or action")));
	return bounce_action_datum(bounce_effective_action((bounce_class) cls,
													   (bounce_action) act));
}

/* ------------------------------------------------------------------------
 * bounce.track(): the policy on a user's own table
 * ------------------------------------------------------------------------
 */

/*
 * bounce.track(address_column, status_column [, class_column, reason_column]):
 * BEFORE INSERT OR UPDATE FOR EACH ROW on a user's table.  Records the
 * row's bounce as an event in bounce.events (so the same policy, the same
 * log and the same metrics apply), and fills the class and reason columns
 * when they are named.  A row whose address or status is NULL is left
 * alone; on UPDATE an event is recorded only when one of them changed.
 */
Datum
bounce_track(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	TriggerData *td = check_trigger(fcinfo, "track", true, true);
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	HeapTuple	row = trigger_row(td);
	char	  **args = td->tg_trigger->tgargs;
	int			nargs = td->tg_trigger->tgnargs;
	int			att_addr,
				att_status,
				att_class = 0,
				att_reason = 0;
	char	   *addr;
	char	   *status;
	Datum		params[2];
	int			cols[2];
	Datum		vals[2];
	bool		nulls[2] = {false, false};
	int			ncols = 0;
	int			k;
	char	   *labels[2] = {NULL, NULL};
	MemoryContext callercxt = CurrentMemoryContext;

	if (nargs != 2 && nargs != 4)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track: expected 2 or 4 trigger arguments, got %d", nargs),
				 errhint("Use bounce.track('address_column', 'status_column'[, 'class_column', 'reason_column']).")));
	att_addr = column_or_error(td, "track", args[0]);
	att_status = column_or_error(td, "track", args[1]);
	if (nargs == 4)
	{
		att_class = column_or_error(td, "track", args[2]);
		att_reason = column_or_error(td, "track", args[3]);
	}

	addr = SPI_getvalue(row, desc, att_addr);
	status = SPI_getvalue(row, desc, att_status);
	if (addr == NULL || status == NULL)
		return PointerGetDatum(row);

	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		char	   *old_addr = SPI_getvalue(td->tg_trigtuple, desc, att_addr);
		char	   *old_status = SPI_getvalue(td->tg_trigtuple, desc, att_status);

		if (old_addr != NULL && old_status != NULL &&
			strcmp(old_addr, addr) == 0 && strcmp(old_status, status) == 0)
			return PointerGetDatum(row);
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "track: SPI_connect failed");
	if (plan == NULL)
	{
		Oid			types[2] = {TEXTOID, TEXTOID};
		SPIPlanPtr	p = SPI_prepare("INSERT INTO bounce.events (address, status)"
									" VALUES ($1, CAST($2 AS bounce.smtp_status))"
									" RETURNING class::pg_catalog.text, reason::pg_catalog.text",
									2, types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "track: could not prepare the event insert: %s",
				 SPI_result_code_string(SPI_result));
		plan = p;
	}
	params[0] = CStringGetTextDatum(addr);
	params[1] = CStringGetTextDatum(status);
	if (SPI_execute_plan(plan, params, NULL, false, 0) != SPI_OK_INSERT_RETURNING ||
		SPI_processed != 1)
		elog(ERROR, "track: could not record the event");

	/* copy the labels out of SPI's memory before SPI_finish frees it */
	for (k = 0; k < 2 && nargs == 4; k++)
	{
		char	   *label = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, k + 1);

		labels[k] = label ? MemoryContextStrdup(callercxt, label) : NULL;
	}
	SPI_finish();

	/* the user's columns may be the enums, text or varchar: use their input */
	for (k = 0; k < 2 && nargs == 4; k++)
	{
		int			att = k == 0 ? att_class : att_reason;
		Form_pg_attribute attr = TupleDescAttr(desc, att - 1);
		Oid			infunc;
		Oid			ioparam;

		cols[ncols] = att;
		nulls[ncols] = (labels[k] == NULL);
		vals[ncols] = (Datum) 0;
		if (labels[k] != NULL)
		{
			getTypeInputInfo(attr->atttypid, &infunc, &ioparam);
			vals[ncols] = OidInputFunctionCall(infunc, labels[k], ioparam, attr->atttypmod);
		}
		ncols++;
	}

	if (ncols == 0)
		return PointerGetDatum(row);
	return PointerGetDatum(heap_modify_tuple_by_cols(row, desc, ncols, cols, vals, nulls));
}
