/*
 * address.c - email address normalizer and validator (pure C, no
 * allocation).  See address.h for what "normalized" means.
 *
 * The normalized address is always a contiguous piece of the input with
 * ASCII letters folded, so the byte offset of a problem in the output maps
 * back to the input by adding where that piece starts.
 */
#include "address.h"

#include <stdint.h>
#include <string.h>

#define LOCAL_MAX	64
#define DOMAIN_MAX	253
#define LABEL_MAX	63

/* White space that may surround an address (never inside one). */
static inline bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* ASCII-only lower case: addresses are keys, so no locale may change them. */
static inline unsigned char
fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char) (c + ('a' - 'A')) : c;
}

/* RFC 5322 atext, plus any byte >= 0x80 for internationalized local parts. */
static inline bool
is_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	if (c >= 0x80)
		return true;
	return strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL && c != '\0';
}

/* Letter, digit or UTF-8 byte: what a host name label is made of. */
static inline bool
is_label_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c >= 0x80;
}

/* Case-insensitive test that s[0..len) starts with the ASCII word 'w'. */
static bool
starts_with_ci(const char *s, size_t len, const char *w)
{
	size_t		n = strlen(w);
	size_t		i;

	if (len < n)
		return false;
	for (i = 0; i < n; i++)
		if (fold((unsigned char) s[i]) != (unsigned char) w[i])
			return false;
	return true;
}

/* Set the error outputs and return false, so callers can 'return fail(...)'. */
static bool
fail(bounce_address_error *err, size_t *err_pos, bounce_address_error e, size_t pos)
{
	*err = e;
	*err_pos = pos;
	return false;
}

/* Validate a dot-atom or quoted-string local part a[0..n). */
static bool
check_local(const unsigned char *a, size_t n, size_t base,
			bounce_address_error *err, size_t *err_pos)
{
	size_t		i;

	if (n == 0)
		return fail(err, err_pos, BOUNCE_ADDR_EMPTY_LOCAL, base);
	if (n > LOCAL_MAX)
		return fail(err, err_pos, BOUNCE_ADDR_LOCAL_TOO_LONG, base + LOCAL_MAX);

	if (a[0] == '"')
	{
		/* quoted string: printable ASCII, UTF-8, spaces; \ escapes one byte */
		if (n < 2 || a[n - 1] != '"')
			return fail(err, err_pos, BOUNCE_ADDR_BAD_LOCAL, base);
		for (i = 1; i < n - 1; i++)
		{
			if (a[i] < 0x20 || a[i] == 0x7f)
				return fail(err, err_pos, BOUNCE_ADDR_CONTROL_CHAR, base + i);
			if (a[i] == '\\')
			{
				if (i + 1 >= n - 1)
					return fail(err, err_pos, BOUNCE_ADDR_BAD_LOCAL, base + i);
				i++;
			}
			else if (a[i] == '"')
				return fail(err, err_pos, BOUNCE_ADDR_BAD_LOCAL, base + i);
		}
		return true;
	}

	/* dot-atom: atext runs separated by single dots */
	for (i = 0; i < n; i++)
	{
		if (a[i] == '.')
		{
			if (i == 0 || i == n - 1 || a[i - 1] == '.')
				return fail(err, err_pos, BOUNCE_ADDR_BAD_LOCAL, base + i);
		}
		else if (a[i] < 0x20 || a[i] == 0x7f || a[i] == ' ')
			return fail(err, err_pos, BOUNCE_ADDR_CONTROL_CHAR, base + i);
		else if (!is_atext(a[i]))
			return fail(err, err_pos, BOUNCE_ADDR_BAD_LOCAL, base + i);
	}
	return true;
}

/* Validate a host name or an address literal ("[192.0.2.1]") d[0..n). */
static bool
check_domain(const unsigned char *d, size_t n, size_t base,
			 bounce_address_error *err, size_t *err_pos)
{
	size_t		i;
	size_t		label_len = 0;

	if (n == 0)
		return fail(err, err_pos, BOUNCE_ADDR_EMPTY_DOMAIN, base);
	if (n > DOMAIN_MAX)
		return fail(err, err_pos, BOUNCE_ADDR_BAD_DOMAIN, base + DOMAIN_MAX);

	if (d[0] == '[')
	{
		/* address literal: hex digits, dots, colons and a tag like "ipv6:" */
		if (n < 3 || d[n - 1] != ']')
			return fail(err, err_pos, BOUNCE_ADDR_BAD_DOMAIN, base);
		for (i = 1; i < n - 1; i++)
		{
			unsigned char c = d[i];

			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
				  (c >= 'A' && c <= 'Z') || c == '.' || c == ':'))
				return fail(err, err_pos, BOUNCE_ADDR_BAD_DOMAIN, base + i);
		}
		return true;
	}

	for (i = 0; i <= n; i++)
	{
		if (i == n || d[i] == '.')
		{
			/* end of a label: not empty, not too long, no edge hyphen */
			if (label_len == 0 || label_len > LABEL_MAX ||
				d[i - 1] == '-' || d[i - label_len] == '-')
				return fail(err, err_pos, BOUNCE_ADDR_BAD_DOMAIN, base + i);
			label_len = 0;
		}
		else if (d[i] < 0x20 || d[i] == 0x7f || d[i] == ' ')
			return fail(err, err_pos, BOUNCE_ADDR_CONTROL_CHAR, base + i);
		else if (is_label_char(d[i]) || d[i] == '-')
			label_len++;
		else
			return fail(err, err_pos, BOUNCE_ADDR_BAD_DOMAIN, base + i);
	}
	return true;
}

/* Normalize and validate; see address.h. */
bool
bounce_address_normalize(const char *in, size_t len, char *out,
						 size_t *out_len, bounce_address_error *err,
						 size_t *err_pos)
{
	const unsigned char *s = (const unsigned char *) in;
	size_t		start = 0;
	size_t		end = len;
	size_t		i;
	size_t		at;
	bool		quoted;

	*out_len = 0;
	*err = BOUNCE_ADDR_OK;
	*err_pos = 0;

	if (memchr(in, '\0', len) != NULL)
		return fail(err, err_pos, BOUNCE_ADDR_NUL_BYTE,
					(size_t) ((const char *) memchr(in, '\0', len) - in));

	while (start < end && is_space(s[start]))
		start++;
	while (end > start && is_space(s[end - 1]))
		end--;

	/* a DSN Final-Recipient value carries its address type first */
	if (starts_with_ci(in + start, end - start, "rfc822;"))
	{
		start += 7;
		while (start < end && is_space(s[start]))
			start++;
	}

	/* one pair of angle brackets, as in a path or a header */
	if (start < end && s[start] == '<')
	{
		if (s[end - 1] != '>' || end - start < 2)
			return fail(err, err_pos, BOUNCE_ADDR_UNBALANCED, start);
		start++;
		end--;
		while (start < end && is_space(s[start]))
			start++;
		while (end > start && is_space(s[end - 1]))
			end--;
	}
	else if (start < end && s[end - 1] == '>')
		return fail(err, err_pos, BOUNCE_ADDR_UNBALANCED, end - 1);

	if (start == end)
		return fail(err, err_pos, BOUNCE_ADDR_EMPTY, start);
	if (end - start > BOUNCE_ADDRESS_MAX)
		return fail(err, err_pos, BOUNCE_ADDR_TOO_LONG, start + BOUNCE_ADDRESS_MAX);

	/* the separating '@' is the last one outside a quoted local part */
	at = end;
	quoted = (s[start] == '"');
	for (i = start; i < end; i++)
	{
		if (quoted && i > start && s[i] == '"' && s[i - 1] != '\\')
			quoted = false;
		else if (!quoted && s[i] == '@')
			at = i;
	}
	if (at == end)
		return fail(err, err_pos, BOUNCE_ADDR_NO_AT, start);

	if (!check_local(s + start, at - start, start, err, err_pos))
		return false;
	if (!check_domain(s + at + 1, end - at - 1, at + 1, err, err_pos))
		return false;

	for (i = start; i < end; i++)
		out[i - start] = (char) fold(s[i]);
	*out_len = end - start;
	return true;
}

/* English description of an error, for errdetail(). */
const char *
bounce_address_error_message(bounce_address_error err)
{
	switch (err)
	{
		case BOUNCE_ADDR_OK:
			return "no error";
		case BOUNCE_ADDR_EMPTY:
			return "the address is empty";
		case BOUNCE_ADDR_TOO_LONG:
			return "the address is longer than 254 bytes";
		case BOUNCE_ADDR_NUL_BYTE:
			return "the address contains a NUL byte";
		case BOUNCE_ADDR_CONTROL_CHAR:
			return "the address contains white space or a control character";
		case BOUNCE_ADDR_UNBALANCED:
			return "the angle brackets around the address do not match";
		case BOUNCE_ADDR_NO_AT:
			return "the address has no \"@\"";
		case BOUNCE_ADDR_EMPTY_LOCAL:
			return "the address has nothing before the \"@\"";
		case BOUNCE_ADDR_LOCAL_TOO_LONG:
			return "the part before the \"@\" is longer than 64 bytes";
		case BOUNCE_ADDR_BAD_LOCAL:
			return "the part before the \"@\" has a character or dot that is not allowed there";
		case BOUNCE_ADDR_EMPTY_DOMAIN:
			return "the address has no domain after the \"@\"";
		case BOUNCE_ADDR_BAD_DOMAIN:
			return "the domain is not a host name or an address literal";
	}
	return "unknown error";
}

/* A byte of a local part in text: atext, '.', 8-bit (SMTPUTF8). */
bool
bounce_address_local_byte(unsigned char c)
{
	return is_atext(c) || c == '.';
}

/* A byte of a domain in text: letters, digits, '-', '.'. */
bool
bounce_address_domain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '-' || c == '.';
}

/*
 * Where a local part found by walking back from its '@' over u[a, at)
 * really starts.  Its 8-bit bytes must be UTF-8 (SMTPUTF8), and no
 * ideographic or full-width punctuation: in "收件人：a@b" (GBK or UTF-8)
 * the label and its colon are glued to the address, not part of it.
 */
static size_t
utf8_local_start(const unsigned char *u, size_t a, size_t at)
{
	size_t		i = a;

	while (i < at)
	{
		unsigned char c = u[i];
		size_t		n = c < 0x80 ? 1 : c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
		uint32_t	cp;
		size_t		k;

		if (n == 1)
		{
			i++;
			continue;
		}
		if (n == 0 || i + n > at)
		{
			a = i + 1;			/* no UTF-8 lead, or cut by the '@' */
			i++;
			continue;
		}
		cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
		for (k = 1; k < n && (u[i + k] & 0xC0) == 0x80; k++)
			cp = cp << 6 | (u[i + k] & 0x3F);
		if (k < n)
		{
			a = i + 1;			/* a broken sequence */
			i++;
			continue;
		}
		if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
			(cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
			(cp >= 0xFF5B && cp <= 0xFF65))
			a = i + n;			/* punctuation ends a label before the address */
		i += n;
	}
	return a;
}

/* The address around an '@'; see address.h. */
bool
bounce_address_span(const char *s, size_t len, size_t at, bool need_dot,
					size_t *start, size_t *end)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		a = at;
	size_t		b = at + 1;
	size_t		k;
	bool		dot = false;

	if (at >= len || s[at] != '@')
		return false;
	while (a > 0 && bounce_address_local_byte(u[a - 1]))
		a--;
	a = utf8_local_start(u, a, at);
	while (a < at && s[a] == '.')
		a++;					/* "...user@x": Sendmail's dots are not the address */
	while (b < len && bounce_address_domain_byte(u[b]))
		b++;
	while (b > at + 1 && (s[b - 1] == '.' || s[b - 1] == '-'))
		b--;
	for (k = at + 1; k < b; k++)
		if (s[k] == '.')
			dot = true;
	if (a == at || b == at + 1 || (need_dot && !dot))
		return false;
	*start = a;
	*end = b;
	return true;
}

/* The first address in a text; see address.h. */
const char *
bounce_address_find(const char *s, size_t len, size_t *alen)
{
	const char *p = s;
	size_t		a;
	size_t		b;

	while (p < s + len && (p = memchr(p, '@', (size_t) (s + len - p))) != NULL)
	{
		size_t		at = (size_t) (p - s);

		if (bounce_address_span(s, len, at, true, &a, &b))
		{
			*alen = b - a;
			return s + a;
		}
		p++;
	}
	return NULL;
}
