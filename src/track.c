/*
 * track.c - bounce.track(): the policy on a user's own table.  A BEFORE
 * ROW trigger that records the row's bounce in bounce.events (so the same
 * policy, log and metrics apply) and fills the row's class and reason.
 * It inserts as the caller, like any INSERT into bounce.events: the
 * policy's own writes then run as the owner of its tables, so the column
 * names a user passes never run with more rights than the user's.
 */
#include "postgres.h"
#include "compat.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "core/classify.h"
#include "policy_glue.h"
#include "shard.h"
#include "smtp_status.h"

PG_FUNCTION_INFO_V1(bounce_track);

/* The row a BEFORE ROW trigger works on (new row for UPDATE). */
static HeapTuple
trigger_row(TriggerData *td)
{
	return TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
}

/*
 * On a shard of a table distributed with bounce.addresses, the event goes
 * to the co-located shard of bounce.events, on this node (its triggers
 * fold it there).  The row was placed by its address as written, so that
 * must be the normalized one.  Inside SPI.
 */
static void
record_on_shard(BounceShard *shard, const char *addr, Datum *params)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	char	   *norm = bounce_normalize_or_error(addr, strlen(addr));
	BounceShard *prev;

	if (strcmp(norm, addr) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("address \"%s\" is not normalized", addr),
				 errdetail("On a distributed install a tracked row is placed by its address, and its event must be placed the same way, so the address must be given as bounce.normalize_address() returns it (\"%s\").", norm)));
	prev = bounce_shard_enter(shard);
	PG_TRY();
	{
		/* shards have no sequence defaults; a worker's ids are its own range */
		if (SPI_execute_with_args(bounce_shard_sql(psprintf("INSERT INTO bounce.events (id, address, status)"
															" VALUES (%s, $1, CAST($2 AS bounce.smtp_status))",
															bounce_shard_next_id("bounce.events_id_seq"))),
								  2, types, params, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "track: could not record the event");
	}
	PG_FINALLY();
	{
		bounce_shard_enter(prev);
	}
	PG_END_TRY();
}

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
	TriggerData *td = bounce_check_trigger(fcinfo, "track", true, true);
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

	if (nargs != 2 && nargs != 4)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track: expected 2 or 4 trigger arguments, got %d", nargs),
				 errhint("Use bounce.track('address_column', 'status_column'[, 'class_column', 'reason_column']).")));
	att_addr = bounce_trigger_column(td, "track", args[0]);
	att_status = bounce_trigger_column(td, "track", args[1]);
	if (nargs == 4)
	{
		att_class = bounce_trigger_column(td, "track", args[2]);
		att_reason = bounce_trigger_column(td, "track", args[3]);
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

	/*
	 * The verdict is the classifier's, as bounce.events computes it from
	 * the status: computed here too, so the caller needs no SELECT on
	 * bounce.events to read it back.
	 */
	{
		SmtpStatus *st = smtp_status_parse(status, strlen(status), NULL);
		bounce_reply r;
		bounce_verdict v;

		smtp_status_as_reply(st, &r);
		bounce_classify(&r, &v);
		labels[0] = (char *) bounce_class_name(v.cls);
		labels[1] = (char *) bounce_reason_name(v.reason);
		params[0] = CStringGetTextDatum(addr);
		params[1] = CStringGetTextDatum(status);
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "track: SPI_connect failed");
	if (bounce_shard_of_call(fcinfo, td->tg_relation) != NULL)
		record_on_shard(bounce_shard_of_call(fcinfo, td->tg_relation), addr, params);
	else
	{
		if (plan == NULL)
		{
			/*
			 * Text parameters, cast in SQL: the plan outlives a DROP EXTENSION.
			 * Class and reason are the table's to fill (1.0 computes them).
			 */
			Oid			types[2] = {TEXTOID, TEXTOID};

			plan = bounce_keep_plan("INSERT INTO bounce.events (address, status)"
									" VALUES ($1, CAST($2 AS bounce.smtp_status))",
									2, types, "track()'s event insert");
		}
		if (SPI_execute_plan(plan, params, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "track: could not record the event");
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
