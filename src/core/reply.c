/*
 * reply.c - SMTP reply parser of the pure C core (no postgres.h).
 *
 * Strict parse (the smtp_status input function), lenient scan (classify(text)
 * and the DSN reader), canonical one-line text and canonical formatting.
 * Everything is one pass over the input with no allocation: the canonical
 * text is written into a caller-supplied buffer that is never longer than
 * the input.
 */
#include "reply.h"

#include <string.h>

/* Longest DSN diagnostic type ("smtp", "X-Postfix", ...) we strip. */
#define TYPE_PREFIX_MAX 32

/* Space, tab, CR or LF: what surrounds and separates reply parts. */
static inline bool
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ASCII digit test that does not depend on the locale. */
static inline bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII letter test that does not depend on the locale. */
static inline bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A character of a DSN diagnostic type name: [A-Za-z0-9_.-]. */
static inline bool
is_type_char(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == '-';
}

/* English messages, indexed by bounce_parse_error. */
static const char *const parse_error_messages[] = {
	"no error",
	"empty input",
	"no reply code found",
	"invalid basic reply code (must be 200 to 599, followed by a space, '-' or ':')",
	"invalid enhanced status code (must be class.subject.detail with class 2, 4 or 5)",
	"nothing after the diagnostic type prefix",
	"input contains a NUL byte",
	"input too long"
};

/* English description of a parse error. */
const char *
bounce_parse_error_message(bounce_parse_error err)
{
	if ((unsigned) err >= sizeof(parse_error_messages) / sizeof(parse_error_messages[0]))
		return "unknown parse error";
	return parse_error_messages[err];
}

/*
 * Try to read an enhanced code "c.s.d" at s[i..end).  Returns 1 on success
 * (sets *next past it), 0 when it does not even start like one (a single
 * digit followed by '.'), -1 when it starts like one but is broken (sets
 * *bad to the offending offset).
 */
static int
read_enhanced(const char *s, size_t i, size_t end, int *cls, int *subj,
			  int *det, size_t *next, size_t *bad)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		p = i;
	int			part[2];
	int			k;

	if (p + 1 >= end || !is_digit(u[p]) || u[p + 1] != '.')
		return 0;
	*cls = u[p] - '0';
	if (*cls != 2 && *cls != 4 && *cls != 5)
	{
		*bad = p;
		return -1;
	}
	p += 2;
	for (k = 0; k < 2; k++)
	{
		int			n = 0;
		int			v = 0;

		while (p < end && is_digit(u[p]))
		{
			if (n == 3)
			{
				*bad = p;
				return -1;
			}
			v = v * 10 + (u[p] - '0');
			n++;
			p++;
		}
		if (n == 0)
		{
			*bad = p;
			return -1;
		}
		part[k] = v;
		if (k == 0)
		{
			if (p >= end || u[p] != '.')
			{
				*bad = p;
				return -1;
			}
			p++;
		}
	}
	/* "5.1.1.1" or "5.1.1.2x": a longer dotted number, not a code. */
	if (p + 1 < end && u[p] == '.' && is_digit(u[p + 1]))
	{
		*bad = p;
		return -1;
	}
	*subj = part[0];
	*det = part[1];
	*next = p;
	return 1;
}

/* Format c.s.d into buf (room for 12 bytes); returns its length. */
static size_t
format_enhanced(int cls, int subj, int det, char *buf)
{
	size_t		n = 0;
	int			parts[3];
	int			k;

	parts[0] = cls;
	parts[1] = subj;
	parts[2] = det;
	for (k = 0; k < 3; k++)
	{
		int			v = parts[k];

		if (k > 0)
			buf[n++] = '.';
		if (v >= 100)
			buf[n++] = (char) ('0' + v / 100);
		if (v >= 10)
			buf[n++] = (char) ('0' + (v / 10) % 10);
		buf[n++] = (char) ('0' + v % 10);
	}
	return n;
}

/* What the canonicaliser strips: the reply's own codes, when present. */
typedef struct canon_ctx
{
	char		code[3];		/* basic code digits, if has_code */
	bool		has_code;
	char		enh[12];		/* enhanced code text, if has_enh */
	size_t		enh_len;
	bool		has_enh;
} canon_ctx;

/*
 * At a token boundary of the output: drop a trailing " 550 5.1.1" or
 * " 550-5.1.1" (the reply's own codes repeated inline, as folded
 * multi-line replies arrive).  Only whole tokens count, and since this
 * runs at every boundary the result never contains the pair.
 */
static size_t
drop_inline_repeat(const canon_ctx *cx, char *out, size_t n)
{
	size_t		plen;
	size_t		start;

	/* cheap tests first: this runs at every space of the general case */
	if (!cx->has_code || !cx->has_enh || n == 0 ||
		out[n - 1] != cx->enh[cx->enh_len - 1])
		return n;
	plen = 4 + cx->enh_len;
	if (n < plen)
		return n;
	start = n - plen;
	if (memcmp(out + start, cx->code, 3) != 0 ||
		(out[start + 3] != ' ' && out[start + 3] != '-') ||
		memcmp(out + start + 4, cx->enh, cx->enh_len) != 0)
		return n;
	if (start == 0)
		return 0;
	if (out[start - 1] != ' ')
		return n;
	return start - 1;
}

/*
 * At the start of a continuation line: skip "550-", "550 " (the reply's
 * own basic code) and an enhanced code after it.  Returns the new index.
 */
static size_t
skip_continuation(const canon_ctx *cx, const char *s, size_t i, size_t end)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		p = i;
	int			c,
				sj,
				d;
	size_t		next,
				bad;

	while (p < end && (u[p] == ' ' || u[p] == '\t'))
		p++;
	if (!cx->has_code || end - p < 3 || memcmp(s + p, cx->code, 3) != 0)
		return i;
	p += 3;
	if (p < end)
	{
		if (u[p] == '-' || u[p] == ' ' || u[p] == '\t')
			p++;
		else if (u[p] != '\r' && u[p] != '\n')
			return i;
	}
	while (p < end && (u[p] == ' ' || u[p] == '\t'))
		p++;
	if (read_enhanced(s, p, end, &c, &sj, &d, &next, &bad) == 1 &&
		(next == end || is_ws(u[next])))
		p = next;
	return p;
}

/*
 * The general case of canonicalise() below, byte by byte.
 */
static size_t
canonicalise_slow(const canon_ctx *cx, const char *s, size_t i, size_t end, char *out)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		n = 0;
	bool		pending_space = false;

	while (i < end)
	{
		unsigned char c = u[i];

		/* fast path: an ordinary byte (most of the text) */
		if (c > ' ' && c != 0x7f)
		{
			if (pending_space)
			{
				out[n++] = ' ';
				pending_space = false;
			}
			out[n++] = (char) c;
			i++;
			while (i < end && u[i] > ' ' && u[i] != 0x7f)
				out[n++] = (char) u[i++];
			continue;
		}
		if (c == '\r' || c == '\n')
		{
			/* CR, LF or CRLF ends a line; the next may repeat the code */
			i++;
			if (c == '\r' && i < end && u[i] == '\n')
				i++;
			if (n > 0)
			{
				n = drop_inline_repeat(cx, out, n);
				pending_space = n > 0;
			}
			i = skip_continuation(cx, s, i, end);
			continue;
		}
		/* an ISO-2022-JP escape stays: it says how the bytes after it read */
		if ((c < 0x20 && !(c == 0x1B && i + 1 < end && (u[i + 1] == '$' || u[i + 1] == '('))) ||
			c == 0x7f)
		{
			/* space, tab and other control characters separate words */
			if (n > 0)
			{
				n = drop_inline_repeat(cx, out, n);
				pending_space = n > 0;
			}
			i++;
			continue;
		}
		if (c == ' ')
		{
			if (n > 0)
			{
				n = drop_inline_repeat(cx, out, n);
				pending_space = n > 0;
			}
			i++;
			continue;
		}
		if (pending_space)
		{
			out[n++] = ' ';
			pending_space = false;
		}
		out[n++] = (char) c;
		i++;
	}
	if (n > 0)
		n = drop_inline_repeat(cx, out, n);
	return n;
}

/* Byte-wise constants of the word-at-a-time test below. */
#define BYTES_01 UINT64_C(0x0101010101010101)
#define BYTES_80 UINT64_C(0x8080808080808080)
#define BYTES_7F UINT64_C(0x7F7F7F7F7F7F7F7F)

/*
 * True when u[0..n) contains no control character (which includes CR and
 * LF) and no two spaces in a row.  Eight bytes at a time with the usual
 * bit tricks (Hacker's Delight, ch. 6): "some byte < 0x20" and "some byte
 * == 0x7f" are exact as yes/no answers, and the space mask is exact per
 * byte, so adjacent spaces show as a mask bit next to another whatever the
 * byte order.  Pairs across two words are checked byte-wise.
 */
static bool
plain_bytes(const unsigned char *u, size_t n)
{
	size_t		k = 0;

	for (; k + 8 <= n; k += 8)
	{
		uint64_t	x,
					y,
					sp;

		memcpy(&x, u + k, sizeof(x));
		if ((x - BYTES_01 * 0x20) & ~x & BYTES_80)
			return false;		/* a byte < 0x20 */
		y = x ^ BYTES_7F;
		if ((y - BYTES_01) & ~y & BYTES_80)
			return false;		/* a DEL */
		y = x ^ (BYTES_01 * ' ');
		sp = ~(((y & BYTES_7F) + BYTES_7F) | y) & BYTES_80;	/* 0x80 per space */
		if ((sp & (sp >> 8)) != 0 || (k > 0 && u[k] == ' ' && u[k - 1] == ' '))
			return false;
	}
	for (; k < n; k++)
	{
		unsigned char c = u[k];

		if (c < 0x20 || c == 0x7f || (c == ' ' && k > 0 && u[k - 1] == ' '))
			return false;
	}
	return true;
}

/*
 * True when u[0..n) contains the reply's own codes as "550 5.1.1" or
 * "550-5.1.1", the only thing drop_inline_repeat() ever removes.  Found
 * anywhere, whole tokens or not: a false alarm only costs the slow path.
 */
static bool
may_repeat_codes(const canon_ctx *cx, const unsigned char *u, size_t n)
{
	const unsigned char *p = u;
	const unsigned char *end = u + n;
	size_t		need;

	if (!cx->has_code || !cx->has_enh)
		return false;
	need = 4 + cx->enh_len;
	while ((size_t) (end - p) >= need &&
		   (p = memchr(p, cx->code[0], (size_t) (end - p) - need + 1)) != NULL)
	{
		if (p[1] == (unsigned char) cx->code[1] &&
			p[2] == (unsigned char) cx->code[2] &&
			(p[3] == ' ' || p[3] == '-') &&
			memcmp(p + 4, cx->enh, cx->enh_len) == 0)
			return true;
		p++;
	}
	return false;
}

/*
 * Write the canonical text of s[i..end) into out: lines joined by one
 * space, continuation prefixes and inline repeats of the reply's codes
 * dropped, white space and control characters collapsed to one space
 * (but for the ESC of an ISO-2022-JP escape sequence), trimmed.  Bytes >= 0x80 are copied as they are.  Returns the length,
 * which is never more than end - i.  out may be s itself (it never gets
 * ahead of the input).
 *
 * Most replies are one clean line: after the leading blanks (which the
 * general case drops too), no control characters, no double spaces, no
 * trailing space and no repeat of the codes.  Such a text is its own
 * canonical form and is copied as one block.
 */
static size_t
canonicalise(const canon_ctx *cx, const char *s, size_t i, size_t end, char *out)
{
	const unsigned char *u = (const unsigned char *) s;

	while (i < end && (u[i] == ' ' || u[i] == '\t'))
		i++;
	if (i == end)
		return 0;
	if (u[end - 1] != ' ' && plain_bytes(u + i, end - i) &&
		!may_repeat_codes(cx, u + i, end - i))
	{
		memmove(out, s + i, end - i);
		return end - i;
	}
	return canonicalise_slow(cx, s, i, end, out);
}

/* Fill a canon_ctx from the parsed codes. */
static void
ctx_init(canon_ctx *cx, const bounce_reply *r)
{
	cx->has_code = r->code != 0;
	if (cx->has_code)
	{
		cx->code[0] = (char) ('0' + r->code / 100);
		cx->code[1] = (char) ('0' + (r->code / 10) % 10);
		cx->code[2] = (char) ('0' + r->code % 10);
	}
	cx->has_enh = r->cls != 0;
	cx->enh_len = cx->has_enh ?
		format_enhanced(r->cls, r->subject, r->detail, cx->enh) : 0;
}

/* Skip white space from i; returns the first non-space index (or end). */
static size_t
skip_ws(const char *s, size_t i, size_t end)
{
	while (i < end && is_ws((unsigned char) s[i]))
		i++;
	return i;
}

/*
 * True if s[p] (p <= end) ends a basic code: end, space, tab, '-', CR, LF,
 * or ':' ("550: 5.1.1 ...", as some MTAs write it).
 */
static inline bool
basic_code_end(const unsigned char *u, size_t p, size_t end)
{
	return p == end || u[p] == ' ' || u[p] == '\t' || u[p] == '-' ||
		u[p] == '\r' || u[p] == '\n' || u[p] == ':';
}

/*
 * Parse the codes at s[i..end) (type prefix already stripped, i at a
 * non-space).  On success fills out (without text), *text_start.
 */
static bool
parse_codes(const char *s, size_t i, size_t end, bounce_reply *out,
			size_t *text_start, bounce_parse_error *err, size_t *err_pos)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		p = i;
	size_t		ndig = 0;
	int			c,
				sj,
				d;
	size_t		next,
				bad;
	int			rc;

	out->code = 0;
	out->cls = 0;
	out->subject = 0;
	out->detail = 0;

	if (p < end && u[p] == '#')
		p++;
	while (p + ndig < end && is_digit(u[p + ndig]) && ndig < 4)
		ndig++;

	if (ndig == 1 && p + 1 < end && u[p + 1] == '.')
	{
		/* enhanced code alone: "5.1.1 text" */
		rc = read_enhanced(s, p, end, &c, &sj, &d, &next, &bad);
		if (rc != 1)
		{
			*err = BOUNCE_PARSE_BAD_ENHANCED;
			*err_pos = rc < 0 ? bad : p;
			return false;
		}
		out->cls = (uint8_t) c;
		out->subject = (uint16_t) sj;
		out->detail = (uint16_t) d;
		*text_start = next;
		return true;
	}
	if (ndig < 3)
	{
		*err = BOUNCE_PARSE_NO_CODE;
		*err_pos = p;
		return false;
	}
	if (ndig > 3 || !basic_code_end(u, p + 3, end))
	{
		*err = BOUNCE_PARSE_BAD_BASIC;
		*err_pos = p;
		return false;
	}
	c = (u[p] - '0') * 100 + (u[p + 1] - '0') * 10 + (u[p + 2] - '0');
	if (!bounce_basic_valid(c))
	{
		*err = BOUNCE_PARSE_BAD_BASIC;
		*err_pos = p;
		return false;
	}
	out->code = (uint16_t) c;
	p += 3;
	*text_start = p;
	if (p < end && (u[p] == ' ' || u[p] == '\t' || u[p] == '-' || u[p] == ':'))
	{
		/* one separator, then any run of blanks: the text starts there */
		p++;
		while (p < end && (u[p] == ' ' || u[p] == '\t'))
			p++;
		*text_start = p;
	}

	/*
	 * The enhanced code may also follow on the next line ("550\r\n5.1.1 x");
	 * something that starts like one there but is broken is an error, so
	 * the canonical text of a code-only reply never starts like one.
	 */
	p = skip_ws(s, p, end);
	if (p < end && u[p] == '#')
		p++;
	rc = read_enhanced(s, p, end, &c, &sj, &d, &next, &bad);
	if (rc < 0)
	{
		*err = BOUNCE_PARSE_BAD_ENHANCED;
		*err_pos = bad;
		return false;
	}
	if (rc == 1)
	{
		out->cls = (uint8_t) c;
		out->subject = (uint16_t) sj;
		out->detail = (uint16_t) d;
		*text_start = next;
	}
	return true;
}

/*
 * Length of a DSN diagnostic type prefix ("smtp;") at s[i..end), counting
 * the ';', or 0 when there is none.  It must start with a letter, so a
 * code is never taken for a type.
 */
static size_t
type_prefix_len(const char *s, size_t i, size_t end)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		n = 0;

	if (i >= end || !is_alpha(u[i]))
		return 0;
	while (i + n < end && n < TYPE_PREFIX_MAX && is_type_char(u[i + n]))
		n++;
	if (i + n < end && u[i + n] == ';')
		return n + 1;
	return 0;
}

/* Trim white space at both ends of s[*b..*e). */
static void
trim(const char *s, size_t *b, size_t *e)
{
	const unsigned char *u = (const unsigned char *) s;

	while (*b < *e && is_ws(u[*b]))
		(*b)++;
	while (*e > *b && is_ws(u[*e - 1]))
		(*e)--;
}

/* True if the byte before an enhanced code found inside a text lets it start a token. */
static inline bool
inner_enh_left_ok(unsigned char c)
{
	return c == ' ' || c == '(' || c == '#' || c == '[' || c == ':' ||
		c == '<' || c == '"' || c == '\'' || c == '=' || c == ';' || c == ',';
}

/*
 * A failure reply with a basic code but no enhanced code right after it
 * often carries one later in its text: qmail's "550 sorry, no mailbox here
 * by that name (#5.1.1 - chkusr)", "554 554 5.7.1 ...", "550, ERROR_CODE
 * :5.1.1 ...", "501 ...: RCPT TO not accepted: 5.7.1 ...".  Adopt the first
 * standalone x.y.z of the canonical text whose class is the basic code's
 * first digit, then canonicalise again so an inline "554 5.7.1" repeat goes.
 * A token glued to letters, digits, dots or dashes is not one: so IPs
 * (192.0.2.1, 5.6.7.8), longer dotted numbers and dates (5.1.2024) and
 * words like "v5.1.1" or "5.1.1-beta" are left alone.  Success replies are
 * left alone too: their texts carry version numbers and they are never
 * failures anyway.
 */
static void
adopt_inner_enhanced(bounce_reply *out, char *textbuf)
{
	const unsigned char *u = (const unsigned char *) textbuf;
	size_t		n = out->text_len;
	int			want = out->code / 100;
	size_t		i;
	canon_ctx	cx;

	if (out->code == 0 || out->cls != 0 || (want != 4 && want != 5))
		return;
	for (i = 0; i + 4 < n; i++)
	{
		int			c,
					sj,
					d;
		size_t		next,
					bad;

		if (u[i] != '0' + want || u[i + 1] != '.' ||
			(i > 0 && !inner_enh_left_ok(u[i - 1])))
			continue;
		if (read_enhanced(textbuf, i, n, &c, &sj, &d, &next, &bad) != 1)
			continue;
		if (next < n &&
			(is_alpha(u[next]) || is_digit(u[next]) || u[next] == '_' ||
			 u[next] == '@' || u[next] == '/' ||
			 ((u[next] == '-' || u[next] == '.') && next + 1 < n &&
			  (is_alpha(u[next + 1]) || is_digit(u[next + 1])))))
			continue;
		out->cls = (uint8_t) c;
		out->subject = (uint16_t) sj;
		out->detail = (uint16_t) d;
		ctx_init(&cx, out);
		/* in place is safe: the output never overtakes the input */
		out->text_len = canonicalise(&cx, textbuf, 0, n, textbuf);
		return;
	}
}

/* Strict parse of a reply (see reply.h). */
bool
bounce_reply_parse(const char *in, size_t len, bounce_reply *out,
				   char *textbuf, bounce_parse_error *err, size_t *err_pos)
{
	size_t		b = 0,
				e = len;
	size_t		text_start = 0;
	size_t		plen;
	const char *nul;
	canon_ctx	cx;

	*err = BOUNCE_PARSE_OK;
	*err_pos = 0;
	out->code = 0;
	out->cls = 0;
	out->subject = 0;
	out->detail = 0;
	out->text = textbuf;
	out->text_len = 0;

	if (len > BOUNCE_REPLY_MAX_INPUT)
	{
		*err = BOUNCE_PARSE_TOO_LONG;
		*err_pos = BOUNCE_REPLY_MAX_INPUT;
		return false;
	}
	nul = len > 0 ? memchr(in, '\0', len) : NULL;
	if (nul != NULL)
	{
		*err = BOUNCE_PARSE_NUL_BYTE;
		*err_pos = (size_t) (nul - in);
		return false;
	}
	trim(in, &b, &e);
	if (b == e)
	{
		*err = BOUNCE_PARSE_EMPTY;
		*err_pos = b;
		return false;
	}

	plen = type_prefix_len(in, b, e);
	if (plen > 0)
	{
		size_t		rest = skip_ws(in, b + plen, e);

		if (rest == e)
		{
			*err = BOUNCE_PARSE_EMPTY_AFTER_PREFIX;
			*err_pos = rest;
			return false;
		}
		/* a type always starts with a letter, so only the rest can parse */
		b = rest;
	}
	if (!parse_codes(in, b, e, out, &text_start, err, err_pos))
		return false;
	ctx_init(&cx, out);
	out->text = textbuf;
	out->text_len = canonicalise(&cx, in, text_start, e, textbuf);

	/*
	 * A code-only reply whose canonical text starts like an enhanced code
	 * (it came after blank or control characters, or on a continuation
	 * line): take it as the enhanced code, or reject it if broken, exactly
	 * as parsing the canonical output "550 5.1.1 ..." again would.
	 */
	if (out->code != 0 && out->cls == 0 && out->text_len > 0)
	{
		size_t		q = textbuf[0] == '#' ? 1 : 0;
		int			c,
					sj,
					d;
		size_t		next,
					bad;
		int			rc = read_enhanced(textbuf, q, out->text_len, &c, &sj, &d, &next, &bad);

		if (rc < 0)
		{
			*err = BOUNCE_PARSE_BAD_ENHANCED;
			*err_pos = text_start;
			return false;
		}
		if (rc == 1)
		{
			out->cls = (uint8_t) c;
			out->subject = (uint16_t) sj;
			out->detail = (uint16_t) d;
			ctx_init(&cx, out);
			/* in place is safe: the output never overtakes the input */
			out->text_len = canonicalise(&cx, textbuf, next, out->text_len, textbuf);
		}
	}
	adopt_inner_enhanced(out, textbuf);
	return true;
}

/* True if the byte before a basic code lets it start a token. */
static inline bool
basic_left_ok(unsigned char c)
{
	return is_ws(c) || c == '#' || c == '(' || c == '[' || c == ':' ||
		c == ';' || c == '"' || c == '\'' || c == '<' || c == '=' || c == '>';
}

/* True if the byte after a basic code ends its token. */
static inline bool
basic_right_ok(unsigned char c)
{
	return is_ws(c) || c == '-' || c == ')' || c == ';' || c == ',' ||
		c == ':' || c == '\'' || c == '"' || c == ']' || c == '>';
}

/* True for a byte that glues an enhanced-code-looking thing to a word. */
static inline bool
enh_glue(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '-';
}

/*
 * Find the first basic or enhanced code at a token boundary in s[b..e);
 * with 'failures', only a 4xx/5xx or 4.x.x/5.x.x one.  Returns its start
 * offset, or e when there is none.
 */
static size_t
find_code(const char *s, size_t b, size_t e, bool failures)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i;

	for (i = b; i < e; i++)
	{
		if (!is_digit(u[i]))
			continue;
		if (i > b && (is_digit(u[i - 1]) || is_alpha(u[i - 1])))
			continue;
		if (failures && u[i] != '4' && u[i] != '5')
			continue;
		/* basic code: exactly 3 digits, 200..599 */
		if (i + 2 < e && is_digit(u[i + 1]) && is_digit(u[i + 2]) &&
			(i + 3 == e || basic_right_ok(u[i + 3])) &&
			(i == b || basic_left_ok(u[i - 1])))
		{
			int			c = (u[i] - '0') * 100 + (u[i + 1] - '0') * 10 + (u[i + 2] - '0');

			/* "[192.0.2.1]:587:" is a port, "2001:db8:250::" an IPv6 address */
			bool		port = i >= b + 2 && u[i - 1] == ':' &&
				(u[i - 2] == ']' || is_digit(u[i - 2]) || is_alpha(u[i - 2]) || u[i - 2] == ':');

			if (bounce_basic_valid(c) && !port)
				return i;
		}
		/* enhanced code: not glued to words, numbers or dotted things */
		if (i + 1 < e && u[i + 1] == '.' && (i == b || !enh_glue(u[i - 1])))
		{
			int			c,
						sj,
						d;
			size_t		next,
						bad;

			if (read_enhanced(s, i, e, &c, &sj, &d, &next, &bad) == 1 &&
				(next == e || !(is_alpha(u[next]) || is_digit(u[next]) ||
								u[next] == '_' ||
								(u[next] == '-' && next + 1 < e &&
								 (is_alpha(u[next + 1]) || is_digit(u[next + 1]))))))
				return i;
		}
	}
	return e;
}

/*
 * Lenient scan (see reply.h).  Strict parse first; otherwise the first
 * code anywhere, with the whole text kept for the classifier's words.
 */
void
bounce_reply_scan(const char *in, size_t len, bounce_reply *out, char *textbuf)
{
	bounce_parse_error err;
	size_t		err_pos;
	size_t		b = 0,
				e;
	size_t		at;
	size_t		plen;
	canon_ctx	cx;

	if (len <= BOUNCE_REPLY_MAX_INPUT &&
		bounce_reply_parse(in, len, out, textbuf, &err, &err_pos))
		return;

	out->code = 0;
	out->cls = 0;
	out->subject = 0;
	out->detail = 0;
	out->text = textbuf;
	out->text_len = 0;

	/* bound the work: longer input is cut (the words that matter come first) */
	e = len > BOUNCE_REPLY_MAX_INPUT ? BOUNCE_REPLY_MAX_INPUT : len;
	trim(in, &b, &e);
	plen = type_prefix_len(in, b, e);
	if (plen > 0)
		b = skip_ws(in, b + plen, e);

	/*
	 * A failure's code, when the text holds one: a greeting banner ("220
	 * mx ESMTP") or an "OK" quoted in a notice before the reply that
	 * failed is not the status.  Else whatever code there is.
	 */
	at = find_code(in, b, e, true);
	if (at == e)
		at = find_code(in, b, e, false);
	if (at < e)
	{
		const unsigned char *u = (const unsigned char *) in;
		int			c,
					sj,
					d;
		size_t		next,
					bad;
		size_t		p = at;

		if (read_enhanced(in, at, e, &c, &sj, &d, &next, &bad) == 1)
		{
			out->cls = (uint8_t) c;
			out->subject = (uint16_t) sj;
			out->detail = (uint16_t) d;
			p = next;
		}
		else
		{
			out->code = (uint16_t) ((u[at] - '0') * 100 + (u[at + 1] - '0') * 10 + (u[at + 2] - '0'));
			p = at + 3;
			/* "550 5.1.1", "550-5.1.1", "550 #5.1.0" */
			if (p < e && (u[p] == ' ' || u[p] == '-' || u[p] == '\t'))
			{
				size_t		q = p + 1;

				while (q < e && (u[q] == ' ' || u[q] == '\t'))
					q++;
				if (q < e && u[q] == '#')
					q++;
				if (read_enhanced(in, q, e, &c, &sj, &d, &next, &bad) == 1 &&
					(next == e || !(is_alpha(u[next]) || is_digit(u[next]))))
				{
					out->cls = (uint8_t) c;
					out->subject = (uint16_t) sj;
					out->detail = (uint16_t) d;
					p = next;
				}
			}
		}
		/* code at the very start: the text is what follows it */
		if (at == b || (at == b + 1 && in[b] == '#'))
		{
			/* "550, ERROR_CODE ...": the comma only separates */
			if (out->cls == 0 && p < e && (u[p] == ',' || u[p] == ':'))
				p++;
			b = p;
		}
	}
	ctx_init(&cx, out);
	out->text_len = canonicalise(&cx, in, b, e, textbuf);
	adopt_inner_enhanced(out, textbuf);
}

/* Append src[0..n) to buf (capacity cap) at *pos, counting what does not fit. */
static void
put(char *buf, size_t cap, size_t *pos, const char *src, size_t n)
{
	if (*pos < cap)
	{
		size_t		room = cap - *pos;

		memcpy(buf + *pos, src, n < room ? n : room);
	}
	*pos += n;
}

/* Canonical output "550 5.1.1 text" (see reply.h). */
size_t
bounce_reply_format(const bounce_reply *r, char *buf, size_t cap)
{
	size_t		pos = 0;
	char		tmp[16];
	size_t		n;

	if (r->code != 0)
	{
		tmp[0] = (char) ('0' + (r->code / 100) % 10);
		tmp[1] = (char) ('0' + (r->code / 10) % 10);
		tmp[2] = (char) ('0' + r->code % 10);
		put(buf, cap, &pos, tmp, 3);
	}
	if (r->cls != 0)
	{
		if (pos > 0)
			put(buf, cap, &pos, " ", 1);
		n = format_enhanced(r->cls, r->subject % 1000, r->detail % 1000, tmp);
		put(buf, cap, &pos, tmp, n);
	}
	if (r->text_len > 0)
	{
		if (pos > 0)
			put(buf, cap, &pos, " ", 1);
		put(buf, cap, &pos, r->text, r->text_len);
	}
	if (cap > 0)
		buf[pos < cap ? pos : cap - 1] = '\0';
	return pos;
}

bool
bounce_reply_round_trips(const bounce_reply *r, char *scratch, size_t scratch_cap)
{
	size_t		need = r->text_len + 32;
	size_t		n;
	bounce_reply back;
	bounce_parse_error err;
	size_t		pos;

	if (scratch_cap < 2 * need)
		return false;
	n = bounce_reply_format(r, scratch, need);
	if (n >= need || n > BOUNCE_REPLY_MAX_INPUT)
		return false;
	if (!bounce_reply_parse(scratch, n, &back, scratch + need, &err, &pos))
		return false;
	return back.code == r->code && back.cls == r->cls &&
		back.subject == r->subject && back.detail == r->detail &&
		back.text_len == r->text_len &&
		(r->text_len == 0 || memcmp(back.text, r->text, r->text_len) == 0);
}

size_t
bounce_utf8_clip(const char *s, size_t len, size_t max)
{
	size_t		n = len;

	if (n > max)
	{
		n = max;
		/* back off continuation bytes, then the lead byte they follow */
		while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
			n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n;
}
