/*
 * dsn_text.c - the human-readable bounces that carry no delivery-status
 * part (qmail, Exim, old Sendmail, Exchange/Office 365, Gmail, Yahoo,
 * Mail.ru, ...).
 *
 * These MTAs all write the same few things in different words: a list of
 * failed recipients, each at the start of a line (alone, in angle
 * brackets, or followed by a colon), then the remote server's reply
 * (after "said:", "<<<", "returned '", "host x [ip]:" or alone on a line),
 * and finally a copy of the original message.  So the rules below are
 * about that layout, not about any one MTA's sentences: the recipient
 * lines of the prose (dsn_prose.c), and the reply in each recipient's
 * paragraph.  Every step is linear in the text: no recipient is capped.
 */
#include "dsn_text.h"

#include "dsn_base.h"
#include "dsn_notice.h"
#include "dsn_prose.h"

/* Space or tab. */
static inline bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Digit test that is safe for any byte. */
static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* One recipient of the prose and the text under it. */
typedef struct text_rcpt
{
	const char *addr;
	size_t		addr_len;
	size_t		block_start;	/* offset of the recipient's line */
	size_t		block_end;		/* offset where its text ends */
	bool		repeat;			/* the address was listed before */
	int			line;			/* its line in the prose index, -1 */
} text_rcpt;

/*
 * The recipient lines of text part k that name recipients: not the
 * sender's own, not introduced as the sender ("sent by"), each block
 * running to the next such line.  An array in the arena, *n entries.
 */
static text_rcpt *
find_recipients(dsn_ctx *c, int k, int *n)
{
	const dsn_prose *p = dsn_prose_get(c, k);
	text_rcpt  *rc;
	dsn_addr_set seen;
	int			i;

	*n = 0;
	if (p->nlines == 0 ||
		(rc = (text_rcpt *) bounce_arena_alloc(c->arena, sizeof(text_rcpt) * (size_t) p->nlines)) == NULL)
		return NULL;
	dsn_addr_set_init(c, &seen, p->nlines);
	for (i = 0; i < p->nlines; i++)
	{
		const dsn_prose_line *l = &p->lines[i];

		if (l->after_sender || dsn_is_own_address(c, l->addr, l->alen))
			continue;
		/* the addresses of one line ("a@x, b@x") share the block under it */
		if (*n > 0 && rc[*n - 1].block_start != l->start)
		{
			int			j;

			for (j = *n - 1; j >= 0 && rc[j].block_start == rc[*n - 1].block_start; j--)
				rc[j].block_end = l->start;
		}
		rc[*n].addr = l->addr;
		rc[*n].addr_len = l->alen;
		rc[*n].block_start = l->start;
		rc[*n].block_end = p->cut;
		/* a repeated address makes no row; its block may hold the reply */
		rc[*n].repeat = !dsn_addr_set_add(&seen, l->addr, l->alen);
		rc[*n].line = i;
		(*n)++;
	}
	return rc;
}

/* The recipient lines of a bounce's prose, in order; see dsn_text.h. */
int
dsn_text_recipients(dsn_ctx *c, int k, const char **addrs, size_t *lens, int max)
{
	int			n;
	text_rcpt  *rc = find_recipients(c, k, &n);
	int			i;
	int			o = 0;

	for (i = 0; i < n && o < max; i++)
	{
		if (rc[i].repeat)
			continue;
		addrs[o] = rc[i].addr;
		lens[o++] = rc[i].addr_len;
	}
	return o;
}

/*
 * When no line starts with a recipient: lines that name an address and say
 * that delivery to it failed ("Unknown user: a@b", "error delivering your
 * mail to <a@b>"), or in a delay warning that it is delayed ("your message
 * to <a@b> is delayed").  Each such line starts a recipient block.
 */
static text_rcpt *
find_failure_lines(dsn_ctx *c, int k, int *n)
{
	const char *text = c->text_parts[k].p;
	size_t		cut = dsn_prose_len(c, k);
	size_t		pos = 0;
	const char *line;
	size_t		ll;
	int			cap = 0;
	text_rcpt  *rc = NULL;
	dsn_addr_set seen;

	*n = 0;
	dsn_addr_set_init(c, &seen, 64);
	while (pos < cut && !dsn_stop(c))
	{
		size_t		start = pos;
		const char *a;
		size_t		alen;

		bounce_next_line(text, cut, &pos, &line, &ll);
		a = bounce_address_find(line, ll, &alen);
		if (a == NULL || dsn_is_system_address(a, alen) || dsn_is_own_address(c, a, alen))
			continue;
		/* in a delay warning, a line that says the mail to a@b is delayed names it too */
		if (!dsn_says_failure(c, line, ll) &&
			!(c->text_is_warning &&
			  (dsn_signs(c, line, ll) & (BOUNCE_SIGN_DELAY | BOUNCE_SIGN_TEMPORARY))))
			continue;
		if (seen.count * 2 + 2 >= seen.cap)
		{
			/* a long list: a bigger set, refilled */
			dsn_addr_set big;
			int			i;

			dsn_addr_set_init(c, &big, seen.cap);
			for (i = 0; i < *n; i++)
				dsn_addr_set_add(&big, rc[i].addr, rc[i].addr_len);
			seen = big;
		}
		if (!dsn_addr_set_add(&seen, a, alen))
			continue;
		if (*n == cap)
		{
			int			ncap = cap ? cap * 2 : 16;
			text_rcpt  *nr = (text_rcpt *) bounce_arena_alloc(c->arena, sizeof(text_rcpt) * (size_t) ncap);

			if (nr == NULL)
			{
				c->out_of_memory = true;
				break;
			}
			if (*n > 0)
				memcpy(nr, rc, sizeof(text_rcpt) * (size_t) *n);
			rc = nr;
			cap = ncap;
		}
		if (*n > 0)
			rc[*n - 1].block_end = start;
		rc[*n].addr = a;
		rc[*n].addr_len = alen;
		rc[*n].block_start = start;
		rc[*n].block_end = cut;
		rc[*n].repeat = false;
		rc[*n].line = -1;
		(*n)++;
	}
	return rc;
}


/* Make a text-bounce row for addr with the reply found in its block. */
static void
add_text_row(dsn_ctx *c, const char *addr, size_t alen, const char *reply, size_t rl,
			 bounce_dsn_evidence evidence)
{
	bounce_dsn_rcpt *r = dsn_add_row(c);

	if (r == NULL)
		return;
	r->kind = BOUNCE_DSN_TEXT;
	r->evidence = evidence;
	r->recipient = addr ? bounce_arena_strdup(c->arena, addr, alen) : NULL;
	r->diagnostic = reply ? dsn_strdup_trim(c, reply, rl) : NULL;
	r->action = c->text_is_warning ? "delayed" : "failed";
}

/*
 * Sendmail writes its own summary of a failure ("554 <a@b>... Remote
 * protocol error") right under the server's reply in the transcript
 * ("<<< 550 Insecure Mail Relay"): the server's words are the ones that
 * tell why.  Moves *reply to that "<<<" line when it directly precedes.
 */
static void
prefer_server_reply(const char *text, const char **reply, size_t *rl)
{
	const char *p = *reply;
	const char *prev_end;
	const char *prev;
	const char *eol;

	if (p == NULL || p <= text || (p[-1] != '\n' && p[-1] != '\r'))
		return;
	/* the line before: skip its line break, then back to its start */
	prev_end = p - 1;
	if (prev_end > text && prev_end[0] == '\n' && prev_end[-1] == '\r')
		prev_end--;
	prev = prev_end;
	while (prev > text && prev[-1] != '\n' && prev[-1] != '\r')
		prev--;
	while (prev < prev_end && is_wsp(*prev))
		prev++;
	if (prev_end - prev < 7 || memcmp(prev, "<<< ", 4) != 0 ||
		!(prev[4] == '4' || prev[4] == '5') || !is_digit(prev[5]) || !is_digit(prev[6]))
		return;
	eol = prev_end;
	*reply = prev + 4;
	*rl = (size_t) (eol - *reply);
}

/*
 * The envelope recipient of a returned original's header block: the
 * address of its "Received: ... for <a@b>" lines, when they name exactly
 * one that is not the sender's or the list's (a list's copy to one
 * subscriber names the subscriber there, while its To is the list).
 */
static const char *
envelope_recipient(dsn_ctx *c, const char *h, size_t hl, size_t *an)
{
	bounce_field_iter it;
	const char *found = NULL;
	size_t		flen = 0;

	bounce_field_iter_init(&it, h, hl);
	while (bounce_field_next(&it))
	{
		const char *hit;
		const char *a;
		size_t		al;

		if (!bounce_field_is(&it, "Received"))
			continue;
		/* "for <a@b>", after any white space (the field may be folded there) */
		for (hit = it.value; (hit = bounce_memifind(hit, (size_t) (it.value + it.value_len - hit), "for ")) != NULL; hit += 4)
			if (hit > it.value && (hit[-1] == ' ' || hit[-1] == '\t' || hit[-1] == '\n' || hit[-1] == '\r'))
				break;
		if (hit == NULL)
			continue;
		hit += 4;
		a = bounce_address_find(hit, (size_t) (it.value + it.value_len - hit), &al);
		if (a == NULL || a - hit > 2 || dsn_is_own_address(c, a, al))
			continue;
		if (found && !(flen == al && dsn_span_ieq(found, a, al)))
			return NULL;		/* two different ones: whose it is cannot be told */
		found = a;
		flen = al;
	}
	*an = flen;
	return found;
}

/*
 * The address the returned original was sent to, when the notice names
 * the recipient nowhere else: its envelope (Received: ... for), else its
 * To unless that is the list's own address (a list mail: List-Id or
 * List-Post) or the sender's.  From the attached message (or its
 * headers), else from the copy inline in the text after the prose.
 * *evidence says which.
 */
static const char *
returned_to(dsn_ctx *c, int k, size_t len, size_t cut, size_t *an,
			bounce_dsn_evidence *evidence)
{
	const char *a;
	const char *v;
	size_t		vl;
	const char *h = NULL;
	size_t		hl = 0;

	if (c->returned.p)
	{
		const char *b;
		size_t		bodyl;

		bounce_mime_split(c->returned.p, c->returned.len, &h, &hl, &b, &bodyl);
	}
	else if (cut < len)
		dsn_prose_inline_headers(c, k, &h, &hl);
	if (h == NULL || hl == 0)
		return NULL;
	if ((a = envelope_recipient(c, h, hl, an)) != NULL)
	{
		*evidence = BOUNCE_EVIDENCE_ENVELOPE;
		return a;
	}
	if (bounce_header_get(h, hl, "List-Id", c->arena, &vl) ||
		bounce_header_get(h, hl, "List-Post", c->arena, &vl))
		return NULL;			/* a list mail: its To is the list */
	v = bounce_header_get(h, hl, "To", c->arena, &vl);
	if (v && (a = bounce_address_find(v, vl, an)) != NULL && !dsn_is_own_address(c, a, *an))
	{
		*evidence = BOUNCE_EVIDENCE_RETURNED_TO;
		return a;
	}
	return NULL;
}
/* The returned original's envelope or To, named nowhere else; see dsn_text.h. */
const char *
dsn_returned_address(dsn_ctx *c, int k, size_t *an, bounce_dsn_evidence *evidence)
{
	if (k < 0 || k >= c->ntext)
		return c->returned.p ? returned_to(c, 0, 0, 0, an, evidence) : NULL;
	return returned_to(c, k, c->text_parts[k].len, dsn_prose_len(c, k), an, evidence);
}

/*
 * The best reply for recipient i: its paragraph's, or a later paragraph of
 * the same address (Exchange lists it once in the notice, once under
 * "Diagnostic information") with the server's reply, which beats a mere
 * enhanced code in the prose.  Later paragraphs are found through the
 * prose index, not by rescanning.
 */
static bool
best_reply(dsn_ctx *c, int k, const text_rcpt *rc, int i, const int *rc_of_line,
		   const char **best, size_t *bl)
{
	const dsn_prose *p = dsn_prose_get(c, k);
	const char *text = p->text;
	const char *reply;
	size_t		rl;
	bool		basic = false;
	int			j;

	*best = NULL;
	*bl = 0;
	if (dsn_reply_in_block_q(text, rc[i].block_start, rc[i].block_end, &reply, &rl, true, &basic))
	{
		*best = reply;
		*bl = rl;
	}
	for (j = rc[i].line >= 0 ? p->lines[rc[i].line].next_same : -1; j >= 0 && !basic;
		 j = p->lines[j].next_same)
	{
		bool		b2 = false;
		int			r = rc_of_line[j];

		if (r > i && rc[r].repeat && rc[r].addr_len == rc[i].addr_len &&
			dsn_span_ieq(rc[r].addr, rc[i].addr, rc[i].addr_len) &&
			dsn_reply_in_block_q(text, rc[r].block_start, rc[r].block_end, &reply, &rl, true, &b2) &&
			(*best == NULL || b2))
		{
			*best = reply;
			*bl = rl;
			basic = b2;
		}
	}
	return *best != NULL;
}

/* Read a plain-text bounce; see dsn_text.h. */
int
dsn_text_bounce(dsn_ctx *c, int k)
{
	const char *text = c->text_parts[k].p;
	size_t		len = c->text_parts[k].len;
	size_t		cut = dsn_prose_len(c, k);
	const dsn_prose *p = dsn_prose_get(c, k);
	int			n;
	text_rcpt  *rc = find_recipients(c, k, &n);
	int		   *rc_of_line = NULL;
	bool		failed_list;
	int			before = c->nrows;
	int			i;
	bool		have_whole;
	const char *whole = NULL;
	size_t		whole_len = 0;

	have_whole = dsn_reply_in_block(text, 0, cut, &whole, &whole_len, true);
	/* "THIS IS A WARNING MESSAGE ONLY", "has not yet been delivered": not a failure yet */
	c->text_is_warning = dsn_notice_is_delay(c, k);
	if (n == 0)
		rc = find_failure_lines(c, k, &n);
	else if (p->nlines > 0 &&
			 (rc_of_line = (int *) bounce_arena_alloc(c->arena, sizeof(int) * (size_t) p->nlines)) != NULL)
	{
		for (i = 0; i < p->nlines; i++)
			rc_of_line[i] = -1;
		for (i = 0; i < n; i++)
			rc_of_line[rc[i].line] = i;
	}

	for (i = 0; i < n && !dsn_stop(c); i++)
	{
		const char *best = NULL;
		size_t		bl = 0;

		if (rc[i].repeat)
			continue;
		if (rc_of_line)
			best_reply(c, k, rc, i, rc_of_line, &best, &bl);
		else
			dsn_reply_in_block(text, rc[i].block_start, rc[i].block_end, &best, &bl, true);
		if (best == NULL)
		{
			/* a list of addresses shares the reply after its last one */
			int			j = i;

			while (j + 1 < n && rc[j + 1].block_start == rc[j].block_end &&
				   dsn_block_is_bare(text, rc[j].block_start, rc[j].block_end))
				j++;
			if (j != i)
				dsn_reply_in_block(text, rc[j].block_start, rc[j].block_end, &best, &bl, true);
		}
		if (best == NULL && n == 1 && have_whole)
		{
			best = whole;
			bl = whole_len;
		}
		if (best == NULL)
			dsn_reply_in_block(text, rc[i].block_start, rc[i].block_end, &best, &bl, false);
		prefer_server_reply(text, &best, &bl);
		add_text_row(c, rc[i].addr, rc[i].addr_len, best, bl, BOUNCE_EVIDENCE_PROSE);
	}
	if (c->nrows > before)
		return c->nrows - before;

	/* no recipient line: Exim's header list, else the reply must be there */
	{
		size_t		vl;
		const char *v = dsn_header(c, "X-Failed-Recipients", &vl);
		const char *a;
		size_t		an;
		bounce_dsn_evidence ev = BOUNCE_EVIDENCE_RETURNED_TO;

		failed_list = (v != NULL);
		if (!have_whole && !failed_list)
			return 0;
		if (!have_whole)
			dsn_reply_in_block(text, 0, cut, &whole, &whole_len, false);
		if (failed_list)
		{
			/* Exim lists them, comma-separated */
			while ((a = bounce_address_find(v, vl, &an)) != NULL)
			{
				add_text_row(c, a, an, whole, whole_len, BOUNCE_EVIDENCE_FAILED_HEADER);
				vl -= (size_t) (a + an - v);
				v = a + an;
			}
			return c->nrows - before;
		}
		/* an address in the prose that is not the bounce's own */
		{
			const char *q = text;
			size_t		left = cut;

			while ((a = bounce_address_find(q, left, &an)) != NULL)
			{
				if (!dsn_is_system_address(a, an) && !dsn_is_own_address(c, a, an))
				{
					add_text_row(c, a, an, whole, whole_len, BOUNCE_EVIDENCE_PROSE);
					return 1;
				}
				left -= (size_t) (a + an - q);
				q = a + an;
			}
		}
		/* the returned original's envelope or To */
		if ((a = returned_to(c, k, len, cut, &an, &ev)) != NULL)
		{
			add_text_row(c, a, an, whole, whole_len, ev);
			return 1;
		}
	}
	return c->nrows - before;
}

/* Notice with no recipient and no reply; see dsn_text.h. */
int
dsn_text_returned_rcpt(dsn_ctx *c, int k)
{
	const char *text = c->text_parts[k].p;
	size_t		len = c->text_parts[k].len;
	size_t		cut = dsn_prose_len(c, k);
	const char *a;
	size_t		an;
	const char *words = NULL;
	size_t		wl = 0;
	bounce_dsn_evidence ev = BOUNCE_EVIDENCE_RETURNED_TO;

	/* the words must say that delivery failed, not merely name an address */
	if (!dsn_says_failure(c, text, cut) || (a = returned_to(c, k, len, cut, &an, &ev)) == NULL)
		return 0;
	dsn_reply_in_block(text, 0, cut, &words, &wl, false);
	add_text_row(c, a, an, words, wl, ev);
	return 1;
}
