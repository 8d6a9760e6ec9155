/*
 * dsn.c - delivery report reader: finds the report parts of a message
 * (message/delivery-status, message/global-delivery-status, message/
 * feedback-report, the human-readable text, the returned original), reads
 * RFC 3464 per-recipient blocks, and turns each recipient into a row whose
 * status and reason come from the core classifier.
 *
 * The per-MTA text rules for bounces without a report part live in
 * dsn_text.c.  Nothing here allocates outside the caller's arena.
 */
#include "dsn_int.h"

#include <string.h>

/* Lower-case an ASCII byte. */
static inline char
lc(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c + 32) : c;
}

/* White space of any kind found in header values. */
static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Append a row to the table kept in the arena. */
bounce_dsn_rcpt *
dsn_add_row(dsn_ctx *c)
{
	bounce_dsn_rcpt *r;

	if (c->rows == NULL || c->nrows >= BOUNCE_DSN_MAX_RCPTS)
		return NULL;
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
	}
	return "report";
}

/* A header of the notice with its RFC 2047 encoded words decoded. */
const char *
dsn_decoded_header(dsn_ctx *c, const char *name, size_t *len)
{
	const char *v = bounce_header_get(c->hdrs, c->hdrs_len, name, c->arena, len);
	char	   *out;

	if (v == NULL || strstr(v, "=?") == NULL ||
		(out = bounce_arena_alloc(c->arena, *len + 1)) == NULL)
		return v;
	*len = bounce_decode_words(v, *len, out);
	out[*len] = '\0';
	return out;
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
 * Is the notice a delay warning?  Its Subject or its prose says the mail
 * system is still trying ("Warning: message delayed 24 hours", "has not
 * yet been delivered", "will keep trying"), and the prose does not say
 * that it gave up after all ("permanent error", "giving up").  Decided
 * for the notice as a whole, before any row is made.
 */
bool
dsn_notice_is_delay(dsn_ctx *c, const char *prose, size_t len)
{
	size_t		sl;
	const char *subject = dsn_decoded_header(c, "Subject", &sl);
	uint32_t	body = prose ? dsn_signs(c, prose, len) : 0;
	uint32_t	subj = subject ? dsn_signs(c, subject, sl) : 0;

	if (body & BOUNCE_SIGN_FINAL)
		return false;
	return ((body | subj) & BOUNCE_SIGN_DELAY) != 0;
}

/* ASCII case-insensitive equality of two spans of n bytes. */
static bool
span_ieq(const char *a, const char *b, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (lc(a[i]) != lc(b[i]))
			return false;
	return true;
}

/* Remember every address of a header value among the notice's own. */
static void
own_from_header(dsn_ctx *c, const char *h, size_t hl, const char *name)
{
	size_t		vl;
	const char *v = bounce_header_get(h, hl, name, c->arena, &vl);
	const char *a;
	size_t		n;

	while (v && c->nown < DSN_MAX_OWN && (a = bounce_address_find(v, vl, &n)) != NULL)
	{
		c->own[c->nown].p = a;
		c->own[c->nown++].len = n;
		vl -= (size_t) (a + n - v);
		v = a + n;
	}
}

/* Envelope senders of an SMTP transcript: "MAIL FROM:<a@b>" (folded or not). */
static void
own_from_transcripts(dsn_ctx *c, const char *t, size_t len)
{
	const char *p = t;
	const char *hit;

	while (c->nown < DSN_MAX_OWN && (hit = bounce_memifind(p, (size_t) (t + len - p), "from:")) != NULL)
	{
		const char *q = hit;
		const char *a;
		size_t		n;
		size_t		rest;

		/* "MAIL FROM:", "MAIL\n     FROM:": the command word before it */
		while (q > t && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r' || q[-1] == '\n'))
			q--;
		p = hit + 5;
		if (q - t < 4 || !bounce_istarts(q - 4, 4, "mail"))
			continue;
		rest = (size_t) (t + len - p);
		a = bounce_address_find(p, rest < 16 + BOUNCE_ADDRESS_MAX ? rest : 16 + BOUNCE_ADDRESS_MAX, &n);
		if (a && a - p <= 3)
		{
			c->own[c->nown].p = a;
			c->own[c->nown++].len = n;
		}
	}
}

/* The notice's own addresses, gathered once; see dsn_int.h. */
bool
dsn_is_own_address(dsn_ctx *c, const char *a, size_t n)
{
	static const char *const notice[] = {
		"From", "To", "Reply-To", "Sender", "Return-Path", "Delivered-To", NULL
	};
	static const char *const original[] = {
		"From", "Sender", "Reply-To", "Return-Path", "Errors-To", "List-Post", "List-Owner",
		"List-Unsubscribe", "List-Subscribe", "List-Help", "List-Archive", NULL
	};
	int			k;

	if (!c->own_done)
	{
		c->own_done = true;
		for (k = 0; notice[k]; k++)
			own_from_header(c, c->hdrs, c->hdrs_len, notice[k]);
		if (c->returned.p)
		{
			const char *h;
			const char *b;
			size_t		hl;
			size_t		bl;

			bounce_mime_split(c->returned.p, c->returned.len, &h, &hl, &b, &bl);
			for (k = 0; original[k]; k++)
				own_from_header(c, h, hl, original[k]);
		}
		for (k = 0; k < c->ntext; k++)
			own_from_transcripts(c, c->text_parts[k].p, c->text_parts[k].len);
	}
	if (bounce_istarts(a, n, "mailer-daemon@") || bounce_istarts(a, n, "mailer_daemon@"))
		return true;
	for (k = 0; k < c->nown; k++)
		if (c->own[k].len == n && span_ieq(c->own[k].p, a, n))
			return true;
	return false;
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

/* Value of a hex digit, -1 for anything else. */
static int
hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = lc(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/*
 * RFC 6533 utf-8 addresses in 7-bit form write each non-ASCII character as
 * "\x{HEX}": decode them into UTF-8 (a copy in the arena; the same span
 * when there is nothing to decode or the arena is full).
 */
static void
decode_embedded_unicode(dsn_ctx *c, const char **v, size_t *len)
{
	const char *s = *v;
	size_t		n = *len;
	char	   *out;
	size_t		o = 0;
	size_t		i;

	if (bounce_memifind(s, n, "\\x{") == NULL)
		return;
	/* a code point of up to 6 hex digits takes 4 bytes, its escape 5+ */
	if ((out = bounce_arena_alloc(c->arena, n + 1)) == NULL)
		return;
	for (i = 0; i < n; i++)
	{
		unsigned long cp = 0;
		size_t		j = i + 3;
		int			d;

		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' && s[i + 2] == '{')
		{
			while (j < n && j < i + 9 && (d = hex_digit(s[j])) >= 0)
			{
				cp = cp * 16 + (unsigned long) d;
				j++;
			}
			if (j < n && s[j] == '}' && j > i + 3 && cp > 0 && cp <= 0x10FFFF &&
				!(cp >= 0xD800 && cp <= 0xDFFF))
			{
				if (cp < 0x80)
					out[o++] = (char) cp;
				else if (cp < 0x800)
				{
					out[o++] = (char) (0xC0 | (cp >> 6));
					out[o++] = (char) (0x80 | (cp & 0x3F));
				}
				else if (cp < 0x10000)
				{
					out[o++] = (char) (0xE0 | (cp >> 12));
					out[o++] = (char) (0x80 | ((cp >> 6) & 0x3F));
					out[o++] = (char) (0x80 | (cp & 0x3F));
				}
				else
				{
					out[o++] = (char) (0xF0 | (cp >> 18));
					out[o++] = (char) (0x80 | ((cp >> 12) & 0x3F));
					out[o++] = (char) (0x80 | ((cp >> 6) & 0x3F));
					out[o++] = (char) (0x80 | (cp & 0x3F));
				}
				i = j;
				continue;
			}
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	*v = out;
	*len = o;
}

/* Length of the UTF-8 sequence a lead byte starts (0: not a lead byte). */
static int
utf8_length(unsigned char b)
{
	return b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 :
		b >= 0xF0 && b <= 0xF4 ? 4 : 0;
}

/* The byte an xtext escape "+XX" at s[i] stands for; -1 when there is none. */
static int
xtext_byte(const char *s, size_t n, size_t i)
{
	int			hi;
	int			lo;

	if (i + 2 >= n || s[i] != '+')
		return -1;
	hi = hex_digit(s[i + 1]);
	lo = hex_digit(s[i + 2]);
	/* RFC 3461: upper-case hex only */
	if (hi < 0 || lo < 0 || (s[i + 1] >= 'a' && s[i + 1] <= 'f') ||
		(s[i + 2] >= 'a' && s[i + 2] <= 'f'))
		return -1;
	return hi * 16 + lo;
}

/*
 * Original-Recipient comes from the ORCPT parameter, which RFC 3461 writes
 * as xtext: "+XX" (two upper-case hex digits) for "+", "=" and any byte
 * outside "!".."~".  Some MTAs copy the value decoded, so a "+XX" is only
 * taken for an escape when it could not be literal text: "+2B" and "+3D",
 * or a run of escapes that spells a whole UTF-8 character ("+C3+A9").  A
 * tag such as "user+AB@" stays as written.
 */
static void
decode_xtext(dsn_ctx *c, const char **v, size_t *len)
{
	const char *s = *v;
	size_t		n = *len;
	char	   *out;
	size_t		o = 0;
	size_t		i;

	if (memchr(s, '+', n) == NULL)
		return;
	if ((out = bounce_arena_alloc(c->arena, n + 1)) == NULL)
		return;
	for (i = 0; i < n; i++)
	{
		int			b = xtext_byte(s, n, i);
		int			want = b == '+' || b == '=' ? 1 : b > 0 ? utf8_length((unsigned char) b) : 0;
		int			k;

		/* a lead byte needs its continuation bytes, escaped too */
		for (k = 1; k < want; k++)
		{
			int			cb = xtext_byte(s, n, i + 3 * (size_t) k);

			if (cb < 0 || (cb & 0xC0) != 0x80)
				break;
		}
		if (want == 0 || k < want)
		{
			out[o++] = s[i];
			continue;
		}
		for (k = 0; k < want; k++)
			out[o++] = (char) xtext_byte(s, n, i + 3 * (size_t) k);
		i += 3 * (size_t) want - 1;
	}
	out[o] = '\0';
	*v = out;
	*len = o;
}

/*
 * Strip an "rfc822;" style type prefix and brackets from an address value;
 * 'xtext' for Original-Recipient, whose rfc822 value is xtext-encoded.
 */
static const char *
address_value(dsn_ctx *c, const char *v, size_t len, bool xtext)
{
	const char *semi = memchr(v, ';', len);
	const char *at = memchr(v, '@', len);
	const char *addr;
	size_t		alen;

	if (semi && (at == NULL || semi < at))
	{
		const char *type = v;
		size_t		tl = (size_t) (semi - v);

		while (tl > 0 && is_space(type[tl - 1]))
			tl--;
		while (tl > 0 && is_space(*type))
		{
			type++;
			tl--;
		}
		len -= (size_t) (semi + 1 - v);
		v = semi + 1;
		if (bounce_ieq(type, tl, "utf-8"))
			decode_embedded_unicode(c, &v, &len);
		else if (xtext && bounce_ieq(type, tl, "rfc822"))
			decode_xtext(c, &v, &len);
	}
	addr = bounce_address_find(v, len, &alen);
	if (addr)
		return bounce_arena_strdup(c->arena, addr, alen);
	/* no address shape (x400, redacted): keep the value, without brackets */
	while (len > 0 && (is_space(*v) || *v == '<'))
	{
		v++;
		len--;
	}
	while (len > 0 && (is_space(v[len - 1]) || v[len - 1] == '>'))
		len--;
	return dsn_strdup_trim(c, v, len);
}

/* Value after "type;" (Remote-MTA, Reporting-MTA), else the whole value. */
static const char *
typed_value(dsn_ctx *c, const char *v, size_t len)
{
	const char *semi = memchr(v, ';', len);

	if (semi)
	{
		len -= (size_t) (semi + 1 - v);
		v = semi + 1;
	}
	return dsn_strdup_trim(c, v, len);
}

/* Unfolded copy of a raw field value in the arena. */
static const char *
unfolded(dsn_ctx *c, const char *v, size_t len)
{
	char	   *out = bounce_arena_alloc(c->arena, len + 1);
	size_t		n;

	if (out == NULL)
		return NULL;
	n = bounce_unfold(v, len, out);
	out[n] = '\0';
	return n ? out : NULL;
}

/* Lower-cased unfolded copy (Action values are case-insensitive). */
static const char *
lowered(dsn_ctx *c, const char *v, size_t len)
{
	char	   *s = (char *) unfolded(c, v, len);
	char	   *p;

	if (s == NULL)
		return NULL;
	for (p = s; *p; p++)
		*p = lc(*p);
	/* keep the first word only: "failed (permanent)" */
	for (p = s; *p; p++)
		if (is_space(*p) || *p == '(' || *p == ';')
		{
			*p = '\0';
			break;
		}
	return s[0] ? s : NULL;
}

/* Does any per-recipient field of the row hold a value already? */
static bool
row_started(const bounce_dsn_rcpt *r, const char *status_field)
{
	return r->recipient || r->original_recipient || r->action ||
		r->diagnostic || r->remote_mta || r->last_attempt || status_field;
}

/*
 * Read one message/delivery-status body: the per-message block, then one
 * row per recipient block.  A blank line ends a block; a second
 * Final-Recipient (or a second Original-Recipient) also starts a new row,
 * for reports that forget the blank line.
 */
static void
read_status_part(dsn_ctx *c, const char *body, size_t len)
{
	bounce_field_iter it;
	const char *n;
	const char *v;
	size_t		nl;
	size_t		vl;
	bool		blank;
	const char *reporting_mta = NULL;
	const char *arrival = NULL;
	bounce_dsn_rcpt *cur = NULL;
	int			first_row = c->nrows;
	int			i;

	bounce_field_iter_init(&it, body, len);
	while (bounce_field_next(&it, &n, &nl, &v, &vl, &blank))
	{
		bool		rcpt_field =
		bounce_ieq(n, nl, "Final-Recipient") || bounce_ieq(n, nl, "Original-Recipient") ||
		bounce_ieq(n, nl, "Action") || bounce_ieq(n, nl, "Status") ||
		bounce_ieq(n, nl, "Remote-MTA") || bounce_ieq(n, nl, "Diagnostic-Code") ||
		bounce_ieq(n, nl, "Last-Attempt-Date") || bounce_ieq(n, nl, "X-Actual-Recipient");

		if (blank && cur && row_started(cur, c->status_fields[cur - c->rows]))
			cur = NULL;
		if (!rcpt_field)
		{
			if (bounce_ieq(n, nl, "Reporting-MTA"))
				reporting_mta = typed_value(c, v, vl);
			else if (bounce_ieq(n, nl, "Arrival-Date"))
				arrival = unfolded(c, v, vl);
			continue;
		}
		if (cur && ((bounce_ieq(n, nl, "Final-Recipient") && cur->recipient) ||
					(bounce_ieq(n, nl, "Original-Recipient") && cur->original_recipient)))
			cur = NULL;
		if (cur == NULL && (cur = dsn_add_row(c)) == NULL)
			return;
		if (bounce_ieq(n, nl, "Final-Recipient"))
			cur->recipient = address_value(c, v, vl, false);
		else if (bounce_ieq(n, nl, "X-Actual-Recipient"))
		{
			const char *t = typed_value(c, v, vl);

			/* Sendmail names a local delivery program "|cmd" (or "X-Unix; |cmd") */
			if (t && (t[0] == '|' || bounce_istarts(v, vl, "x-unix")))
				c->to_program = true;
			if (cur->recipient == NULL)
				cur->recipient = address_value(c, v, vl, false);
		}
		else if (bounce_ieq(n, nl, "Original-Recipient"))
			cur->original_recipient = address_value(c, v, vl, true);
		else if (bounce_ieq(n, nl, "Action"))
			cur->action = lowered(c, v, vl);
		else if (bounce_ieq(n, nl, "Status"))
			c->status_fields[cur - c->rows] = unfolded(c, v, vl);
		else if (bounce_ieq(n, nl, "Remote-MTA"))
			cur->remote_mta = typed_value(c, v, vl);
		else if (bounce_ieq(n, nl, "Diagnostic-Code"))
			cur->diagnostic = unfolded(c, v, vl);
		else if (bounce_ieq(n, nl, "Last-Attempt-Date"))
			cur->last_attempt = unfolded(c, v, vl);
	}

	/* per-message values apply to every row of this part */
	for (i = first_row; i < c->nrows; i++)
	{
		bounce_dsn_rcpt *r = &c->rows[i];

		r->kind = BOUNCE_DSN_REPORT;
		if (r->reporting_mta == NULL)
			r->reporting_mta = reporting_mta;
		if (r->recipient == NULL)
			r->recipient = r->original_recipient;
		if (r->last_attempt == NULL)
			r->last_attempt = arrival;
	}
	/* drop rows that name nobody and say nothing (junk between blocks) */
	{
		int			o = first_row;

		for (i = first_row; i < c->nrows; i++)
		{
			bounce_dsn_rcpt *r = &c->rows[i];

			if (r->recipient == NULL && r->action == NULL &&
				c->status_fields[i] == NULL && r->diagnostic == NULL)
				continue;
			if (o != i)
			{
				c->rows[o] = *r;
				c->status_fields[o] = c->status_fields[i];
			}
			o++;
		}
		c->nrows = o;
	}
}

/* Parse "d.ddd.ddd" at the start of s (after white space). */
static bool
parse_enhanced(const char *s, uint8_t *cls, uint16_t *subject, uint16_t *detail)
{
	int			v[3] = {0, 0, 0};
	int			k;

	if (s == NULL)
		return false;
	while (is_space(*s) || *s == '#')
		s++;
	for (k = 0; k < 3; k++)
	{
		int			nd = 0;

		while (*s >= '0' && *s <= '9' && nd < 4)
		{
			v[k] = v[k] * 10 + (*s - '0');
			s++;
			nd++;
		}
		if (nd == 0 || nd > 3 || (k == 0 && nd != 1))
			return false;
		if (k < 2)
		{
			if (*s != '.')
				return false;
			s++;
		}
	}
	if (*s >= '0' && *s <= '9')
		return false;
	if (!bounce_enhanced_valid(v[0], v[1], v[2]))
		return false;
	*cls = (uint8_t) v[0];
	*subject = (uint16_t) v[1];
	*detail = (uint16_t) v[2];
	return true;
}

/* True when a text (NULL: none) gives one of the signs. */
static bool
says(dsn_ctx *c, const char *d, size_t dl, uint32_t signs)
{
	return d != NULL && dl > 0 && (dsn_signs(c, d, dl) & signs) != 0;
}

/* The signs of the notice's own prose (its first text part, before the returned copy). */
static uint32_t
prose_signs(dsn_ctx *c)
{
	if (!c->prose_read)
	{
		c->prose_read = true;
		if (c->ntext > 0)
			c->prose_signs = dsn_signs(c, c->text_parts[0].p,
									   dsn_text_prose_len(c->text_parts[0].p, c->text_parts[0].len));
	}
	return c->prose_signs;
}

/* The SMTP phase of a row's failure: its own reply first, then the prose. */
static dsn_phase
row_phase(dsn_ctx *c, const bounce_dsn_rcpt *r)
{
	dsn_phase	p = DSN_PHASE_UNKNOWN;
	int			k;

	if (r->diagnostic)
		p = dsn_text_phase_in(r->diagnostic, strlen(r->diagnostic));
	for (k = 0; k < c->ntext && p == DSN_PHASE_UNKNOWN; k++)
		p = dsn_text_phase_for(c->text_parts[k].p, c->text_parts[k].len, r->recipient,
							   c->returned.p != NULL);
	return p;
}


/* True when a text counts the delivery attempts made ("failed 20 attempts"). */
static bool
says_attempts(const char *d, size_t dl)
{
	const char *p = d;
	size_t		left = dl;
	const char *hit;

	while (p && (hit = bounce_memifind(p, left, " attempts")) != NULL)
	{
		if (hit > d && hit[-1] >= '0' && hit[-1] <= '9')
			return true;
		left -= (size_t) (hit + 9 - p);
		p = hit + 9;
	}
	return false;
}

/*
 * True when a row's failure came from a local delivery program (a pipe,
 * procmail, a .forward command) rather than from a mail server: its
 * Diagnostic-Code is of type X-Unix, or the report names a "|command"
 * recipient (Sendmail's X-Actual-Recipient, Exim's "pipe to |cmd").
 */
static bool
from_program(dsn_ctx *c, const bounce_dsn_rcpt *r)
{
	int			k;

	if (r->diagnostic && bounce_istarts(r->diagnostic, strlen(r->diagnostic), "x-unix"))
		return true;
	if (c->pipe_text == 0)
	{
		/* once per message: Exim's "pipe to |cmd" in the prose */
		c->pipe_text = -1;
		for (k = 0; k < c->ntext; k++)
			if (bounce_memifind(c->text_parts[k].p, c->text_parts[k].len, "pipe to |"))
				c->pipe_text = 1;
	}
	return c->to_program || c->pipe_text > 0;
}

/*
 * The reason a program's exit status means: a bare X-Unix diagnostic is
 * the status from <sysexits.h> (EX_NOUSER 67, EX_NOHOST 68, EX_TEMPFAIL 75,
 * EX_NOPERM 77, EX_CONFIG 78 say what went wrong; the others are failures
 * of the program itself).
 */
static bounce_reason
program_reason(const char *d)
{
	const char *p = strchr(d, ';');
	int			code = 0;

	p = p ? p + 1 : d;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' &&
		(p[2] == '\0' || p[2] == ' '))
		code = (p[0] - '0') * 10 + (p[1] - '0');
	switch (code)
	{
		case 67:
			return BOUNCE_REASON_USERUNKNOWN;
		case 68:
			return BOUNCE_REASON_HOSTUNKNOWN;
		case 75:
		case 77:
		case 78:
			return BOUNCE_REASON_SYSTEMERROR;
		default:
			return BOUNCE_REASON_MAILERERROR;
	}
}

/*
 * What the report says beyond the reply itself, which bounce.classify()
 * cannot know:
 *  - a "user unknown" that answered DATA, when no x.1.x code backs it, is
 *    a filter's refusal of the message: the recipient had been accepted at
 *    RCPT TO, where a missing mailbox is reported (RFC 5321 3.3);
 *  - a failure of a local delivery program is a mailer error;
 *  - a refusal in words no more precise than "rejected" at the greeting
 *    or EHLO, before any sender or recipient was named, is about the
 *    sending host: blocked;
 *  - an unknown mailbox or domain answering MAIL FROM is the sender's
 *    (the only address named so far): rejected, not a fault of the
 *    recipient's address;
 *  - a failure or delay that only says the host never answered, or how
 *    many attempts were made, means the message sat in the queue until it
 *    expired (no server judged it), and so does a delay notice whose
 *    status is a generic one;
 *  - an expiry whose stated cause is a failing DNS lookup is that network
 *    error: it will recur, however long the queue waits.
 */
static void
context_verdict(dsn_ctx *c, bounce_dsn_rcpt *r)
{
	const char *a = r->action ? r->action : "";
	bool		failed = strcmp(a, "failed") == 0;
	bool		delayed = strcmp(a, "delayed") == 0;
	const char *d = r->diagnostic;
	size_t		dl = d ? strlen(d) : 0;
	dsn_phase	phase;

	if (!failed && !delayed)
		return;
	/*
	 * A text bounce whose recipient paragraph names no cause: the notice's
	 * own words ("was not delivered within 2 days", "aborted after 5
	 * hours") may, as long as they name one.
	 */
	if (r->kind == BOUNCE_DSN_TEXT && r->verdict.reason == BOUNCE_REASON_UNDEFINED &&
		c->ntext > 0)
	{
		bounce_reply whole = r->status;
		bounce_verdict v;

		whole.text = c->text_parts[0].p;
		whole.text_len = dsn_text_prose_len(c->text_parts[0].p, c->text_parts[0].len);
		bounce_classify(&whole, &v);
		if (v.rule == BOUNCE_RULE_TEXT)
			r->verdict = v;
	}
	/* a local program failed: only a full mailbox or disk says more */
	if (from_program(c, r))
	{
		if (r->verdict.reason != BOUNCE_REASON_MAILBOXFULL &&
			r->verdict.reason != BOUNCE_REASON_SYSTEMFULL)
			r->verdict.reason = program_reason(d ? d : "");
		return;
	}
	/* the phase is only read when it can change the reason (it scans the prose) */
	phase = failed && (r->verdict.reason == BOUNCE_REASON_USERUNKNOWN ||
					   r->verdict.reason == BOUNCE_REASON_HOSTUNKNOWN ||
					   r->verdict.reason == BOUNCE_REASON_REJECTED ||
					   r->verdict.reason == BOUNCE_REASON_UNDEFINED) ?
		row_phase(c, r) : DSN_PHASE_UNKNOWN;
	if (phase == DSN_PHASE_MAIL && (r->verdict.reason == BOUNCE_REASON_USERUNKNOWN ||
									r->verdict.reason == BOUNCE_REASON_HOSTUNKNOWN))
		r->verdict.reason = BOUNCE_REASON_REJECTED;
	else if (failed && r->verdict.reason == BOUNCE_REASON_USERUNKNOWN &&
			 r->verdict.rule != BOUNCE_RULE_ENHANCED && phase == DSN_PHASE_DATA)
		r->verdict.reason = BOUNCE_REASON_FILTERED;
	else if (failed && phase == DSN_PHASE_CONNECT &&
			 (r->verdict.reason == BOUNCE_REASON_REJECTED ||
			  r->verdict.reason == BOUNCE_REASON_UNDEFINED))
		r->verdict.reason = BOUNCE_REASON_BLOCKED;
	else if ((r->verdict.reason == BOUNCE_REASON_NETWORKERROR ||
			  r->verdict.reason == BOUNCE_REASON_SYSTEMERROR ||
			  r->verdict.reason == BOUNCE_REASON_UNDEFINED) &&
			 (says(c, d, dl, BOUNCE_SIGN_NO_ANSWER) || says_attempts(d, dl)))
		r->verdict.reason = BOUNCE_REASON_EXPIRED;
	else if (failed && r->verdict.reason == BOUNCE_REASON_EXPIRED &&
			 says(c, d, dl, BOUNCE_SIGN_DNS_FAILURE))
		r->verdict.reason = BOUNCE_REASON_NETWORKERROR;
	else if (delayed && r->verdict.rule != BOUNCE_RULE_TEXT && r->status.detail == 0 &&
			 (r->verdict.reason == BOUNCE_REASON_NETWORKERROR ||
			  r->verdict.reason == BOUNCE_REASON_UNDEFINED))
		r->verdict.reason = BOUNCE_REASON_EXPIRED;
}

/*
 * Status and verdict of a row: the reply text (Diagnostic-Code, or what a
 * text bounce said) is scanned as bounce.classify(text) would; the Status
 * field only fills in an enhanced code the reply lacks.  This way the
 * reply wins over a generic Status the sending MTA made up.
 */
/* A reply quoted after its basic code, " 550-'...'" or " 550 '...'": where and which. */
static bool
quoted_reply(const char *d, size_t dl, const char **q, size_t *ql, int *code)
{
	size_t		i;

	for (i = 1; i + 5 < dl; i++)
	{
		const char *p = d + i;
		const char *end;

		if (d[i - 1] != ' ' || p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '9' ||
			p[2] < '0' || p[2] > '9' || (p[3] != '-' && p[3] != ' ') || p[4] != '\'')
			continue;
		*q = p + 5;
		end = d + dl;
		while (end > *q && end[-1] != '\'')
			end--;
		*ql = end > *q ? (size_t) (end - 1 - *q) : dl - (size_t) (*q - d);
		*code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
		return true;
	}
	return false;
}

/*
 * A relay may sum a remote reply up in its own words and quote it, "5.1.0 -
 * Unknown address error 550-'5.7.1 <a@b>... Access denied'" (Amazon SES
 * does): when the quoted reply carries an enhanced code of its own, it is
 * the server's status, and the relay's summary is not.
 */
static void
prefer_quoted_reply(dsn_ctx *c, bounce_dsn_rcpt *r, const char *d, size_t dl)
{
	const char *q;
	size_t		ql;
	int			code;
	bounce_reply inner;
	char	   *buf;

	if (r->status.code != 0 || r->status.cls == 0 || !quoted_reply(d, dl, &q, &ql, &code) ||
		(buf = bounce_arena_alloc(c->arena, ql + 1)) == NULL)
		return;
	bounce_reply_scan(q, ql, &inner, buf);
	if (inner.cls == code / 100 && (inner.code == 0 || inner.code == code))
	{
		inner.code = (uint16_t) code;
		r->status = inner;
	}
}

static void
finish_row(dsn_ctx *c, bounce_dsn_rcpt *r, const char *status_field)
{
	const char *d = r->diagnostic;
	size_t		dl = d ? strlen(d) : 0;
	bool		made_up;
	uint8_t		ecls = 0;
	uint16_t	esub = 0;
	uint16_t	edet = 0;
	bool		have_field = parse_enhanced(status_field, &ecls, &esub, &edet);

	memset(&r->status, 0, sizeof(r->status));
	if (dl > 0)
	{
		char	   *buf = bounce_arena_alloc(c->arena, dl + 1);

		if (buf)
			bounce_reply_scan(d, dl, &r->status, buf);
		prefer_quoted_reply(c, r, d, dl);
	}
	if (r->status.cls == 0 && have_field)
	{
		r->status.cls = ecls;
		r->status.subject = esub;
		r->status.detail = edet;
	}

	/* the action, normalised: rows of a text bounce are failures */
	if (r->action == NULL ||
		!(strcmp(r->action, "failed") == 0 || strcmp(r->action, "delayed") == 0 ||
		  strcmp(r->action, "delivered") == 0 || strcmp(r->action, "relayed") == 0 ||
		  strcmp(r->action, "expanded") == 0))
	{
		int			cls = r->status.cls ? r->status.cls : r->status.code / 100;

		if (cls == 2)
			r->action = "delivered";
		else if (r->kind == BOUNCE_DSN_AUTOREPLY || r->kind == BOUNCE_DSN_FEEDBACK)
			r->action = NULL;
		else
			r->action = "failed";
	}

	/*
	 * A failure report with no code at all (many text bounces): its words
	 * decide the reason and the class, as bounce.classify(text) reads text
	 * with no code ("soft when nothing matches"); the notice's prose may
	 * still say the failure is permanent, or temporary.  The status shown
	 * is RFC 3463's "other or undefined status" of what the notice reports:
	 * 5.0.0 for a failure (the mail system gave up), 4.0.0 for a delay or a
	 * failure it calls temporary.
	 */
	made_up = r->status.code == 0 && r->status.cls == 0 &&
		r->kind != BOUNCE_DSN_AUTOREPLY && r->kind != BOUNCE_DSN_FEEDBACK &&
		(r->action == NULL || strcmp(r->action, "failed") == 0 ||
		 strcmp(r->action, "delayed") == 0);
	if (made_up && r->status.text == NULL && dl > 0)
	{
		r->status.text = d;
		r->status.text_len = dl;
	}

	/* a reply always has a text, if only an empty one */
	if (r->status.text == NULL)
	{
		r->status.text = "";
		r->status.text_len = 0;
	}
	bounce_classify(&r->status, &r->verdict);
	if (made_up)
	{
		bool		temporary = says(c, d, dl, BOUNCE_SIGN_TEMPORARY);
		bool		permanent = says(c, d, dl, BOUNCE_SIGN_PERMANENT) ||
			(prose_signs(c) & BOUNCE_SIGN_PERMANENT) != 0;

		if (r->verdict.cls == BOUNCE_CLASS_NONE || (temporary && !permanent))
			r->verdict.cls = BOUNCE_CLASS_SOFT;
		else if (permanent && r->verdict.cls == BOUNCE_CLASS_SOFT &&
				 !bounce_reason_is_temporary(r->verdict.reason))
			r->verdict.cls = BOUNCE_CLASS_HARD;
		if (r->action && strcmp(r->action, "delayed") == 0)
		{
			r->verdict.cls = BOUNCE_CLASS_SOFT;
			temporary = true;
		}
		r->status.cls = temporary && !permanent ? 4 : 5;
		r->verdict.e_cls = r->status.cls;
	}

	if (strcmp(r->action ? r->action : "", "delivered") == 0 ||
		strcmp(r->action ? r->action : "", "relayed") == 0 ||
		strcmp(r->action ? r->action : "", "expanded") == 0)
	{
		/* a positive report: nothing failed */
		r->verdict.cls = BOUNCE_CLASS_NONE;
		r->verdict.reason = BOUNCE_REASON_DELIVERED;
	}
	else if (strcmp(r->action ? r->action : "", "delayed") == 0)
	{
		/* still being retried: a warning, never worse than soft */
		if (r->verdict.cls == BOUNCE_CLASS_HARD)
			r->verdict.cls = BOUNCE_CLASS_SOFT;
	}
	context_verdict(c, r);
}

/* MIME walk callback: sort the parts by what they are. */
static bool
collect_part(void *ctx, const bounce_mime_part *p)
{
	dsn_ctx    *c = (dsn_ctx *) ctx;
	const char *t = p->type;

	if (strcmp(t, "message/delivery-status") == 0 ||
		strcmp(t, "message/global-delivery-status") == 0)
	{
		if (c->nstatus < DSN_MAX_PARTS)
		{
			c->status_parts[c->nstatus].p = p->body;
			c->status_parts[c->nstatus++].len = p->body_len;
		}
	}
	else if (strcmp(t, "message/feedback-report") == 0)
	{
		if (c->nfeedback < DSN_MAX_PARTS)
		{
			c->feedback_parts[c->nfeedback].p = p->body;
			c->feedback_parts[c->nfeedback++].len = p->body_len;
		}
	}
	else if (strcmp(t, "message/disposition-notification") == 0 ||
			 strcmp(t, "message/global-disposition-notification") == 0)
		c->is_mdn = true;
	else if (strcmp(t, "message/rfc822") == 0 || strcmp(t, "message/global") == 0 ||
			 strcmp(t, "text/rfc822-headers") == 0 ||
			 strcmp(t, "message/global-headers") == 0 ||
			 strcmp(t, "message/partial") == 0)
	{
		if (c->returned.p == NULL)
		{
			c->returned.p = p->body;
			c->returned.len = p->body_len;
			c->returned_is_message = (t[0] == 'm' && strstr(t, "headers") == NULL);
		}
	}
	else if (strncmp(t, "text/", 5) == 0 && strcmp(t, "text/html") != 0 &&
			 c->ntext < DSN_MAX_PARTS)
	{
		c->text_parts[c->ntext].p = p->body;
		c->text_parts[c->ntext++].len = p->body_len;
	}
	else if (strcmp(t, "text/html") == 0 && c->ntext == 0 &&
			 c->ntext < DSN_MAX_PARTS)
	{
		/* an HTML-only bounce: its words still carry the reply */
		c->text_parts[c->ntext].p = p->body;
		c->text_parts[c->ntext++].len = p->body_len;
	}
	if (p->report_type[0])
		c->is_report = true;
	return true;
}

/* A DSN's field block hiding in a text part (Amazon WorkMail and others). */
static bool
find_embedded_status(const char *text, size_t len, const char **start)
{
	size_t		pos = 0;
	const char *line;
	size_t		ll;
	bool		seen_action = false;
	const char *first = NULL;

	while (bounce_next_line(text, len, &pos, &line, &ll))
	{
		if (first == NULL &&
			(bounce_istarts(line, ll, "Reporting-MTA:") ||
			 bounce_istarts(line, ll, "Final-Recipient:") ||
			 bounce_istarts(line, ll, "Original-Recipient:")))
			first = line;
		if (first && bounce_istarts(line, ll, "Action:"))
			seen_action = true;
		if (first && seen_action && bounce_istarts(line, ll, "Status:"))
		{
			*start = first;
			return true;
		}
	}
	return false;
}

/*
 * Complaint loops that predate ARF (Microsoft's JMRP and the like) forward
 * the original as message/rfc822 under a subject such as "complaint about
 * message from 192.0.2.1".
 */
static bool
is_complaint(dsn_ctx *c)
{
	size_t		vl;
	const char *v = bounce_header_get(c->hdrs, c->hdrs_len, "Subject", c->arena, &vl);

	return v && (bounce_memifind(v, vl, "complaint about") ||
				 bounce_memifind(v, vl, "abuse report"));
}

/* One row per Original-Rcpt-To of an ARF report (or the returned To). */
static void
read_feedback(dsn_ctx *c)
{
	int			k;
	int			before = c->nrows;

	if (c->nfeedback == 0)
	{
		/* no report part: the complaint is about the returned original */
		c->feedback_parts[0].p = "";
		c->feedback_parts[0].len = 0;
		c->nfeedback = 1;
	}

	for (k = 0; k < c->nfeedback; k++)
	{
		bounce_field_iter it;
		const char *n;
		const char *v;
		size_t		nl;
		size_t		vl;
		bool		blank;
		const char *reporting = NULL;
		const char *arrival = NULL;
		int			first = c->nrows;
		int			i;
		bool		not_complaint = false;

		bounce_field_iter_init(&it, c->feedback_parts[k].p, c->feedback_parts[k].len);
		while (bounce_field_next(&it, &n, &nl, &v, &vl, &blank))
		{
			/*
			 * RFC 6591 auth-failure reports are about the sender's SPF/DKIM/
			 * DMARC, and "not-spam" says the opposite of a complaint: the
			 * recipient complained of nothing, so the report makes no row
			 */
			if (bounce_ieq(n, nl, "Feedback-Type") &&
				(bounce_istarts(v, vl, "auth-failure") || bounce_istarts(v, vl, "not-spam") ||
				 bounce_istarts(v, vl, " auth-failure") || bounce_istarts(v, vl, " not-spam")))
			{
				not_complaint = true;
				break;
			}
			if (bounce_ieq(n, nl, "Original-Rcpt-To") ||
				bounce_ieq(n, nl, "Removal-Recipient"))
			{
				bounce_dsn_rcpt *r = dsn_add_row(c);

				if (r == NULL)
					break;
				r->recipient = address_value(c, v, vl, false);
				r->evidence = BOUNCE_EVIDENCE_FEEDBACK;
			}
			else if (bounce_ieq(n, nl, "Reporting-MTA"))
				reporting = typed_value(c, v, vl);
			else if (bounce_ieq(n, nl, "Arrival-Date") ||
					 bounce_ieq(n, nl, "Received-Date"))
				arrival = unfolded(c, v, vl);
		}
		if (not_complaint)
		{
			c->nrows = first;
			continue;
		}
		if (c->nrows == first)
		{
			bounce_dsn_rcpt *r = dsn_add_row(c);

			if (r && c->returned.p)
			{
				const char *h;
				const char *b;
				size_t		hl;
				size_t		bl;
				const char *to;
				size_t		tl;

				bounce_mime_split(c->returned.p, c->returned.len, &h, &hl, &b, &bl);
				/* Hotmail names the complaining recipient in its own header */
				to = bounce_header_get(h, hl, "X-HmXmrOriginalRecipient", c->arena, &tl);
				if (to == NULL)
					to = bounce_header_get(h, hl, "To", c->arena, &tl);
				if (to)
					r->recipient = address_value(c, to, tl, false);
				r->evidence = BOUNCE_EVIDENCE_RETURNED_TO;
			}
		}
		for (i = first; i < c->nrows; i++)
		{
			/* FBLs redact the address ("Undisclosed recipients"): no recipient then */
			if (c->rows[i].recipient && strchr(c->rows[i].recipient, '@') == NULL)
				c->rows[i].recipient = NULL;
			c->rows[i].kind = BOUNCE_DSN_FEEDBACK;
			c->rows[i].reporting_mta = reporting;
			c->rows[i].last_attempt = arrival;
		}
	}
	for (k = before; k < c->nrows; k++)
	{
		c->rows[k].action = NULL;
		c->rows[k].verdict.cls = BOUNCE_CLASS_NONE;
		c->rows[k].verdict.reason = BOUNCE_REASON_FEEDBACK;
		c->rows[k].verdict.rule = BOUNCE_RULE_DEFAULT;
	}
}

/* True when a From names a mail system rather than a person. */
static bool
from_mail_system(dsn_ctx *c)
{
	size_t		vl;
	const char *v = dsn_decoded_header(c, "From", &vl);

	return v && (bounce_memifind(v, vl, "mailer-daemon") || bounce_memifind(v, vl, "mailer_daemon") ||
				 bounce_memifind(v, vl, "postmaster") || bounce_memifind(v, vl, "mail delivery"));
}

/*
 * True when the message is an RFC 3834 auto-reply or a classic vacation
 * notice: the headers say so (Auto-Submitted: auto-replied, X-Autoreply),
 * the Subject does in any of the languages the phrase table knows, or a
 * person's mailbox answered with Precedence: bulk or junk (what vacation
 * programs set) in words that report no failure.
 */
static bool
is_autoreply(dsn_ctx *c)
{
	const char *v;
	size_t		vl;
	int			k;

	v = bounce_header_get(c->hdrs, c->hdrs_len, "Auto-Submitted", c->arena, &vl);
	if (v && bounce_istarts(v, vl, "auto-replied"))
		return true;
	if (bounce_header_get(c->hdrs, c->hdrs_len, "X-Autoreply", c->arena, &vl) ||
		bounce_header_get(c->hdrs, c->hdrs_len, "X-Autorespond", c->arena, &vl))
		return true;
	v = dsn_decoded_header(c, "Subject", &vl);
	if (v && (bounce_istarts(v, vl, "Away until") || bounce_istarts(v, vl, "Vacation") ||
			  bounce_istarts(v, vl, "Auto:") ||
			  (dsn_signs(c, v, vl) & BOUNCE_SIGN_AUTOREPLY) != 0))
		return true;
	v = bounce_header_get(c->hdrs, c->hdrs_len, "Precedence", c->arena, &vl);
	if (v && (bounce_istarts(v, vl, "bulk") || bounce_istarts(v, vl, "junk") ||
			  bounce_istarts(v, vl, "auto_reply")) && !from_mail_system(c))
	{
		for (k = 0; k < c->ntext; k++)
			if (dsn_signs(c, c->text_parts[k].p, dsn_text_prose_len(c->text_parts[k].p,
																	  c->text_parts[k].len)) &
				BOUNCE_SIGN_FAILURE)
				return false;
		return c->ntext > 0;
	}
	return false;
}

/* True when the notice calls itself a failure report (Auto-Submitted). */
static bool
is_failure_notice(dsn_ctx *c)
{
	size_t		vl;
	const char *v = bounce_header_get(c->hdrs, c->hdrs_len, "Auto-Submitted", c->arena, &vl);

	return v && bounce_memifind(v, vl, "(failure)") != NULL;
}

/*
 * True when a challenge-response system holds the message until the
 * sender proves itself ("add yourself to my guest list"): nothing
 * bounced, even when the notice comes dressed as a delivery report.
 */
static bool
is_challenge(dsn_ctx *c)
{
	int			k;

	for (k = 0; k < c->ntext; k++)
		if (dsn_signs(c, c->text_parts[k].p, dsn_text_prose_len(c->text_parts[k].p,
																  c->text_parts[k].len)) &
			BOUNCE_SIGN_CHALLENGE)
			return true;
	return false;
}

/* The auto-reply row: the person who answered is the recipient. */
static void
read_autoreply(dsn_ctx *c)
{
	const char *v;
	size_t		vl;
	bounce_dsn_rcpt *r = dsn_add_row(c);

	if (r == NULL)
		return;
	v = bounce_header_get(c->hdrs, c->hdrs_len, "From", c->arena, &vl);
	if (v)
		r->recipient = address_value(c, v, vl, false);
	r->kind = BOUNCE_DSN_AUTOREPLY;
	r->evidence = BOUNCE_EVIDENCE_SENDER;
	r->action = NULL;
	r->verdict.cls = BOUNCE_CLASS_NONE;
	r->verdict.reason = BOUNCE_REASON_VACATION;
	r->verdict.rule = BOUNCE_RULE_DEFAULT;

	/*
	 * A mail client answering a List-Unsubscribe mailto: link (RFC 2369)
	 * sends "Subject: unsubscribe" on its own: the reader's feedback, not
	 * an absence notice.
	 */
	v = bounce_header_get(c->hdrs, c->hdrs_len, "Subject", c->arena, &vl);
	while (v && vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
		vl--;
	while (v && vl > 0 && (v[0] == ' ' || v[0] == '\t'))
		v++, vl--;
	if (v && bounce_ieq(v, vl, "unsubscribe"))
	{
		r->kind = BOUNCE_DSN_FEEDBACK;
		r->verdict.reason = BOUNCE_REASON_FEEDBACK;
	}
}

/* Deepest nesting of forwarded or returned messages read for a report. */
#define DSN_MAX_NESTING 3

static void read_message(dsn_ctx *c, const char *msg, size_t len, int depth,
						 bool reports_only);

/* True when a value is an address bounce.events accepts. */
static bool
is_valid_address(dsn_ctx *c, const char *v)
{
	size_t		len = v ? strlen(v) : 0;
	char	   *out;
	size_t		n;
	bounce_address_error err;
	size_t		pos;

	if (len == 0 || (out = bounce_arena_alloc(c->arena, len)) == NULL)
		return false;
	return bounce_address_normalize(v, len, out, &n, &err, &pos);
}

/*
 * Report rows from 'base' on whose Final-Recipient is no address (cut,
 * redacted, "@host"): when the prose lists exactly as many recipients as
 * the report has rows, the prose's address in the same place names it.
 */
static void
borrow_prose_recipients(dsn_ctx *c, int base)
{
	const char *addrs[BOUNCE_DSN_MAX_RCPTS];
	size_t		lens[BOUNCE_DSN_MAX_RCPTS];
	int			rows = c->nrows - base;
	int			i;
	int			k;

	for (i = base; i < c->nrows && is_valid_address(c, c->rows[i].recipient); i++)
		;
	if (i == c->nrows)
		return;					/* every row names a valid address */
	for (k = 0; k < c->ntext; k++)
	{
		if (dsn_text_recipients(c, c->text_parts[k].p, c->text_parts[k].len, addrs, lens,
								BOUNCE_DSN_MAX_RCPTS) != rows)
			continue;
		for (i = base; i < c->nrows; i++)
		{
			if (is_valid_address(c, c->rows[i].recipient))
				continue;
			c->rows[i].recipient = bounce_arena_strdup(c->arena, addrs[i - base], lens[i - base]);
			c->rows[i].evidence = BOUNCE_EVIDENCE_PROSE;
		}
		return;
	}
}

/*
 * Rows from 'base' on that name no Original-Recipient: the address the
 * sender used, when the prose says what the failed one was made from.
 */
static void
borrow_originals(dsn_ctx *c, int base)
{
	int			i;
	int			k;

	for (i = base; i < c->nrows; i++)
		for (k = 0; k < c->ntext && c->rows[i].original_recipient == NULL; k++)
			c->rows[i].original_recipient =
				dsn_text_original_for(c, c->text_parts[k].p, c->text_parts[k].len,
									  c->rows[i].recipient, c->nrows - base == 1);
}

/* Finish the rows a bounce's text gave from row 'base' on; false if none. */
static bool
finish_text_rows(dsn_ctx *c, int base)
{
	int			i;

	borrow_originals(c, base);
	for (i = base; i < c->nrows; i++)
	{
		c->rows[i].kind = BOUNCE_DSN_TEXT;
		finish_row(c, &c->rows[i], c->status_fields[i]);
	}
	return c->nrows > base;
}

/*
 * Read an embedded message (a returned or forwarded one, or the next one of
 * an mbox file) with its own parts and headers; its rows join the table.
 * With 'reports_only' only its delivery-status fields count.
 */
static void
read_nested(dsn_ctx *outer, const char *msg, size_t len, int depth, bool reports_only)
{
	dsn_ctx		in;

	if (depth > DSN_MAX_NESTING || len == 0)
		return;
	memset(&in, 0, sizeof(in));
	in.arena = outer->arena;
	in.rows = outer->rows;
	in.status_fields = outer->status_fields;
	in.nrows = outer->nrows;
	read_message(&in, msg, len, depth, reports_only);
	outer->nrows = in.nrows;
}

/*
 * A forwarded message quoted inline ("> From: ...", "> Subject: ..."): the
 * quoted lines of a text, one level of '>' (and a space) removed, when they
 * begin with a header block.  A copy in the arena; NULL when there is none.
 */
static const char *
unquote_forward(dsn_ctx *c, const char *text, size_t len, size_t *out_len)
{
	size_t		pos = 0;
	const char *line;
	size_t		ll;
	char	   *out = NULL;
	size_t		o = 0;
	const char *h;
	const char *b;
	size_t		hl;
	size_t		bl;

	while (bounce_next_line(text, len, &pos, &line, &ll))
	{
		if (ll == 0 || line[0] != '>')
		{
			/* the quote ends at the first line that is not quoted */
			if (out != NULL && o > 0)
				break;
			continue;
		}
		if (out == NULL && (out = bounce_arena_alloc(c->arena, len + 1)) == NULL)
			return NULL;
		line++;
		ll--;
		if (ll > 0 && line[0] == ' ')
		{
			line++;
			ll--;
		}
		memcpy(out + o, line, ll);
		o += ll;
		out[o++] = '\n';
	}
	if (out == NULL || o == 0)
		return NULL;
	bounce_mime_split(out, o, &h, &hl, &b, &bl);
	if (hl == 0)
		return NULL;			/* quoted prose, not a message */
	*out_len = o;
	return out;
}

/*
 * Start of the next message of an mbox file: a "From " line after an
 * empty line and followed by a header field.  Only for input that starts
 * as an mbox does (mbox escapes "From " at the start of body lines).
 */
static size_t
next_mbox_message(const char *msg, size_t len, size_t from)
{
	size_t		pos = from;
	const char *line;
	size_t		ll;
	bool		after_blank = false;

	if (len < 5 || memcmp(msg, "From ", 5) != 0)
		return len;
	while (pos < len)
	{
		size_t		start = pos;

		bounce_next_line(msg, len, &pos, &line, &ll);
		if (after_blank && ll > 5 && memcmp(line, "From ", 5) == 0)
		{
			const char *h;
			const char *b;
			size_t		hl;
			size_t		bl;

			bounce_mime_split(msg + start, len - start, &h, &hl, &b, &bl);
			if (hl > 0)
				return start;
		}
		after_blank = (ll == 0);
	}
	return len;
}

/*
 * Read one message into the row table (rows from c->nrows on).  'depth' > 0
 * for a message found inside another: only its delivery reports and bounce
 * texts count there, not complaints or auto-replies (a returned original
 * may well be an auto-reply itself); with 'reports_only', only its reports.
 */
static void
read_message(dsn_ctx *c, const char *msg, size_t len, int depth, bool reports_only)
{
	const char *body;
	size_t		body_len;
	int			base = c->nrows;
	int			i;
	int			k;
	bool		says_bounce;

	/* blank or white-space-only lines before the headers hide nothing */
	for (;;)
	{
		size_t		i = 0;

		while (i < len && (msg[i] == ' ' || msg[i] == '\t'))
			i++;
		if (i < len && (msg[i] == '\n' || msg[i] == '\r'))
		{
			i += (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n') ? 2 : 1;
			msg += i;
			len -= i;
			continue;
		}
		break;
	}
	bounce_mime_split(msg, len, &c->hdrs, &c->hdrs_len, &body, &body_len);
	bounce_mime_walk(msg, len, c->arena, collect_part, c);

	if (c->is_mdn && c->nstatus == 0)
		return;					/* a read receipt */
	if (is_challenge(c))
		return;					/* held, not bounced: no row */

	/* 1. machine-readable delivery reports */
	for (k = 0; k < c->nstatus; k++)
		read_status_part(c, c->status_parts[k].p, c->status_parts[k].len);
	if (c->nrows == base)
	{
		for (k = 0; k < c->ntext && c->nrows == base; k++)
		{
			const char *start;

			if (find_embedded_status(c->text_parts[k].p, c->text_parts[k].len, &start))
				read_status_part(c, start,
								 c->text_parts[k].len - (size_t) (start - c->text_parts[k].p));
		}
	}
	if (c->nrows > base)
	{
		borrow_prose_recipients(c, base);
		/* a report with no reply text: borrow it from the human part */
		for (i = base; i < c->nrows; i++)
		{
			bounce_dsn_rcpt *r = &c->rows[i];

			for (k = 0; k < c->ntext && r->recipient; k++)
			{
				const char *rep;
				size_t		rl;

				if (r->diagnostic && strlen(r->diagnostic) > 3 &&
					strpbrk(r->diagnostic, "0123456789") != NULL)
					break;
				if (dsn_text_reply_for(c->text_parts[k].p, c->text_parts[k].len,
									   r->recipient, &rep, &rl) ||
					(r->original_recipient &&
					 dsn_text_reply_for(c->text_parts[k].p, c->text_parts[k].len,
										r->original_recipient, &rep, &rl)) ||
					/* a report of one recipient: the notice's prose is about it */
					(c->nrows - base == 1 && r->diagnostic == NULL &&
					 dsn_text_whole_reply(c->text_parts[k].p, c->text_parts[k].len, &rep, &rl)))
				{
					const char *d = dsn_strdup_trim(c, rep, rl);

					if (d)
						r->diagnostic = d;
					break;
				}
			}
		}
		borrow_originals(c, base);
		for (i = base; i < c->nrows; i++)
			finish_row(c, &c->rows[i], c->status_fields[i]);
		return;
	}
	if (reports_only)
		return;

	/* 2. complaints: ARF, or a forwarded original under a complaint subject */
	if (depth == 0 &&
		(c->nfeedback > 0 || (c->returned.p && c->returned_is_message && is_complaint(c))))
	{
		read_feedback(c);
		return;
	}

	/* 3. Amazon SES notifications (JSON in a text part) */
	for (k = 0; depth == 0 && k < c->ntext && c->nrows == base; k++)
		dsn_json_notification(c, c->text_parts[k].p, c->text_parts[k].len);
	if (c->nrows > base)
	{
		for (i = base; i < c->nrows; i++)
		{
			if (c->rows[i].kind == BOUNCE_DSN_FEEDBACK)
			{
				c->rows[i].verdict.cls = BOUNCE_CLASS_NONE;
				c->rows[i].verdict.reason = BOUNCE_REASON_FEEDBACK;
				c->rows[i].verdict.rule = BOUNCE_RULE_DEFAULT;
			}
			else
				finish_row(c, &c->rows[i], c->status_fields[i]);
		}
		return;
	}

	/*
	 * 4. human-readable bounces.  An auto-reply that no mail system signed
	 * (no MAILER-DAEMON, no bounce subject) is a vacation message even when
	 * sent with a null Return-Path, as RFC 3834 asks.
	 */
	says_bounce = dsn_headers_say_bounce(c, !c->is_report && is_autoreply(c));
	if (says_bounce)
	{
		for (k = 0; k < c->ntext && c->nrows == base; k++)
			dsn_text_bounce(c, c->text_parts[k].p, c->text_parts[k].len);
		if (finish_text_rows(c, base))
			return;

		/*
		 * A bounce whose text names nobody may carry the report it is about
		 * as a message: an MTA that wraps another MTA's bounce, or a person
		 * forwarding one (attached, or quoted inline with '>').  An attached
		 * message is most often the bounced original, so only a delivery
		 * report there counts, not words that merely look like a bounce.
		 */
		if (c->nrows == base && c->returned.p && c->returned_is_message)
			read_nested(c, c->returned.p, c->returned.len, depth + 1, true);
		for (k = 0; k < c->ntext && c->nrows == base; k++)
		{
			size_t		ql;
			const char *q = unquote_forward(c, c->text_parts[k].p, c->text_parts[k].len, &ql);

			if (q)
				read_nested(c, q, ql, depth + 1, false);
		}
		if (c->nrows > base)
			return;				/* finished by the nested reading */

		/* no recipient named anywhere: the returned original's To */
		for (k = 0; k < c->ntext && c->nrows == base; k++)
			dsn_text_returned_rcpt(c, c->text_parts[k].p, c->text_parts[k].len);
		if (finish_text_rows(c, base))
			return;

		/*
		 * A mail system's failure notice that names nobody at all (its
		 * text cut off, or empty): one row without a recipient, so that
		 * the bounce is on record, though it can suppress no one.
		 */
		if (depth == 0 && (from_mail_system(c) || is_failure_notice(c)))
		{
			bounce_dsn_rcpt *r = dsn_add_row(c);

			if (r)
			{
				r->evidence = BOUNCE_EVIDENCE_NOTICE;
				r->action = dsn_notice_is_delay(c, c->ntext ? c->text_parts[0].p : NULL,
												c->ntext ? c->text_parts[0].len : 0) ?
					"delayed" : "failed";
				finish_text_rows(c, base);
			}
			return;
		}
	}

	/* 5. auto-replies; one from a mail system is a bounce notice, not a vacation */
	if (depth == 0 && !c->is_report && !says_bounce && is_autoreply(c))
		read_autoreply(c);
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

static void
finish_addresses(dsn_ctx *c, bounce_dsn_rcpt *r)
{
	r->recipient_raw = r->recipient;
	r->original_recipient_raw = r->original_recipient;
	r->recipient = normalized_address(c, r->recipient_raw);
	r->original_recipient = normalized_address(c, r->original_recipient_raw);
}

/* Read a message; see dsn.h. */
int
bounce_dsn_parse(const char *msg, size_t len, bounce_arena *arena,
				 bounce_dsn_cb cb, void *ctx, bounce_dsn_info *info)
{
	dsn_ctx		c;
	size_t		first_len;
	size_t		at;
	int			i;

	memset(&c, 0, sizeof(c));
	c.arena = arena;
	if (info)
		memset(info, 0, sizeof(*info));
	if (msg == NULL || len == 0)
		return 0;
	c.rows = (bounce_dsn_rcpt *) bounce_arena_alloc(arena, sizeof(bounce_dsn_rcpt) * BOUNCE_DSN_MAX_RCPTS);
	c.status_fields = (const char **) bounce_arena_alloc(arena, sizeof(char *) * BOUNCE_DSN_MAX_RCPTS);
	if (c.rows == NULL || c.status_fields == NULL)
		return 0;

	/* an mbox file may hold several reports: each one is read on its own */
	first_len = next_mbox_message(msg, len, 0);
	read_message(&c, msg, first_len, 0, false);
	for (at = first_len; at < len && c.nrows < BOUNCE_DSN_MAX_RCPTS;)
	{
		size_t		next = next_mbox_message(msg, len, at + 1);

		read_nested(&c, msg + at, next - at, 0, false);
		at = next;
	}

	/* info first, so that the callback may look at it */
	if (info)
	{
		size_t		dl;

		info->nrows = c.nrows;
		if (c.returned.p)
		{
			const char *h;
			const char *b;
			size_t		bl;

			bounce_mime_split(c.returned.p, c.returned.len, &h,
							  &info->returned_headers_len, &b, &bl);
			info->returned_headers = h;
		}
		info->date = bounce_header_get(c.hdrs, c.hdrs_len, "Date", arena, &dl);
	}
	for (i = 0; i < c.nrows; i++)
		finish_addresses(&c, &c.rows[i]);
	for (i = 0; cb != NULL && i < c.nrows; i++)
		cb(ctx, &c.rows[i]);
	return c.nrows;
}
