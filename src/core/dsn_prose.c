/*
 * dsn_prose.c - a notice's prose, read by layout rather than by MTA: where
 * the returned copy starts, which lines name recipients, where a reply is
 * ("said:", "<<<", "returned '...'", "(#5.1.1)"), the SMTP command a
 * failure answered, the address a failed one was made from.
 *
 * A text part is indexed once (dsn_prose_get): its end of prose and every
 * recipient line, hashed by address.  The reader then asks about each
 * recipient of a report in time proportional to that recipient's own
 * paragraph, so a report of n recipients costs O(n + text), not O(n * text).
 */
#include "dsn_prose.h"

#include "dsn_base.h"

/* The longest reply text taken from a bounce's prose. */
#define MAX_REPLY_BYTES 1200

/*
 * The longest prose taken when a block has no reply code and only its
 * words can tell: larger, as a notice in a non-Latin script takes two or
 * three bytes a character.
 */
#define MAX_PROSE_BYTES 4096


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

/* Local part names that only mail systems use. */
bool
dsn_is_system_address(const char *a, size_t len)
{
	/* postmaster@ is a real mailbox and can be the failed recipient */
	return bounce_istarts(a, len, "mailer-daemon@") ||
		bounce_istarts(a, len, "mailer_daemon@");
}

/*
 * True when a line (up to the line end) marks the start of the returned
 * original message, or of the headers copied from it.
 */
bool
dsn_is_returned_marker(const char *line, size_t ll)
{
	size_t		i = 0;
	size_t		n;

	while (i < ll && (is_wsp(line[i]) || line[i] == '-' || line[i] == '=' ||
					  line[i] == '*' || line[i] == '_'))
		i++;
	if (i == ll)
		return false;
	/* "The original message was received at ..." is the start of Sendmail's note */
	if (bounce_istarts(line + i, ll - i, "The original message was received"))
		return false;
	/* the markers are short lines: the sign phrases of the line's head */
	n = ll - i < 128 ? ll - i : 128;

	/*
	 * Every marker holds "message", "original" or "copy": most lines hold
	 * none of them and are done in three searches, with no phrase scan.
	 */
	if (bounce_memifind(line + i, n, "message") != NULL ||
		bounce_memifind(line + i, n, "original") != NULL ||
		bounce_memifind(line + i, n, "copy") != NULL)
	{
		bounce_phrase_match m;

		bounce_words_scan(line + i, n, NULL, 0, &m);
		if (m.signs & BOUNCE_SIGN_RETURNED)
			return true;
		/*
		 * A separator line that names nothing but the original message
		 * ("----- Original Message -----", "Original-Message:"): its
		 * layout says so, where the same words in a sentence ("the MTS-ID
		 * of the original message is") do not.
		 */
		if (bounce_istarts(line + i, ll - i, "original message") ||
			bounce_istarts(line + i, ll - i, "original-message"))
		{
			size_t		j = i + 16;

			while (j < ll && (is_wsp(line[j]) || line[j] == '-' || line[j] == '=' ||
							  line[j] == '*' || line[j] == '_' || line[j] == ':'))
				j++;
			if (j == ll)
				return true;
		}
	}
	/* a copied header block begins with one of these */
	if (bounce_istarts(line, ll, "Received: ") || bounce_istarts(line, ll, "Return-Path:") ||
		bounce_istarts(line, ll, "DKIM-Signature:") ||
		bounce_istarts(line, ll, "Message-ID:") || bounce_istarts(line, ll, "MIME-Version:"))
		return true;
	return false;
}

/* Offset where the prose ends and the returned copy begins. */
static size_t
dsn_prose_end(const char *text, size_t len)
{
	size_t		pos = 0;
	const char *line;
	size_t		ll;

	while (pos < len)
	{
		size_t		start = pos;

		bounce_next_line(text, len, &pos, &line, &ll);
		/* the very first line never ends the prose (Exim starts "This message...") */
		if (start > 0 && dsn_is_returned_marker(line, ll))
			return start;
	}
	return len;
}

/*
 * Length of a label written in another script before a colon ("수신자 :",
 * "ადრესატი:"): words of bytes >= 0x80 only, no ASCII letter, then ':'
 * and white space; 0 when there is none.  The words are not read: a label
 * that names the sender names one of the notice's own addresses, which no
 * recipient line keeps.
 */
static size_t
script_label(const char *s, size_t n)
{
	size_t		l = 0;
	size_t		high = 0;

	while (l < n && l < 48 && ((unsigned char) s[l] >= 0x80 || is_wsp(s[l])))
		high += (unsigned char) s[l++] >= 0x80;
	if (high < 2 || l >= n || s[l] != ':' || l + 1 >= n || !is_wsp(s[l + 1]))
		return 0;
	l++;
	while (l < n && is_wsp(s[l]))
		l++;
	return l;
}

/*
 * Length of a label that names the recipient at the start of s ("Your
 * message to: ", "Recipient: ", "Failed recipient: "), with the white
 * space after it; 0 when there is none.  Not "To:": a summary of the
 * returned message writes its To, which may be the list's address.
 */
static size_t
recipient_label(const char *s, size_t n)
{
	static const char *const labels[] = {
		"your message to", "recipient address", "failed recipient", "original recipient",
		"intended recipient", "recipient", "destinataire", "destinatario", "destinatari", NULL
	};
	int			k;

	for (k = 0; labels[k]; k++)
	{
		size_t		l = strlen(labels[k]);

		if (bounce_istarts(s, n, labels[k]))
		{
			if (l < n && (s[l] == 's' || s[l] == 'S'))
				l++;			/* "recipients:" */
			while (k != 0 && l + 1 < n && is_wsp(s[l]) && (is_wsp(s[l + 1]) || s[l + 1] == ':'))
				l++;			/* "Destinataires :", as French is set */
			if (l < n && s[l] == ':')
				l++;
			else if (k != 0)
				continue;		/* "Your message to x@y was blocked"; the others need ':' */
			if (l >= n || !is_wsp(s[l]))
				return 0;
			while (l < n && is_wsp(s[l]))
				l++;
			return l;
		}
	}
	return script_label(s, n);
}

/*
 * A recipient line: after indentation (and a label that names the
 * recipient), an address alone, in brackets, or followed by ':', '...',
 * ' (', '<mailto:' or a short text.  Returns the address, or NULL.
 */
const char *
dsn_recipient_line(const char *line, size_t ll, size_t *alen)
{
	size_t		i = 0;
	const char *a;
	size_t		n;
	size_t		after;
	bool		bracket = false;

	while (i < ll && is_wsp(line[i]))
		i++;
	i += recipient_label(line + i, ll - i);
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
	/* "<a@b> was forwarded to c@d" says what c@d was made from: no recipient line */
	if (bracket && bounce_istarts(line + after, ll - after, "was forwarded to"))
		return NULL;
	/* then the line end, punctuation or words ("user@x [User unknown]") */
	if (after == ll || after > (size_t) (a - line) + n || line[after] == ':' ||
		line[after] == '.' || line[after] == '(' || line[after] == ',' ||
		line[after] == ';' || line[after] == '[' ||
		(line[after] == '<' && bounce_istarts(line + after, ll - after, "<mailto:")) ||
		bracket)
	{
		if (dsn_is_system_address(a, n))
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

/*
 * The reply inside text[start, end): the first line with a reply code,
 * from the code to the end of its paragraph; else the first paragraph
 * with an enhanced code; else the first non-empty paragraph.
 */
bool
dsn_reply_in_block(const char *text, size_t start, size_t end,
			   const char **reply, size_t *reply_len, bool need_code)
{
	return dsn_reply_in_block_q(text, start, end, reply, reply_len, need_code, NULL);
}

/* dsn_reply_in_block(), telling in *basic whether the reply has a basic code. */
bool
dsn_reply_in_block_q(const char *text, size_t start, size_t end,
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
			/* "400 4.4.7 Message delayed" says less than a later reply that says why */
			bool		placeholder = dsn_is_placeholder_reply(line + at, ll - (size_t) at);

			if (found == NULL || !placeholder)
				found = line + at;
			if (!placeholder)
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

/* A reply that names no cause; see dsn_prose.h. */
bool
dsn_is_placeholder_reply(const char *s, size_t n)
{
	size_t		i = 0;

	/* "smtp;400 4.4.7 Message delayed", "'400 4.4.7 Message delayed'" */
	while (i < n && !is_digit(s[i]) && i < 8)
		i++;
	if (i + 3 > n || !is_digit(s[i]) || !is_digit(s[i + 1]) || !is_digit(s[i + 2]))
		return false;
	i += 3;
	while (i < n && (is_wsp(s[i]) || is_digit(s[i]) || s[i] == '.'))
		i++;
	while (n > i && (is_wsp(s[n - 1]) || s[n - 1] == '\'' || s[n - 1] == '"' || s[n - 1] == '.'))
		n--;
	return n - i == 15 && bounce_istarts(s + i, n - i, "message delayed");
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
		((len >= 7 && dsn_span_ieq(prev + len - 7, "sent by", 7)) ||
		 (len >= 5 && dsn_span_ieq(prev + len - 5, " from", 5)) ||
		 (len == 4 && dsn_span_ieq(prev, "from", 4)));
}

/*
 * The next address of a list on a recipient line ("a@x, b@x; c@x"), after
 * the one that ends at 'from'; NULL when the line goes on otherwise.
 */
static const char *
list_next(const char *line, size_t ll, const char *from, size_t *alen)
{
	size_t		i = (size_t) (from - line);
	const char *a;
	size_t		n;

	while (i < ll && (line[i] == '>' || line[i] == '"'))
		i++;
	if (i >= ll || (line[i] != ',' && line[i] != ';'))
		return NULL;
	i++;
	while (i < ll && (is_wsp(line[i]) || line[i] == '<' || line[i] == '"'))
		i++;
	a = bounce_address_find(line + i, ll - i, &n);
	if (a == NULL || a != line + i || dsn_is_system_address(a, n))
		return NULL;
	*alen = n;
	return a;
}

/* A new line at the end of the prose index (grown by doubling); NULL when out of memory. */
static dsn_prose_line *
add_line(dsn_ctx *c, dsn_prose *p, int *cap)
{
	if (p->nlines == *cap)
	{
		int			ncap = *cap ? *cap * 2 : 16;
		dsn_prose_line *nl = (dsn_prose_line *)
			bounce_arena_alloc(c->arena, sizeof(dsn_prose_line) * (size_t) ncap);

		if (nl == NULL)
			return NULL;
		if (p->nlines > 0)
			memcpy(nl, p->lines, sizeof(dsn_prose_line) * (size_t) p->nlines);
		p->lines = nl;
		*cap = ncap;
	}
	return &p->lines[p->nlines++];
}

/*
 * A line that begins with an address only because the sentence before it
 * wrapped there ("... please forward it to\npostmaster@x (or ...)"): the
 * line before, in the same paragraph and no more indented, ends in a
 * lower-case word, and the address is no list item ("a@b:").  A list of
 * recipients is introduced by a line ending in ':' or '-----', or is
 * indented under it, and its items end in a colon, a reply or a code.
 */
static bool
runs_on(const char *prev, size_t pl, const char *line, size_t ll, const char *a, size_t alen)
{
	size_t		pi = 0;
	size_t		li = 0;
	size_t		after = (size_t) (a - line) + alen;

	while (after < ll && (line[after] == '>' || line[after] == '"'))
		after++;
	if (after < ll && line[after] == ':')
		return false;

	while (pl > 0 && is_wsp(prev[pl - 1]))
		pl--;
	if (pl == 0 || prev[pl - 1] < 'a' || prev[pl - 1] > 'z')
		return false;
	/* an address is no word: "Sender:  a@b" above "Recipients: c@d" is a field */
	for (pi = pl; pi > 0 && !is_wsp(prev[pi - 1]); pi--)
		if (prev[pi - 1] == '@')
			return false;
	pi = 0;
	while (pi < pl && is_wsp(prev[pi]))
		pi++;
	while (li < ll && is_wsp(line[li]))
		li++;
	return pi <= li;
}

/*
 * The address a failed one was made from, as a notice tells it: Exim's
 * "(generated from a@b)" / "(ultimately generated from a@b)" and "<a@b>
 * was forwarded to c@d", Sendmail's "(expanded from: <a@b>)", under the
 * failed address (an alias's target, a forward, a program).  The first
 * such address in text[from, to).
 */
static const char *
expanded_from(const char *text, size_t from, size_t to, size_t *alen)
{
	static const char *const words[] = {"generated from", "expanded from", NULL};
	int			k;
	const char *fwd = bounce_memifind(text + from, to - from, "> was forwarded to");

	/* Exim: "<a@b> was forwarded to c@d", the address before the words */
	if (fwd)
	{
		const char *start = fwd;

		while (start > text + from && start[-1] != '<' && start[-1] != '\n' && fwd - start < BOUNCE_ADDRESS_MAX)
			start--;
		if (start > text + from && start[-1] == '<')
		{
			const char *a = bounce_address_find(start, (size_t) (fwd - start), alen);

			if (a == start && a + *alen == fwd)
				return a;
		}
	}
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
dsn_phase_in(const char *s, size_t len)
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

/* True when a line's words say that delivery failed (a sign of the phrase table). */
bool
dsn_says_failure(dsn_ctx *c, const char *line, size_t ll)
{
	return (dsn_signs(c, line, ll) & BOUNCE_SIGN_FAILURE) != 0;
}

/* Hash of an address, ASCII case folded (FNV-1a). */
static uint32_t
address_hash(const char *a, size_t n)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		char		ch = a[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char) (ch + 32);
		h = (h ^ (unsigned char) ch) * 16777619u;
	}
	return h;
}

/* The first line of the index naming address a (case-insensitive), -1. */
static int
lookup(const dsn_prose *p, const char *a, size_t n)
{
	int			i;

	if (p->nbuckets == 0)
		return -1;
	for (i = p->bucket[address_hash(a, n) % (uint32_t) p->nbuckets]; i >= 0; i = p->lines[i].next_same)
		if (p->lines[i].alen == n && dsn_span_ieq(p->lines[i].addr, a, n))
			return i;
	return -1;
}

/* The next line after i naming the same address, -1. */
static int
next_same(const dsn_prose *p, int i)
{
	int			j;

	for (j = p->lines[i].next_same; j >= 0; j = p->lines[j].next_same)
		if (p->lines[j].alen == p->lines[i].alen &&
			dsn_span_ieq(p->lines[j].addr, p->lines[i].addr, p->lines[i].alen))
			return j;
	return -1;
}

/*
 * Index a text part: its end of prose and its recipient lines, each
 * line's block running to the next recipient line (or the prose's end).
 * Bucket chains keep text order, so the first line of an address is found
 * first.  Lines that do not fit in the arena are simply not indexed.
 */
static void
build(dsn_ctx *c, dsn_prose *p, const char *text, size_t len)
{
	size_t		pos = 0;
	const char *line;
	size_t		ll;
	const char *prev = NULL;
	size_t		prev_len = 0;
	bool		prev_adjacent;	/* the line before was not blank */
	bool		prev_rcpt;		/* the last non-blank line was a recipient line */
	int			cap = 0;
	int			i;

	p->built = true;
	p->text = text;
	p->len = len;
	p->cut = dsn_prose_end(text, len);
	p->phase = -1;
	p->phase_all = -1;
	p->phase_pre = -1;
	p->nrcpts = -1;
	prev_adjacent = false;
	prev_rcpt = false;
	while (pos < p->cut)
	{
		size_t		start = pos;
		const char *a;
		size_t		alen;
		bool		rcpt_line;

		if ((p->nlines & 255) == 0 && dsn_stop(c))
			break;
		bounce_next_line(text, p->cut, &pos, &line, &ll);
		a = dsn_recipient_line(line, ll, &alen);
		rcpt_line = (a != NULL);
		if (rcpt_line)
		{
			dsn_prose_line *l;

			if (p->nlines > 0)
				p->lines[p->nlines - 1].end = start;
			if ((l = add_line(c, p, &cap)) == NULL)
				break;
			l->addr = a;
			l->alen = alen;
			l->start = start;
			l->end = p->cut;
			l->next_same = -1;
			l->after_sender = after_sender_words(prev, prev_len) ||
				(prev_adjacent && !prev_rcpt && runs_on(prev, prev_len, line, ll, a, alen));
			l->phase = -1;
			/* "Recipients: a@x, b@x": each address of the list is a line of its own */
			while ((a = list_next(line, ll, a + alen, &alen)) != NULL &&
				   (l = add_line(c, p, &cap)) != NULL)
			{
				*l = p->lines[p->nlines - 2];
				l->addr = a;
				l->alen = alen;
				p->lines[p->nlines - 2].end = start;
			}
		}
		prev_adjacent = !is_blank_line(line, ll);
		if (prev_adjacent)
		{
			prev = line;
			prev_len = ll;
			prev_rcpt = rcpt_line;
		}
	}
	if (p->nlines == 0)
		return;
	p->nbuckets = p->nlines * 2 + 1;
	if ((p->bucket = (int *) bounce_arena_alloc(c->arena, sizeof(int) * (size_t) p->nbuckets)) == NULL)
	{
		p->nbuckets = 0;
		return;
	}
	for (i = 0; i < p->nbuckets; i++)
		p->bucket[i] = -1;
	/* pushed back to front, so every chain is in text order */
	for (i = p->nlines - 1; i >= 0; i--)
	{
		uint32_t	b = address_hash(p->lines[i].addr, p->lines[i].alen) % (uint32_t) p->nbuckets;

		p->lines[i].next_same = p->bucket[b];
		p->bucket[b] = i;
	}
	for (i = 0; i < p->nlines; i++)
		p->lines[i].first = lookup(p, p->lines[i].addr, p->lines[i].alen) == i;
}

/* The index of text part k; see dsn_prose.h. */
const dsn_prose *
dsn_prose_get(dsn_ctx *c, int k)
{
	dsn_prose  *p = &c->prose[k];

	if (!p->built)
		build(c, p, c->text_parts[k].p, c->text_parts[k].len);
	return p;
}

/* Offset where text part k's prose ends; see dsn_prose.h. */
size_t
dsn_prose_len(dsn_ctx *c, int k)
{
	return dsn_prose_get(c, k)->cut;
}

/* A recipient's block with nothing but its line; see dsn_prose.h. */
bool
dsn_block_is_bare(const char *text, size_t start, size_t end)
{
	size_t		pos = start;
	const char *line;
	size_t		ll;

	bounce_next_line(text, end, &pos, &line, &ll);	/* the address line */
	while (pos < end)
	{
		bounce_next_line(text, end, &pos, &line, &ll);
		if (!is_blank_line(line, ll))
			return false;
	}
	return true;
}

/* The reply a notice's prose gives for one recipient; see dsn_prose.h. */
bool
dsn_prose_reply_for(dsn_ctx *c, int k, const char *rcpt, const char **reply,
					size_t *reply_len)
{
	const dsn_prose *p = dsn_prose_get(c, k);
	bool		found = false;
	int			i;

	/*
	 * Sendmail lists a recipient twice, in the list of failed addresses and
	 * in the transcript ("<a@b>... Deferred: ..."): the paragraph with a
	 * reply code wins, else the one with most words.
	 */
	*reply_len = 0;
	for (i = rcpt ? lookup(p, rcpt, strlen(rcpt)) : -1; i >= 0; i = next_same(p, i))
	{
		const char *r;
		size_t		rl;
		if (dsn_reply_in_block(p->text, p->lines[i].start, p->lines[i].end, &r, &rl, true))
		{
			*reply = r;
			*reply_len = rl;
			return true;
		}
		if (dsn_reply_in_block(p->text, p->lines[i].start, p->lines[i].end, &r, &rl, false) &&
			rl > *reply_len)
		{
			*reply = r;
			*reply_len = rl;
			found = true;
		}
	}
	return found;
}

/* The reply of a notice's prose as a whole; see dsn_prose.h. */
bool
dsn_prose_whole_reply(dsn_ctx *c, int k, const char **reply, size_t *reply_len)
{
	const dsn_prose *p = dsn_prose_get(c, k);

	return dsn_reply_in_block(p->text, 0, p->cut, reply, reply_len, false);
}

/* The address the sender used for a failed one; see dsn_prose.h. */
const char *
dsn_prose_original_for(dsn_ctx *c, int k, const char *rcpt, bool only_row)
{
	const dsn_prose *p = dsn_prose_get(c, k);
	size_t		alen;
	size_t		skip;
	const char *a = NULL;
	int			i = rcpt ? lookup(p, rcpt, strlen(rcpt)) : -1;

	if (i >= 0)
		a = expanded_from(p->text, p->lines[i].start, p->lines[i].end, &alen);
	else if (only_row)
	{
		/* the failed one is no address (a |program): the notice's one expansion */
		a = expanded_from(p->text, 0, p->cut, &alen);
		if (a && expanded_from(p->text, (size_t) (a - p->text) + alen, p->cut, &skip) != NULL)
			a = NULL;			/* more than one: which is whose cannot be told */
	}
	return a ? bounce_arena_strdup(c->arena, a, alen) : NULL;
}

/* The SMTP phase of one recipient's failure; see dsn_prose.h. */
dsn_phase
dsn_prose_phase_for(dsn_ctx *c, int k, const char *rcpt, bool all_prose, bool several)
{
	dsn_prose  *p = (dsn_prose *) dsn_prose_get(c, k);
	int			i = rcpt ? lookup(p, rcpt, strlen(rcpt)) : -1;
	int8_t	   *whole = all_prose ? &p->phase_all : &p->phase;

	if (i >= 0)
	{
		dsn_prose_line *l = &p->lines[i];

		if (l->phase < 0)
			l->phase = (int8_t) dsn_phase_in(p->text + l->start, l->end - l->start);
		if (l->phase != DSN_PHASE_UNKNOWN)
			return (dsn_phase) l->phase;
		/*
		 * Several recipients, each with its own paragraph: a phase named
		 * in another one's paragraph ("after MAIL FROM") is not this
		 * one's; only the words before the first recipient speak for all.
		 */
		if (several)
		{
			if (p->phase_pre < 0)
				p->phase_pre = (int8_t) dsn_phase_in(p->text, p->lines[0].start);
			return (dsn_phase) p->phase_pre;
		}
	}
	if (*whole < 0)
		*whole = (int8_t) dsn_phase_in(p->text, all_prose ? p->len : p->cut);
	return (dsn_phase) *whole;
}

/* The header block of a copy of the returned original in the prose; see dsn_prose.h. */
bool
dsn_prose_inline_headers(dsn_ctx *c, int k, const char **h, size_t *hl)
{
	const dsn_prose *p = dsn_prose_get(c, k);
	const char *b;
	size_t		bl;
	size_t		pos = p->cut;
	const char *line;
	size_t		ll;
	const char *colon;

	*h = NULL;
	*hl = 0;
	if (p->cut >= p->len)
		return false;
	/* the copy starts with its first field, or after a marker line */
	bounce_next_line(p->text, p->len, &pos, &line, &ll);
	colon = memchr(line, ':', ll);
	if (colon == NULL || colon == line || memchr(line, ' ', (size_t) (colon - line)) != NULL)
	{
		while (pos < p->len && (p->text[pos] == '\n' || p->text[pos] == '\r'))
			pos++;
	}
	else
		pos = p->cut;
	bounce_mime_split(p->text + pos, p->len - pos, h, hl, &b, &bl);
	if (*hl == 0)
	{
		/* no blank line after it: the rest is the copy's headers */
		*h = p->text + p->cut;
		*hl = p->len - p->cut;
	}
	return true;
}

/* The signs of text part k's prose (all: of the whole part), read once; see dsn_prose.h. */
uint32_t
dsn_prose_part_signs(dsn_ctx *c, int k, bool all)
{
	dsn_prose  *p = (dsn_prose *) dsn_prose_get(c, k);

	if (all)
	{
		if (!p->all_signs_read)
		{
			p->all_signs = dsn_signs(c, p->text, p->len);
			p->all_signs_read = true;
		}
		return p->all_signs;
	}
	if (!p->signs_read)
	{
		p->signs = dsn_signs(c, p->text, p->cut);
		p->signs_read = true;
	}
	return p->signs;
}
