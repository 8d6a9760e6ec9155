/*
 * dsn_base.c - what every module of the delivery report reader builds on:
 * the row table (in the arena, growing as needed: no cap on recipients),
 * trimmed copies, the addresses of a row as bounce.events keys them, the
 * signs of a text (phrases.h) and decoded header values.
 */
#include "dsn_base.h"

/* White space of any kind found in header values. */
static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ASCII lower case of a byte. */
static inline char
lc(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c + 32) : c;
}

/*
 * Append an empty row, growing the table (doubling, in the arena) when it
 * is full; NULL only when the arena is exhausted, which is then recorded.
 */
bounce_dsn_rcpt *
dsn_add_row(dsn_ctx *c)
{
	bounce_dsn_rcpt *r;

	if (c->nrows == c->cap_rows)
	{
		int			cap = c->cap_rows ? c->cap_rows * 2 : 16;
		bounce_dsn_rcpt *rows = (bounce_dsn_rcpt *)
			bounce_arena_alloc(c->arena, sizeof(bounce_dsn_rcpt) * (size_t) cap);
		const char **fields = (const char **)
			bounce_arena_alloc(c->arena, sizeof(char *) * (size_t) cap);

		if (rows == NULL || fields == NULL)
		{
			c->out_of_memory = true;
			return NULL;
		}
		if (c->nrows > 0)
		{
			memcpy(rows, c->rows, sizeof(bounce_dsn_rcpt) * (size_t) c->nrows);
			memcpy(fields, c->status_fields, sizeof(char *) * (size_t) c->nrows);
		}
		c->rows = rows;
		c->status_fields = fields;
		c->cap_rows = cap;
	}
	r = &c->rows[c->nrows];
	memset(r, 0, sizeof(*r));
	c->status_fields[c->nrows] = NULL;
	c->nrows++;
	return r;
}


/* The name of an evidence kind; see dsn.h. */
const char *
bounce_dsn_evidence_name(bounce_dsn_evidence e)
{
	switch (e)
	{
		case BOUNCE_EVIDENCE_REPORT:
			return "report";
		case BOUNCE_EVIDENCE_FAILED_HEADER:
			return "x-failed-recipients";
		case BOUNCE_EVIDENCE_PROSE:
			return "prose";
		case BOUNCE_EVIDENCE_TRANSCRIPT:
			return "transcript";
		case BOUNCE_EVIDENCE_ENVELOPE:
			return "envelope";
		case BOUNCE_EVIDENCE_RETURNED_TO:
			return "returned-to";
		case BOUNCE_EVIDENCE_FEEDBACK:
			return "feedback-report";
		case BOUNCE_EVIDENCE_JSON:
			return "json";
		case BOUNCE_EVIDENCE_SENDER:
			return "auto-reply-sender";
		case BOUNCE_EVIDENCE_NOTICE:
			return "notice";
		case BOUNCE_EVIDENCE_VERP:
			return "verp";
	}
	return "report";
}

/* Trimmed copy of a span in the arena; NULL when empty. */
const char *
dsn_strdup_trim(dsn_ctx *c, const char *s, size_t len)
{
	while (len > 0 && is_space(*s))
	{
		s++;
		len--;
	}
	while (len > 0 && is_space(s[len - 1]))
		len--;
	if (len == 0)
		return NULL;
	return bounce_arena_strdup(c->arena, s, len);
}
/* ASCII case-insensitive equality of two spans of n bytes. */
bool
dsn_span_ieq(const char *a, const char *b, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (lc(a[i]) != lc(b[i]))
			return false;
	return true;
}


/* The fields dsn_header() answers from its one pass; others are looked up. */
static const char *const field_names[DSN_NFIELDS] = {
	"Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted", "X-Autoreply",
	"X-Autorespond", "Precedence", "Return-Path", "X-Failed-Recipients"
};

/*
 * A top-level header field of the notice, unfolded (NULL when absent).
 * The reader asks for the same few fields many times per message: they
 * are found in one pass over the header block, and unfolded once each.
 */
const char *
dsn_header(dsn_ctx *c, const char *name, size_t *len)
{
	int			k;

	for (k = 0; k < DSN_NFIELDS && strcmp(field_names[k], name) != 0; k++)
		;
	if (k == DSN_NFIELDS)
		return bounce_header_get(c->hdrs, c->hdrs_len, name, c->arena, len);
	if (!c->fields_read)
	{
		bounce_field_iter it;
		int			j;

		c->fields_read = true;
		bounce_field_iter_init(&it, c->hdrs, c->hdrs_len);
		while (bounce_field_next(&it) && !it.blank)
			for (j = 0; j < DSN_NFIELDS; j++)
				if (c->field_raw[j].p == NULL && bounce_field_is(&it, field_names[j]))
				{
					c->field_raw[j].p = it.value;
					c->field_raw[j].len = it.value_len;
				}
	}
	if (!c->field_done[k] && c->field_raw[k].p)
	{
		char	   *out = bounce_arena_alloc(c->arena, c->field_raw[k].len + 1);

		if (out != NULL)
		{
			c->field[k].len = bounce_unfold(c->field_raw[k].p, c->field_raw[k].len, out);
			out[c->field[k].len] = '\0';
			c->field[k].p = out;
		}
	}
	c->field_done[k] = true;
	if (c->field[k].p && len)
		*len = c->field[k].len;
	return c->field[k].p;
}

/* A header of the notice with its RFC 2047 encoded words decoded. */
const char *
dsn_decoded_header(dsn_ctx *c, const char *name, size_t *len)
{
	const char *v = dsn_header(c, name, len);
	char	   *out;

	if (v == NULL || strstr(v, "=?") == NULL ||
		(out = bounce_arena_alloc(c->arena, *len + 1)) == NULL)
		return v;
	*len = bounce_decode_words(v, *len, out);
	out[*len] = '\0';
	return out;
}

/* The notice's decoded Subject or From, read once (NULL when absent). */
const char *
dsn_notice_header(dsn_ctx *c, bool subject, size_t *len)
{
	dsn_span   *v = subject ? &c->subject : &c->from;
	bool	   *read = subject ? &c->subject_read : &c->from_read;

	if (!*read)
	{
		v->p = dsn_decoded_header(c, subject ? "Subject" : "From", &v->len);
		*read = true;
	}
	*len = v->len;
	return v->p;
}

/* The signs (phrases.h) of a text, read as the classifier reads a reply. */
uint32_t
dsn_signs(dsn_ctx *c, const char *text, size_t len)
{
	bounce_phrase_match m;
	char	   *scratch = len > 4096 ? bounce_arena_alloc(c->arena, len) : NULL;

	bounce_words_scan(text, len, scratch, scratch ? len : 0, &m);
	return m.signs;
}

/*
 * The row's addresses as bounce.events keys them, or NULL when a value is
 * not an address (x400, a bare local part, "a..b@x"): the raw text stays
 * in the *_raw fields, so INSERT ... SELECT from parse_dsn never fails on
 * an address and nothing the report said is lost.
 */
static const char *
normalized_address(dsn_ctx *c, const char *raw)
{
	size_t		len;
	size_t		n;
	char	   *out;
	bounce_address_error err;
	size_t		pos;

	if (raw == NULL)
		return NULL;
	len = strlen(raw);
	if ((out = bounce_arena_alloc(c->arena, len + 1)) == NULL ||
		!bounce_address_normalize(raw, len, out, &n, &err, &pos))
		return NULL;
	out[n] = '\0';
	return out;
}

/* Normalize a finished row's addresses, keeping the text as written. */
void
dsn_finish_addresses(dsn_ctx *c, bounce_dsn_rcpt *r)
{
	r->recipient_raw = r->recipient;
	r->original_recipient_raw = r->original_recipient;
	r->recipient = normalized_address(c, r->recipient_raw);
	r->original_recipient = normalized_address(c, r->original_recipient_raw);
}

/* True when a value is an address bounce.events accepts. */
bool
dsn_is_valid_address(dsn_ctx *c, const char *v)
{
	size_t		len = v ? strlen(v) : 0;
	char		out[BOUNCE_ADDRESS_MAX + 16];
	size_t		n;
	bounce_address_error err;
	size_t		pos;

	(void) c;
	/* a longer value is no address: rfc822; and brackets add few bytes */
	if (len == 0 || len > sizeof(out))
		return false;
	return bounce_address_normalize(v, len, out, &n, &err, &pos);
}

/* Set up an empty address set for about 'expected' addresses; false when the arena is full. */
bool
dsn_addr_set_init(dsn_ctx *c, dsn_addr_set *set, int expected)
{
	int			i;

	set->cap = expected * 2 + 16;
	set->count = 0;
	set->a = (const char **) bounce_arena_alloc(c->arena, sizeof(char *) * (size_t) set->cap);
	set->n = (size_t *) bounce_arena_alloc(c->arena, sizeof(size_t) * (size_t) set->cap);
	if (set->a == NULL || set->n == NULL)
	{
		set->cap = 0;
		return false;
	}
	for (i = 0; i < set->cap; i++)
		set->a[i] = NULL;
	return true;
}

/* The slot of address a in the set, or the empty slot where it would go. */
static int
addr_set_slot(const dsn_addr_set *set, const char *a, size_t n)
{
	uint32_t	h = 2166136261u;
	size_t		i;
	int			slot;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char) lc(a[i])) * 16777619u;
	for (slot = (int) (h % (uint32_t) set->cap); set->a[slot] != NULL; slot = (slot + 1) % set->cap)
		if (set->n[slot] == n && dsn_span_ieq(set->a[slot], a, n))
			break;
	return slot;
}

/*
 * Add an address (case-insensitive); true when it was not there yet.  A
 * set that could not be allocated, or is full, tells every address new.
 */
bool
dsn_addr_set_add(dsn_addr_set *set, const char *a, size_t n)
{
	int			slot;

	if (set->cap == 0 || set->count * 2 >= set->cap)
		return true;
	slot = addr_set_slot(set, a, n);
	if (set->a[slot] != NULL)
		return false;
	set->a[slot] = a;
	set->n[slot] = n;
	set->count++;
	return true;
}

/* Is address a in the set (case-insensitive)? */
bool
dsn_addr_set_has(const dsn_addr_set *set, const char *a, size_t n)
{
	return set->cap > 0 && set->a[addr_set_slot(set, a, n)] != NULL;
}
