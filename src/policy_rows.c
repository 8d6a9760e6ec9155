/*
 * policy_rows.c - the row-level half of the policy: the BEFORE ROW trigger
 * of bounce.events and bounce.deliveries (normalize the address, fill an
 * event's verdict, mark the row applied; no SPI, so a COPY pays only for
 * the normalizer), the list of rows a restore brings in already applied,
 * and the trigger-protocol checks the other glue files share.
 */
#include "postgres.h"
#include "compat.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "core/classify.h"
#include "enums.h"
#include "policy_glue.h"
#include "shard.h"
#include "smtp_status.h"

PG_FUNCTION_INFO_V1(bounce_before_row);
PG_FUNCTION_INFO_V1(bounce_restored);
PG_FUNCTION_INFO_V1(bounce_effective_action_sql);

/* ------------------------------------------------------------------------
 * Rows restored from a dump: already applied, so not applied again
 * ------------------------------------------------------------------------
 *
 * bounce.events.applied (and bounce.deliveries.applied) is set to true by
 * the BEFORE ROW trigger on every new row.  A row that arrives with applied
 * = true from the table's owner was already applied: pg_dump restores
 * bounce.addresses as it was and then loads the events through COPY,
 * possibly in parallel sessions.  The BEFORE trigger remembers such a row
 * here by (table, address, id) -- ids repeat across addresses -- and the
 * AFTER STATEMENT triggers leave it out.  The list lives for one
 * transaction and is empty in normal use.
 */
typedef struct SkipEntry
{
	Oid			relid;
	int64		id;
	char	   *address;
} SkipEntry;

static SkipEntry *skip_rows = NULL;
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
		skip_rows = NULL;
		skip_count = 0;
		skip_cap = 0;
		skip_sorted = true;
		skip_lxid = BOUNCE_MY_LXID;
	}
}

/* Remember a row that must not be applied. */
static void
skip_list_add(Oid relid, const char *address, int64 id)
{
	skip_list_check_xact();
	if (skip_count == skip_cap)
	{
		int			newcap = skip_cap == 0 ? 64 : skip_cap * 2;

		if (skip_rows == NULL)
			skip_rows = MemoryContextAlloc(TopTransactionContext, newcap * sizeof(SkipEntry));
		else
			skip_rows = repalloc_huge(skip_rows, newcap * sizeof(SkipEntry));
		skip_cap = newcap;
	}
	skip_rows[skip_count].relid = relid;
	skip_rows[skip_count].id = id;
	skip_rows[skip_count].address = MemoryContextStrdup(TopTransactionContext, address);
	skip_count++;
	skip_sorted = false;
}

/* Order by table and id, then address (so a lookup by id alone works too). */
static int
skip_cmp_id(const void *a, const void *b)
{
	const SkipEntry *x = (const SkipEntry *) a;
	const SkipEntry *y = (const SkipEntry *) b;

	if (x->relid != y->relid)
		return x->relid < y->relid ? -1 : 1;
	return x->id < y->id ? -1 : (x->id > y->id ? 1 : 0);
}

static int
skip_cmp(const void *a, const void *b)
{
	int			c = skip_cmp_id(a, b);

	return c != 0 ? c : strcmp(((const SkipEntry *) a)->address, ((const SkipEntry *) b)->address);
}

static void
skip_list_sort(void)
{
	if (!skip_sorted)
	{
		qsort(skip_rows, skip_count, sizeof(SkipEntry), skip_cmp);
		skip_sorted = true;
	}
}

/* Is any row of this transaction on the list? */
bool
bounce_skip_pending(void)
{
	skip_list_check_xact();
	return skip_count > 0;
}

/* Is this row on the list? */
bool
bounce_skip_has(Oid relid, const char *address, int64 id)
{
	SkipEntry	key;

	if (!bounce_skip_pending())
		return false;
	skip_list_sort();
	key.relid = relid;
	key.id = id;
	key.address = (char *) address;
	return bsearch(&key, skip_rows, skip_count, sizeof(SkipEntry), skip_cmp) != NULL;
}

/*
 * bounce._restored(regclass, bigint): 1.0's deliveries trigger (PL/pgSQL)
 * asks by id alone; an install not yet updated still calls it.
 */
Datum
bounce_restored(PG_FUNCTION_ARGS)
{
	SkipEntry	key;

	if (!bounce_skip_pending())
		PG_RETURN_BOOL(false);
	skip_list_sort();
	key.relid = PG_GETARG_OID(0);
	key.id = PG_GETARG_INT64(1);
	key.address = NULL;
	PG_RETURN_BOOL(bsearch(&key, skip_rows, skip_count, sizeof(SkipEntry), skip_cmp_id) != NULL);
}

/* May the current user bring rows in as already applied (a restore)? */
static bool
may_restore(Relation rel)
{
	return superuser() || has_privs_of_role(GetUserId(), rel->rd_rel->relowner);
}

/* ------------------------------------------------------------------------
 * Trigger helpers
 * ------------------------------------------------------------------------
 */

/* Throw the trigger-protocol error unless called as the expected trigger. */
TriggerData *
bounce_check_trigger(FunctionCallInfo fcinfo, const char *name, bool row, bool before)
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
int
bounce_trigger_column(TriggerData *td, const char *trigger_name, const char *col)
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
	int			status_att = bounce_trigger_column(td, "_before_row", args[3]);
	int			class_att = bounce_trigger_column(td, "_before_row", args[4]);
	int			reason_att = bounce_trigger_column(td, "_before_row", args[5]);
	bool		status_null,
				class_null,
				reason_null;
	Datum		status = heap_getattr(row, status_att, desc, &status_null);
	bounce_reply r;
	bounce_verdict v;

	Datum		cls = heap_getattr(row, class_att, desc, &class_null);
	Datum		reason = heap_getattr(row, reason_att, desc, &reason_null);

	/*
	 * A correction of the status alone (UPDATE ... SET status) takes the
	 * verdict of the new status, unless the same UPDATE set class or reason.
	 */
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) && !status_null)
	{
		bool		ostatus_null,
					ocls_null,
					oreason_null;
		HeapTuple	old = td->tg_trigtuple;
		Datum		ostatus = heap_getattr(old, status_att, desc, &ostatus_null);
		Datum		ocls = heap_getattr(old, class_att, desc, &ocls_null);
		Datum		oreason = heap_getattr(old, reason_att, desc, &oreason_null);

		if ((ostatus_null ||
			 !datumIsEqual(status, ostatus, false, -1)) &&
			!class_null && !ocls_null && cls == ocls &&
			!reason_null && !oreason_null && reason == oreason)
			class_null = reason_null = true;
	}
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
	TriggerData *td = bounce_check_trigger(fcinfo, "_before_row", true, true);
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

	addr_att = bounce_trigger_column(td, "_before_row", args[0]);
	d = heap_getattr(row, addr_att, desc, &isnull);
	if (!isnull)
	{
		text	   *t = DatumGetTextPP(d);

		char	   *norm = bounce_normalize_or_error(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

		/*
		 * On a shard the row was routed by the address as given, so its
		 * normalized form may belong to another shard: refused, where a
		 * single node would rewrite it.
		 */
		if (bounce_shard_of_call(fcinfo, td->tg_relation) != NULL &&
			(strlen(norm) != VARSIZE_ANY_EXHDR(t) ||
			 memcmp(norm, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)) != 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("address \"%s\" is not normalized", text_to_cstring(t)),
					 errdetail("On a distributed install a row is placed by its address before the policy sees it, so the address must be given as bounce.normalize_address() returns it (\"%s\").", norm),
					 errhint("Write bounce.normalize_address(address), or feed mail through bounce-ingest, parse_dsn() or ingest_webhook(), which normalize.")));
		cols[ncols] = addr_att;
		vals[ncols] = CStringGetTextDatum(norm);
		ncols++;
	}

	if (td->tg_trigger->tgnargs >= 3 && TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		int			applied_att = bounce_trigger_column(td, "_before_row", args[1]);
		int			id_att = bounce_trigger_column(td, "_before_row", args[2]);
		bool		id_null;
		Datum		applied = heap_getattr(row, applied_att, desc, &isnull);
		Datum		id = heap_getattr(row, id_att, desc, &id_null);

		/*
		 * Only a restore by the table's owner (pg_dump's rows) may say a
		 * row was applied already: from anyone else the flag is ignored
		 * and the policy runs, so an INSERT cannot switch it off.
		 */
		if (!isnull && DatumGetBool(applied) && !id_null && addr_att > 0 &&
			ncols > 0 && may_restore(td->tg_relation))
			skip_list_add(RelationGetRelid(td->tg_relation),
						  TextDatumGetCString(vals[0]), DatumGetInt64(id));
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
