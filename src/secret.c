/*
 * secret.c - keys of the extension: bounce.random_key() (what a key is made
 * of, at install and by the update) and reading a key into an HMAC state
 * (secret.h).
 */
#include "postgres.h"
#include "compat.h"

#include "access/genam.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "secret.h"
#include "shard.h"

/* Bytes of a key made by bounce.random_key(): SHA-256's block is 64, its output 32. */
#define KEY_BYTES 32

PG_FUNCTION_INFO_V1(bounce_random_key);
/* bounce.random_key() -> bytea: 32 bytes from the server's strong random source. */
Datum
bounce_random_key(PG_FUNCTION_ARGS)
{
	bytea	   *key = palloc(VARHDRSZ + KEY_BYTES);

	SET_VARSIZE(key, VARHDRSZ + KEY_BYTES);
	if (!pg_strong_random(VARDATA(key), KEY_BYTES))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate a random key"),
				 errdetail("pg_strong_random() failed.")));
	PG_RETURN_BYTEA_P(key);
}

/*
 * Read the key through SPI with a plan kept for the session.  Every name
 * carries its schema, so no search_path changes what it reads.
 */
bool
bounce_secret_hmac(const char *name, bounce_hmac_sha256_ctx *out)
{
	static SPIPlanPtr plan = NULL;
	Datum		param;
	bool		found = false;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bounce: SPI_connect failed");
	param = CStringGetTextDatum(name);
	if (bounce_shard_current() != NULL)
	{
		/* in a shard's fold: the reference table's placement here */
		Oid			type = TEXTOID;

		if (SPI_execute_with_args(bounce_shard_sql("SELECT s.value FROM bounce.secrets s"
												   " WHERE s.name OPERATOR(pg_catalog.=) $1"),
								  1, &type, &param, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "bounce: key lookup failed");
	}
	else
	{
		if (plan == NULL)
		{
			Oid			types[1] = {TEXTOID};

			plan = bounce_keep_plan("SELECT s.value FROM bounce.secrets s"
									" WHERE s.name OPERATOR(pg_catalog.=) $1",
									1, types, "the key lookup");
		}
		if (SPI_execute_plan(plan, &param, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "bounce: key lookup failed");
	}
	if (SPI_processed == 1)
	{
		bool		isnull;
		Datum		v = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
		{
			bytea	   *k = DatumGetByteaPCopy(v);

			bounce_hmac_sha256_init(out, VARDATA_ANY(k), VARSIZE_ANY_EXHDR(k));
			pfree(k);
			found = true;
		}
	}
	SPI_finish();
	return found;
}

/*
 * The same without SPI or a privilege check, straight through the primary
 * key of bounce.secrets: for is_suppressed(), whose caller may not read
 * the table and must not pay for a query.  The key stays in 'out'.
 */
bool
bounce_secret_hmac_direct(const char *name, bounce_hmac_sha256_ctx *out)
{
	/* on a cluster, a reference table: its placement on this node */
	Oid			relid = bounce_table_here("secrets");
	Relation	rel;
	Relation	idx;
	Oid			idxoid;
	ScanKeyData key;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	AttrNumber	value_att;
	bool		found = false;

	if (!OidIsValid(relid))
		return false;
	rel = table_open(relid, AccessShareLock);
	idxoid = bounce_primary_key_index(rel);
	value_att = get_attnum(relid, "value");
	if (!OidIsValid(idxoid) || value_att == InvalidAttrNumber)
	{
		table_close(rel, AccessShareLock);
		return false;
	}
	idx = index_open(idxoid, AccessShareLock);
	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   idx->rd_indcollation[0], F_TEXTEQ, CStringGetTextDatum(name));
	scan = bounce_index_beginscan(rel, idx, GetActiveSnapshot(), 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	slot = table_slot_create(rel, NULL);
	if (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		v = slot_getattr(slot, value_att, &isnull);

		if (!isnull)
		{
			bytea	   *k = DatumGetByteaPCopy(v);

			bounce_hmac_sha256_init(out, VARDATA_ANY(k), VARSIZE_ANY_EXHDR(k));
			pfree(k);
			found = true;
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	index_close(idx, AccessShareLock);
	table_close(rel, AccessShareLock);
	return found;
}

/* HMAC-SHA256 of a normalized address under a keyed state (the erasure hash). */
void
bounce_address_hash(const bounce_hmac_sha256_ctx *key, const char *address,
					uint8 out[BOUNCE_SHA256_DIGEST])
{
	bounce_hmac_sha256_ctx c = *key;

	bounce_hmac_sha256_update(&c, address, strlen(address));
	bounce_hmac_sha256_final(&c, out);
}
