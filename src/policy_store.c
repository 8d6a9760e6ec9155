/*
 * policy_store.c - the policy's tables as the core's structs: one table of
 * columns per SQL table drives every read and write of bounce.addresses
 * and bounce.retries, set-based (arrays in, one statement per batch); the
 * log of an address (events, deliveries, manual changes) read back in
 * folding order for a refold; bounce.config and bounce.reason_policy as a
 * bounce_policy.  Callers run inside SPI, as the tables' owner.
 */
#include "postgres.h"
#include "compat.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "enums.h"
#include "policy_glue.h"
#define BOUNCE_SHARD_SPI
#include "shard.h"

/* ------------------------------------------------------------------------
 * A string set with a value per string
 * ------------------------------------------------------------------------
 */
typedef struct StrMapEntry
{
	const char *key;			/* NULL: free */
	uint32		hash;
	int			len;
	void	   *value;
} StrMapEntry;

struct StrMap
{
	MemoryContext mcxt;
	StrMapEntry *slots;
	uint32		mask;
	int			count;
};

StrMap *
strmap_create(MemoryContext mcxt, int expected)
{
	StrMap	   *m = MemoryContextAllocZero(mcxt, sizeof(StrMap));
	uint32		size = 16;

	while (size < (uint32) expected * 2 && size < (1U << 30))
		size <<= 1;
	m->mcxt = mcxt;
	m->slots = MemoryContextAllocExtended(mcxt, sizeof(StrMapEntry) * size, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	m->mask = size - 1;
	return m;
}

static void
strmap_grow(StrMap *m)
{
	uint32		size = (m->mask + 1) * 2;
	StrMapEntry *slots = MemoryContextAllocExtended(m->mcxt, sizeof(StrMapEntry) * size, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	uint32		i;

	for (i = 0; i <= m->mask; i++)
		if (m->slots[i].key != NULL)
		{
			uint32		j = m->slots[i].hash & (size - 1);

			while (slots[j].key != NULL)
				j = (j + 1) & (size - 1);
			slots[j] = m->slots[i];
		}
	pfree(m->slots);
	m->slots = slots;
	m->mask = size - 1;
}

void	  **
strmap_slot(StrMap *m, const char *s, int len, const char **key)
{
	uint32		h = hash_bytes((const unsigned char *) s, len);
	uint32		i = h & m->mask;
	StrMapEntry *e;
	char	   *copy;

	for (;; i = (i + 1) & m->mask)
	{
		e = &m->slots[i];
		if (e->key == NULL)
			break;
		if (e->hash == h && e->len == len && memcmp(e->key, s, len) == 0)
		{
			*key = e->key;
			return &e->value;
		}
	}
	if ((uint32) (m->count + 1) * 2 > m->mask + 1)
	{
		strmap_grow(m);
		return strmap_slot(m, s, len, key);
	}
	copy = MemoryContextAlloc(m->mcxt, len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	e->key = copy;
	e->hash = h;
	e->len = len;
	e->value = NULL;
	m->count++;
	*key = copy;
	return &e->value;
}

int
strmap_count(const StrMap *m)
{
	return m->count;
}

int
strmap_values(const StrMap *m, void **out)
{
	uint32		i;
	int			n = 0;

	for (i = 0; i <= m->mask; i++)
		if (m->slots[i].key != NULL && m->slots[i].value != NULL)
			out[n++] = m->slots[i].value;
	return n;
}

/* ------------------------------------------------------------------------
 * The tables' columns
 * ------------------------------------------------------------------------
 */
typedef enum ColKind
{
	COL_STATE,					/* bounce_addr_state <-> bounce.address_state */
	COL_INT4,
	COL_TIME,					/* bounce_time <-> timestamptz, NONE = NULL */
	COL_TEXT,					/* const char * <-> text, NULL = NULL */
	COL_CAMPAIGN,				/* const char * <-> text NOT NULL ('' = none) */
	COL_WHY,					/* suppressed_reason + suppressed_note */
	COL_EVENT,					/* suppressed_event, has_suppressed_event */
	COL_REASON,					/* bounce_reason <-> bounce.bounce_reason */
	COL_CLASS					/* bounce_class <-> bounce.bounce_class */
} ColKind;

typedef struct StoreColumn
{
	const char *name;
	ColKind		kind;
	size_t		off;
} StoreColumn;

#define ACOL(name, kind, field) {name, kind, offsetof(bounce_addr, field)}
#define RCOL(name, kind, field) {name, kind, offsetof(bounce_retry, field)}

/* bounce.addresses, but its key (address) */
static const StoreColumn addr_columns[] = {
	ACOL("state", COL_STATE, state),
	ACOL("consecutive_soft", COL_INT4, consecutive_soft),
	ACOL("soft_total", COL_INT4, soft_total),
	ACOL("hard_total", COL_INT4, hard_total),
	ACOL("first_bounce_at", COL_TIME, first_bounce_at),
	ACOL("last_bounce_at", COL_TIME, last_bounce_at),
	ACOL("last_soft_at", COL_TIME, last_soft_at),
	ACOL("last_soft_campaign", COL_TEXT, last_soft_campaign),
	ACOL("last_delivery_at", COL_TIME, last_delivery_at),
	ACOL("next_retry_at", COL_TIME, next_retry_at),
	ACOL("suppressed_at", COL_TIME, suppressed_at),
	ACOL("suppressed_reason", COL_WHY, suppressed_reason),
	ACOL("suppressed_event", COL_EVENT, suppressed_event),
	ACOL("promoted_at", COL_TIME, promoted_at),
	ACOL("unsuppressed_at", COL_TIME, unsuppressed_at),
	ACOL("last_entry_at", COL_TIME, last_entry_at),	/* since 1.1: last */
};
#define NADDR_COLUMNS lengthof(addr_columns)

/* bounce.retries, but its address */
static const StoreColumn retry_columns[] = {
	RCOL("campaign", COL_CAMPAIGN, campaign),
	RCOL("reason", COL_REASON, reason),
	RCOL("attempts", COL_INT4, attempts),
	RCOL("last_bounce_at", COL_TIME, last_bounce_at),
	RCOL("next_retry_at", COL_TIME, next_retry_at),
	RCOL("handed_out_at", COL_TIME, handed_out_at),
};
#define NRETRY_COLUMNS lengthof(retry_columns)

#define CCOL(name, kind, field) {name, kind, offsetof(bounce_campaign_state, field)}

/* bounce.address_campaigns, but its address (since 1.1) */
static const StoreColumn campaign_columns[] = {
	CCOL("campaign", COL_CAMPAIGN, campaign),
	CCOL("worst", COL_CLASS, worst),
	CCOL("sender_side", COL_INT4, sender_side),
};

/*
 * The rows an address has in other tables, as arrays of its state: its
 * retries, its campaigns.  Each has a table of its own keyed by (address,
 * campaign), and one for baselines.
 */
typedef struct SubRows
{
	const char *table;
	const char *base_table;
	const StoreColumn *cols;
	int			ncols;
	size_t		elem;			/* size of an element */
	size_t		arr;			/* offsets in bounce_addr: array, length, capacity */
	size_t		len;
	size_t		cap;
	size_t		changed;		/* offset of an element's changed flag */
	bool		removable;		/* a fold may remove elements (retries_removed) */
} SubRows;

static const SubRows sub_rows[] = {
	{"retries", "baseline_retries", retry_columns, NRETRY_COLUMNS, sizeof(bounce_retry),
		offsetof(bounce_addr, retries), offsetof(bounce_addr, nretries),
	offsetof(bounce_addr, retries_cap), offsetof(bounce_retry, changed), true},
	{"address_campaigns", "baseline_campaigns", campaign_columns, lengthof(campaign_columns),
		sizeof(bounce_campaign_state), offsetof(bounce_addr, campaigns),
		offsetof(bounce_addr, ncampaigns), offsetof(bounce_addr, campaigns_cap),
	offsetof(bounce_campaign_state, changed), false},
};
#define NSUB lengthof(sub_rows)

#define SUB_ARR(sr, a) (*(char **) ((char *) (a) + (sr)->arr))
#define SUB_LEN(sr, a) (*(size_t *) ((char *) (a) + (sr)->len))
#define SUB_CAP(sr, a) (*(size_t *) ((char *) (a) + (sr)->cap))
#define SUB_ELEM(sr, a, i) (SUB_ARR(sr, a) + (i) * (sr)->elem)
#define SUB_CHANGED(sr, e) (*(bool *) ((e) + (sr)->changed))

static const char *const state_names[] = {"active", "monitored", "suppressed"};

/* Element type of a column's parameter array. */
static Oid
col_type(ColKind k)
{
	switch (k)
	{
		case COL_INT4:
			return INT4OID;
		case COL_TIME:
			return TIMESTAMPTZOID;
		case COL_EVENT:
			return INT8OID;
		default:				/* COL_CLASS etc. too */
			return TEXTOID;		/* enums go as their labels and are cast */
	}
}

/* The value read from a parameter row, cast to the column's type. */
static void
append_cast(StringInfo s, const char *alias, const StoreColumn *c)
{
	appendStringInfo(s, "%s.%s", alias, c->name);
	if (c->kind == COL_STATE)
		appendStringInfoString(s, "::bounce.address_state");
	else if (c->kind == COL_REASON)
		appendStringInfoString(s, "::bounce.bounce_reason");
	else if (c->kind == COL_CLASS)
		appendStringInfoString(s, "::bounce.bounce_class");
}

/* The column in a select list (enums as text). */
static void
append_select(StringInfo s, const char *alias, const StoreColumn *c)
{
	appendStringInfo(s, ", %s.%s", alias, c->name);
	if (c->kind == COL_STATE || c->kind == COL_REASON || c->kind == COL_CLASS)
		appendStringInfoString(s, "::pg_catalog.text");
}

/*
 * (SELECT unnest($1) AS address, unnest($2) AS <column>, ...) AS u: the
 * parameter rows, in the order of the arrays.  Set-returning functions in a
 * select list run in lockstep, a row at a time; ROWS FROM would first copy
 * every array into a tuplestore of its own.
 */
static void
append_param_rows(StringInfo s, const char *const *names, int n)
{
	int			i;

	appendStringInfoString(s, "(SELECT pg_catalog.unnest($1) AS address");
	for (i = 0; i < n; i++)
		appendStringInfo(s, ", pg_catalog.unnest($%d) AS %s", i + 2, names[i]);
	appendStringInfoString(s, ") AS u");
}

/* append_param_rows for the address and 'cols', then 'extra' names. */
static void
append_rows_from(StringInfo s, const StoreColumn *cols, int n, char *const *extra, int nextra)
{
	const char **names = palloc(sizeof(char *) * (n + nextra + 1));
	int			i;

	for (i = 0; i < n; i++)
		names[i] = cols[i].name;
	for (i = 0; i < nextra; i++)
		names[n + i] = extra[i];
	append_param_rows(s, names, n + nextra);
	pfree(names);
}

/* The statements, built from the tables above once per backend. */
typedef struct StoreSql
{
	int			naddr;			/* columns of addr_columns the table has */
	bool		baselines;		/* the install has bounce.baselines (1.1) */
	bool		counts;			/* ... and the metrics' counters (1.1) */
	char	   *base_select;
	char	   *base_upsert;
	char	   *addr_insert;
	char	   *addr_select;
	char	   *addr_update;
	char	   *log_select;
	/* per sub_rows[]: NULL select when the install lacks the table */
	char	   *sub_select[NSUB];
	char	   *sub_delete[NSUB];
	char	   *sub_upsert[NSUB];
	char	   *base_sub_select[NSUB];
	char	   *base_sub_delete[NSUB];
	char	   *base_sub_insert[NSUB];
} StoreSql;

/* per backend: for a table with all columns, and for 1.0's (not updated) */
static StoreSql *sql_variant[2];
static StoreSql *sql = NULL;

static char *
finish(StringInfo s)
{
	char	   *r = MemoryContextStrdup(TopMemoryContext, s->data);

	pfree(s->data);
	return r;
}

/*
 * SELECT u.i, <columns> [, extra] FROM unnest($1) WITH ORDINALITY u JOIN
 * table: the rows of the addresses in $1, each with its index.
 */
static char *
select_rows(const char *table, const StoreColumn *cols, int n, const char *extra)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	appendStringInfoString(&s, "SELECT u.i");
	for (i = 0; i < n; i++)
		append_select(&s, "t", &cols[i]);
	if (extra)
		appendStringInfo(&s, ", t.%s", extra);
	appendStringInfo(&s, " FROM pg_catalog.unnest($1) WITH ORDINALITY AS u(address, i)"
					 " JOIN %s t ON t.address OPERATOR(pg_catalog.=) u.address", table);
	return finish(&s);
}

/*
 * INSERT INTO table (address, <columns> [, extra]) SELECT FROM the
 * parameter arrays ON CONFLICT (key) DO UPDATE every column.  'extra'
 * columns are parameters after the columns'.
 */
static char *
upsert_rows(const char *table, const char *key, const StoreColumn *cols, int n,
			const char *extra)
{
	StringInfoData s;
	int			i;
	int			nextra = 0;
	char	   *names[4] = {NULL, NULL, NULL, NULL};
	bool		first = true;

	if (extra)
	{
		char	   *copy = pstrdup(extra);
		char	   *tok;

		for (tok = strtok(copy, ", "); tok && nextra < 4; tok = strtok(NULL, ", "))
			names[nextra++] = tok;
	}
	initStringInfo(&s);
	appendStringInfo(&s, "INSERT INTO %s AS t (address", table);
	for (i = 0; i < n; i++)
		appendStringInfo(&s, ", %s", cols[i].name);
	for (i = 0; i < nextra; i++)
		appendStringInfo(&s, ", %s", names[i]);
	appendStringInfoString(&s, ") SELECT u.address");
	for (i = 0; i < n; i++)
	{
		appendStringInfoString(&s, ", ");
		append_cast(&s, "u", &cols[i]);
	}
	for (i = 0; i < nextra; i++)
		appendStringInfo(&s, ", u.%s", names[i]);
	appendStringInfoString(&s, " FROM ");
	append_rows_from(&s, cols, n, names, nextra);
	appendStringInfo(&s, " ON CONFLICT (%s) DO UPDATE SET ", key);
	for (i = 0; i < n + nextra; i++)
	{
		const char *c = i < n ? cols[i].name : names[i - n];

		if (i < n && strcmp(c, "campaign") == 0 && strstr(key, "campaign"))
			continue;			/* part of the key */
		appendStringInfo(&s, "%s%s = EXCLUDED.%s", first ? "" : ", ", c, c);
		first = false;
	}
	return finish(&s);
}

static void
build_sql(void)
{
	StringInfoData s;
	StoreSql   *q;
	int			i;
	Oid			relid = get_relname_relid("addresses", get_namespace_oid("bounce", false));
	bool		complete = get_attnum(relid, addr_columns[NADDR_COLUMNS - 1].name) != InvalidAttrNumber;
	int			naddr = complete ? NADDR_COLUMNS : NADDR_COLUMNS - 1;

	if (sql_variant[complete] != NULL)
	{
		sql = sql_variant[complete];
		return;
	}
	q = MemoryContextAllocZero(TopMemoryContext, sizeof(StoreSql));
	q->naddr = naddr;

	/*
	 * New addresses get their folded row; one that exists is locked, not
	 * written (DO UPDATE ... WHERE false), in the order of the input, which
	 * is the lock order; RETURNING names the rows really inserted.
	 */
	initStringInfo(&s);
	appendStringInfoString(&s, "INSERT INTO bounce.addresses AS a (address");
	for (i = 0; i < naddr; i++)
		appendStringInfo(&s, ", %s", addr_columns[i].name);
	appendStringInfoString(&s, ") SELECT u.address");
	for (i = 0; i < naddr; i++)
	{
		appendStringInfoString(&s, ", ");
		append_cast(&s, "u", &addr_columns[i]);
	}
	appendStringInfoString(&s, " FROM ");
	append_rows_from(&s, addr_columns, naddr, NULL, 0);
	appendStringInfoString(&s, " ON CONFLICT (address) DO UPDATE SET address = EXCLUDED.address"
						   " WHERE false RETURNING a.address");
	q->addr_insert = finish(&s);

	q->addr_select = select_rows("bounce.addresses", addr_columns, naddr, NULL);
	q->baselines = OidIsValid(get_relname_relid("baselines", get_namespace_oid("bounce", false)));
	if (q->baselines)
	{
		q->base_select = select_rows("bounce.baselines", addr_columns, naddr, "log_id_until");
		q->base_upsert = upsert_rows("bounce.baselines", "address", addr_columns, naddr,
									 "pruned_before, log_id_until");
	}
	q->counts = OidIsValid(get_relname_relid("campaign_counts", get_namespace_oid("bounce", false)));
	for (i = 0; i < (int) NSUB; i++)
	{
		const SubRows *sr = &sub_rows[i];
		char	   *t = psprintf("bounce.%s", sr->table);
		char	   *b = psprintf("bounce.%s", sr->base_table);

		if (!OidIsValid(get_relname_relid(sr->table, get_namespace_oid("bounce", false))))
			continue;			/* 1.0 has no address_campaigns */
		q->sub_select[i] = select_rows(t, sr->cols, sr->ncols, NULL);
		q->sub_delete[i] = MemoryContextStrdup(TopMemoryContext,
											   psprintf("DELETE FROM %s t WHERE t.address OPERATOR(pg_catalog.=) ANY ($1)", t));
		q->sub_upsert[i] = upsert_rows(t, "address, campaign", sr->cols, sr->ncols, NULL);
		if (q->baselines &&
			OidIsValid(get_relname_relid(sr->base_table, get_namespace_oid("bounce", false))))
		{
			q->base_sub_select[i] = select_rows(b, sr->cols, sr->ncols, NULL);
			q->base_sub_delete[i] = MemoryContextStrdup(TopMemoryContext,
														psprintf("DELETE FROM %s t WHERE t.address OPERATOR(pg_catalog.=) ANY ($1)", b));
			q->base_sub_insert[i] = upsert_rows(b, "address, campaign", sr->cols, sr->ncols, NULL);
		}
	}

	initStringInfo(&s);
	appendStringInfoString(&s, "UPDATE bounce.addresses a SET ");
	for (i = 0; i < naddr; i++)
	{
		appendStringInfo(&s, "%s%s = ", i ? ", " : "", addr_columns[i].name);
		append_cast(&s, "u", &addr_columns[i]);
	}
	appendStringInfoString(&s, " FROM ");
	append_rows_from(&s, addr_columns, naddr, NULL, 0);
	appendStringInfoString(&s, " WHERE a.address OPERATOR(pg_catalog.=) u.address");
	q->addr_update = finish(&s);


	/*
	 * The log of some addresses in folding order: by address in lock order
	 * (byte order), then time, kind, id (BOUNCE_ENTRY_* numbers); entries
	 * before $2 only (infinity: all).  Manual entries that a baseline
	 * holds already (older than its cut, logged before it: id up to its
	 * log_id_until) are left out; the events and deliveries it holds were
	 * deleted when it was made.
	 */
	initStringInfo(&s);
	appendStringInfoString(&s,
						   "SELECT l.address, l.kind, l.at, l.id, l.campaign, l.class, l.reason, l.note FROM ("
						   " SELECT e.address, 1 AS kind, e.occurred_at AS at, e.id, e.campaign,"
						   " e.class, e.reason, NULL::pg_catalog.text AS note"
						   " FROM bounce.events e WHERE e.address OPERATOR(pg_catalog.=) ANY ($1)"
						   " AND e.occurred_at OPERATOR(pg_catalog.<) $2"
						   " UNION ALL"
						   " SELECT d.address, 2, d.delivered_at, d.id, d.campaign, NULL, NULL, NULL"
						   " FROM bounce.deliveries d WHERE d.address OPERATOR(pg_catalog.=) ANY ($1)"
						   " AND d.delivered_at OPERATOR(pg_catalog.<) $2"
						   " UNION ALL"
						   " SELECT s.address, CASE WHEN s.action OPERATOR(pg_catalog.=) 'suppress' THEN 3 ELSE 4 END,"
						   " s.at, s.id, NULL, NULL, NULL, s.reason"
						   " FROM bounce.suppression_log s WHERE s.address OPERATOR(pg_catalog.=) ANY ($1)"
						   " AND s.at OPERATOR(pg_catalog.<) $2");
	if (q->baselines)
		appendStringInfoString(&s, " AND NOT EXISTS (SELECT FROM bounce.baselines b"
							   " WHERE b.address OPERATOR(pg_catalog.=) s.address"
							   " AND s.at OPERATOR(pg_catalog.<) b.pruned_before"
							   " AND s.id OPERATOR(pg_catalog.<=) b.log_id_until)");
	appendStringInfoString(&s, ") l ORDER BY l.address COLLATE pg_catalog.\"C\", l.at, l.kind, l.id");
	q->log_select = finish(&s);
	sql_variant[complete] = q;
	sql = q;
}

/* ------------------------------------------------------------------------
 * Parameter arrays
 * ------------------------------------------------------------------------
 */
typedef struct ArrayParam
{
	Oid			elemtype;
	Datum	   *values;
	bool	   *nulls;
	int			n;
	int			cap;
} ArrayParam;

static void
param_init(ArrayParam *p, Oid elemtype, int cap)
{
	p->elemtype = elemtype;
	p->cap = Max(cap, 1);
	p->values = palloc(sizeof(Datum) * p->cap);
	p->nulls = palloc(sizeof(bool) * p->cap);
	p->n = 0;
}

static inline void
param_add(ArrayParam *p, Datum v, bool isnull)
{
	if (p->n == p->cap)
	{
		p->cap *= 2;
		p->values = repalloc_huge(p->values, sizeof(Datum) * p->cap);
		p->nulls = repalloc_huge(p->nulls, sizeof(bool) * p->cap);
	}
	p->values[p->n] = v;
	p->nulls[p->n] = isnull;
	p->n++;
}

static inline void
param_add_text(ArrayParam *p, const char *s)
{
	param_add(p, s ? CStringGetTextDatum(s) : (Datum) 0, s == NULL);
}

static Datum
param_array(ArrayParam *p)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			dims[1];
	int			lbs[1] = {1};

	get_typlenbyvalalign(p->elemtype, &typlen, &typbyval, &typalign);
	dims[0] = p->n;
	return PointerGetDatum(construct_md_array(p->values, p->nulls, 1, dims, lbs,
											  p->elemtype, typlen, typbyval, typalign));
}

/* Reads in the calling statement's snapshot (verify()), not a new one each. */
static bool store_read_only = false;

void
bounce_store_read_only(bool on)
{
	store_read_only = on;
}

/* Run a statement over parameter arrays; the SPI code must be 'expect'. */
static void
exec_params(const char *q, ArrayParam *params, int n, int expect)
{
	Oid		   *types = palloc(sizeof(Oid) * n);
	Datum	   *values = palloc(sizeof(Datum) * n);
	int			i;
	int			rc;

	for (i = 0; i < n; i++)
	{
		types[i] = get_array_type(params[i].elemtype);
		values[i] = param_array(&params[i]);
	}
	rc = SPI_execute_with_args(q, n, types, values, NULL, store_read_only, 0);
	if (rc != expect)
		elog(ERROR, "bounce: statement failed (%s): %s", SPI_result_code_string(rc), q);
}

/* The value of a struct field as a parameter. */
static void
param_add_field(ArrayParam *p, const StoreColumn *c, const void *base)
{
	const char *f = (const char *) base + c->off;

	switch (c->kind)
	{
		case COL_STATE:
			param_add_text(p, state_names[*(const bounce_addr_state *) f]);
			break;
		case COL_INT4:
			param_add(p, Int32GetDatum(*(const int32_t *) f), false);
			break;
		case COL_TIME:
			{
				bounce_time t = *(const bounce_time *) f;

				param_add(p, TimestampTzGetDatum(t), t == BOUNCE_TIME_NONE);
				break;
			}
		case COL_TEXT:
			param_add_text(p, *(const char *const *) f);
			break;
		case COL_CAMPAIGN:
			{
				const char *v = *(const char *const *) f;

				param_add_text(p, v ? v : "");
				break;
			}
		case COL_WHY:
			{
				const bounce_addr *a = (const bounce_addr *) base;

				if (a->suppressed_reason[0] == '\0' && a->suppressed_note == NULL)
					param_add(p, (Datum) 0, true);
				else
					param_add_text(p, psprintf("%s%s", a->suppressed_reason,
											   a->suppressed_note ? a->suppressed_note : ""));
				break;
			}
		case COL_EVENT:
			{
				const bounce_addr *a = (const bounce_addr *) base;

				param_add(p, Int64GetDatum(a->suppressed_event), !a->has_suppressed_event);
				break;
			}
		case COL_REASON:
			param_add_text(p, bounce_reason_name(*(const bounce_reason *) f));
			break;
		case COL_CLASS:
			param_add_text(p, bounce_class_name(*(const bounce_class *) f));
			break;
	}
}

/* The core value of an enum label read as text. */
static int
label_value(const char *label, const char *(*name) (int), int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (strcmp(label, name(i)) == 0)
			return i;
	elog(ERROR, "bounce: unknown label \"%s\"", label);
	return 0;
}

static const char *
state_name_of(int i)
{
	return state_names[i];
}

static const char *
reason_name_of(int i)
{
	return bounce_reason_name((bounce_reason) i);
}

static const char *
class_name_of(int i)
{
	return bounce_class_name((bounce_class) i);
}

/* Set a struct field from column 'col' of a SPI result row. */
static void
read_field(const StoreColumn *c, void *base, HeapTuple t, TupleDesc d, int col)
{
	char	   *f = (char *) base + c->off;
	bool		isnull;
	Datum		v = SPI_getbinval(t, d, col, &isnull);

	switch (c->kind)
	{
		case COL_STATE:
			*(bounce_addr_state *) f = (bounce_addr_state)
				label_value(TextDatumGetCString(v), state_name_of, 3);
			break;
		case COL_INT4:
			*(int32_t *) f = isnull ? 0 : DatumGetInt32(v);
			break;
		case COL_TIME:
			*(bounce_time *) f = isnull ? BOUNCE_TIME_NONE : DatumGetTimestampTz(v);
			break;
		case COL_TEXT:
		case COL_CAMPAIGN:
			*(const char **) f = isnull ? NULL : TextDatumGetCString(v);
			break;
		case COL_WHY:
			{
				bounce_addr *a = (bounce_addr *) base;
				char	   *s = isnull ? NULL : TextDatumGetCString(v);

				a->suppressed_reason[0] = '\0';
				a->suppressed_note = NULL;
				if (s != NULL && strlen(s) < sizeof(a->suppressed_reason))
					strcpy(a->suppressed_reason, s);
				else
					a->suppressed_note = s;
				break;
			}
		case COL_EVENT:
			{
				bounce_addr *a = (bounce_addr *) base;

				a->has_suppressed_event = !isnull;
				a->suppressed_event = isnull ? 0 : DatumGetInt64(v);
				break;
			}
		case COL_REASON:
			*(bounce_reason *) f = (bounce_reason)
				label_value(TextDatumGetCString(v), reason_name_of, BOUNCE_NUM_REASONS);
			break;
		case COL_CLASS:
			*(bounce_class *) f = (bounce_class)
				label_value(TextDatumGetCString(v), class_name_of, BOUNCE_NUM_CLASSES);
			break;
	}
}

/* Parameters $1.. of n addresses' states (address + every column). */
static ArrayParam *
state_params(FoldAddr **a, int n)
{
	ArrayParam	   *p = palloc(sizeof(ArrayParam) * (sql->naddr + 1));
	int			i,
				k;

	param_init(&p[0], TEXTOID, n);
	for (i = 0; i < sql->naddr; i++)
		param_init(&p[i + 1], col_type(addr_columns[i].kind), n);
	for (k = 0; k < n; k++)
	{
		param_add_text(&p[0], a[k]->address);
		for (i = 0; i < sql->naddr; i++)
			param_add_field(&p[i + 1], &addr_columns[i], &a[k]->state);
	}
	return p;
}

/* ------------------------------------------------------------------------
 * Reads and writes
 * ------------------------------------------------------------------------
 */

/* The row a suppression leaves was made by: lifted by what? */
static bounce_suppressed_by
suppressed_by(const bounce_addr *s)
{
	if (s->state != BOUNCE_ADDR_SUPPRESSED)
		return BOUNCE_BY_NONE;
	if (!s->has_suppressed_event)
		return BOUNCE_BY_HAND;
	if (s->promoted_at != BOUNCE_TIME_NONE && s->promoted_at == s->suppressed_at)
		return BOUNCE_BY_PROMOTION;
	return BOUNCE_BY_EVENT;
}

/*
 * Insert the folded state of every address that has no row; lock those
 * that have one, and mark them 'exists'.  In the order given (lock order).
 */
void
bounce_store_insert_new(FoldAddr **a, int n)
{
	uint64		j;
	int			k;
	StrMap	   *inserted;

	build_sql();
	exec_params(sql->addr_insert, state_params(a, n), sql->naddr + 1,
				SPI_OK_INSERT_RETURNING);
	inserted = strmap_create(CurrentMemoryContext, (int) SPI_processed);
	for (j = 0; j < SPI_processed; j++)
	{
		bool		isnull;
		text	   *t = DatumGetTextPP(SPI_getbinval(SPI_tuptable->vals[j],
													 SPI_tuptable->tupdesc, 1, &isnull));
		const char *key;

		*strmap_slot(inserted, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &key) = (void *) 1;
	}
	for (k = 0; k < n; k++)
	{
		const char *key;

		a[k]->exists = (*strmap_slot(inserted, a[k]->address, strlen(a[k]->address), &key) == NULL);
	}
}

/*
 * Read rows (a table of addr_columns, keyed by address) and their sub-rows
 * (retries, campaigns) into the stored or the working state of the given
 * addresses; marks 'found' and, for a baseline, its log_id_until.
 */
static void load_sub_rows(bool base, ArrayParam keys, FoldAddr **which, int nw,
						  bool into_state, const bounce_allocator *al);

static void
load_states(const char *rows_sql, bool base, FoldAddr **which, int nw,
			bool into_state, const bounce_allocator *al)
{
	ArrayParam	keys;
	int			k;
	uint64		j;

	if (nw == 0)
		return;
	param_init(&keys, TEXTOID, nw);
	for (k = 0; k < nw; k++)
		param_add_text(&keys, which[k]->address);

	exec_params(rows_sql, &keys, 1, SPI_OK_SELECT);
	for (j = 0; j < SPI_processed; j++)
	{
		HeapTuple	t = SPI_tuptable->vals[j];
		TupleDesc	d = SPI_tuptable->tupdesc;
		bool		isnull;
		int64		i = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull)) - 1;
		bounce_addr *s;
		int			c;

		if (i < 0 || i >= nw)
			elog(ERROR, "bounce: address index out of range");
		s = into_state ? &which[i]->state : &which[i]->stored;
		for (c = 0; c < sql->naddr; c++)
			read_field(&addr_columns[c], s, t, d, c + 2);
		s->suppressed_by = suppressed_by(s);
		if (into_state)
		{
			Datum		v = SPI_getbinval(t, d, sql->naddr + 2, &isnull);

			which[i]->has_baseline = true;
			which[i]->base_log_id = isnull ? 0 : DatumGetInt64(v);
		}
		else
			which[i]->found = true;
	}

	load_sub_rows(base, keys, which, nw, into_state, al);
}

/* Room for one more element of a sub-row array; from the allocator. */
static char *
sub_append(const SubRows *sr, bounce_addr *a, const bounce_allocator *al)
{
	char	   *e;

	if (SUB_LEN(sr, a) == SUB_CAP(sr, a))
	{
		size_t		cap = SUB_CAP(sr, a) ? SUB_CAP(sr, a) * 2 : 4;
		char	   *n = al->alloc(al->ctx, cap * sr->elem);

		if (SUB_LEN(sr, a))
			memcpy(n, SUB_ARR(sr, a), SUB_LEN(sr, a) * sr->elem);
		SUB_ARR(sr, a) = n;
		SUB_CAP(sr, a) = cap;
	}
	e = SUB_ELEM(sr, a, SUB_LEN(sr, a));
	SUB_LEN(sr, a)++;
	memset(e, 0, sr->elem);
	return e;
}

/* Read every sub-row table's rows of the addresses (their own, or their baselines'). */
static void
load_sub_rows(bool base, ArrayParam keys, FoldAddr **which, int nw, bool into_state,
			  const bounce_allocator *al)
{
	int			s_;
	uint64		j;

	for (s_ = 0; s_ < (int) NSUB; s_++)
	{
		const SubRows *sr = &sub_rows[s_];
		const char *q = base ? sql->base_sub_select[s_] : sql->sub_select[s_];

		if (q == NULL)
			continue;
		exec_params(q, &keys, 1, SPI_OK_SELECT);
		for (j = 0; j < SPI_processed; j++)
		{
			HeapTuple	t = SPI_tuptable->vals[j];
			TupleDesc	d = SPI_tuptable->tupdesc;
			bool		isnull;
			int64		i = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull)) - 1;
			char	   *e;
			int			c;

			if (i < 0 || i >= nw)
				elog(ERROR, "bounce: address index out of range");
			e = sub_append(sr, into_state ? &which[i]->state : &which[i]->stored, al);
			for (c = 0; c < sr->ncols; c++)
				read_field(&sr->cols[c], e, t, d, c + 2);
		}
	}
}

/* Read the rows and retries of the addresses marked 'exists' into 'stored'. */
void
bounce_store_load(FoldAddr **a, int n, const bounce_allocator *al)
{
	FoldAddr  **which = palloc(sizeof(FoldAddr *) * Max(n, 1));
	int			nw = 0;
	int			k;

	build_sql();
	for (k = 0; k < n; k++)
	{
		bounce_addr_init(&a[k]->stored);
		a[k]->found = false;
		if (a[k]->exists)
			which[nw++] = a[k];
	}
	load_states(sql->addr_select, false, which, nw, false, al);
}

/* A state to fold into, from a stored one: its own arrays, nothing changed. */
void
bounce_store_copy_state(bounce_addr *to, const bounce_addr *from, const bounce_allocator *al)
{
	int			s_;
	size_t		i;

	*to = *from;
	to->retries_removed = false;
	for (s_ = 0; s_ < (int) NSUB; s_++)
	{
		const SubRows *sr = &sub_rows[s_];
		size_t		n = SUB_LEN(sr, from);

		SUB_ARR(sr, to) = NULL;
		SUB_CAP(sr, to) = 0;
		if (n > 0)
		{
			SUB_ARR(sr, to) = al->alloc(al->ctx, n * sr->elem);
			SUB_CAP(sr, to) = n;
			memcpy(SUB_ARR(sr, to), SUB_ARR(sr, from), n * sr->elem);
		}
		for (i = 0; i < n; i++)
			SUB_CHANGED(sr, SUB_ELEM(sr, to, i)) = false;
	}
}

/* Write 'state' of the given addresses over their rows. */
void
bounce_store_update(FoldAddr **a, int n)
{
	if (n == 0)
		return;
	build_sql();
	exec_params(sql->addr_update, state_params(a, n), sql->naddr + 1, SPI_OK_UPDATE);
}

/*
 * The sub-rows (retries, campaigns) of the given addresses: an address
 * folded again, or whose fold removed retries, has its rows deleted and
 * all written again; for the others only the changed ones are written.
 */
void
bounce_store_write_retries(FoldAddr **a, int n)
{
	int			s_;

	build_sql();
	for (s_ = 0; s_ < (int) NSUB; s_++)
	{
		const SubRows *sr = &sub_rows[s_];
		ArrayParam	del;
		ArrayParam *p;
		int			k,
					i;
		size_t		r;

		if (sql->sub_select[s_] == NULL || n == 0)
			continue;
		p = palloc(sizeof(ArrayParam) * (sr->ncols + 1));
		param_init(&del, TEXTOID, n);
		param_init(&p[0], TEXTOID, 16);
		for (i = 0; i < sr->ncols; i++)
			param_init(&p[i + 1], col_type(sr->cols[i].kind), 16);
		for (k = 0; k < n; k++)
		{
			const bounce_addr *st = &a[k]->state;
			bool		rewrite = a[k]->exists &&
				(a[k]->refold || (sr->removable && st->retries_removed));

			if (rewrite)
				param_add_text(&del, a[k]->address);
			for (r = 0; r < SUB_LEN(sr, st); r++)
			{
				char	   *e = SUB_ELEM(sr, st, r);

				if (!rewrite && !SUB_CHANGED(sr, e))
					continue;
				param_add_text(&p[0], a[k]->address);
				for (i = 0; i < sr->ncols; i++)
					param_add_field(&p[i + 1], &sr->cols[i], e);
			}
		}
		if (del.n > 0)
			exec_params(sql->sub_delete[s_], &del, 1, SPI_OK_DELETE);
		if (p[0].n > 0)
			exec_params(sql->sub_upsert[s_], p, sr->ncols + 1, SPI_OK_INSERT);
	}
}

/* ------------------------------------------------------------------------
 * Refold: the whole log of some addresses, in folding order
 * ------------------------------------------------------------------------
 */
#define LOG_FETCH 4096

/* Fold a run of one address's log entries into its state. */
static void
refold_run(FoldAddr *fa, bounce_entry *run, int n, const bounce_policy *p,
		   const bounce_allocator *al)
{
	size_t		failed = 0;
	bounce_fold_status st;

	if (n == 0)
		return;
	st = bounce_policy_fold(&fa->state, run, n, p, al, &failed);
	if (st != BOUNCE_FOLD_OK)
		bounce_fold_error(st, fa, &run[failed], p);
}

/*
 * The working state of each address becomes its baseline (or a fresh
 * state) folded with its log entries before 'before' (DT_NOEND: all).
 * The log is read through a cursor the executor sorts, a batch at a
 * time, so a long log costs no memory per entry.  'a' is in lock order,
 * as the log comes.  Also reads each address's log_id_until.
 */
void
bounce_store_fold_log(FoldAddr **a, int n, TimestampTz before, const bounce_policy *p,
					  const bounce_allocator *al, StrMap *campaigns)
{
	ArrayParam	keys;
	Oid			argtypes[2] = {TEXTARRAYOID, TIMESTAMPTZOID};
	Datum		args[2];
	Portal		portal;
	bounce_entry *run = palloc(sizeof(bounce_entry) * LOG_FETCH);
	int			nrun = 0;
	int			cur = 0;
	int			k;

	if (n == 0)
		return;
	build_sql();
	param_init(&keys, TEXTOID, n);
	for (k = 0; k < n; k++)
	{
		param_add_text(&keys, a[k]->address);
		bounce_addr_init(&a[k]->state);
		a[k]->has_baseline = false;
		a[k]->base_log_id = 0;
	}
	if (sql->baselines)
		load_states(sql->base_select, true, a, n, true, al);
	args[0] = param_array(&keys);
	args[1] = TimestampTzGetDatum(before);
	portal = SPI_cursor_open_with_args(NULL, sql->log_select, 2, argtypes, args, NULL,
									   store_read_only, 0);

	for (;;)
	{
		uint64		j;
		SPITupleTable *tt;

		CHECK_FOR_INTERRUPTS();
		SPI_cursor_fetch(portal, true, LOG_FETCH);
		if (SPI_processed == 0)
			break;
		tt = SPI_tuptable;
		for (j = 0; j < SPI_processed; j++)
		{
			HeapTuple	t = tt->vals[j];
			TupleDesc	d = tt->tupdesc;
			bool		isnull;
			char	   *addr = TextDatumGetCString(SPI_getbinval(t, d, 1, &isnull));
			bounce_entry *e;
			Datum		v;

			/* the log comes in the order of 'a': move on to its address */
			while (cur < n && strcmp(a[cur]->address, addr) != 0)
			{
				refold_run(a[cur], run, nrun, p, al);
				nrun = 0;
				cur++;
			}
			if (cur == n)
				elog(ERROR, "bounce: the log of \"%s\" came out of order", addr);
			pfree(addr);
			if (nrun == LOG_FETCH)
			{
				refold_run(a[cur], run, nrun, p, al);
				nrun = 0;
			}
			e = &run[nrun++];
			memset(e, 0, sizeof(*e));
			e->kind = (bounce_entry_kind) DatumGetInt32(SPI_getbinval(t, d, 2, &isnull));
			e->at = DatumGetTimestampTz(SPI_getbinval(t, d, 3, &isnull));
			e->id = DatumGetInt64(SPI_getbinval(t, d, 4, &isnull));
			v = SPI_getbinval(t, d, 5, &isnull);
			if (!isnull)
			{
				text	   *c = DatumGetTextPP(v);

				(void) strmap_slot(campaigns, VARDATA_ANY(c), VARSIZE_ANY_EXHDR(c), &e->campaign);
			}
			v = SPI_getbinval(t, d, 6, &isnull);
			if (!isnull)
				e->cls = (bounce_class) Max(bounce_class_from_datum(v), 0);
			v = SPI_getbinval(t, d, 7, &isnull);
			if (!isnull)
				e->reason = (bounce_reason) Max(bounce_reason_from_datum(v), 0);
			v = SPI_getbinval(t, d, 8, &isnull);
			if (!isnull)
				e->note = TextDatumGetCString(v);	/* manual entries: few */
			if (e->kind == BOUNCE_ENTRY_SUPPRESS || e->kind == BOUNCE_ENTRY_UNSUPPRESS)
				a[cur]->log_id_seen = Max(a[cur]->log_id_seen, e->id);
		}
		SPI_freetuptable(tt);
	}
	SPI_cursor_close(portal);
	if (cur < n)
		refold_run(a[cur], run, nrun, p, al);
	for (k = 0; k < n; k++)
		(void) bounce_policy_fold(&a[k]->state, NULL, 0, p, al, NULL);	/* next_retry_at */
}

/*
 * The state of each address becomes the fold of its whole log (from its
 * baseline), handed-out retries kept (bounce_policy_keep_handouts).
 */
void
bounce_store_refold(FoldAddr **a, int n, const bounce_policy *p,
					const bounce_allocator *al, StrMap *campaigns)
{
	int			k;

	bounce_store_fold_log(a, n, DT_NOEND, p, al, campaigns);
	for (k = 0; k < n; k++)
		bounce_policy_keep_handouts(&a[k]->state, &a[k]->stored);
}

/*
 * The working state of each address is its new baseline (a prune up to
 * 'before'): written with its retries over the old one.
 */
void
bounce_store_write_baselines(FoldAddr **a, int n, TimestampTz before, const int64 *log_id_until)
{
	ArrayParam *p;
	ArrayParam	del;
	int			i,
				k,
				s_;
	size_t		j;

	if (n == 0)
		return;
	build_sql();
	if (!sql->baselines)
		elog(ERROR, "bounce: this install has no bounce.baselines (ALTER EXTENSION bounce UPDATE)");
	p = state_params(a, n);
	p = repalloc(p, sizeof(ArrayParam) * (sql->naddr + 3));
	param_init(&p[sql->naddr + 1], TIMESTAMPTZOID, n);
	param_init(&p[sql->naddr + 2], INT8OID, n);
	param_init(&del, TEXTOID, n);
	for (k = 0; k < n; k++)
	{
		param_add(&p[sql->naddr + 1], TimestampTzGetDatum(before), false);
		param_add(&p[sql->naddr + 2], Int64GetDatum(log_id_until[k]), false);
		param_add_text(&del, a[k]->address);
	}
	exec_params(sql->base_upsert, p, sql->naddr + 3, SPI_OK_INSERT);

	for (s_ = 0; s_ < (int) NSUB; s_++)
	{
		const SubRows *sr = &sub_rows[s_];
		ArrayParam *r;

		if (sql->base_sub_select[s_] == NULL)
			continue;
		r = palloc(sizeof(ArrayParam) * (sr->ncols + 1));
		param_init(&r[0], TEXTOID, 16);
		for (i = 0; i < sr->ncols; i++)
			param_init(&r[i + 1], col_type(sr->cols[i].kind), 16);
		for (k = 0; k < n; k++)
			for (j = 0; j < SUB_LEN(sr, &a[k]->state); j++)
			{
				param_add_text(&r[0], a[k]->address);
				for (i = 0; i < sr->ncols; i++)
					param_add_field(&r[i + 1], &sr->cols[i], SUB_ELEM(sr, &a[k]->state, j));
			}
		exec_params(sql->base_sub_delete[s_], &del, 1, SPI_OK_DELETE);
		if (r[0].n > 0)
			exec_params(sql->base_sub_insert[s_], r, sr->ncols + 1, SPI_OK_INSERT);
	}
}

/* ------------------------------------------------------------------------
 * The metrics' counters
 * ------------------------------------------------------------------------
 *
 * campaign_stats, domain_stats and soft_to_hard read counters, not the
 * log: each fold adds what it changed (the difference between an
 * address's campaigns before and after) to rows keyed by this backend's
 * slot (bucket), so two writers never touch the same counter row: no
 * waits, no deadlocks, no serialization failures at REPEATABLE READ.
 * The views sum the buckets.
 */
typedef struct CountDelta
{
	const char *campaign;
	const char *domain;			/* NULL: the campaign's row */
	int64		addresses;
	int64		bounced;
	int64		hard;
	int64		soft;
	int64		sender_side;
} CountDelta;

static CountDelta *
delta_of(StrMap *m, const char *campaign, const char *domain)
{
	char	   *key = domain ? psprintf("%s%c%s", campaign, '\001', domain) : (char *) campaign;
	const char *kept;
	void	  **slot = strmap_slot(m, key, strlen(key), &kept);

	if (*slot == NULL)
	{
		CountDelta *d = palloc0(sizeof(CountDelta));

		d->campaign = campaign;
		d->domain = domain;
		*slot = d;
	}
	return (CountDelta *) *slot;
}

/* old -> new of one campaign of an address (old or new may be absent). */
static void
add_delta(CountDelta *d, const bounce_campaign_state *o, const bounce_campaign_state *n)
{
	d->addresses += (n != NULL) - (o != NULL);
	d->bounced += (n && n->worst > BOUNCE_CLASS_NONE) - (o && o->worst > BOUNCE_CLASS_NONE);
	d->hard += (n && n->worst == BOUNCE_CLASS_HARD) - (o && o->worst == BOUNCE_CLASS_HARD);
	d->soft += (n && n->worst == BOUNCE_CLASS_SOFT) - (o && o->worst == BOUNCE_CLASS_SOFT);
	d->sender_side += (n ? n->sender_side : 0) - (o ? o->sender_side : 0);
}

static const bounce_campaign_state *
find_campaign(const bounce_addr *a, const char *campaign)
{
	size_t		i;

	for (i = 0; i < a->ncampaigns; i++)
		if (strcmp(a->campaigns[i].campaign, campaign) == 0)
			return &a->campaigns[i];
	return NULL;
}

static void
count_pair(StrMap *m, const char *domain, const bounce_campaign_state *o,
		   const bounce_campaign_state *n)
{
	const char *campaign = n ? n->campaign : o->campaign;

	if (o && n && o->worst == n->worst && o->sender_side == n->sender_side)
		return;
	add_delta(delta_of(m, campaign, NULL), o, n);
	add_delta(delta_of(m, campaign, domain), o, n);
}

/* Upsert one table's deltas into this backend's bucket. */
static void
write_deltas(CountDelta **d, int n, bool domains)
{
	ArrayParam	p[7];
	int			k;
	int			np = domains ? 7 : 5;

	param_init(&p[0], TEXTOID, n);
	if (domains)
		param_init(&p[1], TEXTOID, n);
	for (k = domains ? 2 : 1; k < np; k++)
		param_init(&p[k], INT8OID, n);
	for (k = 0; k < n; k++)
	{
		int			c = 0;

		param_add_text(&p[c++], d[k]->campaign);
		if (domains)
			param_add_text(&p[c++], d[k]->domain);
		param_add(&p[c++], Int64GetDatum(d[k]->addresses), false);
		param_add(&p[c++], Int64GetDatum(d[k]->bounced), false);
		param_add(&p[c++], Int64GetDatum(d[k]->hard), false);
		param_add(&p[c++], Int64GetDatum(d[k]->soft), false);
		if (domains)
			param_add(&p[c++], Int64GetDatum(d[k]->sender_side), false);
	}
	if (domains)
		exec_params(psprintf("INSERT INTO bounce.domain_counts AS t (campaign, domain, bucket,"
							 " addresses, bounced, hard, soft, sender_side)"
							 " SELECT u.c, u.d, %d, u.a, u.b, u.h, u.s, u.x FROM ROWS FROM"
							 " (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3),"
							 " pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6),"
							 " pg_catalog.unnest($7)) AS u(c, d, a, b, h, s, x)"
							 " ORDER BY u.c, u.d"
							 " ON CONFLICT (campaign, domain, bucket) DO UPDATE SET"
							 " addresses = t.addresses OPERATOR(pg_catalog.+) EXCLUDED.addresses,"
							 " bounced = t.bounced OPERATOR(pg_catalog.+) EXCLUDED.bounced,"
							 " hard = t.hard OPERATOR(pg_catalog.+) EXCLUDED.hard,"
							 " soft = t.soft OPERATOR(pg_catalog.+) EXCLUDED.soft,"
							 " sender_side = t.sender_side OPERATOR(pg_catalog.+) EXCLUDED.sender_side",
							 bounce_shard_bucket(BOUNCE_MY_PROC_NUMBER)), p, 7, SPI_OK_INSERT);
	else
		exec_params(psprintf("INSERT INTO bounce.campaign_counts AS t (campaign, bucket,"
							 " addresses, bounced, hard, soft)"
							 " SELECT u.c, %d, u.a, u.b, u.h, u.s FROM ROWS FROM"
							 " (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3),"
							 " pg_catalog.unnest($4), pg_catalog.unnest($5)) AS u(c, a, b, h, s)"
							 " ORDER BY u.c"
							 " ON CONFLICT (campaign, bucket) DO UPDATE SET"
							 " addresses = t.addresses OPERATOR(pg_catalog.+) EXCLUDED.addresses,"
							 " bounced = t.bounced OPERATOR(pg_catalog.+) EXCLUDED.bounced,"
							 " hard = t.hard OPERATOR(pg_catalog.+) EXCLUDED.hard,"
							 " soft = t.soft OPERATOR(pg_catalog.+) EXCLUDED.soft",
							 bounce_shard_bucket(BOUNCE_MY_PROC_NUMBER)), p, 5, SPI_OK_INSERT);
}

/*
 * Add what the given addresses' folds changed ('stored' -> 'state') to the
 * counters: per campaign, per campaign and recipient domain, and the
 * address totals of soft_to_hard.
 */
void
bounce_store_count(FoldAddr **a, int n)
{
	StrMap	   *m;
	CountDelta **d;
	CountDelta **dd;
	int			nd = 0,
				ndd = 0,
				k;
	int64		soft_addresses = 0,
				promoted = 0;
	size_t		i;

	build_sql();
	if (!sql->counts || n == 0)
		return;
	m = strmap_create(CurrentMemoryContext, 64);
	for (k = 0; k < n; k++)
	{
		const bounce_addr *o = &a[k]->stored;
		const bounce_addr *s = &a[k]->state;
		const char *at = strrchr(a[k]->address, '@');
		const char *domain = at ? at + 1 : "";

		for (i = 0; i < s->ncampaigns; i++)
			count_pair(m, domain, find_campaign(o, s->campaigns[i].campaign), &s->campaigns[i]);
		for (i = 0; i < o->ncampaigns; i++)
			if (find_campaign(s, o->campaigns[i].campaign) == NULL)
				count_pair(m, domain, &o->campaigns[i], NULL);
		soft_addresses += (s->soft_total > 0) - (o->soft_total > 0);
		promoted += (s->promoted_at != BOUNCE_TIME_NONE) - (o->promoted_at != BOUNCE_TIME_NONE);
	}
	d = palloc(sizeof(CountDelta *) * Max(strmap_count(m), 1));
	dd = palloc(sizeof(CountDelta *) * Max(strmap_count(m), 1));
	{
		void	  **all = palloc(sizeof(void *) * Max(strmap_count(m), 1));
		int			nall = strmap_values(m, all);

		for (k = 0; k < nall; k++)
		{
			CountDelta *x = (CountDelta *) all[k];

			if (x->domain)
				dd[ndd++] = x;
			else
				d[nd++] = x;
		}
	}
	if (nd > 0)
		write_deltas(d, nd, false);
	if (ndd > 0)
		write_deltas(dd, ndd, true);
	if (soft_addresses != 0 || promoted != 0)
	{
		Oid			types[2] = {INT8OID, INT8OID};
		Datum		vals[2] = {Int64GetDatum(soft_addresses), Int64GetDatum(promoted)};

		if (SPI_execute_with_args(psprintf("INSERT INTO bounce.address_counts AS t (bucket, soft_addresses, promoted)"
										   " VALUES (%d, $1, $2) ON CONFLICT (bucket) DO UPDATE SET"
										   " soft_addresses = t.soft_addresses OPERATOR(pg_catalog.+) EXCLUDED.soft_addresses,"
										   " promoted = t.promoted OPERATOR(pg_catalog.+) EXCLUDED.promoted",
										   bounce_shard_bucket(BOUNCE_MY_PROC_NUMBER)),
								  2, types, vals, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "bounce: could not count into bounce.address_counts");
	}
}
