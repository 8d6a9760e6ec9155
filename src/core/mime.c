/*
 * mime.c - MIME reader of the pure C core: line splitting for every line
 * end convention, header unfolding, Content-Type parameters, base64 and
 * quoted-printable decoding, and the multipart walker.
 *
 * Everything works on (pointer, length) spans of the caller's input and
 * writes only into the caller's arena, so the same code runs in the
 * server, in unit tests and under libFuzzer.  Broken input degrades to a
 * best effort reading; nothing is an error.
 */
#include "mime.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* SSE2 for the line splitter where the target always has it (and the compiler has the builtins) */
#if defined(__SSE2__) && defined(__GNUC__)
#define BOUNCE_SSE2 1
#include <emmintrin.h>
#endif

/* ASCII lower-casing table (other bytes map to themselves). */
static const unsigned char lower_table[256] = {
#define R8(b) (b), (b) + 1, (b) + 2, (b) + 3, (b) + 4, (b) + 5, (b) + 6, (b) + 7
	R8(0), R8(8), R8(16), R8(24), R8(32), R8(40), R8(48), R8(56),
	64, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 91, 92, 93, 94, 95,
	R8(96), R8(104), R8(112), R8(120),
	R8(128), R8(136), R8(144), R8(152), R8(160), R8(168), R8(176), R8(184),
	R8(192), R8(200), R8(208), R8(216), R8(224), R8(232), R8(240), R8(248)
#undef R8
};

/* Lower-case an ASCII byte; other bytes are returned as they are. */
static inline unsigned char
lc(unsigned char c)
{
	return lower_table[c];
}

/* Space or tab: the white space of header folding. */
static inline bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Set up an arena over a caller buffer. */
void
bounce_arena_init(bounce_arena *a, void *buf, size_t cap)
{
	a->base = (char *) buf;
	a->cap = buf ? cap : 0;
	a->used = 0;
}

/*
 * Take n bytes from the arena, aligned for any pointer or integer (the
 * address, not the offset, is aligned: the caller's buffer may start
 * anywhere); NULL when it is full.
 */
char *
bounce_arena_alloc(bounce_arena *a, size_t n)
{
	uintptr_t	addr = (uintptr_t) (a->base + a->used);
	size_t		pad = (size_t) ((8 - (addr & 7)) & 7);
	size_t		start = a->used + pad;
	char	   *p;

	if (start > a->cap || n > a->cap - start)
		return NULL;
	p = a->base + start;
	a->used = start + n;
	return p;
}

/* Copy n bytes into the arena, NUL-terminated; NULL when it is full. */
char *
bounce_arena_strdup(bounce_arena *a, const char *s, size_t n)
{
	char	   *p = bounce_arena_alloc(a, n + 1);

	if (p == NULL)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/*
 * ASCII case-insensitive equality of a span and a C string.  The reader
 * asks it of every header name against a list of names, so it stops at
 * the first differing byte rather than measuring b first.
 */
bool
bounce_ieq(const char *a, size_t alen, const char *b)
{
	size_t		i;

	for (i = 0; i < alen; i++)
		if (b[i] == '\0' || lc((unsigned char) a[i]) != lc((unsigned char) b[i]))
			return false;
	return b[alen] == '\0';
}

/* ASCII case-insensitive "span starts with prefix" (the same early stop). */
bool
bounce_istarts(const char *a, size_t alen, const char *prefix)
{
	size_t		i;

	for (i = 0; prefix[i] != '\0'; i++)
		if (i >= alen || lc((unsigned char) a[i]) != lc((unsigned char) prefix[i]))
			return false;
	return true;
}

/* Does hay[i..] start with needle[0..nlen), ASCII case folded? */
static inline bool
imatch_at(const char *hay, size_t i, const char *needle, size_t nlen)
{
	size_t		k;

	for (k = 1; k < nlen; k++)
		if (lc((unsigned char) hay[i + k]) != lc((unsigned char) needle[k]))
			return false;
	return true;
}

/*
 * ASCII case-insensitive search of a C string in a span; NULL if absent.
 * With SSE2, 16 places at a time are compared with the needle's first two
 * bytes (a letter in both cases: b | 0x20 equals a lower-case letter only
 * for that letter and its capital), and only the places where both agree
 * are checked: a single common letter would leave many.
 */
const char *
bounce_memifind(const char *hay, size_t hlen, const char *needle)
{
	size_t		nlen = strlen(needle);
	size_t		i = 0;
	unsigned char first;

	if (nlen == 0)
		return hay;
	if (hlen < nlen)
		return NULL;
	first = lc((unsigned char) needle[0]);
#ifdef BOUNCE_SSE2
	if (nlen >= 2)
	{
		unsigned char second = lc((unsigned char) needle[1]);
		const __m128i fold1 = _mm_set1_epi8(first >= 'a' && first <= 'z' ? 0x20 : 0);
		const __m128i want1 = _mm_set1_epi8((char) first);
		const __m128i fold2 = _mm_set1_epi8(second >= 'a' && second <= 'z' ? 0x20 : 0);
		const __m128i want2 = _mm_set1_epi8((char) second);

		/* blocks whose 16 places all leave room for the needle */
		for (; i + 16 + nlen - 1 <= hlen; i += 16)
		{
			__m128i		v1 = _mm_loadu_si128((const __m128i *) (const void *) (hay + i));
			__m128i		v2 = _mm_loadu_si128((const __m128i *) (const void *) (hay + i + 1));
			unsigned	m = (unsigned) _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(v1, fold1), want1),
																	   _mm_cmpeq_epi8(_mm_or_si128(v2, fold2), want2)));

			while (m != 0)
			{
				size_t		at = i + (size_t) __builtin_ctz(m);

				if (imatch_at(hay, at, needle, nlen))
					return hay + at;
				m &= m - 1;
			}
		}
	}
#endif
	for (; i + nlen <= hlen; i++)
		if (lc((unsigned char) hay[i]) == first && imatch_at(hay, i, needle, nlen))
			return hay + i;
	return NULL;
}

/*
 * Next line, whatever the line end (LF, CRLF, lone CR).  The reader splits
 * some lines several times, so this is its hottest loop.  On x86-64 (SSE2
 * is part of the ABI) 16 bytes are compared with both CR and LF at once,
 * inline: a typical line of 40 to 80 bytes takes a few steps and no call.
 * Elsewhere memchr finds the LF of a normal line in one vectorised pass;
 * only a window is searched so that a file of bare CRs does not rescan its
 * tail for every line.  Both find the first CR or LF at or after *pos.
 */
bool
bounce_next_line(const char *buf, size_t len, size_t *pos,
				 const char **line, size_t *line_len)
{
	size_t		p = *pos;
	size_t		start = p;

	if (p >= len)
		return false;
#ifdef BOUNCE_SSE2
	{
		const __m128i lf16 = _mm_set1_epi8('\n');
		const __m128i cr16 = _mm_set1_epi8('\r');

		for (;;)
		{
			__m128i		v;
			int			m;

			if (len - p < 16)
			{
				while (p < len && buf[p] != '\n' && buf[p] != '\r')
					p++;
				break;
			}
			v = _mm_loadu_si128((const __m128i *) (const void *) (buf + p));
			m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf16), _mm_cmpeq_epi8(v, cr16)));
			if (m != 0)
			{
				p += (size_t) __builtin_ctz((unsigned) m);
				break;
			}
			p += 16;
		}
	}
#else
	{
		size_t		window = len - p < 4096 ? len - p : 4096;
		const char *lf = memchr(buf + p, '\n', window);
		const char *cr;

		if (lf != NULL)
		{
			cr = memchr(buf + p, '\r', (size_t) (lf - (buf + p)));
			p = (size_t) ((cr ? cr : lf) - buf);
		}
		else
		{
			while (p < len && buf[p] != '\n' && buf[p] != '\r')
				p++;
		}
	}
#endif
	*line = buf + start;
	*line_len = p - start;
	if (p < len)
	{
		if (buf[p] == '\r' && p + 1 < len && buf[p + 1] == '\n')
			p += 2;
		else
			p++;
	}
	*pos = p;
	return true;
}

/* True when a line has the shape "Name:" or "Name :" of a header field. */
static bool
looks_like_field(const char *line, size_t len, size_t *colon)
{
	size_t		i = 0;

	while (i < len && line[i] != ':' && !is_wsp(line[i]))
	{
		unsigned char c = (unsigned char) line[i];

		if (c < 33 || c > 126)
			return false;
		i++;
	}
	if (i == 0)
		return false;
	while (i < len && is_wsp(line[i]))
		i++;
	if (i < len && line[i] == ':')
	{
		*colon = i;
		return true;
	}
	return false;
}

/* True for a line with nothing but white space. */
static bool
is_blank(const char *line, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if (!is_wsp(line[i]))
			return false;
	return true;
}

/* Split at the first empty line, after an mbox "From " line if any. */
void
bounce_mime_split(const char *msg, size_t len,
				  const char **hdrs, size_t *hdrs_len,
				  const char **body, size_t *body_len)
{
	size_t		pos = 0;
	size_t		start;
	const char *line;
	size_t		ll;
	size_t		colon;

	/* mbox separator "From sender date": a "From" with no colon */
	if (len >= 5 && memcmp(msg, "From ", 5) == 0)
	{
		bounce_next_line(msg, len, &pos, &line, &ll);
	}
	start = pos;

	/* a body with no header block at all */
	if (start < len)
	{
		size_t		p2 = start;

		bounce_next_line(msg, len, &p2, &line, &ll);
		if (!is_blank(line, ll) && !looks_like_field(line, ll, &colon))
		{
			*hdrs = msg + start;
			*hdrs_len = 0;
			*body = msg + start;
			*body_len = len - start;
			return;
		}
	}

	while (pos < len)
	{
		size_t		lstart = pos;

		bounce_next_line(msg, len, &pos, &line, &ll);
		if (ll == 0 || (is_blank(line, ll) && lstart != start))
		{
			*hdrs = msg + start;
			*hdrs_len = lstart - start;
			*body = msg + pos;
			*body_len = len - pos;
			return;
		}
	}
	*hdrs = msg + start;
	*hdrs_len = len - start;
	*body = msg + len;
	*body_len = 0;
}

/* Start iterating the fields of a block. */
void
bounce_field_iter_init(bounce_field_iter *it, const char *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->pos = 0;
}

/* Next field of a block, with its raw (folded) value span, into *it; false at the end. */
bool
bounce_field_next(bounce_field_iter *it)
{
	const char *line;
	size_t		ll;
	size_t		colon;

	it->blank = false;
	while (bounce_next_line(it->buf, it->len, &it->pos, &line, &ll))
	{
		size_t		n;
		size_t		vstart;
		size_t		vend;

		if (is_blank(line, ll))
		{
			it->blank = true;
			continue;
		}
		if (is_wsp(line[0]) || !looks_like_field(line, ll, &colon))
			continue;			/* stray continuation or prose: skip */

		n = 0;
		while (n < colon && !is_wsp(line[n]))
			n++;
		it->name = line;
		it->name_len = n;
		vstart = (size_t) (line - it->buf) + colon + 1;
		vend = (size_t) (line - it->buf) + ll;

		/* swallow continuation lines */
		for (;;)
		{
			size_t		p = it->pos;
			const char *next;
			size_t		nl;

			/* a line that does not start with white space is no continuation: tell by its first byte */
			if (p >= it->len || !is_wsp(it->buf[p]))
				break;
			if (!bounce_next_line(it->buf, it->len, &p, &next, &nl))
				break;
			if (nl == 0 || !is_wsp(next[0]) || is_blank(next, nl))
				break;
			vend = (size_t) (next - it->buf) + nl;
			it->pos = p;
		}
		it->value = it->buf + vstart;
		it->value_len = vend - vstart;
		return true;
	}
	return false;
}

/* Unfold a raw value: runs of line ends and white space become one space. */
size_t
bounce_unfold(const char *raw, size_t len, char *out)
{
	size_t		i = 0;
	size_t		o = 0;

	while (i < len && (is_wsp(raw[i]) || raw[i] == '\r' || raw[i] == '\n'))
		i++;
	while (i < len)
	{
		char		c = raw[i];

		if (c == '\r' || c == '\n')
		{
			/* drop the line end and the folding white space after it */
			while (o > 0 && is_wsp(out[o - 1]))
				o--;
			while (i < len && (is_wsp(raw[i]) || raw[i] == '\r' || raw[i] == '\n'))
				i++;
			if (i < len)
				out[o++] = ' ';
			continue;
		}
		out[o++] = (c == '\t') ? ' ' : c;
		i++;
	}
	while (o > 0 && is_wsp(out[o - 1]))
		o--;
	return o;
}

/* First header 'name' of a block, unfolded into the arena. */
char *
bounce_header_get(const char *hdrs, size_t len, const char *name,
				  bounce_arena *arena, size_t *out_len)
{
	bounce_field_iter it;

	bounce_field_iter_init(&it, hdrs, len);
	while (bounce_field_next(&it))
	{
		if (it.blank)
			break;				/* a header block ends at its first blank line */
		if (bounce_field_is(&it, name))
		{
			char	   *out = bounce_arena_alloc(arena, it.value_len + 1);
			size_t		ol;

			if (out == NULL)
				return NULL;
			ol = bounce_unfold(it.value, it.value_len, out);
			out[ol] = '\0';
			if (out_len)
				*out_len = ol;
			return out;
		}
	}
	return NULL;
}

/* A parameter of a structured header value, unquoted. */
bool
bounce_header_param(const char *value, size_t len, const char *param,
					char *out, size_t cap)
{
	size_t		i = 0;
	size_t		plen = strlen(param);
	bool		inq = false;

	if (cap == 0)
		return false;
	/* visit every ';' outside quotes and look at the name after it */
	for (i = 0; i < len; i++)
	{
		size_t		j;

		if (value[i] == '"')
			inq = !inq;
		if (inq || value[i] != ';')
			continue;
		j = i + 1;
		while (j < len && (is_wsp(value[j]) || value[j] == '\r' || value[j] == '\n'))
			j++;
		if (j + plen > len || !bounce_ieq(value + j, plen, param))
			continue;
		j += plen;
		while (j < len && is_wsp(value[j]))
			j++;
		if (j >= len || value[j] != '=')
			continue;
		j++;
		while (j < len && is_wsp(value[j]))
			j++;
		{
			size_t		o = 0;

			if (j < len && value[j] == '"')
			{
				j++;
				while (j < len && value[j] != '"')
				{
					if (value[j] == '\\' && j + 1 < len)
						j++;
					if (o + 1 < cap)
						out[o++] = value[j];
					j++;
				}
			}
			else
			{
				while (j < len && value[j] != ';' && !is_wsp(value[j]) &&
					   value[j] != '\r' && value[j] != '\n')
				{
					if (o + 1 < cap)
						out[o++] = value[j];
					j++;
				}
			}
			out[o] = '\0';
			return o > 0;
		}
	}
	return false;
}

/* Value of a base64 digit, -1 for anything else. */
static inline int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64 decode, skipping line ends and junk, stopping at '=' padding. */
size_t
bounce_base64_decode(const char *in, size_t len, char *out)
{
	size_t		o = 0;
	unsigned int acc = 0;
	int			bits = 0;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		int			v = b64val((unsigned char) in[i]);

		if (in[i] == '=')
		{
			/* padding ends a group; a later group may follow (concatenated) */
			acc = 0;
			bits = 0;
			continue;
		}
		if (v < 0)
			continue;
		acc = (acc << 6) | (unsigned int) v;
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			out[o++] = (char) ((acc >> bits) & 0xFF);
		}
	}
	return o;
}

/* Value of a hex digit, -1 for anything else. */
static inline int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lc(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Quoted-printable decode; a broken escape is kept as it is. */
size_t
bounce_qp_decode(const char *in, size_t len, char *out)
{
	size_t		o = 0;
	size_t		i = 0;

	while (i < len)
	{
		char		c = in[i];

		if (c == '=')
		{
			size_t		j = i + 1;

			/* soft line break: '=', optional trailing white space, line end */
			while (j < len && is_wsp(in[j]))
				j++;
			if (j < len && (in[j] == '\r' || in[j] == '\n'))
			{
				if (in[j] == '\r' && j + 1 < len && in[j + 1] == '\n')
					j++;
				i = j + 1;
				continue;
			}
			if (j >= len && j > i + 1)
			{
				i = j;
				continue;
			}
			if (i + 2 < len && hexval((unsigned char) in[i + 1]) >= 0 &&
				hexval((unsigned char) in[i + 2]) >= 0)
			{
				out[o++] = (char) (hexval((unsigned char) in[i + 1]) * 16 +
								   hexval((unsigned char) in[i + 2]));
				i += 3;
				continue;
			}
			if (i + 1 == len)
			{
				i++;			/* '=' at the very end: a soft break */
				continue;
			}
		}
		out[o++] = c;
		i++;
	}
	return o;
}

/*
 * RFC 2047 encoded words of a header value, decoded.  The bytes stay in
 * the word's charset (ASCII-compatible charsets, ISO-2022-JP included,
 * keep their ASCII as ASCII).  Every encoded word is longer than what it
 * decodes to, so the output never gets ahead of the input (o <= i).
 */
size_t
bounce_decode_words(const char *in, size_t len, char *out)
{
	size_t		i = 0;
	size_t		o = 0;
	bool		after_word = false;
	size_t		word_end = 0;

	while (i < len)
	{
		if (in[i] == '=' && i + 1 < len && in[i + 1] == '?')
		{
			size_t		j = i + 2;
			size_t		t;
			size_t		e;

			/* =?charset?X?text?= with no white space inside */
			while (j < len && in[j] != '?' && !is_wsp(in[j]) && j - i < 80)
				j++;
			if (j > i + 2 && j + 2 < len && in[j] == '?' && in[j + 2] == '?' &&
				(lc((unsigned char) in[j + 1]) == 'b' || lc((unsigned char) in[j + 1]) == 'q'))
			{
				t = j + 3;
				e = t;
				while (e + 1 < len && !(in[e] == '?' && in[e + 1] == '=') &&
					   !is_wsp(in[e]) && in[e] != '\r' && in[e] != '\n')
					e++;
				if (e + 1 < len && in[e] == '?' && in[e + 1] == '=')
				{
					/* white space between two encoded words is not text */
					if (after_word)
						o = word_end;
					if (lc((unsigned char) in[j + 1]) == 'b')
						o += bounce_base64_decode(in + t, e - t, out + o);
					else
					{
						size_t		k;

						for (k = t; k < e; k++)
						{
							if (in[k] == '_')
								out[o++] = ' ';
							else if (in[k] == '=' && k + 2 < e &&
									 hexval((unsigned char) in[k + 1]) >= 0 &&
									 hexval((unsigned char) in[k + 2]) >= 0)
							{
								out[o++] = (char) (hexval((unsigned char) in[k + 1]) * 16 +
												   hexval((unsigned char) in[k + 2]));
								k += 2;
							}
							else
								out[o++] = in[k];
						}
					}
					i = e + 2;
					after_word = true;
					word_end = o;
					continue;
				}
			}
		}
		if (!is_wsp(in[i]) && in[i] != '\r' && in[i] != '\n')
			after_word = false;
		out[o++] = in[i++];
	}
	return o;
}

/* Walker state shared by the recursion. */
typedef struct walk_state
{
	bounce_arena *arena;
	bounce_mime_cb cb;
	void	   *ctx;
	int			index;
	bool		stop;
} walk_state;

/* Lower-cased "type/subtype" of a Content-Type value into out. */
static void
content_type_of(const char *v, size_t vl, char *out, size_t cap)
{
	size_t		o = 0;
	size_t		i = 0;

	while (i < vl && is_wsp(v[i]))
		i++;
	while (i < vl && v[i] != ';' && !is_wsp(v[i]) && v[i] != '\r' &&
		   v[i] != '\n' && v[i] != '(')
	{
		if (o + 1 < cap)
			out[o++] = (char) lc((unsigned char) v[i]);
		i++;
	}
	out[o] = '\0';
}

/* True when a line is the delimiter "--boundary" (or its closing form). */
static bool
is_delimiter(const char *line, size_t ll, const char *b, size_t bl, bool *closing)
{
	size_t		i;

	if (ll < bl + 2 || line[0] != '-' || line[1] != '-' ||
		memcmp(line + 2, b, bl) != 0)
		return false;
	i = bl + 2;
	*closing = (i + 1 < ll && line[i] == '-' && line[i + 1] == '-');
	if (*closing)
		i += 2;
	/* only white space may follow (RFC 2046 transport padding) */
	for (; i < ll; i++)
		if (!is_wsp(line[i]))
			return false;
	return true;
}

static void walk_entity(walk_state *st, const char *msg, size_t len, int depth,
						const char *report_type, const char *default_type);

/*
 * The first '-' after body[from] that starts a line (its previous byte is
 * a CR or an LF), or len.  With SSE2, 16 bytes at a time: the '-' bytes
 * and the line ends shifted by one place are and-ed.
 */
static size_t
next_dash_line(const char *body, size_t len, size_t from)
{
	size_t		p = from + 1;

#ifdef BOUNCE_SSE2
	{
		const __m128i dash = _mm_set1_epi8('-');
		const __m128i lf = _mm_set1_epi8('\n');
		const __m128i cr = _mm_set1_epi8('\r');
		unsigned	carry = body[p - 1] == '\n' || body[p - 1] == '\r';

		for (; len - p >= 16; p += 16)
		{
			__m128i		v = _mm_loadu_si128((const __m128i *) (const void *) (body + p));
			unsigned	d = (unsigned) _mm_movemask_epi8(_mm_cmpeq_epi8(v, dash));
			unsigned	e = (unsigned) _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf),
																	  _mm_cmpeq_epi8(v, cr)));
			unsigned	m = d & ((e << 1) | carry);

			if (m != 0)
				return p + (size_t) __builtin_ctz(m);
			carry = (e >> 15) & 1;
		}
	}
#endif
	for (; p < len; p++)
		if (body[p] == '-' && (body[p - 1] == '\n' || body[p - 1] == '\r'))
			return p;
	return len;
}

/* Walk the parts of a multipart body delimited by 'boundary'. */
static void
walk_multipart(walk_state *st, const char *body, size_t len, const char *boundary,
			   int depth, const char *report_type, const char *sub_default)
{
	size_t		bl = strlen(boundary);
	size_t		pos = 0;
	size_t		part_start = 0;
	bool		in_part = false;
	const char *line;
	size_t		ll;

	while (pos < len && !st->stop)
	{
		size_t		lstart;
		bool		closing;

		/*
		 * A delimiter line starts with "--": go from one '-' that starts a
		 * line to the next instead of splitting every line of every part.
		 */
		if (body[pos] != '-' && (pos = next_dash_line(body, len, pos)) >= len)
			break;
		lstart = pos;
		bounce_next_line(body, len, &pos, &line, &ll);
		if (!is_delimiter(line, ll, boundary, bl, &closing))
			continue;
		if (in_part)
		{
			/* the line end before the delimiter belongs to the delimiter */
			size_t		end = lstart;

			if (end > part_start && body[end - 1] == '\n')
				end--;
			if (end > part_start && body[end - 1] == '\r')
				end--;
			walk_entity(st, body + part_start, end - part_start, depth + 1,
						report_type, sub_default);
		}
		if (closing)
			return;
		in_part = true;
		part_start = pos;
	}
	/* a last part without its closing delimiter still counts */
	if (in_part && !st->stop && part_start < len)
		walk_entity(st, body + part_start, len - part_start, depth + 1,
					report_type, sub_default);
	/* no delimiter at all (stripped by a gateway): read the body as text */
	if (!in_part && !st->stop)
		walk_entity(st, body, len, depth + 1, report_type, "text/plain");
}

/* Guess a boundary from the first "--xxx" line when the parameter is missing. */
static bool
guess_boundary(const char *body, size_t len, char *out, size_t cap)
{
	size_t		pos = 0;
	const char *line;
	size_t		ll;

	while (bounce_next_line(body, len, &pos, &line, &ll))
	{
		size_t		n;

		if (ll > 2 && line[0] == '-' && line[1] == '-' && !is_wsp(line[2]))
		{
			n = ll - 2;
			while (n > 0 && is_wsp(line[2 + n - 1]))
				n--;
			if (n == 0 || n + 1 > cap)
				return false;
			memcpy(out, line + 2, n);
			out[n] = '\0';
			return true;
		}
	}
	return false;
}

/* Read one entity (headers + body): recurse into multiparts, report leaves. */
static void
walk_entity(walk_state *st, const char *msg, size_t len, int depth,
			const char *report_type, const char *default_type)
{
	const char *hdrs;
	const char *body;
	size_t		hl;
	size_t		bodyl;
	bounce_field_iter it;
	const char *ct = NULL;
	size_t		ctl = 0;
	const char *cte = NULL;
	size_t		ctel = 0;
	bounce_mime_part part;

	if (st->stop || depth > BOUNCE_MIME_MAX_DEPTH)
		return;
	if (depth == 0)
		bounce_mime_split(msg, len, &hdrs, &hl, &body, &bodyl);
	else
	{
		/* a part may start directly with its body after an empty line */
		size_t		pos = 0;
		const char *line = msg;
		size_t		ll = 0;
		size_t		colon;

		if (len == 0)
		{
			hdrs = msg;
			hl = 0;
			body = msg;
			bodyl = 0;
		}
		else if (bounce_next_line(msg, len, &pos, &line, &ll) &&
				 (ll == 0 || is_blank(line, ll)))
		{
			hdrs = msg;
			hl = 0;
			body = msg + pos;
			bodyl = len - pos;
		}
		else if (ll > 0 && !looks_like_field(line, ll, &colon))
		{
			hdrs = msg;
			hl = 0;
			body = msg;
			bodyl = len;
		}
		else
			bounce_mime_split(msg, len, &hdrs, &hl, &body, &bodyl);
	}

	bounce_field_iter_init(&it, hdrs, hl);
	while (bounce_field_next(&it))
	{
		if (ct == NULL && bounce_field_is(&it, "Content-Type"))
		{
			ct = it.value;
			ctl = it.value_len;
		}
		else if (cte == NULL && bounce_field_is(&it, "Content-Transfer-Encoding"))
		{
			cte = it.value;
			ctel = it.value_len;
		}
	}

	memset(&part, 0, sizeof(part));
	if (ct)
		content_type_of(ct, ctl, part.type, sizeof(part.type));
	if (part.type[0] == '\0' || strchr(part.type, '/') == NULL)
		snprintf(part.type, sizeof(part.type), "%s", default_type);

	if (strncmp(part.type, "multipart/", 10) == 0)
	{
		char		boundary[256];
		char		rt[32];
		const char *sub_default = strcmp(part.type, "multipart/digest") == 0 ?
		"message/rfc822" : "text/plain";

		rt[0] = '\0';
		if (strcmp(part.type, "multipart/report") == 0)
		{
			if (!bounce_header_param(ct, ctl, "report-type", rt, sizeof(rt)))
				snprintf(rt, sizeof(rt), "unknown");
			else
			{
				size_t		i;

				for (i = 0; rt[i]; i++)
					rt[i] = (char) lc((unsigned char) rt[i]);
			}
		}
		if (bounce_header_param(ct, ctl, "boundary", boundary, sizeof(boundary)) ||
			guess_boundary(body, bodyl, boundary, sizeof(boundary)))
		{
			walk_multipart(st, body, bodyl, boundary, depth,
						   rt[0] ? rt : report_type, sub_default);
			return;
		}
		/* no usable boundary: fall through and report the body as text */
		snprintf(part.type, sizeof(part.type), "text/plain");
	}

	part.headers = hdrs;
	part.headers_len = hl;
	part.body = body;
	part.body_len = bodyl;
	part.depth = depth;
	part.index = st->index++;
	snprintf(part.report_type, sizeof(part.report_type), "%s", report_type);

	/* only text and message parts are read: attachments are not decoded */
	if (cte && (strncmp(part.type, "text/", 5) == 0 ||
				strncmp(part.type, "message/", 8) == 0))
	{
		char		enc[32];

		content_type_of(cte, ctel, enc, sizeof(enc));
		if (strcmp(enc, "base64") == 0 || strcmp(enc, "quoted-printable") == 0)
		{
			char	   *out = bounce_arena_alloc(st->arena, bodyl + 1);

			if (out == NULL)
				return;			/* arena full: skip the part, do not fail */
			if (enc[0] == 'b')
				part.body_len = bounce_base64_decode(body, bodyl, out);
			else
				part.body_len = bounce_qp_decode(body, bodyl, out);
			out[part.body_len] = '\0';
			part.body = out;
		}
	}
	if (!st->cb(st->ctx, &part))
		st->stop = true;
}

/* Walk a whole message. */
void
bounce_mime_walk(const char *msg, size_t len, bounce_arena *arena,
				 bounce_mime_cb cb, void *ctx)
{
	walk_state	st;

	st.arena = arena;
	st.cb = cb;
	st.ctx = ctx;
	st.index = 0;
	st.stop = false;
	walk_entity(&st, msg, len, 0, "", "text/plain");
}
