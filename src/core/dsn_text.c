/*
 * dsn_text.c - the human-readable bounces that carry no delivery-status
 * part (qmail, Exim, old Sendmail, Exchange/Office 365, Gmail, Yahoo,
 * Mail.ru, ...), and the reply text a DSN's human part gives for a
 * recipient its Diagnostic-Code leaves out.
 *
 * These MTAs all write the same few things in different words: a list of
 * failed recipients, each at the start of a line (alone, in angle
 * brackets, or followed by a colon), then the remote server's reply
 * (after "said:", "<<<", "returned '", "host x [ip]:" or alone on a line),
 * and finally a copy of the original message.  So the rules below are
 * about that layout, not about any one MTA's sentences: find where the
 * returned copy starts, find the recipient lines before it, and take the
 * reply from each recipient's paragraph.
 */
#include "dsn_int.h"

#include <string.h>

/* The longest reply text taken from a bounce's prose. */
#define MAX_REPLY_BYTES 1200

/*
 * The longest prose taken when a block has no reply code and only its
 * words can tell: larger, as a notice in a non-Latin script takes two or
 * three bytes a character.
 */
#define MAX_PROSE_BYTES 4096

/* One recipient line and the text under it. */
typedef struct text_rcpt
{
	const char *addr;
	size_t		addr_len;
	size_t		block_start;	/* offset of the recipient's line */
	size_t		block_end;		/* offset where its text ends */
	bool		repeat;			/* the address was listed before */
} text_rcpt;

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

/* ASCII case-insensitive equality of two spans of n bytes. */
static bool
span_ieq(const char *a, const char *b, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		char		x = a[i];
		char		y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char) (x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char) (y + 32);
		if (x != y)
			return false;
	}
	return true;
}

/* Local part names that only mail systems use. */
static bool
is_system_address(const char *a, size_t len)
{
	/* postmaster@ is a real mailbox and can be the failed recipient */
	return bounce_istarts(a, len, "mailer-daemon@") ||
		bounce_istarts(a, len, "mailer_daemon@");
}

/*
 * True when a line (up to the line end) marks the start of the returned
 * original message, or of the headers copied from it.
 */
static bool
is_returned_marker(const char *line, size_t ll)
{
	static const char *const phrases[] = {
		"copy of the message", "copy of your message", "original message follows",
		"original message ----", "original message:", "-- original message",
		"original message headers", "the original message was",
		"message headers follow", "undelivered message", "returned message",
		"below this line is a copy", "unsent message below", "header of the original",
		"headers of the original",
		"content-type: message/rfc822", "your message reads", "original-message",
		"message text follows", "included is a copy", "attached is a copy",
		NULL
	};
	size_t		i = 0;
	int			k;
	char		low[128];
	size_t		n;

	while (i < ll && (is_wsp(line[i]) || line[i] == '-' || line[i] == '=' ||
					  line[i] == '*' || line[i] == '_'))
		i++;
	if (i == ll)
		return false;
	/* "The original message was received at ..." is the start of Sendmail's note */
	if (bounce_istarts(line + i, ll - i, "The original message was received"))
		return false;
	/* the markers are short lines: look at a lower-cased head of the line */
	for (n = 0; n < sizeof(low) - 1 && i + n < ll; n++)
	{
		char		ch = line[i + n];

		low[n] = (ch >= 'A' && ch <= 'Z') ? (char) (ch + 32) : (ch ? ch : ' ');
	}
	low[n] = '\0';
	for (k = 0; phrases[k]; k++)
		if (strstr(low, phrases[k]) != NULL)
			return true;
	/* a copied header block begins with one of these */
	if (bounce_istarts(line, ll, "Received: ") || bounce_istarts(line, ll, "Return-Path:") ||
		bounce_istarts(line, ll, "DKIM-Signature:") ||
		bounce_istarts(line, ll, "Message-ID:") || bounce_istarts(line, ll, "MIME-Version:"))
		return true;
	return false;
}

/* Offset where the prose ends and the returned copy begins. */
static size_t
prose_end(const char *text, size_t len)
{
	size_t		pos = 0;
	const char *line;
	size_t		ll;

	while (pos < len)
	{
		size_t		start = pos;

		bounce_next_line(text, len, &pos, &line, &ll);
		/* the very first line never ends the prose (Exim starts "This message...") */
		if (start > 0 && is_returned_marker(line, ll))
			return start;
	}
	return len;
}

/*
 * A recipient line: after indentation, an address alone, in brackets, or
 * followed by ':', '...', ' (', '<mailto:' or a short text.  Returns the
 * address, or NULL.
 */
static const char *
recipient_line(const char *line, size_t ll, size_t *alen)
{
	size_t		i = 0;
	const char *a;
	size_t		n;
	size_t		after;
	bool		bracket = false;

	while (i < ll && is_wsp(line[i]))
		i++;
	/* a list bullet: "* user@x", "- user@x" */
	if (i + 1 < ll && (line[i] == '*' || line[i] == '-') && is_wsp(line[i + 1]))
	{
		i += 2;
		while (i < ll && is_wsp(line[i]))
			i++;
	}
	if (i < ll && (line[i] == '<' || line[i] == '"'))
	{
		bracket = true;
		i++;
	}
	if (i >= ll)
		return NULL;
	a = bounce_address_find(line + i, ll - i, &n);
	if (a == NULL || a != line + i)
		return NULL;
	after = (size_t) (a - line) + n;
	if (bracket)
	{
		/* "<a@b>" or "\"a@b\"" (GMX) */
		if (after >= ll || (line[after] != '>' && line[after] != '"') ||
			(line[after] == '"') != (line[i - 1] == '"'))
			return NULL;
		after++;
	}
	while (after < ll && is_wsp(line[after]))
		after++;
	/* then the line end, punctuation or words ("user@x [User unknown]") */
	if (after == ll || after > (size_t) (a - line) + n || line[after] == ':' ||
		line[after] == '.' || line[after] == '(' || line[after] == ',' ||
		line[after] == ';' || line[after] == '[' ||
		(line[after] == '<' && bounce_istarts(line + after, ll - after, "<mailto:")) ||
		bracket)
	{
		if (is_system_address(a, n))
			return NULL;
		*alen = n;
		return a;
	}
	return NULL;
}

/*
 * Position of a reply code in a line: three digits 2xx-5xx, followed by a
 * space, '-' or the line end, at the line start (after "<<<" or quotes)
 * or right after "said:", "]:", ": ", "'" or "#".  -1 when none.
 */
static long
reply_code_at(const char *line, size_t ll)
{
	size_t		i;

	for (i = 0; i + 3 <= ll; i++)
	{
		char		prev;
		size_t		j;

		if (!(line[i] >= '2' && line[i] <= '5') || !is_digit(line[i + 1]) ||
			!is_digit(line[i + 2]))
			continue;
		if (i + 3 < ll && !(is_wsp(line[i + 3]) || line[i + 3] == '-' ||
							line[i + 3] == ',' || line[i + 3] == ':'))
			continue;
		/* what comes before: only the line start, white space and quotes */
		j = i;
		while (j > 0 && (is_wsp(line[j - 1]) || line[j - 1] == '<' ||
						 line[j - 1] == '\'' || line[j - 1] == '"' || line[j - 1] == '#'))
			j--;
		if (j == 0)
			return (long) i;
		prev = line[j - 1];
		if (prev == ':' || prev == '(' || prev == '>')
		{
			/* not inside a time "12:34:550" or an address "ip]:25" */
			if (j >= 2 && is_digit(line[j - 2]) && prev == ':')
				continue;
			return (long) i;
		}
		/* "host x said: 550", "Remote Server returned '550 ...'" */
		if ((j >= 4 && bounce_istarts(line + j - 4, 4, "said")) ||
			(j >= 8 && bounce_istarts(line + j - 8, 8, "returned")))
			return (long) i;
	}
	return -1;
}

/* True when the line carries an enhanced status code x.y.z. */
static bool
has_enhanced(const char *line, size_t ll)
{
	size_t		i;

	for (i = 0; i + 5 <= ll; i++)
	{
		size_t		j;

		if (!(line[i] == '2' || line[i] == '4' || line[i] == '5') || line[i + 1] != '.')
			continue;
		if (i > 0 && (is_digit(line[i - 1]) || line[i - 1] == '.'))
			continue;
		j = i + 2;
		if (!is_digit(line[j]))
			continue;
		while (j < ll && is_digit(line[j]))
			j++;
		if (j + 1 < ll && line[j] == '.' && is_digit(line[j + 1]))
			return true;
	}
	return false;
}

/*
 * True when a transcript line starts something else than the reply at
 * 'first' goes on with: a command or reply line (">>> ", "<<< "), a reply
 * with another code (Sendmail's "550 host (smtp)... ..." for the next
 * recipient), or "while talking to".  "550-" continuations of the same
 * code are the same reply.
 */
static bool
ends_reply(const char *line, size_t ll, const char *first)
{
	size_t		i = 0;

	while (i < ll && is_wsp(line[i]))
		i++;
	if (ll - i >= 4 && (memcmp(line + i, ">>> ", 4) == 0 || memcmp(line + i, "<<< ", 4) == 0))
		return true;
	if (bounce_istarts(line + i, ll - i, "while talking to") ||
		bounce_istarts(line + i, ll - i, "... while talking to"))
		return true;
	if (ll - i >= 4 && (line[i] == '4' || line[i] == '5') && is_digit(line[i + 1]) &&
		is_digit(line[i + 2]) && line[i + 3] == ' ' && memcmp(line + i, first, 3) != 0)
		return true;
	return false;
}

static bool reply_in_block_q(const char *text, size_t start, size_t end,
							 const char **reply, size_t *reply_len, bool need_code,
							 bool *basic);

/*
 * The reply inside text[start, end): the first line with a reply code,
 * from the code to the end of its paragraph; else the first paragraph
 * with an enhanced code; else the first non-empty paragraph.
 */
static bool
reply_in_block(const char *text, size_t start, size_t end,
			   const char **reply, size_t *reply_len, bool need_code)
{
	return reply_in_block_q(text, start, end, reply, reply_len, need_code, NULL);
}

/* reply_in_block(), telling in *basic whether the reply has a basic code. */
static bool
reply_in_block_q(const char *text, size_t start, size_t end,
				 const char **reply, size_t *reply_len, bool need_code, bool *basic)
{
	size_t		pos = start;
	const char *line;
	size_t		ll;
	const char *found = NULL;
	const char *fallback = NULL;
	const char *enh = NULL;

	while (pos < end)
	{
		long		at;

		bounce_next_line(text, end, &pos, &line, &ll);
		if (ll == 0)
			continue;
		at = reply_code_at(line, ll);
		/* a failure reply, not "250 OK" or "354 go ahead" of a transcript */
		if (at >= 0 && (line[at] == '4' || line[at] == '5'))
		{
			found = line + at;
			break;
		}
		if (enh == NULL && has_enhanced(line, ll))
			enh = line;
		if (fallback == NULL)
			fallback = line;
	}
	if (basic)
		*basic = (found != NULL);
	if (found == NULL)
		found = enh;
	if (found == NULL && !need_code && fallback != NULL)
	{
		/* no code at all: the words of the whole block must do */
		size_t		from = (size_t) (fallback - text);

		*reply = fallback;
		*reply_len = end - from > MAX_PROSE_BYTES ? MAX_PROSE_BYTES : end - from;
		return *reply_len > 0;
	}
	if (found == NULL)
		return false;

	/* extend to the end of the paragraph, within bounds */
	pos = (size_t) (found - text);
	{
		size_t		stop = pos;
		size_t		p2 = pos;

		while (p2 < end && bounce_next_line(text, end, &p2, &line, &ll))
		{
			size_t		k;
			bool		blank = true;

			for (k = 0; k < ll; k++)
				if (!is_wsp(line[k]))
					blank = false;
			if (blank)
				break;
			/* a transcript goes on with other replies, not this one's text */
			if (line > found && ends_reply(line, ll, found))
				break;
			stop = (size_t) (line - text) + ll;
			if (stop - pos > MAX_REPLY_BYTES)
				break;
		}
		*reply = found;
		*reply_len = (stop > pos ? stop - pos : 0);
		if (*reply_len > MAX_REPLY_BYTES)
			*reply_len = MAX_REPLY_BYTES;
	}
	return *reply_len > 0;
}

/* A line of nothing but white space. */
static bool
is_blank_line(const char *line, size_t ll)
{
	size_t		i;

	for (i = 0; i < ll; i++)
		if (!is_wsp(line[i]))
			return false;
	return true;
}

/*
 * True when the line before an address introduces the sender, not a
 * recipient ("A message sent by" / "<a@b>", "from" / "<a@b>").
 */
static bool
after_sender_words(const char *prev, size_t len)
{
	while (len > 0 && (is_wsp(prev[len - 1]) || prev[len - 1] == ':'))
		len--;
	return prev != NULL &&
		((len >= 7 && span_ieq(prev + len - 7, "sent by", 7)) ||
		 (len >= 5 && span_ieq(prev + len - 5, " from", 5)) ||
		 (len == 4 && span_ieq(prev, "from", 4)));
}

/* True when 'a' is already one of the first n recipients (case-insensitive). */
static bool
rcpt_seen(const text_rcpt *out, int n, const char *a, size_t alen)
{
	int			k;

	for (k = 0; k < n; k++)
		if (out[k].addr_len == alen && span_ieq(out[k].addr, a, alen))
			return true;
	return false;
}

/*
 * Append a recipient whose block starts at 'start': the previous block ends
 * there, the new one runs to 'cut' until a later recipient ends it.
 */
static int
rcpt_push(text_rcpt *out, int n, const char *a, size_t alen,
		  size_t start, size_t cut, bool repeat)
{
	if (n > 0)
		out[n - 1].block_end = start;
	out[n].addr = a;
	out[n].addr_len = alen;
	out[n].block_start = start;
	out[n].block_end = cut;
	out[n].repeat = repeat;
	return n + 1;
}

/* Find the recipient lines of text[0, cut). */
static int
find_recipients(dsn_ctx *c, const char *text, size_t cut, text_rcpt *out, int max)
{
	size_t		pos = 0;
	const char *line;
	size_t		ll;
	int			n = 0;
	const char *prev = NULL;
	size_t		prev_len = 0;

	while (pos < cut && n < max)
	{
		size_t		start = pos;
		const char *a;
		size_t		alen;

		bounce_next_line(text, cut, &pos, &line, &ll);
		a = recipient_line(line, ll, &alen);
		if (a == NULL || dsn_is_own_address(c, a, alen) ||
			after_sender_words(prev, prev_len))
		{
			if (!is_blank_line(line, ll))
			{
				prev = line;
				prev_len = ll;
			}
			continue;
		}
		prev = line;
		prev_len = ll;
		/* a repeated address makes no row; its block may hold the reply */
		n = rcpt_push(out, n, a, alen, start, cut, rcpt_seen(out, n, a, alen));
	}
	return n;
}

/* The recipient lines of a bounce's prose, in order; see dsn_int.h. */
int
dsn_text_recipients(dsn_ctx *c, const char *text, size_t len, const char **addrs,
					size_t *lens, int max)
{
	text_rcpt	rc[64];
	int			n = find_recipients(c, text, prose_end(text, len), rc, 64);
	int			k;
	int			o = 0;

	for (k = 0; k < n && o < max; k++)
	{
		if (rc[k].repeat)
			continue;
		addrs[o] = rc[k].addr;
		lens[o++] = rc[k].addr_len;
	}
	return o;
}

/* True when a line's words say that delivery failed (a sign of the phrase table). */
static bool
says_failure(dsn_ctx *c, const char *line, size_t ll)
{
	return (dsn_signs(c, line, ll) & BOUNCE_SIGN_FAILURE) != 0;
}

/*
 * When no line starts with a recipient: lines that name an address and say
 * that delivery to it failed ("Unknown user: a@b", "error delivering your
 * mail to <a@b>").  Each such line starts a recipient block.
 */
static int
find_failure_lines(dsn_ctx *c, const char *text, size_t cut, text_rcpt *out, int max)
{
	size_t		pos = 0;
	const char *line;
	size_t		ll;
	int			n = 0;

	while (pos < cut && n < max)
	{
		size_t		start = pos;
		const char *a;
		size_t		alen;

		bounce_next_line(text, cut, &pos, &line, &ll);
		a = bounce_address_find(line, ll, &alen);
		if (a == NULL || is_system_address(a, alen) || dsn_is_own_address(c, a, alen) ||
			!says_failure(c, line, ll))
			continue;
		if (rcpt_seen(out, n, a, alen))
			continue;
		n = rcpt_push(out, n, a, alen, start, cut, false);
	}
	return n;
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
	const char *n;
	const char *v;
	size_t		nl;
	size_t		vl;
	bool		blank;
	const char *found = NULL;
	size_t		flen = 0;

	bounce_field_iter_init(&it, h, hl);
	while (bounce_field_next(&it, &n, &nl, &v, &vl, &blank))
	{
		const char *hit;
		const char *a;
		size_t		al;

		if (!bounce_ieq(n, nl, "Received"))
			continue;
		/* "for <a@b>", after any white space (the field may be folded there) */
		for (hit = v; (hit = bounce_memifind(hit, (size_t) (v + vl - hit), "for ")) != NULL; hit += 4)
			if (hit > v && (hit[-1] == ' ' || hit[-1] == '\t' || hit[-1] == '\n' || hit[-1] == '\r'))
				break;
		if (hit == NULL)
			continue;
		hit += 4;
		a = bounce_address_find(hit, (size_t) (v + vl - hit), &al);
		if (a == NULL || a - hit > 2 || dsn_is_own_address(c, a, al))
			continue;
		if (found && !(flen == al && span_ieq(found, a, al)))
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
returned_to(dsn_ctx *c, const char *text, size_t len, size_t cut, size_t *an,
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
	{
		/* the copy inline in the text: its header block after the prose */
		const char *b;
		size_t		bodyl;
		size_t		pos = cut;
		const char *line;
		size_t		ll;

		/* skip the marker line ("--- Below this line is a copy ...") */
		bounce_next_line(text, len, &pos, &line, &ll);
		while (pos < len && text[pos] == '\n')
			pos++;
		bounce_mime_split(text + pos, len - pos, &h, &hl, &b, &bodyl);
		if (hl == 0)
		{
			h = text + cut;
			hl = len - cut;
		}
	}
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

/* Read a plain-text bounce; see dsn_int.h. */
int
dsn_text_bounce(dsn_ctx *c, const char *text, size_t len)
{
	size_t		cut = prose_end(text, len);
	text_rcpt	rc[64];
	int			n = find_recipients(c, text, cut, rc, 64);
	bool		failed_list;
	int			before = c->nrows;
	int			i;
	const char *reply;
	size_t		rl;
	bool		have_whole;
	const char *whole = NULL;
	size_t		whole_len = 0;

	have_whole = reply_in_block(text, 0, cut, &whole, &whole_len, true);
	/* "THIS IS A WARNING MESSAGE ONLY", "has not yet been delivered": not a failure yet */
	c->text_is_warning = dsn_notice_is_delay(c, text, cut);
	if (n == 0)
		n = find_failure_lines(c, text, cut, rc, 64);

	for (i = 0; i < n; i++)
	{
		const char *best = NULL;
		size_t		bl = 0;
		int			k;
		bool		basic = false;

		if (rc[i].repeat)
			continue;
		if (reply_in_block_q(text, rc[i].block_start, rc[i].block_end, &reply, &rl,
							 true, &basic))
		{
			best = reply;
			bl = rl;
		}
		/*
		 * The same address listed again later (Exchange: once in the notice,
		 * once under "Diagnostic information") may carry the server's reply,
		 * which beats a mere enhanced code in the prose.
		 */
		for (k = i + 1; k < n && !basic; k++)
		{
			bool		b2 = false;

			if (rc[k].repeat && rc[k].addr_len == rc[i].addr_len &&
				span_ieq(rc[k].addr, rc[i].addr, rc[i].addr_len) &&
				reply_in_block_q(text, rc[k].block_start, rc[k].block_end, &reply, &rl,
								 true, &b2) &&
				(best == NULL || b2))
			{
				best = reply;
				bl = rl;
				basic = b2;
			}
		}
		if (best == NULL && n - 0 == 1 && have_whole)
		{
			best = whole;
			bl = whole_len;
		}
		if (best == NULL)
			reply_in_block(text, rc[i].block_start, rc[i].block_end, &best, &bl, false);
		prefer_server_reply(text, &best, &bl);
		add_text_row(c, rc[i].addr, rc[i].addr_len, best, bl, BOUNCE_EVIDENCE_PROSE);
	}
	if (c->nrows > before)
		return c->nrows - before;

	/* no recipient line: Exim's header list, else the reply must be there */
	{
		size_t		vl;
		const char *v = bounce_header_get(c->hdrs, c->hdrs_len, "X-Failed-Recipients",
										  c->arena, &vl);
		const char *a;
		size_t		an;

		bounce_dsn_evidence ev = BOUNCE_EVIDENCE_RETURNED_TO;

		failed_list = (v != NULL);
		if (!have_whole && !failed_list)
			return 0;
		if (!have_whole)
			reply_in_block(text, 0, cut, &whole, &whole_len, false);
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
			const char *p = text;
			size_t		left = cut;

			while ((a = bounce_address_find(p, left, &an)) != NULL)
			{
				if (!is_system_address(a, an) && !dsn_is_own_address(c, a, an))
				{
					add_text_row(c, a, an, whole, whole_len, BOUNCE_EVIDENCE_PROSE);
					return 1;
				}
				left -= (size_t) (a + an - p);
				p = a + an;
			}
		}
		/* the returned original's envelope or To */
		if ((a = returned_to(c, text, len, cut, &an, &ev)) != NULL)
		{
			add_text_row(c, a, an, whole, whole_len, ev);
			return 1;
		}
	}
	return c->nrows - before;
}

/* Notice with no recipient and no reply; see dsn_int.h. */
int
dsn_text_returned_rcpt(dsn_ctx *c, const char *text, size_t len)
{
	size_t		cut = prose_end(text, len);
	const char *a;
	size_t		an;
	const char *words = NULL;
	size_t		wl = 0;
	bounce_dsn_evidence ev = BOUNCE_EVIDENCE_RETURNED_TO;

	/* the words must say that delivery failed, not merely name an address */
	if (!says_failure(c, text, cut) || (a = returned_to(c, text, len, cut, &an, &ev)) == NULL)
		return 0;
	reply_in_block(text, 0, cut, &words, &wl, false);
	add_text_row(c, a, an, words, wl, ev);
	return 1;
}

/*
 * The paragraph of one recipient in a bounce's prose: from its recipient
 * line to the next recipient line (or the end of the prose).
 */
static bool
recipient_block(const char *text, size_t from, size_t cut, const char *rcpt,
				size_t *bstart, size_t *bend)
{
	size_t		pos = from;
	const char *line;
	size_t		ll;
	size_t		rlen = strlen(rcpt);

	while (pos < cut)
	{
		size_t		start = pos;
		const char *a;
		size_t		alen;

		bounce_next_line(text, cut, &pos, &line, &ll);
		a = recipient_line(line, ll, &alen);
		if (a && alen == rlen && span_ieq(a, rcpt, alen))
		{
			size_t		end = pos;
			size_t		p2 = pos;
			size_t		n2;

			while (p2 < cut)
			{
				bounce_next_line(text, cut, &p2, &line, &ll);
				if (recipient_line(line, ll, &n2))
					break;
				end = p2;
			}
			*bstart = start;
			*bend = end;
			return true;
		}
	}
	return false;
}

/*
 * The address a failed one was made from, as a notice tells it: Exim's
 * "(generated from a@b)" / "(ultimately generated from a@b)", Sendmail's
 * "(expanded from: <a@b>)", under the failed address (an alias's target,
 * a forward, a program).  The first such address in text[from, to).
 */
static const char *
expanded_from(const char *text, size_t from, size_t to, size_t *alen)
{
	static const char *const words[] = {"generated from", "expanded from", NULL};
	int			k;

	for (k = 0; words[k]; k++)
	{
		const char *hit = bounce_memifind(text + from, to - from, words[k]);
		const char *a;
		size_t		rest;

		if (hit == NULL)
			continue;
		hit += strlen(words[k]);
		rest = (size_t) (text + to - hit);
		/* the address follows at once: ": <a@b>)" or " a@b)" */
		a = bounce_address_find(hit, rest < 8 + BOUNCE_ADDRESS_MAX ? rest : 8 + BOUNCE_ADDRESS_MAX, alen);
		if (a && a - hit <= 4)
			return a;
	}
	return NULL;
}

/* The address the sender used for a failed one; see dsn_int.h. */
const char *
dsn_text_original_for(dsn_ctx *c, const char *text, size_t len, const char *rcpt,
					  bool only_row)
{
	size_t		cut = prose_end(text, len);
	size_t		start;
	size_t		end;
	size_t		alen;
	const char *a = NULL;

	if (rcpt && recipient_block(text, 0, cut, rcpt, &start, &end))
		a = expanded_from(text, start, end, &alen);
	else if (only_row)
	{
		/* the failed one is no address (a |program): the notice's one expansion */
		a = expanded_from(text, 0, cut, &alen);
		if (a && expanded_from(text, (size_t) (a - text) + alen, cut, &start) != NULL)
			a = NULL;			/* more than one: which is whose cannot be told */
	}
	return a ? bounce_arena_strdup(c->arena, a, alen) : NULL;
}

/* The reply of a notice's prose as a whole; see dsn_int.h. */
bool
dsn_text_whole_reply(const char *text, size_t len, const char **reply, size_t *reply_len)
{
	return reply_in_block(text, 0, prose_end(text, len), reply, reply_len, false);
}

/* The reply a bounce's prose gives for one recipient; see dsn_int.h. */
bool
dsn_text_reply_for(const char *text, size_t len, const char *rcpt,
				   const char **reply, size_t *reply_len)
{
	size_t		cut = prose_end(text, len);
	size_t		start;
	size_t		end;
	size_t		from = 0;
	bool		found = false;

	/*
	 * Sendmail lists a recipient twice, in the list of failed addresses and
	 * in the transcript ("<a@b>... Deferred: ..."): the paragraph with a
	 * reply code wins, else the one with most words.
	 */
	*reply_len = 0;
	while (recipient_block(text, from, cut, rcpt, &start, &end))
	{
		const char *r;
		size_t		rl;

		if (reply_in_block(text, start, end, &r, &rl, true))
		{
			*reply = r;
			*reply_len = rl;
			return true;
		}
		if (reply_in_block(text, start, end, &r, &rl, false) && rl > *reply_len)
		{
			*reply = r;
			*reply_len = rl;
			found = true;
		}
		from = end > start ? end : start + 1;
	}
	return found;
}

/* Length of a bounce text's prose (before the returned copy); see dsn_int.h. */
size_t
dsn_text_prose_len(const char *text, size_t len)
{
	return prose_end(text, len);
}

/* The SMTP command a word names (the word starts at w), or DSN_PHASE_UNKNOWN. */
static dsn_phase
command_word(const char *w, size_t n)
{
	if (bounce_istarts(w, n, "end of data") || bounce_istarts(w, n, "data") ||
		(n >= 1 && w[0] == '.' && (n == 1 || is_wsp(w[1]))))
		return DSN_PHASE_DATA;
	if (bounce_istarts(w, n, "rcpt"))
		return DSN_PHASE_RCPT;
	if (bounce_istarts(w, n, "mail"))
		return DSN_PHASE_MAIL;
	if (bounce_istarts(w, n, "ehlo") || bounce_istarts(w, n, "helo") ||
		bounce_istarts(w, n, "initial connection") || bounce_istarts(w, n, "connect"))
		return DSN_PHASE_CONNECT;
	return DSN_PHASE_UNKNOWN;
}

/*
 * The SMTP commands a span of text names, the last one winning: a
 * transcript line ">>> DATA" (Sendmail, Courier), "in reply to end of DATA
 * command" (Postfix), "error ... after RCPT TO:" (Exim), or a line that is
 * just the command's name under a heading (m-FILTER's "SMTP command").
 */
dsn_phase
dsn_text_phase_in(const char *s, size_t len)
{
	size_t		pos = 0;
	const char *line;
	size_t		ll;
	dsn_phase	phase = DSN_PHASE_UNKNOWN;

	while (pos < len)
	{
		size_t		i = 0;
		const char *hit;
		dsn_phase	p;

		bounce_next_line(s, len, &pos, &line, &ll);
		while (i < ll && is_wsp(line[i]))
			i++;
		if (i + 4 <= ll && memcmp(line + i, ">>> ", 4) == 0 &&
			(p = command_word(line + i + 4, ll - i - 4)) != DSN_PHASE_UNKNOWN)
			phase = p;
		else if (ll - i >= 4 && ll - i <= 5 && bounce_istarts(line + i, ll - i, "data") &&
				 (ll - i == 4 || is_wsp(line[i + 4])))
			phase = DSN_PHASE_DATA;
		if ((hit = bounce_memifind(line, ll, "in reply to ")) != NULL &&
			(p = command_word(hit + 12, ll - (size_t) (hit + 12 - line))) != DSN_PHASE_UNKNOWN)
			phase = p;
		if ((hit = bounce_memifind(line, ll, "mail server after ")) != NULL &&
			(p = command_word(hit + 18, ll - (size_t) (hit + 18 - line))) != DSN_PHASE_UNKNOWN)
			phase = p;
	}
	return phase;
}

/* The SMTP phase of one recipient's failure in a bounce's prose; see dsn_int.h. */
dsn_phase
dsn_text_phase_for(const char *text, size_t len, const char *rcpt, bool all_prose)
{
	size_t		cut = all_prose ? len : prose_end(text, len);
	size_t		start;
	size_t		end;
	dsn_phase	p;

	if (rcpt && recipient_block(text, 0, cut, rcpt, &start, &end) &&
		(p = dsn_text_phase_in(text + start, end - start)) != DSN_PHASE_UNKNOWN)
		return p;
	return dsn_text_phase_in(text, cut);
}

/* True when the top-level headers say the message is a bounce. */
bool
dsn_headers_say_bounce(dsn_ctx *c, bool autoreply)
{
	static const char *const subjects[] = {
		"undeliver", "undelivered", "delivery fail", "failure notice", "returned mail",
		"delivery status notification", "mail delivery", "could not be delivered",
		"delivery failure", "delivery problem", "non remis", "non-remis", "unzustellbar",
		"nondeliverable", "non-deliverable", "not delivered", "failed delivery",
		"mail system error", "returned to sender", "delivery notification",
		"mail could not", "rejected", "bounce", "error sending", "message you sent",
		"warning: could not send", "delayed mail", "delivery delayed", "delivery has failed",
		"fehlgeschlagen", "permanent error", "unable to deliver", "notification",
		/* Japanese "mail error", in UTF-8 and in ISO-2022-JP (JIS X 0208) */
		"\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe3\x82\xa8\xe3\x83\xa9\xe3\x83\xbc",
		"%a!<%k%(%i!<",
		NULL
	};
	const char *v;
	size_t		vl;
	int			k;

	if (bounce_header_get(c->hdrs, c->hdrs_len, "X-Failed-Recipients", c->arena, &vl))
		return true;
	/* encoded words decoded: "=?utf-8?Q?Mail_Delivery_System?=" */
	v = dsn_decoded_header(c, "From", &vl);
	if (v && (bounce_memifind(v, vl, "mailer-daemon") || bounce_memifind(v, vl, "mailer_daemon") ||
			  bounce_memifind(v, vl, "postmaster") || bounce_memifind(v, vl, "post_master") ||
			  bounce_memifind(v, vl, "mail delivery") ||
			  bounce_memifind(v, vl, "mail administrator") ||
			  bounce_memifind(v, vl, "MAILER@") || bounce_memifind(v, vl, "mail.delivery")))
		return true;
	v = dsn_decoded_header(c, "Subject", &vl);
	if (v)
		for (k = 0; subjects[k]; k++)
			if (bounce_memifind(v, vl, subjects[k]))
				return true;
	v = bounce_header_get(c->hdrs, c->hdrs_len, "Return-Path", c->arena, &vl);
	if (!autoreply && v && vl >= 2 && v[0] == '<' && v[1] == '>')
		return true;
	return false;
}
