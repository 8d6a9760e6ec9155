/*
 * verp.h - VERP return addresses (pure C core, no postgres.h, no
 * allocation).
 *
 * A message to jane@example.com goes out with a return path that names
 * her, in the Postfix/Mailman style, so that its bounce says who bounced
 * even when the notice itself does not:
 *
 *     R "+" L "=" D [ "+" T ] "@" H      bounces+jane=example.com@lists.example.org
 *
 *   R  the return local part ("bounces"): a dot-atom without '+' and '='.
 *      The first '+' of a VERP address ends it.
 *   L  the recipient's local part, escaped (below).
 *   D  the recipient's domain, as is: a host name of letters, digits, '-'
 *      and '.', with at least one dot.  It never holds '=' or '+', so the
 *      LAST '=' of the address starts it, and a '+' after it starts T.
 *      Address literals and non-ASCII domains cannot be encoded (send to
 *      the A-label of an IDN).
 *   T  the signed form only: 10 characters of RFC 4648 base32 in lower case
 *      ("a"-"z", "2"-"7"), the first 50 bits of HMAC-SHA256(key, the
 *      recipient's normalized address).  Normalized means lower-cased
 *      (address.h), because MTAs may change the case of a return path.
 *   H  the return domain.
 *
 * Escaping of L, reversible for every byte: 'a'-'z', '0'-'9', '-', '_'
 * stand for themselves, and so does a '.' unless the character written
 * just before it is a '.'; every other byte b ('+', '=', the other
 * specials of RFC 5322 atext, the quotes, spaces and backslashes of a
 * quoted local part, 8-bit bytes, the second '.' of "..") is written
 * "=xx", xx its two lower-case hex digits.  The result is
 * plain ASCII that no MTA needs to quote, and it holds no '+' and no bare
 * '=' (every '=' in L starts an escape, and D has none), so decoding is
 * unambiguous.  Decoding is case-insensitive (hex digits and base32 are
 * read in either case, the address comes out normalized) and accepts only
 * the canonical encoding: the decoded address must encode back to the
 * same text, so "=61" for "a" or an upper-case letter escaped is not read.
 *
 * The whole local part must fit RFC 5321's 64 octets and the address 254
 * bytes; encoding fails and says how long it would have been otherwise.
 */
#ifndef BOUNCE_VERP_H
#define BOUNCE_VERP_H

#include <stdbool.h>
#include <stddef.h>

#include "address.h"
#include "sha256.h"

#define BOUNCE_VERP_LOCAL_MAX 64	/* RFC 5321 §4.5.3.1.1 */
#define BOUNCE_VERP_TAG_LEN 10		/* base32 characters of the signature */
#define BOUNCE_VERP_MAX BOUNCE_ADDRESS_MAX	/* longest encoded address */
#define BOUNCE_VERP_INPUT_MAX 512	/* longer arguments are refused unread */

/* Why an encoding failed. */
typedef enum bounce_verp_error
{
	BOUNCE_VERP_OK = 0,
	BOUNCE_VERP_BAD_RETURN_LOCAL,	/* not a dot-atom, or holds '+' or '=' */
	BOUNCE_VERP_BAD_RETURN_DOMAIN,	/* not a host name */
	BOUNCE_VERP_BAD_ADDRESS,	/* the recipient is not an address (see addr_err) */
	BOUNCE_VERP_BAD_DOMAIN,		/* literal, non-ASCII or dotless recipient domain */
	BOUNCE_VERP_LOCAL_TOO_LONG, /* the local part would exceed 64 octets */
	BOUNCE_VERP_TOO_LONG		/* the address would exceed 254 bytes */
} bounce_verp_error;

/* What went wrong, in enough detail for an error report. */
typedef struct bounce_verp_failure
{
	bounce_verp_error err;
	bounce_address_error addr_err;	/* for BOUNCE_VERP_BAD_ADDRESS */
	size_t		would_be;		/* for the *_TOO_LONG errors: the length it would have */
} bounce_verp_failure;

/*
 * Encode the recipient 'address' (any form bounce_address_normalize()
 * reads) under the return local part and return domain.  'key' NULL gives
 * the unsigned form, else the signed one with the keyed HMAC state (not
 * changed).  'out' needs BOUNCE_VERP_MAX bytes; the result is not
 * NUL-terminated.  False on failure, with *f filled.
 */
extern bool bounce_verp_encode(const char *return_local, size_t return_local_len,
							   const char *address, size_t address_len,
							   const char *domain, size_t domain_len,
							   const bounce_hmac_sha256_ctx *key,
							   char *out, size_t *out_len, bounce_verp_failure *f);

/* A VERP address read back (bounce_verp_parse), its signature not yet checked. */
typedef struct bounce_verp_parsed
{
	char		address[BOUNCE_ADDRESS_MAX];	/* the recipient, normalized */
	size_t		address_len;
	bool		is_signed;		/* it carries a tag */
	char		tag[BOUNCE_VERP_TAG_LEN];	/* the tag, lower case */
} bounce_verp_parsed;

/*
 * Read a VERP address of this scheme (surrounding white space, angle
 * brackets and any case allowed).  False when it is not one: wrong shape,
 * bad escape, a tag of the wrong length or alphabet, a recipient that is
 * not an address, or an encoding that is not the canonical one.
 */
extern bool bounce_verp_parse(const char *in, size_t len, bounce_verp_parsed *p);

/*
 * True when the tag of a signed parse is the one 'key' gives its address,
 * compared in constant time.  False for an unsigned parse.
 */
extern bool bounce_verp_verify(const bounce_verp_parsed *p, const bounce_hmac_sha256_ctx *key);

/* The tag of a normalized address under a keyed state (BOUNCE_VERP_TAG_LEN bytes). */
extern void bounce_verp_tag(const bounce_hmac_sha256_ctx *key, const char *address,
							size_t len, char tag[BOUNCE_VERP_TAG_LEN]);

/* English description of an encoding error, for errdetail(). */
extern const char *bounce_verp_error_message(bounce_verp_error err);

#endif							/* BOUNCE_VERP_H */
