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
#include "dsn_base.h"
#include "dsn_json.h"
#include "dsn_notice.h"
#include "dsn_prose.h"
#include "dsn_text.h"
#include "dsn_verdict.h"
#include "sha256.h"

#include <stdio.h>

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

/* Deepest nesting of forwarded or returned messages read for a report. */
#define DSN_MAX_NESTING 3

static void read_message(dsn_ctx *c, const char *msg, size_t len, int depth,
						 bool reports_only);


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
	const char *reporting_mta = NULL;
	const char *arrival = NULL;
	bounce_dsn_rcpt *cur = NULL;
	int			first_row = c->nrows;
	int			i;

	bounce_field_iter_init(&it, body, len);
	while (bounce_field_next(&it))
	{
		bool		rcpt_field;

		if ((c->nrows & 63) == 0 && dsn_stop(c))
			return;
		rcpt_field = bounce_field_is(&it, "Final-Recipient") || bounce_field_is(&it, "Original-Recipient") ||
		bounce_field_is(&it, "Action") || bounce_field_is(&it, "Status") ||
		bounce_field_is(&it, "Remote-MTA") || bounce_field_is(&it, "Diagnostic-Code") ||
		bounce_field_is(&it, "Last-Attempt-Date") || bounce_field_is(&it, "X-Actual-Recipient");

		if (it.blank && cur && row_started(cur, c->status_fields[cur - c->rows]))
			cur = NULL;
		if (!rcpt_field)
		{
			if (bounce_field_is(&it, "Reporting-MTA"))
				reporting_mta = typed_value(c, it.value, it.value_len);
			else if (bounce_field_is(&it, "Arrival-Date"))
				arrival = unfolded(c, it.value, it.value_len);
			continue;
		}
		if (cur && ((bounce_field_is(&it, "Final-Recipient") && cur->recipient) ||
					(bounce_field_is(&it, "Original-Recipient") && cur->original_recipient)))
			cur = NULL;
		if (cur == NULL && (cur = dsn_add_row(c)) == NULL)
			return;
		if (bounce_field_is(&it, "Final-Recipient"))
			cur->recipient = address_value(c, it.value, it.value_len, false);
		else if (bounce_field_is(&it, "X-Actual-Recipient"))
		{
			const char *t = typed_value(c, it.value, it.value_len);

			/* Sendmail names a local delivery program "|cmd" (or "X-Unix; |cmd") */
			if (t && (t[0] == '|' || bounce_istarts(it.value, it.value_len, "x-unix")))
				c->to_program = true;
			if (cur->recipient == NULL)
				cur->recipient = address_value(c, it.value, it.value_len, false);
		}
		else if (bounce_field_is(&it, "Original-Recipient"))
			cur->original_recipient = address_value(c, it.value, it.value_len, true);
		else if (bounce_field_is(&it, "Action"))
			cur->action = lowered(c, it.value, it.value_len);
		else if (bounce_field_is(&it, "Status"))
			c->status_fields[cur - c->rows] = unfolded(c, it.value, it.value_len);
		else if (bounce_field_is(&it, "Remote-MTA"))
			cur->remote_mta = typed_value(c, it.value, it.value_len);
		else if (bounce_field_is(&it, "Diagnostic-Code"))
			cur->diagnostic = unfolded(c, it.value, it.value_len);
		else if (bounce_field_is(&it, "Last-Attempt-Date"))
			cur->last_attempt = unfolded(c, it.value, it.value_len);
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
	{
		if (!c->is_mdn)
		{
			c->mdn.p = p->body;
			c->mdn.len = p->body_len;
		}
		c->is_mdn = true;
	}
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
		const char *reporting = NULL;
		const char *arrival = NULL;
		int			first = c->nrows;
		int			i;
		bool		not_complaint = false;

		bounce_field_iter_init(&it, c->feedback_parts[k].p, c->feedback_parts[k].len);
		while (bounce_field_next(&it))
		{
			/*
			 * RFC 6591 auth-failure reports are about the sender's SPF/DKIM/
			 * DMARC, and "not-spam" says the opposite of a complaint: the
			 * recipient complained of nothing, so the report makes no row
			 */
			if (bounce_field_is(&it, "Feedback-Type") &&
				(bounce_istarts(it.value, it.value_len, "auth-failure") || bounce_istarts(it.value, it.value_len, "not-spam") ||
				 bounce_istarts(it.value, it.value_len, " auth-failure") || bounce_istarts(it.value, it.value_len, " not-spam")))
			{
				not_complaint = true;
				break;
			}
			if (bounce_field_is(&it, "Original-Rcpt-To") ||
				bounce_field_is(&it, "Removal-Recipient"))
			{
				bounce_dsn_rcpt *r = dsn_add_row(c);

				if (r == NULL)
					break;
				r->recipient = address_value(c, it.value, it.value_len, false);
				r->evidence = BOUNCE_EVIDENCE_FEEDBACK;
			}
			else if (bounce_field_is(&it, "Reporting-MTA"))
				reporting = typed_value(c, it.value, it.value_len);
			else if (bounce_field_is(&it, "Arrival-Date") ||
					 bounce_field_is(&it, "Received-Date"))
				arrival = unfolded(c, it.value, it.value_len);
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

/* The auto-reply row: the person who answered is the recipient. */
static void
read_autoreply(dsn_ctx *c)
{
	const char *v;
	size_t		vl;
	bounce_dsn_rcpt *r = dsn_add_row(c);

	if (r == NULL)
		return;
	/* the mailbox that answered; a webmail's MAILER-DAEMON names it in Reply-To */
	v = dsn_header(c, "From", &vl);
	if (dsn_from_mail_system(c) && dsn_header(c, "Reply-To", &vl))
		v = dsn_header(c, "Reply-To", &vl);
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
	v = dsn_header(c, "Subject", &vl);
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

/* A complaint's row for address a[0..n), named by evidence ev. */
static void
add_complaint_row(dsn_ctx *c, const char *a, size_t n, bounce_dsn_evidence ev)
{
	bounce_dsn_rcpt *r = dsn_add_row(c);

	if (r == NULL)
		return;
	r->recipient = address_value(c, a, n, false);
	r->evidence = ev;
	r->kind = BOUNCE_DSN_FEEDBACK;
	r->action = NULL;
	r->verdict.cls = BOUNCE_CLASS_NONE;
	r->verdict.reason = BOUNCE_REASON_FEEDBACK;
	r->verdict.rule = BOUNCE_RULE_DEFAULT;
}

/*
 * The row of a complaint in words.  A recipient replying about our mail
 * complains of their own address (the reply's From).  An abuse desk
 * complains for its subscriber: the To of the reported message, attached
 * or pasted below its words, when it is none of our own addresses.
 */
static void
read_prose_complaint(dsn_ctx *c)
{
	const char *t = c->text_parts[0].p;
	size_t		len = dsn_prose_len(c, 0);
	size_t		pos;
	const char *line;
	size_t		ll;

	if (dsn_is_person_reply(c))
	{
		int			before = c->nrows;

		/* the row of the mailbox that answered, as an auto-reply's */
		read_autoreply(c);
		if (c->nrows > before)
		{
			c->rows[before].kind = BOUNCE_DSN_FEEDBACK;
			c->rows[before].verdict.reason = BOUNCE_REASON_FEEDBACK;
		}
		return;
	}
	if (c->returned.p && c->returned_is_message)
	{
		read_feedback(c);
		return;
	}
	for (pos = dsn_own_words_end(t, len); pos < len;)
	{
		size_t		i = 0;
		const char *a;
		size_t		n;

		bounce_next_line(t, len, &pos, &line, &ll);
		while (i < ll && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (!bounce_istarts(line + i, ll - i, "To:"))
			continue;
		a = bounce_address_find(line + i + 3, ll - i - 3, &n);
		if (a == NULL || dsn_is_own_address(c, a, n))
			return;
		add_complaint_row(c, a, n, BOUNCE_EVIDENCE_RETURNED_TO);
		return;
	}
	/* the reported message's headers copied after the desk's words */
	{
		size_t		n;
		bounce_dsn_evidence ev;
		const char *a = dsn_returned_address(c, 0, &n, &ev);

		if (a)
			add_complaint_row(c, a, n, ev);
	}
}

/*
 * A reply borrowed from the prose that names another recipient of the
 * report is that one's: Sendmail lists every address first and the whole
 * transcript after, so "550 5.1.1 <b@x>... User unknown" may sit in the
 * paragraph of a, only deferred.  'others' (cap -1: not built yet) holds
 * the report's recipients, built on the first reply that names anyone.
 */
static bool
names_other_recipient(dsn_ctx *c, int base, const bounce_dsn_rcpt *r, const char *rep, size_t rl,
					  dsn_addr_set *others)
{
	const char *a;
	size_t		an;
	int			i;

	if (c->nrows - base < 2 || memchr(rep, '@', rl) == NULL)
		return false;
	if (others->cap < 0)
	{
		dsn_addr_set_init(c, others, c->nrows - base);
		for (i = base; i < c->nrows; i++)
			if (c->rows[i].recipient)
				dsn_addr_set_add(others, c->rows[i].recipient, strlen(c->rows[i].recipient));
	}
	while ((a = bounce_address_find(rep, rl, &an)) != NULL)
	{
		bool		own = (r->recipient && strlen(r->recipient) == an &&
						   dsn_span_ieq(r->recipient, a, an)) ||
			(r->original_recipient && strlen(r->original_recipient) == an &&
			 dsn_span_ieq(r->original_recipient, a, an));

		if (!own && dsn_addr_set_has(others, a, an))
			return true;
		rl -= (size_t) (a + an - rep);
		rep = a + an;
	}
	return false;
}

/*
 * Report rows from 'base' on whose Final-Recipient is no address (cut,
 * redacted, "@host"): when the prose lists exactly as many recipients as
 * the report has rows, the prose's address in the same place names it.
 */
static void
borrow_prose_recipients(dsn_ctx *c, int base)
{
	const char **addrs;
	size_t	   *lens;
	int			rows = c->nrows - base;
	int			i;
	int			k;

	for (i = base; i < c->nrows && dsn_is_valid_address(c, c->rows[i].recipient); i++)
		;
	if (i == c->nrows)
		return;					/* every row names a valid address */
	addrs = (const char **) bounce_arena_alloc(c->arena, sizeof(char *) * (size_t) (rows + 1));
	lens = (size_t *) bounce_arena_alloc(c->arena, sizeof(size_t) * (size_t) (rows + 1));
	if (addrs == NULL || lens == NULL)
		return;
	for (k = 0; k < c->ntext; k++)
	{
		/* one more than the rows: a longer list is no match either */
		if (dsn_text_recipients(c, k, addrs, lens, rows + 1) != rows)
			continue;
		for (i = base; i < c->nrows; i++)
		{
			if (dsn_is_valid_address(c, c->rows[i].recipient))
				continue;
			c->rows[i].recipient = bounce_arena_strdup(c->arena, addrs[i - base], lens[i - base]);
			c->rows[i].evidence = BOUNCE_EVIDENCE_PROSE;
		}
		return;
	}

	/*
	 * A report of one recipient that names it by no address (a Notes name,
	 * an X.400 one): the returned original says whom the sender addressed.
	 * The report's own name stays the recipient, as written.
	 */
	if (rows == 1 && !dsn_is_valid_address(c, c->rows[base].original_recipient))
	{
		size_t		an;
		bounce_dsn_evidence ev;
		const char *a = dsn_returned_address(c, -1, &an, &ev);

		if (a)
		{
			c->rows[base].original_recipient = bounce_arena_strdup(c->arena, a, an);
			c->rows[base].evidence = ev;
		}
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
				dsn_prose_original_for(c, k, c->rows[i].recipient, c->nrows - base == 1);
}

/* Finish the rows a bounce's text gave from row 'base' on; false if none. */
static bool
finish_text_rows(dsn_ctx *c, int base)
{
	int			i;

	borrow_originals(c, base);
	for (i = base; i < c->nrows && !dsn_stop(c); i++)
	{
		c->rows[i].kind = BOUNCE_DSN_TEXT;
		dsn_finish_row(c, &c->rows[i], c->status_fields[i]);
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
	in.interrupted = outer->interrupted;
	in.interrupt_ctx = outer->interrupt_ctx;
	in.stopped = outer->stopped;
	in.rows = outer->rows;
	in.status_fields = outer->status_fields;
	in.nrows = outer->nrows;
	in.cap_rows = outer->cap_rows;
	read_message(&in, msg, len, depth, reports_only);
	/* the table may have grown (moved) while the inner message was read */
	outer->rows = in.rows;
	outer->status_fields = in.status_fields;
	outer->nrows = in.nrows;
	outer->cap_rows = in.cap_rows;
	outer->stopped = in.stopped;
	outer->out_of_memory |= in.out_of_memory;
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
 * A disposition notification that says the message was deleted by an
 * automatic action is a refusal: how a Sieve "reject" answers (RFC 5429
 * 2.2: disposition "automatic-action/MDN-sent-automatically; deleted"),
 * or a mailbox rule's.  The recipient's filter refused the message: a
 * failure, filtered, of the MDN's recipient.  A person's receipt
 * ("displayed", or "deleted" by a manual action) is none.
 */
static bool
disposition_refused(const char *v, size_t n)
{
	const char *semi = memchr(v, ';', n);
	size_t		k;

	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	if (semi == NULL || !bounce_istarts(v, n, "automatic-action"))
		return false;
	k = (size_t) (semi - v) + 1;
	while (k < n && (v[k] == ' ' || v[k] == '\t' || v[k] == '\r' || v[k] == '\n'))
		k++;
	return bounce_istarts(v + k, n - k, "deleted");
}

static void
read_mdn_refusal(dsn_ctx *c)
{
	bounce_field_iter it;
	const char *final = NULL;
	const char *orig = NULL;
	size_t		fl = 0;
	size_t		ol = 0;
	bool		refused = false;
	bounce_dsn_rcpt *r;

	bounce_field_iter_init(&it, c->mdn.p, c->mdn.len);
	while (bounce_field_next(&it))
	{
		if (bounce_field_is(&it, "Final-Recipient"))
			final = it.value, fl = it.value_len;
		else if (bounce_field_is(&it, "Original-Recipient"))
			orig = it.value, ol = it.value_len;
		else if (bounce_field_is(&it, "Disposition"))
			refused = disposition_refused(it.value, it.value_len);
	}
	/*
	 * Exchange writes the same disposition in its "Not read" receipt of a
	 * message deleted unread: only words that say the message was refused
	 * ("was automatically rejected") make it a refusal
	 */
	if (!refused || final == NULL || c->ntext == 0 ||
		!(dsn_prose_signs(c) & BOUNCE_SIGN_FAILURE) || (r = dsn_add_row(c)) == NULL)
		return;
	r->recipient = address_value(c, final, fl, false);
	if (orig)
		r->original_recipient = address_value(c, orig, ol, true);
	r->kind = BOUNCE_DSN_REPORT;
	r->evidence = BOUNCE_EVIDENCE_REPORT;
	r->action = "failed";
	/* the filter's own words, for whoever audits the row */
	r->diagnostic = unfolded(c, c->text_parts[0].p,
							 bounce_utf8_clip(c->text_parts[0].p, dsn_prose_len(c, 0), 512));
	dsn_finish_row(c, r, "5.0.0");
	if (r->verdict.reason == BOUNCE_REASON_UNDEFINED || r->verdict.reason == BOUNCE_REASON_REJECTED)
		r->verdict.reason = BOUNCE_REASON_FILTERED;
}

/* Blank or white-space-only lines before a message's headers hide nothing: skip them. */
static void
skip_blank_lines(const char **msg, size_t *len)
{
	for (;;)
	{
		const char *m = *msg;
		size_t		i = 0;

		while (i < *len && (m[i] == ' ' || m[i] == '\t'))
			i++;
		if (i >= *len || (m[i] != '\n' && m[i] != '\r'))
			return;
		i += (m[i] == '\r' && i + 1 < *len && m[i + 1] == '\n') ? 2 : 1;
		*msg += i;
		*len -= i;
	}
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
	bool		autoreply;

	skip_blank_lines(&msg, &len);
	bounce_mime_split(msg, len, &c->hdrs, &c->hdrs_len, &body, &body_len);
	bounce_mime_walk(msg, len, c->arena, collect_part, c);

	if (c->is_mdn && c->nstatus == 0)
	{
		if (depth == 0)
			read_mdn_refusal(c);
		return;					/* else a read receipt */
	}
	/* a challenge-response service is no mail system: only its mail is read for it */
	if (!dsn_from_mail_system(c) && dsn_is_challenge(c))
		return;					/* held, not bounced: no row */
	/* a person asking about a bounce they forward: mail about one, not one */
	if (depth == 0 && dsn_is_person_forward(c))
		return;

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
		dsn_addr_set others = {NULL, NULL, -1, 0};

		borrow_prose_recipients(c, base);
		/* a report with no reply text: borrow it from the human part */
		for (i = base; i < c->nrows && !dsn_stop(c); i++)
		{
			bounce_dsn_rcpt *r = &c->rows[i];

			for (k = 0; k < c->ntext && r->recipient; k++)
			{
				const char *rep;
				size_t		rl;

				if (r->diagnostic && strlen(r->diagnostic) > 3 &&
					strpbrk(r->diagnostic, "0123456789") != NULL)
					break;
				if ((dsn_prose_reply_for(c, k, r->recipient, &rep, &rl) ||
					 (r->original_recipient &&
					  dsn_prose_reply_for(c, k, r->original_recipient, &rep, &rl)) ||
					 /* a report of one recipient: the notice's prose is about it */
					 (c->nrows - base == 1 && r->diagnostic == NULL &&
					  dsn_prose_whole_reply(c, k, &rep, &rl))) &&
					!names_other_recipient(c, base, r, rep, rl, &others))
				{
					const char *d = dsn_strdup_trim(c, rep, rl);

					if (d)
						r->diagnostic = d;
					break;
				}
			}
		}
		borrow_originals(c, base);
		for (i = base; i < c->nrows && !dsn_stop(c); i++)
			dsn_finish_row(c, &c->rows[i], c->status_fields[i]);
		return;
	}
	if (reports_only)
		return;

	/* 2. complaints: ARF, or a forwarded original under a complaint subject */
	if (depth == 0 &&
		(c->nfeedback > 0 || (c->returned.p && c->returned_is_message && dsn_is_complaint(c))))
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
				dsn_finish_row(c, &c->rows[i], c->status_fields[i]);
		}
		return;
	}

	/*
	 * 4. human-readable bounces.  An auto-reply that no mail system signed
	 * (no MAILER-DAEMON, no bounce subject) is a vacation message even when
	 * sent with a null Return-Path, as RFC 3834 asks; so is one that a
	 * webmail service sends from its MAILER-DAEMON, when its Subject says it
	 * is an automatic reply and its words report no failure.
	 */
	autoreply = !c->is_report && dsn_is_autoreply(c);
	says_bounce = dsn_headers_say_bounce(c, autoreply) &&
		!(depth == 0 && !c->is_report && dsn_is_person_reply(c)) &&
		!(autoreply && dsn_is_vacation_notice(c));
	if (says_bounce && dsn_is_server_transcript(c))
		return;					/* mail refused on its way in: no bounce of ours */
	if (says_bounce)
	{
		for (k = 0; k < c->ntext && c->nrows == base; k++)
			dsn_text_bounce(c, k);
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
			dsn_text_returned_rcpt(c, k);
		if (finish_text_rows(c, base))
			return;

		/*
		 * A mail system's failure notice that names nobody at all (its
		 * text cut off, or empty): one row without a recipient, so that
		 * the bounce is on record, though it can suppress no one.
		 */
		if (depth == 0 && (dsn_from_mail_system(c) || dsn_is_failure_notice(c)))
		{
			bounce_dsn_rcpt *r = dsn_add_row(c);

			if (r)
			{
				r->evidence = BOUNCE_EVIDENCE_NOTICE;
				r->action = dsn_notice_is_delay(c, 0) ? "delayed" : "failed";
				finish_text_rows(c, base);
			}
			return;
		}
	}

	/*
	 * 5. a machine's notice that attaches a delivery report (a list's "X's
	 * subscription has been disabled", with the bounce that did it): the
	 * report's rows.  Only its delivery-status fields count.
	 */
	if (depth == 0 && !c->is_report && !says_bounce && c->returned.p && c->returned_is_message &&
		dsn_is_automated(c))
	{
		read_nested(c, c->returned.p, c->returned.len, depth + 1, true);
		if (c->nrows > base)
			return;
	}
	/* 6. auto-replies; one from a mail system is a bounce notice, not a vacation */
	if (depth == 0 && !says_bounce && autoreply)
		read_autoreply(c);
	/* 7. complaints in words: an abuse desk's, or the recipient's own reply */
	else if (depth == 0 && !says_bounce && dsn_is_prose_complaint(c))
		read_prose_complaint(c);
}

/*
 * What identifies where a message's rows came from, whatever time it is
 * read again: its Message-ID, else a hash of all its bytes.  Never the
 * time, and never anything the reader decides, so re-reading the same
 * mail (a redelivery after an outage) gives the same key.
 */
static void
message_key(dsn_ctx *c, const char *msg, size_t len, bounce_dsn_info *info)
{
	size_t		vl;
	const char *v = dsn_header(c, "Message-ID", &vl);
	size_t		i;
	size_t		o = 0;

	info->message_id = NULL;
	if (v)
	{
		while (vl > 0 && (is_space(*v) || *v == '<'))
			v++, vl--;
		while (vl > 0 && (is_space(v[vl - 1]) || v[vl - 1] == '>'))
			vl--;
		if (vl > 0)
			info->message_id = bounce_arena_strdup(c->arena, v, vl);
	}
	if (info->message_id)
	{
		/* printable bytes only, cut to fit: "<message-id>" */
		info->key[o++] = '<';
		for (i = 0; i < vl && o < sizeof(info->key) - 2; i++)
			info->key[o++] = (v[i] > 0x20 && v[i] < 0x7f) ? v[i] : '?';
		info->key[o++] = '>';
		info->key[o] = '\0';
	}
	else
	{
		/* "sha256:" and the hex digest of every byte of the mail */
		uint8_t		d[BOUNCE_SHA256_DIGEST];
		static const char hex[] = "0123456789abcdef";

		bounce_sha256(msg, len, d);
		memcpy(info->key, "sha256:", 7);
		for (i = 0; i < BOUNCE_SHA256_DIGEST; i++)
		{
			info->key[7 + 2 * i] = hex[d[i] >> 4];
			info->key[8 + 2 * i] = hex[d[i] & 15];
		}
		info->key[7 + 2 * BOUNCE_SHA256_DIGEST] = '\0';
	}
}

/* Fill the info of one message once it is read. */
static void
message_info(dsn_ctx *c, const char *msg, size_t len, int index, bounce_dsn_info *info)
{
	size_t		dl;
	const char *b;
	size_t		bl;

	memset(info, 0, sizeof(*info));
	info->index = index;
	info->start = msg;
	info->len = len;
	info->nrows = c->nrows;
	info->out_of_memory = c->out_of_memory;
	info->interrupted = c->stopped;
	if (c->returned.p)
		bounce_mime_split(c->returned.p, c->returned.len, &info->returned_headers,
						  &info->returned_headers_len, &b, &bl);
	else if (c->ntext > 0)
		dsn_prose_inline_headers(c, 0, &info->returned_headers, &info->returned_headers_len);
	info->date = dsn_header(c, "Date", &dl);
	message_key(c, msg, len, info);
}

/* Read one message of the input and hand its rows to the sink. */
static int
read_one(const char *msg, size_t len, int index, bounce_arena *arena,
		 const bounce_dsn_sink *sink, bool reuse, bool *stopped)
{
	dsn_ctx		c;
	bounce_dsn_info info;
	size_t		mark = arena->used;
	int			i;

	memset(&c, 0, sizeof(c));
	c.arena = arena;
	c.interrupted = sink->interrupted;
	c.interrupt_ctx = sink->ctx;
	read_message(&c, msg, len, 0, false);
	for (i = 0; i < c.nrows; i++)
		dsn_finish_addresses(&c, &c.rows[i]);
	message_info(&c, msg, len, index, &info);
	for (i = 0; sink->row != NULL && i < c.nrows && !c.stopped; i++)
		sink->row(sink->ctx, &c.rows[i], &info);
	if (sink->message && !c.stopped)
		sink->message(sink->ctx, &info);
	*stopped = c.stopped;
	/* the next message reuses the arena: memory is bounded by the largest one */
	if (reuse)
		arena->used = mark;
	return c.stopped ? 0 : c.nrows;
}

/* Read every message of an input; see dsn.h. */
int
bounce_dsn_read(const char *input, size_t len, bounce_arena *arena,
				const bounce_dsn_sink *sink, int flags)
{
	size_t		at = 0;
	int			index = 0;
	int			total = 0;
	bool		stopped = false;

	if (input == NULL || len == 0)
		return 0;
	/* an mbox file may hold several messages: each is read on its own */
	while (at < len && !stopped)
	{
		size_t		next = (flags & BOUNCE_DSN_ONE_MESSAGE) ? len : bounce_mbox_next(input, len, at);

		total += read_one(input + at, next - at, index++, arena, sink,
						  (flags & BOUNCE_DSN_REUSE_ARENA) != 0, &stopped);
		at = next;
	}
	return stopped ? -1 : total;
}

/* Where the next mail of an mbox file starts; see dsn.h. */
size_t
bounce_mbox_next(const char *input, size_t len, size_t at)
{
	size_t		next = next_mbox_message(input, len, at + (at > 0));

	return next <= at ? len : next;
}

/* Where a notice itself was sent; see dsn.h. */
int
bounce_dsn_notice_to(const char *msg, size_t len, const char **addrs, size_t *lens, int max)
{
	static const char *const names[] = {
		"To", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", NULL
	};
	bounce_field_iter it;
	const char *h;
	const char *b;
	size_t		hl;
	size_t		bl;
	int			count = 0;
	int			k;

	/* the header block read_message() reads */
	skip_blank_lines(&msg, &len);
	bounce_mime_split(msg, len, &h, &hl, &b, &bl);
	bounce_field_iter_init(&it, h, hl);
	while (count < max && bounce_field_next(&it) && !it.blank)
	{
		const char *a;
		size_t		an;

		for (k = 0; names[k] && !bounce_field_is(&it, names[k]); k++)
			;
		if (names[k] == NULL)
			continue;
		while (count < max && (a = bounce_address_find(it.value, it.value_len, &an)) != NULL)
		{
			addrs[count] = a;
			lens[count++] = an;
			it.value_len -= (size_t) (a + an - it.value);
			it.value = a + an;
		}
	}
	return count;
}

/* What bounce_dsn_parse() hands its old-style callback. */
typedef struct parse_ctx
{
	bounce_dsn_cb cb;
	void	   *ctx;
	bounce_dsn_info *info;
	bool		first;
} parse_ctx;

static void
parse_row(void *ctx, const bounce_dsn_rcpt *row, const bounce_dsn_info *msg)
{
	parse_ctx  *p = (parse_ctx *) ctx;

	(void) msg;
	if (p->cb)
		p->cb(p->ctx, row);
}

static void
parse_message(void *ctx, const bounce_dsn_info *msg)
{
	parse_ctx  *p = (parse_ctx *) ctx;

	/* the first message's info, with the rows of all of them */
	if (p->info && p->first)
		*p->info = *msg;
	else if (p->info)
		p->info->nrows += msg->nrows;
	p->first = false;
}

/* Read a message (or an mbox file) with a row callback; see dsn.h. */
int
bounce_dsn_parse(const char *msg, size_t len, bounce_arena *arena,
				 bounce_dsn_cb cb, void *ctx, bounce_dsn_info *info)
{
	parse_ctx	p = {cb, ctx, info, true};
	bounce_dsn_sink sink = {parse_row, parse_message, NULL, &p};

	if (info)
		memset(info, 0, sizeof(*info));
	return bounce_dsn_read(msg, len, arena, &sink, 0);
}
