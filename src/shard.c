/*
 * shard.c - which shard a trigger fires on, and the names of the shards
 * co-located with it (see shard.h).
 *
 * A shard is found by its name alone first (bounce.events_102008: a table
 * of schema bounce named after another one plus _digits), so a single
 * node pays one string test per statement.  Its peers come from Citus's
 * metadata (pg_dist_shard, synced to every node): the shards of the
 * tables distributed by address with the same hash range, the counters'
 * shard with the same position (they are distributed by slot), and the
 * one shard of each reference table.  Kept per backend: shard ids are
 * never reused.
 *
 * Also here: where a manual change of an address runs (bounce_shard_route),
 * the anchors that place bounce.forgotten's rows with their address's
 * shard, the direct readers' view of a reference table (its placement on
 * this node), and the coordinator's lock that keeps concurrent bulk
 * writes from deadlocking across shards.
 */
#include "postgres.h"
#include "compat.h"

#include <ctype.h>

#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/parsetree.h"
#if PG_VERSION_NUM >= 160000
#include "parser/parse_relation.h"
#endif
#include "storage/lock.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "shard.h"

struct BounceShard
{
	int64		shardid;		/* the hash key */
	int			index;			/* position of its hash range among its table's */
	int			n;
	char	  **tables;			/* tables of schema bounce that have a peer */
	char	  **names;			/* their peer shard's name */
	bool	   *local;			/* the peer is on this node */
	int32		hash_min;		/* its hash range (of a hash-distributed table) */
	int32		hash_max;
	char	   *anchor;			/* a text that hashes into it (bounce_shard_anchor) */
};

static HTAB *shards = NULL;
static BounceShard *entered = NULL;

static BounceShard *shard_by_id(int64 shardid, Oid ns);

/* "events_102008": the table's name and the id; false for anything else */
static bool
split_shard_name(const char *relname, char *base, int64 *id)
{
	const char *us = strrchr(relname, '_');
	const char *p;

	if (us == NULL || us == relname || us[1] == '\0' || us - relname >= NAMEDATALEN)
		return false;
	for (p = us + 1; *p; p++)
		if (!isdigit((unsigned char) *p))
			return false;
	memcpy(base, relname, us - relname);
	base[us - relname] = '\0';
	*id = strtoi64(us + 1, NULL, 10);
	return true;
}

/* Read a shard's peers from the metadata (inside its own SPI connection). */
static void
load_peers(BounceShard *s, Oid ns)
{
	Oid			type = INT8OID;
	Datum		arg = Int64GetDatum(s->shardid);
	uint64		i;
	MemoryContext top = TopMemoryContext;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");

	/*
	 * A hash range's position is the number of ranges below it; the
	 * tables distributed by address share ranges, the counters (by slot)
	 * share the count, and bounce.distribute() gives both one shard count.
	 * A table of the user's (track()) must be co-located with the
	 * addresses for positions to match.
	 */
#define SHARD_POSITIONS \
	"WITH pos AS (SELECT s.logicalrelid, s.shardid, p.colocationid," \
	"  pg_catalog.rank() OVER (PARTITION BY s.logicalrelid" \
	"   ORDER BY s.shardminvalue::pg_catalog.int4) - 1 AS idx" \
	"  FROM pg_catalog.pg_dist_shard s JOIN pg_catalog.pg_dist_partition p" \
	"   ON p.logicalrelid OPERATOR(pg_catalog.=) s.logicalrelid" \
	"  WHERE p.partmethod OPERATOR(pg_catalog.=) 'h')"
	if (SPI_execute_with_args(SHARD_POSITIONS
							  " SELECT pos.logicalrelid::pg_catalog.regclass::pg_catalog.text,"
							  " pos.colocationid OPERATOR(pg_catalog.=) (SELECT p.colocationid"
							  "  FROM pg_catalog.pg_dist_partition p"
							  "  WHERE p.logicalrelid OPERATOR(pg_catalog.=) 'bounce.addresses'::pg_catalog.regclass),"
							  " s.shardminvalue::pg_catalog.int4, s.shardmaxvalue::pg_catalog.int4"
							  " FROM pos JOIN pg_catalog.pg_dist_shard s USING (shardid)"
							  " WHERE pos.shardid OPERATOR(pg_catalog.=) $1",
							  1, &type, &arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not read Citus's shard metadata");
	if (SPI_processed == 0)
	{
		/* a reference table's shard: nothing is renamed */
		SPI_finish();
		return;
	}
	{
		bool		isnull;
		bool		colocated = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));

		s->hash_min = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
		s->hash_max = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull));
		colocated = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
		if (isnull || !colocated)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("table %s is not co-located with bounce.addresses",
							SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1)),
					 errdetail("Its rows' bounces are folded on the node of their shard, which must hold the addresses' shard of the same hash range."),
					 errhint("Distribute it with create_distributed_table(table, address_column, colocate_with => 'bounce.addresses').")));
	}
	if (SPI_execute_with_args(SHARD_POSITIONS ","
							  " me AS (SELECT idx FROM pos WHERE shardid OPERATOR(pg_catalog.=) $1)"
							  " SELECT c.relname::pg_catalog.text, pos.shardid, me.idx FROM pos, me, pg_catalog.pg_class c"
							  "  WHERE c.oid OPERATOR(pg_catalog.=) pos.logicalrelid AND pos.idx OPERATOR(pg_catalog.=) me.idx"
							  "  AND c.relnamespace OPERATOR(pg_catalog.=) 'bounce'::pg_catalog.regnamespace"
							  " UNION ALL"
							  " SELECT c.relname::pg_catalog.text, s.shardid, me.idx"
							  "  FROM me, pg_catalog.pg_dist_partition p JOIN pg_catalog.pg_dist_shard s"
							  "   ON s.logicalrelid OPERATOR(pg_catalog.=) p.logicalrelid"
							  "  JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) p.logicalrelid"
							  "  WHERE p.partmethod OPERATOR(pg_catalog.=) 'n'"
							  "  AND c.relnamespace OPERATOR(pg_catalog.=) 'bounce'::pg_catalog.regnamespace",
							  1, &type, &arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not read Citus's shard metadata");
	s->n = (int) SPI_processed;
	s->index = 0;
	s->tables = MemoryContextAllocZero(top, sizeof(char *) * Max(s->n, 1));
	s->names = MemoryContextAllocZero(top, sizeof(char *) * Max(s->n, 1));
	s->local = MemoryContextAllocZero(top, sizeof(bool) * Max(s->n, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		char	   *rel = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		int64		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));
		char	   *name = psprintf("%s_" INT64_FORMAT, rel, id);

		s->index = (int) DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3, &isnull));
		s->tables[i] = MemoryContextStrdup(top, rel);
		s->names[i] = MemoryContextStrdup(top, name);
		s->local[i] = OidIsValid(get_relname_relid(name, ns));
	}
	SPI_finish();
}

BounceShard *
bounce_shard_by_id(int64 shardid)
{
	return shard_by_id(shardid, get_namespace_oid("bounce", false));
}

static BounceShard *
shard_by_id(int64 shardid, Oid ns)
{
	BounceShard *s;
	bool		found;

	if (shards == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(int64);
		ctl.entrysize = sizeof(BounceShard);
		shards = hash_create("bounce shards", 64, &ctl, HASH_ELEM | HASH_BLOBS);
	}
	s = hash_search(shards, &shardid, HASH_ENTER, &found);
	if (!found)
	{
		s->n = 0;
		s->anchor = NULL;
		s->hash_min = s->hash_max = 0;
		PG_TRY();
		{
			load_peers(s, ns);
		}
		PG_CATCH();
		{
			hash_search(shards, &shardid, HASH_REMOVE, NULL);
			PG_RE_THROW();
		}
		PG_END_TRY();
	}
	return s;
}

BounceShard *
bounce_shard_of(Relation rel)
{
	char		base[NAMEDATALEN];
	int64		id;
	Oid			ns = RelationGetNamespace(rel);

	if (!split_shard_name(RelationGetRelationName(rel), base, &id))
		return NULL;
	/* the distributed table itself sits beside its shards */
	if (!OidIsValid(get_relname_relid(base, ns)) ||
		!OidIsValid(get_extension_oid("citus", true)))
		return NULL;
	return shard_by_id(id, get_namespace_oid("bounce", false));
}

BounceShard *
bounce_shard_of_call(FunctionCallInfo fcinfo, Relation rel)
{
	typedef struct
	{
		Oid			relid;
		BounceShard *shard;
	} CallSite;
	CallSite   *site = (CallSite *) fcinfo->flinfo->fn_extra;

	if (site == NULL || site->relid != RelationGetRelid(rel))
	{
		if (site == NULL)
			site = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(CallSite));
		site->relid = RelationGetRelid(rel);
		site->shard = bounce_shard_of(rel);
		fcinfo->flinfo->fn_extra = site;
	}
	return site->shard;
}

bool
bounce_is_distributed(void)
{
	bool		r;

	if (!OidIsValid(get_extension_oid("citus", true)))
		return false;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	if (SPI_execute("SELECT FROM pg_catalog.pg_dist_partition p"
					" WHERE p.logicalrelid OPERATOR(pg_catalog.=) 'bounce.addresses'::pg_catalog.regclass",
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not read pg_dist_partition");
	r = SPI_processed > 0;
	SPI_finish();
	return r;
}

/* The shard of bounce.addresses that holds an address (NULL: not distributed). */
static BounceShard *
shard_for_address(const char *address)
{
	Oid			type = TEXTOID;
	Datum		arg;
	bool		isnull;
	int64		id;

	if (!bounce_is_distributed())
		return NULL;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	arg = CStringGetTextDatum(address);
	if (SPI_execute_with_args("SELECT pg_catalog.get_shard_id_for_distribution_column('bounce.addresses', $1)",
							  1, &type, &arg, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "bounce: could not find the shard of an address");
	id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	return shard_by_id(id, get_namespace_oid("bounce", false));
}

BounceShard *
bounce_shard_for_address(const char *address, const char *fname)
{
	BounceShard *s = shard_for_address(address);

	if (s == NULL || OidIsValid(bounce_shard_peer(s, "addresses")))
		return s;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("bounce.%s: on a distributed install it runs on the node of the address's shard", fname),
			 errdetail("The shard " INT64_FORMAT " of bounce.addresses is not on this node.", s->shardid),
			 errhint("Call it through the coordinator.")));
	return NULL;
}

/*
 * Where a manual change of an address runs: *here (entered by the caller)
 * when the install is not distributed or the address's shard is on this
 * node; otherwise false, and 'call' (bounce.suppress($1, ...)) is sent to
 * the shard through Citus, in a query on the co-located shard of
 * bounce.shard_anchors (one row per shard), which runs it on that node in
 * this transaction.  Its result (a boolean) is in *result.
 */
bool
bounce_shard_route(const char *address, BounceShard **here, const char *call,
				   int nargs, Oid *types, Datum *values, const char *nulls, bool *result)
{
	BounceShard *s = shard_for_address(address);
	Oid		   *t;
	Datum	   *v;
	char	   *n;
	bool		isnull;

	*here = s;
	if (s == NULL || OidIsValid(bounce_shard_peer(s, "addresses")))
		return true;
	t = palloc(sizeof(Oid) * (nargs + 1));
	v = palloc(sizeof(Datum) * (nargs + 1));
	n = palloc(nargs + 2);
	memcpy(t, types, sizeof(Oid) * nargs);
	memcpy(v, values, sizeof(Datum) * nargs);
	memcpy(n, nulls, nargs);
	t[nargs] = TEXTOID;
	v[nargs] = CStringGetTextDatum(bounce_shard_anchor(s));
	n[nargs] = ' ';
	n[nargs + 1] = '\0';
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	if (SPI_execute_with_args(psprintf("SELECT %s FROM bounce.shard_anchors a"
									   " WHERE a.shard_key OPERATOR(pg_catalog.=) $%d", call, nargs + 1),
							  nargs + 1, t, v, n, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not reach the shard of an address");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("bounce.shard_anchors has no row for shard " INT64_FORMAT, s->shardid),
				 errhint("SELECT bounce.distribute() fills it again.")));
	*result = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	return false;
}

BounceShard *
bounce_shard_enter(BounceShard *s)
{
	BounceShard *prev = entered;

	entered = s;
	return prev;
}

BounceShard *
bounce_shard_current(void)
{
	return entered;
}

const char *
bounce_shard_sql(const char *sql)
{
	StringInfoData out;
	const char *p = sql;
	const char *hit;

	if (entered == NULL)
		return sql;
	initStringInfo(&out);
	while ((hit = strstr(p, "bounce.")) != NULL)
	{
		const char *id = hit + 7;
		const char *end = id;
		int			i;

		while (*end == '_' || isalnum((unsigned char) *end))
			end++;
		appendBinaryStringInfo(&out, p, end - p);
		p = end;
		/* part of a longer name ("x_bounce.") is not a reference */
		if (hit > sql && (isalnum((unsigned char) hit[-1]) || hit[-1] == '_' || hit[-1] == '.'))
			continue;
		for (i = 0; i < entered->n; i++)
			if ((size_t) (end - id) == strlen(entered->tables[i]) &&
				strncmp(id, entered->tables[i], end - id) == 0)
			{
				if (!entered->local[i])
					ereport(ERROR,
							(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
							 errmsg("bounce: shard %s of bounce.%s is not on this node",
									entered->names[i], entered->tables[i]),
							 errhint("Shards of bounce's tables move together: move them with their co-located shards, and the counters' with the addresses'.")));
				appendStringInfoString(&out, entered->names[i] + (end - id));
				break;
			}
	}
	appendStringInfoString(&out, p);
	return out.data;
}

int
bounce_shard_bucket(int slot)
{
	if (entered == NULL)
		return slot;
	/* below 2^31 for up to 2000 shards (bounce.distribute() checks) */
	return (entered->index + 1) * 1000000 + slot;
}

PG_FUNCTION_INFO_V1(bounce_distributed_sql);

/* bounce._distributed() */
Datum
bounce_distributed_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(bounce_is_distributed());
}

/* ------------------------------------------------------------------------
 * Concurrent COPYs on a cluster
 * ------------------------------------------------------------------------
 *
 * Citus writes the shards of one COPY in parallel, and each shard's fold
 * locks its addresses until commit: two COPYs over the same addresses can
 * each hold one shard and wait on the other's, a deadlock Citus cancels.
 * So a COPY into bounce.events or bounce.deliveries of a distributed
 * install, or an INSERT of many rows, first takes one transaction lock on
 * the coordinator: such statements run one after the other, and every
 * one commits.  This needs the library loaded before the statement
 * (shared_preload_libraries); one-row INSERTs take no lock.
 */
static ProcessUtility_hook_type prev_utility = NULL;

/* 'bounce', 'ingest': the lock's two keys, as pg_advisory_xact_lock(int, int) shows them */
#define INGEST_LOCK_KEY1 0x626f756e
#define INGEST_LOCK_KEY2 0x696e6773

static bool
is_ingest_relid(Oid relid)
{
	Oid			ns = get_namespace_oid("bounce", true);
	char	   *name;

	if (!OidIsValid(relid) || !OidIsValid(ns) || get_rel_namespace(relid) != ns)
		return false;
	name = get_rel_name(relid);
	return name && (strcmp(name, "events") == 0 || strcmp(name, "deliveries") == 0);
}

static bool
is_ingest_table(RangeVar *rv)
{
	return is_ingest_relid(RangeVarGetRelid(rv, NoLock, true));
}

static void
take_ingest_lock(void)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, INGEST_LOCK_KEY1, INGEST_LOCK_KEY2, 2);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * An INSERT whose rows come from a query or from several VALUES rows (as
 * bounce-ingest's and ingest_webhook()'s do) can write many shards: it
 * takes the lock too.  One row takes none.
 */
static bool
many_rows(PlannedStmt *ps, Index result)
{
	ListCell   *lc;
	Index		i = 0;

	foreach(lc, ps->rtable)
	{
		RangeTblEntry *rte = (RangeTblEntry *) lfirst(lc);

		i++;
		if (i == result)
			continue;
		if (rte->rtekind == RTE_VALUES ? list_length(rte->values_lists) > 1
			: (rte->rtekind == RTE_RELATION || rte->rtekind == RTE_FUNCTION ||
			   rte->rtekind == RTE_SUBQUERY || rte->rtekind == RTE_CTE ||
			   rte->rtekind == RTE_NAMEDTUPLESTORE))
			return true;
	}
	return false;
}

/*
 * The range table index of bounce.events or bounce.deliveries when an
 * INSERT writes it, else 0.  Citus's plan of a distributed INSERT has no
 * result relations: the table it inserts into is the one the statement
 * needs INSERT on.
 */
static Index
insert_target(PlannedStmt *ps)
{
	ListCell   *lc;
	Index		i = 0;

	if (ps->resultRelations != NIL)
	{
		Index		r = (Index) linitial_int(ps->resultRelations);

		return is_ingest_relid(rt_fetch(r, ps->rtable)->relid) ? r : 0;
	}
	foreach(lc, ps->rtable)
	{
		RangeTblEntry *rte = (RangeTblEntry *) lfirst(lc);
		AclMode		perms;

		i++;
		if (rte->rtekind != RTE_RELATION)
			continue;
#if PG_VERSION_NUM >= 160000
		perms = rte->perminfoindex > 0 ?
			getRTEPermissionInfo(ps->permInfos, rte)->requiredPerms : 0;
#else
		perms = rte->requiredPerms;
#endif
		if ((perms & ACL_INSERT) && is_ingest_relid(rte->relid))
			return i;
	}
	return 0;
}

static ExecutorStart_hook_type prev_executor_start = NULL;

static void
bounce_executor_start(QueryDesc *qd, int eflags)
{
	PlannedStmt *ps = qd->plannedstmt;

	if (ps->commandType == CMD_INSERT && (eflags & EXEC_FLAG_EXPLAIN_ONLY) == 0)
	{
		Index		result = insert_target(ps);

		if (result > 0 && many_rows(ps, result) && bounce_is_distributed())
			take_ingest_lock();
	}
	if (prev_executor_start)
		prev_executor_start(qd, eflags);
	else
		standard_ExecutorStart(qd, eflags);
}

static void
bounce_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
			   ProcessUtilityContext context, ParamListInfo params,
			   QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	Node	   *n = pstmt->utilityStmt;

	if (IsA(n, CopyStmt) && ((CopyStmt *) n)->is_from && ((CopyStmt *) n)->relation &&
		IsTransactionState() && is_ingest_table(((CopyStmt *) n)->relation) &&
		bounce_is_distributed())
		take_ingest_lock();
	if (prev_utility)
		prev_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv,
								dest, qc);
}

void
bounce_shard_init(void)
{
	prev_utility = ProcessUtility_hook;
	ProcessUtility_hook = bounce_utility;
	prev_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = bounce_executor_start;
}

/*
 * The SQL for a new id from sequence 'seq' (bounce.events_id_seq...).  On
 * a shard the worker's own sequence is used, offset by its group so that
 * ids stay unique across the cluster (the coordinator's, group 0, are
 * the plain sequence), as Citus does for the sequences it gives workers.
 */
char *
bounce_shard_next_id(const char *seq)
{
	if (entered == NULL)
		return psprintf("pg_catalog.nextval('%s'::pg_catalog.regclass)", seq);
	return psprintf("((SELECT g.groupid::pg_catalog.int8 OPERATOR(pg_catalog.<<) 48"
					" FROM pg_catalog.pg_dist_local_group g)"
					" OPERATOR(pg_catalog.+) pg_catalog.nextval('%s'::pg_catalog.regclass))", seq);
}

/* Citus's hash of a text value (its type's hash function, as it routes by). */
int32
bounce_citus_hash(const char *value)
{
	return DatumGetInt32(DirectFunctionCall1Coll(hashtext, DEFAULT_COLLATION_OID,
												 CStringGetTextDatum(value)));
}

/*
 * A text that hashes into the shard's range, the same on every node:
 * "bounce-anchor-K" for the least K.  bounce.forgotten is distributed by
 * it, so the hash of a forgotten address sits with the address's other
 * shards without naming it.
 */
const char *
bounce_shard_anchor(BounceShard *s)
{
	if (s->anchor == NULL)
	{
		char		buf[64];
		uint32		k;

		for (k = 0;; k++)
		{
			int32		h;

			snprintf(buf, sizeof(buf), "bounce-anchor-%u", k);
			h = bounce_citus_hash(buf);
			if (h >= s->hash_min && h <= s->hash_max)
				break;
			if ((k & 1023) == 1023)
				CHECK_FOR_INTERRUPTS();
		}
		s->anchor = MemoryContextStrdup(TopMemoryContext, buf);
	}
	return s->anchor;
}

/* The relation of a peer shard on this node, or InvalidOid. */
Oid
bounce_shard_peer(BounceShard *s, const char *table)
{
	int			i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->tables[i], table) == 0)
			return s->local[i] ? get_relname_relid(s->names[i], get_namespace_oid("bounce", false))
				: InvalidOid;
	return InvalidOid;
}

/*
 * The relation that holds bounce.<table>'s rows on this node, for a
 * direct read: the table itself, or for a Citus reference table its
 * placement here.  An error when a reference table has none (a
 * coordinator left out of the metadata).
 */
Oid
bounce_table_here(const char *table)
{
	Oid			ns = get_namespace_oid("bounce", true);
	Oid			relid = OidIsValid(ns) ? get_relname_relid(table, ns) : InvalidOid;
	Oid			type = OIDOID;
	Datum		arg = ObjectIdGetDatum(relid);
	Oid			here = relid;

	if (!OidIsValid(relid) || !OidIsValid(get_extension_oid("citus", true)))
		return relid;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	if (SPI_execute_with_args("SELECT s.shardid FROM pg_catalog.pg_dist_partition p"
							  " JOIN pg_catalog.pg_dist_shard s ON s.logicalrelid OPERATOR(pg_catalog.=) p.logicalrelid"
							  " WHERE p.logicalrelid OPERATOR(pg_catalog.=) $1 AND p.partmethod OPERATOR(pg_catalog.=) 'n'",
							  1, &type, &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "bounce: could not read pg_dist_partition");
	if (SPI_processed == 1)
	{
		bool		isnull;
		int64		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		char	   *name = psprintf("%s_" INT64_FORMAT, table, id);

		here = get_relname_relid(name, ns);
		if (!OidIsValid(here))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("bounce.%s has no placement on this node", table),
					 errhint("Add the coordinator to Citus's metadata (SELECT citus_set_coordinator_host(...)), which places the reference tables on it.")));
	}
	SPI_finish();
	return here;
}

PG_FUNCTION_INFO_V1(bounce_shard_anchor_sql);

/* bounce._shard_anchor(shardid): the anchor of a shard of bounce.addresses */
Datum
bounce_shard_anchor_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(bounce_shard_anchor(bounce_shard_by_id(PG_GETARG_INT64(0)))));
}

/* A plan kept for the session (inside SPI); 'what' names it in the error. */
SPIPlanPtr
bounce_keep_plan(const char *sql, int nargs, Oid *types, const char *what)
{
	SPIPlanPtr	p = SPI_prepare(sql, nargs, types);

	if (p == NULL || SPI_keepplan(p) != 0)
		elog(ERROR, "bounce: could not prepare %s: %s", what, SPI_result_code_string(SPI_result));
	return p;
}
