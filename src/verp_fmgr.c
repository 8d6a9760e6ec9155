/*
 * verp_fmgr.c - SQL functions over the core's VERP addresses (core/verp.h):
 * bounce.verp_encode() and bounce.verp_decode().  Both are SECURITY
 * DEFINER, so the key of a signed form is read as the owner of
 * bounce.secrets; only tags and decoded addresses come out.
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "core/verp.h"
#include "secret.h"

PG_FUNCTION_INFO_V1(bounce_verp_encode_sql);
PG_FUNCTION_INFO_V1(bounce_verp_decode_sql);

/* The VERP key, read once per query (fn_extra of the call site). */
typedef struct VerpKeyCache
{
	bool		loaded;
	bool		found;
	bounce_hmac_sha256_ctx key;
} VerpKeyCache;

/* The keyed HMAC state for this call site, or NULL when there is no key. */
static const bounce_hmac_sha256_ctx *
verp_key(FunctionCallInfo fcinfo)
{
	VerpKeyCache *c = (VerpKeyCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(VerpKeyCache));
		fcinfo->flinfo->fn_extra = c;
	}
	if (!c->loaded)
	{
		c->found = bounce_secret_hmac(BOUNCE_SECRET_VERP, &c->key);
		c->loaded = true;
	}
	return c->found ? &c->key : NULL;
}

/* A text argument as a NUL-terminated string for messages (NUL shown as such). */
static char *
shown(text *t)
{
	size_t		n = VARSIZE_ANY_EXHDR(t);

	if (memchr(VARDATA_ANY(t), '\0', n) != NULL)
		return pstrdup("(contains NUL)");
	return text_to_cstring(t);
}

/* Turn an encoding failure into an error with its SQLSTATE. */
static void
report_encode_failure(const bounce_verp_failure *f, text *rl, text *addr, text *dom)
{
	switch (f->err)
	{
		case BOUNCE_VERP_BAD_RETURN_LOCAL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid VERP return local part: \"%s\"", shown(rl)),
					 errdetail("The %s.", bounce_verp_error_message(f->err) + 4)));
			break;
		case BOUNCE_VERP_BAD_RETURN_DOMAIN:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid VERP return domain: \"%s\"", shown(dom)),
					 errdetail("The %s.", bounce_verp_error_message(f->err) + 4)));
			break;
		case BOUNCE_VERP_BAD_ADDRESS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid email address: \"%s\"", shown(addr)),
					 errdetail("The %s.", bounce_address_error_message(f->addr_err) + 4)));
			break;
		case BOUNCE_VERP_BAD_DOMAIN:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot VERP-encode \"%s\"", shown(addr)),
					 errdetail("The %s.", bounce_verp_error_message(f->err) + 4)));
			break;
		case BOUNCE_VERP_LOCAL_TOO_LONG:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("VERP address for \"%s\" would be too long", shown(addr)),
					 errdetail("Its local part would be %zu octets; RFC 5321 allows %d.",
							   f->would_be, BOUNCE_VERP_LOCAL_MAX),
					 errhint("A shorter return local part leaves more room; the signed form takes %d octets more.",
							 1 + BOUNCE_VERP_TAG_LEN)));
			break;
		case BOUNCE_VERP_TOO_LONG:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("VERP address for \"%s\" would be too long", shown(addr)),
					 errdetail("It would be %zu bytes; an address may have %d.",
							   f->would_be, BOUNCE_ADDRESS_MAX)));
			break;
		case BOUNCE_VERP_OK:
			break;
	}
	elog(ERROR, "bounce: VERP encoding failed");
}

/*
 * bounce.verp_encode(return_local, address, domain, signed) -> text: the
 * return path naming 'address' (see core/verp.h for the format).
 */
Datum
bounce_verp_encode_sql(PG_FUNCTION_ARGS)
{
	text	   *rl = PG_GETARG_TEXT_PP(0);
	text	   *addr = PG_GETARG_TEXT_PP(1);
	text	   *dom = PG_GETARG_TEXT_PP(2);
	bool		is_signed = PG_GETARG_BOOL(3);
	const bounce_hmac_sha256_ctx *key = NULL;
	char		out[BOUNCE_VERP_MAX];
	size_t		out_len;
	bounce_verp_failure f;

	if (is_signed && (key = verp_key(fcinfo)) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("there is no VERP key"),
				 errdetail("bounce.secrets has no row named \"%s\".", BOUNCE_SECRET_VERP),
				 errhint("INSERT INTO bounce.secrets (name, value) VALUES ('%s', bounce.random_key()) makes one.",
						 BOUNCE_SECRET_VERP)));
	if (!bounce_verp_encode(VARDATA_ANY(rl), VARSIZE_ANY_EXHDR(rl),
							VARDATA_ANY(addr), VARSIZE_ANY_EXHDR(addr),
							VARDATA_ANY(dom), VARSIZE_ANY_EXHDR(dom),
							key, out, &out_len, &f))
		report_encode_failure(&f, rl, addr, dom);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) out_len));
}

/*
 * bounce.verp_decode(return_address [, require_signed]) -> text: the
 * recipient a VERP address of this scheme names, normalized; NULL when it
 * is not one, when its tag does not verify, or (with require_signed) when
 * it carries no tag.  Never an error: the input comes from the outside.
 */
Datum
bounce_verp_decode_sql(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	bool		require_signed = PG_NARGS() > 1 && PG_GETARG_BOOL(1);
	bounce_verp_parsed p;

	if (!bounce_verp_parse(VARDATA_ANY(in), VARSIZE_ANY_EXHDR(in), &p))
		PG_RETURN_NULL();
	if (p.is_signed ? !bounce_verp_verify(&p, verp_key(fcinfo)) : require_signed)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(p.address, (int) p.address_len));
}
