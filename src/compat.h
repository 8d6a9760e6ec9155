/*
 * compat.h - every PostgreSQL version shim of the glue layer, in one place.
 *
 * Supported and tested: PostgreSQL 15, 17 and 18 (16 builds from the same
 * guards but is not in Debian, so it is untested).  Every glue file
 * includes this header right after postgres.h.
 */
#ifndef BOUNCE_COMPAT_H
#define BOUNCE_COMPAT_H

#include "postgres.h"

/* PG16 moved the varlena macros (VARDATA, SET_VARSIZE, ...) out of postgres.h. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * ereturn() (soft input errors) arrived in PostgreSQL 16; before that an
 * input function can only throw, so the shim turns it into ereport(ERROR).
 */
#if PG_VERSION_NUM < 160000
#define ereturn(context, dummy_value, ...) \
	do { \
		(void) (context); \
		ereport(ERROR, __VA_ARGS__); \
		return dummy_value; \
	} while (0)
#endif

/*
 * PG18 gave RelationGetPrimaryKeyIndex() a deferrable_ok flag (ours is never
 * deferrable) and index_beginscan() an instrumentation argument (none here).
 */
#if PG_VERSION_NUM >= 180000
#define bounce_primary_key_index(rel) RelationGetPrimaryKeyIndex((rel), false)
#define bounce_index_beginscan(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), NULL, (nkeys), (norderbys))
#else
#define bounce_primary_key_index(rel) RelationGetPrimaryKeyIndex(rel)
#define bounce_index_beginscan(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), (nkeys), (norderbys))
#endif

/* PG16 gave DecodeDateTime() an out-argument for error details (unused). */
#if PG_VERSION_NUM >= 160000
#define bounce_decode_datetime(field, ftype, nf, dtype, tm, fsec, tz) \
	DecodeDateTime((field), (ftype), (nf), (dtype), (tm), (fsec), (tz), \
				   &(DateTimeErrorExtra) {0})
#else
#define bounce_decode_datetime(field, ftype, nf, dtype, tm, fsec, tz) \
	DecodeDateTime((field), (ftype), (nf), (dtype), (tm), (fsec), (tz))
#endif

/* PG17 moved the local transaction id into PGPROC's vxid. */
#if PG_VERSION_NUM >= 170000
#define BOUNCE_MY_LXID (MyProc->vxid.lxid)
#else
#define BOUNCE_MY_LXID (MyProc->lxid)
#endif

/*
 * PG17 gave makeJsonLexContextCstringLen() a context argument first (NULL:
 * allocate one).  Used to check JSON syntax without throwing.
 */
#if PG_VERSION_NUM >= 170000
#define bounce_json_lex_cstring(json, len, encoding, need_escapes) \
	makeJsonLexContextCstringLen(NULL, (json), (len), (encoding), (need_escapes))
#else
#define bounce_json_lex_cstring(json, len, encoding, need_escapes) \
	makeJsonLexContextCstringLen((json), (len), (encoding), (need_escapes))
#endif

/*
 * This backend's slot among the running ones: two backends running at
 * once never share it (the metrics' counter rows are keyed by it).
 * PG17 renamed it.
 */
#if PG_VERSION_NUM >= 170000
#define BOUNCE_MY_PROC_NUMBER ((int) MyProcNumber)
#else
#define BOUNCE_MY_PROC_NUMBER (MyProc->pgprocno)
#endif

#endif							/* BOUNCE_COMPAT_H */
