/*
 * enums.c - label OIDs of the extension's SQL enums, looked up once per
 * backend and forgotten whenever pg_type or pg_enum changes (the extension
 * may be dropped and created again in the same session).
 */
#include "postgres.h"
#include "compat.h"

#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/syscache.h"

#include "enums.h"

#define MAX_LABELS 64

typedef struct EnumCache
{
	const char *typname;
	int			nlabels;
	const char *(*name) (int);
	bool		valid;
	Oid			oids[MAX_LABELS];
} EnumCache;

/* Adapters so one cache type serves the three name functions. */
static const char *
class_name(int v)
{
	return bounce_class_name((bounce_class) v);
}

static const char *
reason_name(int v)
{
	return bounce_reason_name((bounce_reason) v);
}

static const char *
action_name(int v)
{
	return bounce_action_name((bounce_action) v);
}

static EnumCache class_cache = {"bounce_class", BOUNCE_NUM_CLASSES, class_name, false, {0}};
static EnumCache reason_cache = {"bounce_reason", BOUNCE_NUM_REASONS, reason_name, false, {0}};
static EnumCache action_cache = {"bounce_action", BOUNCE_NUM_ACTIONS, action_name, false, {0}};

static bool callback_registered = false;

/* Syscache callback: any change to types or enums invalidates all caches. */
static void
enum_cache_reset(Datum arg, int cacheid, uint32 hashvalue)
{
	class_cache.valid = false;
	reason_cache.valid = false;
	action_cache.valid = false;
}

/* Fill a cache from the catalogs; errors clearly if the extension is gone. */
static void
enum_cache_fill(EnumCache *c)
{
	Oid			nsp;
	Oid			typoid;
	int			i;

	if (!callback_registered)
	{
		CacheRegisterSyscacheCallback(TYPEOID, enum_cache_reset, (Datum) 0);
		CacheRegisterSyscacheCallback(ENUMOID, enum_cache_reset, (Datum) 0);
		callback_registered = true;
	}
	nsp = get_namespace_oid("bounce", false);
	typoid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
							 CStringGetDatum(c->typname), ObjectIdGetDatum(nsp));
	if (!OidIsValid(typoid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type bounce.%s does not exist", c->typname),
				 errhint("Is the extension \"bounce\" installed in this database?")));
	Assert(c->nlabels <= MAX_LABELS);
	for (i = 0; i < c->nlabels; i++)
	{
		const char *label = c->name(i);

		c->oids[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
									 ObjectIdGetDatum(typoid),
									 CStringGetDatum(label));
		if (!OidIsValid(c->oids[i]))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("label \"%s\" of type bounce.%s does not exist",
							label, c->typname),
					 errhint("The installed SQL objects do not match the loaded library; update the extension.")));
	}
	c->valid = true;
}

/* C value -> label OID datum. */
static Datum
enum_datum(EnumCache *c, int v)
{
	if (!c->valid)
		enum_cache_fill(c);
	if (v < 0 || v >= c->nlabels)
		elog(ERROR, "value %d out of range for bounce.%s", v, c->typname);
	return ObjectIdGetDatum(c->oids[v]);
}

/* Label OID datum -> C value, -1 when unknown. */
static int
enum_value(EnumCache *c, Datum d)
{
	Oid			oid = DatumGetObjectId(d);
	int			i;

	if (!c->valid)
		enum_cache_fill(c);
	for (i = 0; i < c->nlabels; i++)
		if (c->oids[i] == oid)
			return i;
	return -1;
}

/* bounce_class -> SQL label. */
Datum
bounce_class_datum(bounce_class v)
{
	return enum_datum(&class_cache, (int) v);
}

/* bounce_reason -> SQL label. */
Datum
bounce_reason_datum(bounce_reason v)
{
	return enum_datum(&reason_cache, (int) v);
}

/* bounce_action -> SQL label. */
Datum
bounce_action_datum(bounce_action v)
{
	return enum_datum(&action_cache, (int) v);
}

/* SQL label -> bounce_class. */
int
bounce_class_from_datum(Datum d)
{
	return enum_value(&class_cache, d);
}

/* SQL label -> bounce_reason. */
int
bounce_reason_from_datum(Datum d)
{
	return enum_value(&reason_cache, d);
}

/* SQL label -> bounce_action. */
int
bounce_action_from_datum(Datum d)
{
	return enum_value(&action_cache, d);
}

/*
 * The rule as text of the database encoding.  The phrases are ASCII but
 * for the Japanese ones and those of other scripts, written in UTF-8:
 * outside a UTF-8 (or SQL_ASCII) database their characters are written as
 * U+XXXX, which every encoding holds and a dump restores.
 */
Datum
bounce_rule_datum(const bounce_verdict *v)
{
	char		rule[256];
	StringInfoData b;
	const unsigned char *u = (const unsigned char *) rule;
	int			enc = GetDatabaseEncoding();

	bounce_verdict_rule(v, rule, sizeof(rule));
	if (enc == PG_UTF8 || enc == PG_SQL_ASCII)
		return CStringGetTextDatum(rule);
	initStringInfo(&b);
	while (*u)
	{
		int			l = pg_utf_mblen(u);

		if (*u < 0x80 || strnlen((const char *) u, l) < (size_t) l || !pg_utf8_islegal(u, l))
		{
			appendStringInfoChar(&b, (char) (*u < 0x80 ? *u : '?'));
			u++;
			continue;
		}
		appendStringInfo(&b, "U+%04X", (unsigned) utf8_to_unicode(u));
		u += l;
	}
	return PointerGetDatum(cstring_to_text_with_len(b.data, b.len));
}
