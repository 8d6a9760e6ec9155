/*
 * address.h - email address normalizer and validator of the pure C core
 * (no postgres.h, no allocation).
 *
 * bounce keeps one state row per recipient, so "Jane@Example.com",
 * " <jane@example.com> " and "rfc822; JANE@example.com" must all land on
 * the same key.  The normalizer trims white space, drops a DSN address-type
 * prefix ("rfc822;") and one pair of angle brackets, folds ASCII letters to
 * lower case, and then checks that what is left is a plausible mailbox
 * (RFC 5321 sizes, one '@', dot-atom or quoted local part, a domain name or
 * an address literal).  Bytes >= 0x80 are accepted as they are (SMTPUTF8).
 */
#ifndef BOUNCE_ADDRESS_H
#define BOUNCE_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Why an address was rejected: a stable code plus a static English message. */
typedef enum bounce_address_error
{
	BOUNCE_ADDR_OK = 0,
	BOUNCE_ADDR_EMPTY,			/* nothing but white space (and brackets) */
	BOUNCE_ADDR_TOO_LONG,		/* over 254 bytes once normalized */
	BOUNCE_ADDR_NUL_BYTE,		/* embedded NUL byte */
	BOUNCE_ADDR_CONTROL_CHAR,	/* control character or white space inside */
	BOUNCE_ADDR_UNBALANCED,		/* '<' without '>' or the reverse */
	BOUNCE_ADDR_NO_AT,			/* no '@' */
	BOUNCE_ADDR_EMPTY_LOCAL,	/* nothing before the '@' */
	BOUNCE_ADDR_LOCAL_TOO_LONG, /* local part over 64 bytes */
	BOUNCE_ADDR_BAD_LOCAL,		/* bad character or dot in the local part */
	BOUNCE_ADDR_EMPTY_DOMAIN,	/* nothing after the '@' */
	BOUNCE_ADDR_BAD_DOMAIN		/* domain is not a host name or address literal */
} bounce_address_error;

/* Longest normalized address (RFC 5321 path limit less the brackets). */
#define BOUNCE_ADDRESS_MAX 254

/*
 * Normalize and validate 'len' bytes at 'in'.  'out' must have room for
 * 'len' bytes (the result is never longer than the input) and is not
 * NUL-terminated; *out_len receives its length.  On failure returns false
 * and sets *err and *err_pos (byte offset in the input); 'out' is then
 * undefined.
 */
extern bool bounce_address_normalize(const char *in, size_t len,
									 char *out, size_t *out_len,
									 bounce_address_error *err,
									 size_t *err_pos);

/* English description of an error ("the address has no \"@\"", ...). */
extern const char *bounce_address_error_message(bounce_address_error err);

/*
 * Addresses inside text (a bounce's prose, a header value, a reply).  The
 * one definition of what an address looks like there, shared by the DSN
 * reader (which addresses a notice names), the classifier (addresses are
 * opaque to the phrase scan) and, through bounce_address_normalize(), the
 * key of bounce.events: a local part of RFC 5322 atext, dots and 8-bit
 * bytes, an '@', and a domain of letters, digits, '-' and '.' (8-bit text
 * glued to an address is prose: IDNs come as punycode in bounces).
 */

/* A byte of an address's local part, as found in text. */
extern bool bounce_address_local_byte(unsigned char c);

/* A byte of an address's domain, as found in text. */
extern bool bounce_address_domain_byte(unsigned char c);

/*
 * The address around the '@' at s[at]: sets [*start, *end) and returns
 * true when there is something on both sides (dots at either edge are not
 * part of it); with 'need_dot', only a domain with a dot counts (in prose,
 * "user@host" without one is rarely an address).
 */
extern bool bounce_address_span(const char *s, size_t len, size_t at, bool need_dot,
								size_t *start, size_t *end);

/* The first address (with a dotted domain) in s[0, len); NULL when none. */
extern const char *bounce_address_find(const char *s, size_t len, size_t *alen);

#endif							/* BOUNCE_ADDRESS_H */
