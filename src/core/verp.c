/*
 * verp.c - VERP return addresses: encoding, reading back, signing (see
 * verp.h for the format).  Reading back re-encodes what it read and
 * accepts only when the two agree, so there is exactly one spelling of
 * each address (in any case) and the rules live in the encoder alone.
 */
#include "verp.h"

#include <string.h>

static const char hex_digits[] = "0123456789abcdef";
static const char base32_alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

/* ASCII lower case. */
static inline unsigned char
lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char) (c + ('a' - 'A')) : c;
}

/* White space that may surround an argument. */
static inline bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* A byte of L that stands for itself (besides '.', see verp.h). */
static inline bool
is_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Value of a hex digit in either case, or -1. */
static inline int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * The return local part: an ASCII dot-atom (RFC 5322 atext runs separated
 * by single dots) without '+' and '=', which the scheme reserves.
 */
static bool
valid_return_local(const char *s, size_t n)
{
	size_t		i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '.')
		{
			if (s[i - 1] == '.')
				return false;
		}
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				   (c >= '0' && c <= '9') ||
				   (c != '\0' && strchr("!#$%&'*-/?^_`{|}~", c) != NULL)))
			return false;
	}
	return true;
}

/*
 * An ASCII host name: labels of letters, digits and inner hyphens, 1-63
 * bytes each, 253 in all; with 'need_dot', at least two labels.
 */
static bool
valid_host(const char *s, size_t n, bool need_dot)
{
	size_t		i,
				label = 0;
	bool		dot = false;

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i <= n; i++)
	{
		unsigned char c = i < n ? (unsigned char) s[i] : '.';

		if (c == '.')
		{
			if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-')
				return false;
			if (i < n)
				dot = true;
			label = 0;
		}
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				 (c >= '0' && c <= '9') || c == '-')
			label++;
		else
			return false;
	}
	return dot || !need_dot;
}

/* Bytes the escaped form of the local part l[0..n) takes. */
static size_t
escaped_len(const char *l, size_t n)
{
	size_t		i,
				len = 0;
	bool		after_dot = false;	/* the last byte written was a literal '.' */

	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) l[i];

		if (is_plain(c) || (c == '.' && !after_dot))
		{
			len++;
			after_dot = (c == '.');
		}
		else
		{
			len += 3;
			after_dot = false;
		}
	}
	return len;
}

/* Write the escaped form of l[0..n) at out; returns the bytes written. */
static size_t
escape_to(const char *l, size_t n, char *out)
{
	size_t		i,
				k = 0;
	bool		after_dot = false;

	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) l[i];

		if (is_plain(c) || (c == '.' && !after_dot))
		{
			out[k++] = (char) c;
			after_dot = (c == '.');
		}
		else
		{
			out[k++] = '=';
			out[k++] = hex_digits[c >> 4];
			out[k++] = hex_digits[c & 15];
			after_dot = false;
		}
	}
	return k;
}

/* The tag: the first 50 bits of the HMAC, base32 (RFC 4648 alphabet, lower case). */
void
bounce_verp_tag(const bounce_hmac_sha256_ctx *key, const char *address, size_t len,
				char tag[BOUNCE_VERP_TAG_LEN])
{
	bounce_hmac_sha256_ctx c = *key;
	uint8_t		mac[BOUNCE_SHA256_DIGEST];
	uint64_t	bits = 0;
	int			i;

	bounce_hmac_sha256_update(&c, address, len);
	bounce_hmac_sha256_final(&c, mac);
	for (i = 0; i < 7; i++)
		bits = (bits << 8) | mac[i];	/* 56 bits, the first 50 used */
	for (i = 0; i < BOUNCE_VERP_TAG_LEN; i++)
		tag[i] = base32_alphabet[(bits >> (56 - 5 * (i + 1))) & 31];
	memset(mac, 0, sizeof(mac));
}

/* Record a failure and return false. */
static bool
fail(bounce_verp_failure *f, bounce_verp_error err, size_t would_be)
{
	f->err = err;
	f->would_be = would_be;
	return false;
}

/*
 * Encode a normalized address already split at its '@' (local l, domain
 * d); the return parts are valid.  See bounce_verp_encode().
 */
static bool
encode_split(const char *r, size_t rn, const char *l, size_t ln,
			 const char *d, size_t dn, const char *h, size_t hn,
			 const bounce_hmac_sha256_ctx *key, const char *addr, size_t addr_len,
			 char *out, size_t *out_len, bounce_verp_failure *f)
{
	size_t		local = rn + 1 + escaped_len(l, ln) + 1 + dn +
		(key != NULL ? 1 + BOUNCE_VERP_TAG_LEN : 0);
	size_t		k = 0;

	if (!valid_host(d, dn, true))
		return fail(f, BOUNCE_VERP_BAD_DOMAIN, 0);
	if (local > BOUNCE_VERP_LOCAL_MAX)
		return fail(f, BOUNCE_VERP_LOCAL_TOO_LONG, local);
	if (local + 1 + hn > BOUNCE_VERP_MAX)
		return fail(f, BOUNCE_VERP_TOO_LONG, local + 1 + hn);

	memcpy(out, r, rn);
	k = rn;
	out[k++] = '+';
	k += escape_to(l, ln, out + k);
	out[k++] = '=';
	memcpy(out + k, d, dn);
	k += dn;
	if (key != NULL)
	{
		out[k++] = '+';
		bounce_verp_tag(key, addr, addr_len, out + k);
		k += BOUNCE_VERP_TAG_LEN;
	}
	out[k++] = '@';
	memcpy(out + k, h, hn);
	k += hn;
	*out_len = k;
	return true;
}

/* Trim surrounding white space of s[0..*n); returns the new start. */
static const char *
trim(const char *s, size_t *n)
{
	while (*n > 0 && is_space((unsigned char) s[0]))
	{
		s++;
		(*n)--;
	}
	while (*n > 0 && is_space((unsigned char) s[*n - 1]))
		(*n)--;
	return s;
}

/* Offset of the last c in s[0..n), or n when none. */
static size_t
last_of(const char *s, size_t n, char c)
{
	size_t		i = n;

	while (i > 0)
		if (s[--i] == c)
			return i;
	return n;
}

/* Encode; see verp.h. */
bool
bounce_verp_encode(const char *return_local, size_t return_local_len,
				   const char *address, size_t address_len,
				   const char *domain, size_t domain_len,
				   const bounce_hmac_sha256_ctx *key,
				   char *out, size_t *out_len, bounce_verp_failure *f)
{
	char		norm[BOUNCE_VERP_INPUT_MAX];
	size_t		norm_len,
				err_pos,
				at;

	f->err = BOUNCE_VERP_OK;
	f->addr_err = BOUNCE_ADDR_OK;
	f->would_be = 0;
	*out_len = 0;
	if (!valid_return_local(return_local, return_local_len))
		return fail(f, BOUNCE_VERP_BAD_RETURN_LOCAL, 0);
	if (!valid_host(domain, domain_len, false))
		return fail(f, BOUNCE_VERP_BAD_RETURN_DOMAIN, 0);

	address = trim(address, &address_len);
	if (address_len > sizeof(norm))
	{
		f->addr_err = BOUNCE_ADDR_TOO_LONG;
		return fail(f, BOUNCE_VERP_BAD_ADDRESS, 0);
	}
	if (!bounce_address_normalize(address, address_len, norm, &norm_len,
								  &f->addr_err, &err_pos))
		return fail(f, BOUNCE_VERP_BAD_ADDRESS, 0);
	/* the domain of a normalized address holds no '@': the last one splits */
	at = last_of(norm, norm_len, '@');
	return encode_split(return_local, return_local_len, norm, at,
						norm + at + 1, norm_len - at - 1, domain, domain_len,
						key, norm, norm_len, out, out_len, f);
}

/* Offset of the first c in s[0..n), or n when none. */
static size_t
first_of(const char *s, size_t n, char c)
{
	const char *q = memchr(s, c, n);

	return q != NULL ? (size_t) (q - s) : n;
}

/* Undo the escaping of l[0..n) into out; false on a malformed escape. */
static bool
unescape(const char *l, size_t n, char *out, size_t *out_len)
{
	size_t		i,
				k = 0;

	for (i = 0; i < n; i++)
	{
		if (l[i] == '=')
		{
			int			hi = i + 2 < n ? hex_value((unsigned char) l[i + 1]) : -1;
			int			lo = i + 2 < n ? hex_value((unsigned char) l[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				return false;
			out[k++] = (char) (hi * 16 + lo);
			i += 2;
		}
		else
			out[k++] = l[i];
	}
	*out_len = k;
	return true;
}

/* Read back; see verp.h. */
bool
bounce_verp_parse(const char *in, size_t len, bounce_verp_parsed *p)
{
	char		norm[BOUNCE_VERP_INPUT_MAX];
	char		addr[BOUNCE_VERP_INPUT_MAX];
	char		again[BOUNCE_VERP_MAX];
	size_t		n,
				addr_len,
				again_len,
				err_pos,
				at,
				plus,
				eq,
				end_d,
				a,
				i;
	bounce_address_error aerr;
	bounce_verp_failure f;

	memset(p, 0, sizeof(*p));
	in = trim(in, &len);
	if (len > sizeof(norm) ||
		!bounce_address_normalize(in, len, norm, &n, &aerr, &err_pos))
		return false;

	/* norm is R "+" L "=" D ["+" T] "@" H, lower-cased */
	at = last_of(norm, n, '@');
	plus = first_of(norm, at, '+');
	if (plus == 0 || plus >= at)
		return false;
	eq = plus + 1 + last_of(norm + plus + 1, at - plus - 1, '=');
	if (eq >= at)
		return false;
	end_d = eq + 1 + last_of(norm + eq + 1, at - eq - 1, '+');
	if (end_d < at)
	{
		if (at - end_d - 1 != BOUNCE_VERP_TAG_LEN)
			return false;		/* a truncated or padded tag */
		for (i = end_d + 1; i < at; i++)
			if (norm[i] == '\0' || strchr(base32_alphabet, norm[i]) == NULL)
				return false;
		p->is_signed = true;
		memcpy(p->tag, norm + end_d + 1, BOUNCE_VERP_TAG_LEN);
	}
	if (!valid_return_local(norm, plus) || !valid_host(norm + at + 1, n - at - 1, false))
		return false;

	/* the recipient: L unescaped "@" D, which must be normalized already */
	if (!unescape(norm + plus + 1, eq - plus - 1, addr, &addr_len))
		return false;
	addr[addr_len++] = '@';
	memcpy(addr + addr_len, norm + eq + 1, end_d - eq - 1);
	addr_len += end_d - eq - 1;
	if (!bounce_address_normalize(addr, addr_len, p->address, &p->address_len, &aerr, &err_pos) ||
		p->address_len != addr_len || memcmp(p->address, addr, addr_len) != 0)
		return false;

	/* its canonical encoding must be what we read, tag aside */
	a = last_of(p->address, p->address_len, '@');
	if (!encode_split(norm, plus, p->address, a, p->address + a + 1, p->address_len - a - 1,
					  norm + at + 1, n - at - 1, NULL, NULL, 0, again, &again_len, &f))
		return false;
	return again_len == end_d + (n - at) &&
		memcmp(again, norm, end_d) == 0 &&
		memcmp(again + end_d, norm + at, n - at) == 0;
}

/* Check the tag of a signed parse, in constant time; see verp.h. */
bool
bounce_verp_verify(const bounce_verp_parsed *p, const bounce_hmac_sha256_ctx *key)
{
	char		want[BOUNCE_VERP_TAG_LEN];
	bool		ok;

	if (!p->is_signed || key == NULL)
		return false;
	bounce_verp_tag(key, p->address, p->address_len, want);
	ok = bounce_equal_ct(want, p->tag, BOUNCE_VERP_TAG_LEN);
	memset(want, 0, sizeof(want));
	return ok;
}

/* English description of an encoding error. */
const char *
bounce_verp_error_message(bounce_verp_error err)
{
	switch (err)
	{
		case BOUNCE_VERP_OK:
			return "no error";
		case BOUNCE_VERP_BAD_RETURN_LOCAL:
			return "the return local part must be a dot-atom (letters, digits, dots and RFC 5322 specials) without \"+\" or \"=\"";
		case BOUNCE_VERP_BAD_RETURN_DOMAIN:
			return "the return domain must be a host name (letters, digits, hyphens and dots)";
		case BOUNCE_VERP_BAD_ADDRESS:
			return "the recipient is not an email address";
		case BOUNCE_VERP_BAD_DOMAIN:
			return "the recipient's domain must be an ASCII host name with a dot (not an address literal; an internationalized domain in its xn-- form)";
		case BOUNCE_VERP_LOCAL_TOO_LONG:
			return "the local part would be longer than the 64 octets RFC 5321 allows";
		case BOUNCE_VERP_TOO_LONG:
			return "the address would be longer than 254 bytes";
	}
	return "unknown error";
}
