/*
 * secret.c - keys of the extension: bounce.random_key() (what a key is made
 * of, at install and by the update) and reading a key into an HMAC state
 * (secret.h).
 */
#include "postgres.h"
#include "compat.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"

#include "secret.h"

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
	if (plan == NULL)
	{
		Oid			types[1] = {TEXTOID};
		SPIPlanPtr	p = SPI_prepare("SELECT s.value FROM bounce.secrets s"
									" WHERE s.name OPERATOR(pg_catalog.=) $1",
									1, types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "bounce: could not prepare the key lookup: %s",
				 SPI_result_code_string(SPI_result));
		plan = p;
	}
	param = CStringGetTextDatum(name);
	if (SPI_execute_plan(plan, &param, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "bounce: key lookup failed");
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
