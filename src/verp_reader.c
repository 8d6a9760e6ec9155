/*
 * verp_reader.c - the VERP return address a notice was sent to, read under
 * the return path of bounce.config.verp_return (verp_reader.h), and
 * bounce.verp_recipient(text[]) over it.
 *
 * The settings and the verp key are read straight from their tables (the
 * query's snapshot, no SQL, no privilege check), once per query, as
 * is_suppressed() reads the erasure key: parse_dsn() runs as whoever calls
 * it, often a feeder that may read neither table, and what comes out is
 * only what bounce.verp_decode() tells anyone.  The key stays in backend
 * memory.
 */
#include "postgres.h"
#include "compat.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "secret.h"
#include "verp_reader.h"
#include "shard.h"

/* The names of the verdicts; see verp_reader.h. */
const char *
bounce_verp_verdict_name(VerpVerdict v)
{
	switch (v)
	{
		case VERP_OFF:
			return "off";
		case VERP_NONE:
			return "none";
		case VERP_FOUND:
			return "verp";
		case VERP_FORGED:
			return "forged";
		case VERP_UNSIGNED:
			return "unsigned";
		case VERP_CONFLICT:
			return "conflict";
	}
	return "none";
}

/* ASCII lower-cased copy of s[0..n) into out (n + 1 bytes, NUL-terminated). */
static void
lower_copy(char *out, const char *s, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char) (s[i] + ('a' - 'A')) : s[i];
	out[n] = '\0';
}

/*
 * Read config.verp_return and config.verp_require_signed.  An install
 * without them (1.0, before its update) reads no VERP: off.  The CHECK
 * constraint of verp_return keeps it R@H; what does not split so is off.
 */
static void
load_settings(VerpReader *r)
{
	/* on a cluster, a reference table: its placement on this node */
	Oid			relid = bounce_table_here("config");
	Relation	rel;
	AttrNumber	return_att;
	AttrNumber	required_att;
	TableScanDesc scan;
	TupleTableSlot *slot;

	r->loaded = true;
	r->on = false;
	r->require_signed = false;
	if (!OidIsValid(relid))
		return;
	return_att = get_attnum(relid, "verp_return");
	required_att = get_attnum(relid, "verp_require_signed");
	if (return_att == InvalidAttrNumber || required_att == InvalidAttrNumber)
		return;
	rel = table_open(relid, AccessShareLock);
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	slot = table_slot_create(rel, NULL);
	if (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		v = slot_getattr(slot, return_att, &isnull);

		if (!isnull)
		{
			text	   *t = DatumGetTextPP(v);
			const char *s = VARDATA_ANY(t);
			size_t		n = VARSIZE_ANY_EXHDR(t);
			const char *at = memchr(s, '@', n);
			size_t		ln = at ? (size_t) (at - s) : 0;

			if (at && ln > 0 && ln <= BOUNCE_VERP_LOCAL_MAX &&
				n - ln - 1 > 0 && n - ln - 1 <= BOUNCE_ADDRESS_MAX &&
				memchr(at + 1, '@', n - ln - 1) == NULL)
			{
				lower_copy(r->local, s, ln);
				r->local_len = ln;
				lower_copy(r->domain, at + 1, n - ln - 1);
				r->domain_len = n - ln - 1;
				r->on = true;
			}
		}
		v = slot_getattr(slot, required_att, &isnull);
		r->require_signed = !isnull && DatumGetBool(v);
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	table_close(rel, AccessShareLock);
}

/* Is VERP reading on?  See verp_reader.h. */
bool
bounce_verp_reader_on(VerpReader *r)
{
	if (!r->loaded)
		load_settings(r);
	return r->on;
}

/* The verp key for this query, or NULL when there is none. */
static const bounce_hmac_sha256_ctx *
reader_key(VerpReader *r)
{
	if (!r->key_loaded)
	{
		r->key_found = bounce_secret_hmac_direct(BOUNCE_SECRET_VERP, &r->key);
		r->key_loaded = true;
	}
	return r->key_found ? &r->key : NULL;
}

/*
 * The decision; see verp_reader.h.  Each address is normalized (lower
 * case, brackets gone); those at the return domain whose local part is R
 * (the bare return path) or starts with "R+" are of the scheme:
 *
 *   - R+...@H must decode (core/verp.h) and, when it carries a tag, verify:
 *     otherwise it was altered or made up, and the notice is refused
 *     (forged) whatever the other addresses say;
 *   - an unsigned one when signatures are required is refused (unsigned);
 *   - every one that decodes must name the same recipient (else conflict);
 *   - R@H alone names nobody: read as usual, unless signatures are
 *     required (unsigned), since every mail then goes out signed.
 */
VerpVerdict
bounce_verp_read(VerpReader *r, int n, const char *const *addrs, const size_t *lens,
				 char *out, size_t *out_len)
{
	bool		found = false;
	bool		bare = false;
	int			k;

	*out_len = 0;
	if (!bounce_verp_reader_on(r))
		return VERP_OFF;
	for (k = 0; k < n; k++)
	{
		char		norm[BOUNCE_VERP_INPUT_MAX];
		size_t		nl;
		size_t		at;
		bounce_address_error err;
		size_t		err_pos;
		bounce_verp_parsed p;

		if (addrs[k] == NULL || lens[k] > sizeof(norm) ||
			!bounce_address_normalize(addrs[k], lens[k], norm, &nl, &err, &err_pos))
			continue;
		for (at = nl; at > 0 && norm[at - 1] != '@'; at--)
			;
		if (at == 0)
			continue;
		at--;					/* the last '@' */
		if (nl - at - 1 != r->domain_len || memcmp(norm + at + 1, r->domain, r->domain_len) != 0 ||
			at < r->local_len || memcmp(norm, r->local, r->local_len) != 0)
			continue;
		if (at == r->local_len)
		{
			bare = true;
			continue;
		}
		if (norm[r->local_len] != '+')
			continue;			/* another mailbox at the return domain */

		if (!bounce_verp_parse(norm, nl, &p))
			return VERP_FORGED;
		if (p.is_signed && !bounce_verp_verify(&p, reader_key(r)))
			return VERP_FORGED;
		if (!p.is_signed && r->require_signed)
			return VERP_UNSIGNED;
		if (found && (p.address_len != *out_len || memcmp(p.address, out, p.address_len) != 0))
			return VERP_CONFLICT;
		memcpy(out, p.address, p.address_len);
		*out_len = p.address_len;
		found = true;
	}
	if (found)
		return VERP_FOUND;
	if (bare && r->require_signed)
		return VERP_UNSIGNED;
	return VERP_NONE;
}

PG_FUNCTION_INFO_V1(bounce_verp_recipient);
/*
 * bounce.verp_recipient(notice_to text[], OUT recipient text, OUT verdict
 * text): the decision over the array's addresses (NULL elements skipped).
 * Never an error: the addresses come from the outside.
 */
Datum
bounce_verp_recipient(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	VerpReader *r = (VerpReader *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc;
	Datum	   *elems;
	bool	   *elem_nulls;
	int			nelems;
	const char **addrs;
	size_t	   *lens;
	int			n = 0;
	int			k;
	char		out[BOUNCE_ADDRESS_MAX];
	size_t		out_len;
	VerpVerdict v;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("function returning record called in context that cannot accept type record")));
	if (r == NULL)
	{
		r = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(VerpReader));
		fcinfo->flinfo->fn_extra = r;
	}
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &elem_nulls, &nelems);
	addrs = palloc(sizeof(char *) * (nelems + 1));
	lens = palloc(sizeof(size_t) * (nelems + 1));
	for (k = 0; k < nelems; k++)
	{
		text	   *t;

		if (elem_nulls[k])
			continue;
		t = DatumGetTextPP(elems[k]);
		addrs[n] = VARDATA_ANY(t);
		lens[n++] = VARSIZE_ANY_EXHDR(t);
	}
	v = bounce_verp_read(r, n, addrs, lens, out, &out_len);
	if (v == VERP_FOUND)
		values[0] = PointerGetDatum(cstring_to_text_with_len(out, (int) out_len));
	else
	{
		values[0] = (Datum) 0;
		nulls[0] = true;
	}
	values[1] = CStringGetTextDatum(bounce_verp_verdict_name(v));
	desc = BlessTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
