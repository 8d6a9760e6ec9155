/*
 * address_fmgr.c - addresses in SQL: bounce.normalize_address(), the key
 * every per-address table is indexed by, and bounce.is_suppressed(), the
 * question every send asks, answered by one primary-key probe.
 */
#include "postgres.h"
#include "compat.h"

#include "access/genam.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "core/address.h"
#include "core/sha256.h"
#include "policy_glue.h"
#include "secret.h"
#include "shard.h"
#include "storage/bufmgr.h"

PG_FUNCTION_INFO_V1(bounce_normalize_address);
PG_FUNCTION_INFO_V1(bounce_is_suppressed);

/*
 * Normalize an address or throw 22P02 with the core's reason as detail.
 * Returns a palloc'd NUL-terminated string.
 */
char *
bounce_normalize_or_error(const char *in, size_t len)
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

	PG_RETURN_TEXT_P(cstring_to_text(bounce_normalize_or_error(VARDATA_ANY(t),
														VARSIZE_ANY_EXHDR(t))));
}

/*
 * is_suppressed through SPI with a plan prepared once per session: the path
 * for tables under row-level security, which a direct probe would bypass.
 * Every name carries its schema, so no search_path changes its meaning.
 */
static bool
is_suppressed_spi(const char *addr, bool *found)
{
	static SPIPlanPtr plan = NULL;
	Datum		param;
	bool		result = false;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "is_suppressed: SPI_connect failed");
	if (plan == NULL)
	{
		Oid			types[1] = {TEXTOID};

		plan = bounce_keep_plan("SELECT a.state OPERATOR(pg_catalog.=) 'suppressed'::bounce.address_state"
								" FROM bounce.addresses a"
								" WHERE a.address OPERATOR(pg_catalog.=) $1",
								1, types, "is_suppressed()'s lookup");
	}
	param = CStringGetTextDatum(addr);
	if (SPI_execute_plan(plan, &param, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "is_suppressed: lookup failed");
	*found = SPI_processed == 1;
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
	bool		forgotten_looked_up;
	Oid			forgotten_relid;	/* bounce.forgotten (none before 1.1) */
	Oid			forgotten_idxoid;
	bool		key_ready;
	bounce_hmac_sha256_ctx key; /* the erasure key, for this query */
	/* distributed (Citus): the hash ranges of bounce.addresses' shards */
	bool		distributed;
	int			nshards;
	int32	   *shard_min;		/* ascending */
	int64	   *shard_id;
} IsSuppressedCache;

/*
 * On a distributed install a probe reads the address's shard directly
 * when it is on this node (is_suppressed() in a query Citus pushed to the
 * shards of a table co-located with bounce.addresses), and otherwise asks
 * through Citus.  The ranges are read once per query.
 */
static void
load_shards(IsSuppressedCache *cache, MemoryContext mcxt)
{
	uint64		i;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "is_suppressed: SPI_connect failed");
	if (SPI_execute("SELECT s.shardminvalue::pg_catalog.int4, s.shardid FROM pg_catalog.pg_dist_shard s"
					" WHERE s.logicalrelid OPERATOR(pg_catalog.=) 'bounce.addresses'::pg_catalog.regclass"
					" ORDER BY 1", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "is_suppressed: could not read the shards of bounce.addresses");
	cache->nshards = (int) SPI_processed;
	cache->shard_min = MemoryContextAlloc(mcxt, sizeof(int32) * Max(cache->nshards, 1));
	cache->shard_id = MemoryContextAlloc(mcxt, sizeof(int64) * Max(cache->nshards, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		cache->shard_min[i] = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		cache->shard_id[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));
	}
	SPI_finish();
	cache->distributed = true;
}

/* The shard of bounce.addresses that holds addr (0: none). */
static int64
shard_of(IsSuppressedCache *cache, const char *addr)
{
	int32		h = bounce_citus_hash(addr);
	int			lo = 0,
				hi = cache->nshards - 1;

	if (cache->nshards == 0 || h < cache->shard_min[0])
		return 0;
	while (lo < hi)
	{
		int			mid = (lo + hi + 1) / 2;

		if (cache->shard_min[mid] <= h)
			lo = mid;
		else
			hi = mid - 1;
	}
	return cache->shard_id[lo];
}

/* The local shard of bounce.addresses that holds addr, or InvalidOid. */
static Oid
local_shard(IsSuppressedCache *cache, const char *addr)
{
	int64		id = shard_of(cache, addr);
	char		name[NAMEDATALEN];

	if (id == 0)
		return InvalidOid;
	snprintf(name, sizeof(name), "addresses_" INT64_FORMAT, id);
	return get_relname_relid(name, get_namespace_oid("bounce", false));
}

/* The keyed hash of addr for bounce.forgotten; false when there is no key. */
static bool
forgotten_hash(IsSuppressedCache *cache, const char *addr, bytea **h)
{
	if (!cache->key_ready)
	{
		if (!bounce_secret_hmac_direct(BOUNCE_SECRET_ERASURE, &cache->key))
			return false;
		cache->key_ready = true;
	}
	*h = palloc(VARHDRSZ + BOUNCE_SHA256_DIGEST);
	SET_VARSIZE(*h, VARHDRSZ + BOUNCE_SHA256_DIGEST);
	bounce_address_hash(&cache->key, addr, (uint8 *) VARDATA(*h));
	return true;
}

/* Is addr's hash in the table 'relid' (bounce.forgotten or a shard of it)? */
static bool
forgotten_in(IsSuppressedCache *cache, Oid relid, Oid idxoid, const char *addr)
{
	Relation	rel = table_open(relid, AccessShareLock);
	Relation	idx;
	ScanKeyData key;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	bytea	   *h;
	bool		found;

	if (RelationGetNumberOfBlocks(rel) == 0 || !forgotten_hash(cache, addr, &h))
	{
		table_close(rel, AccessShareLock);
		return false;
	}
	if (!OidIsValid(idxoid))
		idxoid = bounce_primary_key_index(rel);
	/* the hash is the key's first column */
	idx = index_open(idxoid, AccessShareLock);
	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   idx->rd_indcollation[0], F_BYTEAEQ, PointerGetDatum(h));
	scan = bounce_index_beginscan(rel, idx, GetActiveSnapshot(), 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	slot = table_slot_create(rel, NULL);
	found = index_getnext_slot(scan, ForwardScanDirection, slot);
	ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	index_close(idx, AccessShareLock);
	table_close(rel, AccessShareLock);
	return found;
}

/*
 * The same on a distributed install: bounce.forgotten is distributed by
 * the anchor of the address's shard, so the probe reads that shard's
 * peer when it is here, and otherwise asks through Citus.
 */
static bool
forgotten_probe_cluster(IsSuppressedCache *cache, const char *addr)
{
	int64		id = shard_of(cache, addr);
	BounceShard *s;
	Oid			here;
	bytea	   *h;
	Oid			types[2] = {BYTEAOID, TEXTOID};
	Datum		vals[2];
	bool		found;

	if (id == 0)
		return false;
	s = bounce_shard_by_id(id);
	here = bounce_shard_peer(s, "forgotten");
	if (OidIsValid(here))
		return forgotten_in(cache, here, InvalidOid, addr);
	if (!forgotten_hash(cache, addr, &h))
		return false;
	vals[0] = PointerGetDatum(h);
	vals[1] = CStringGetTextDatum(bounce_shard_anchor(s));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "is_suppressed: SPI_connect failed");
	if (SPI_execute_with_args("SELECT FROM bounce.forgotten f WHERE f.hash OPERATOR(pg_catalog.=) $1"
							  " AND f.shard_key OPERATOR(pg_catalog.=) $2",
							  2, types, vals, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "is_suppressed: could not read bounce.forgotten");
	found = SPI_processed > 0;
	SPI_finish();
	return found;
}

/*
 * The second probe, for an address without a row: is its keyed hash in
 * bounce.forgotten (erased while suppressed)?  The table is the
 * extension's own, read without a privilege check like the key: the
 * caller learns one boolean.  An empty table costs no hash.
 */
static bool
forgotten_probe(IsSuppressedCache *cache, const char *addr)
{
	if (cache->distributed)
		return forgotten_probe_cluster(cache, addr);
	if (!cache->forgotten_looked_up)
	{
		cache->forgotten_relid = get_relname_relid("forgotten", get_namespace_oid("bounce", false));
		if (OidIsValid(cache->forgotten_relid))
		{
			Relation	rel = table_open(cache->forgotten_relid, AccessShareLock);

			cache->forgotten_idxoid = bounce_primary_key_index(rel);
			table_close(rel, NoLock);
		}
		cache->forgotten_looked_up = true;
	}
	if (!OidIsValid(cache->forgotten_relid) || !OidIsValid(cache->forgotten_idxoid))
		return false;
	return forgotten_in(cache, cache->forgotten_relid, cache->forgotten_idxoid, addr);
}

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
	char	   *addr = bounce_normalize_or_error(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	IsSuppressedCache *cache = (IsSuppressedCache *) fcinfo->flinfo->fn_extra;
	Relation	rel;
	Relation	idx;
	ScanKeyData key;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	bool		result = false;
	bool		found = false;

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
		if (bounce_is_distributed())
			load_shards(cache, fcinfo->flinfo->fn_mcxt);
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
	{
		/* row-level security: through SQL, on a cluster too */
		result = is_suppressed_spi(addr, &found);
		PG_RETURN_BOOL(found ? result : forgotten_probe(cache, addr));
	}
	else if (cache->distributed)
	{
		Oid			shard = local_shard(cache, addr);

		if (!OidIsValid(shard))
		{
			result = is_suppressed_spi(addr, &found);
			PG_RETURN_BOOL(found ? result : forgotten_probe(cache, addr));
		}
		rel = table_open(shard, AccessShareLock);
		idx = index_open(bounce_primary_key_index(rel), AccessShareLock);
	}
	else
	{
		rel = table_open(cache->relid, AccessShareLock);
		idx = index_open(cache->idxoid, AccessShareLock);
	}

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
		found = true;
	}
	ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	index_close(idx, AccessShareLock);
	table_close(rel, AccessShareLock);
	PG_RETURN_BOOL(found ? result : forgotten_probe(cache, addr));
}
