/*
 * webhook_hmac.c - HMAC-SHA256 for the signatures that ESPs put in the
 * body of a webhook (Mailgun), with the core's implementation
 * (core/sha256.h), so bounce needs no crypto extension:
 *   bounce._hmac_sha256_hex(key text, message text)  the MAC in lower-case hex;
 *   bounce._hmac_sha256_ok(key text, message text, signature text)
 *       whether signature (hex, either case) is that MAC, compared in
 *       constant time.
 * Both hash the bytes of the texts as stored (the database encoding).
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "core/sha256.h"

PG_FUNCTION_INFO_V1(bounce_hmac_sha256_hex);
PG_FUNCTION_INFO_V1(bounce_hmac_sha256_ok);

static void
mac_of(text *key, text *message, uint8_t mac[BOUNCE_SHA256_DIGEST])
{
	bounce_hmac_sha256(VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key),
					   VARDATA_ANY(message), VARSIZE_ANY_EXHDR(message), mac);
}

/* Value of a hex digit in either case, or -1. */
static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* bounce._hmac_sha256_hex(key, message): 64 lower-case hex digits. */
Datum
bounce_hmac_sha256_hex(PG_FUNCTION_ARGS)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t		mac[BOUNCE_SHA256_DIGEST];
	char		hex[2 * BOUNCE_SHA256_DIGEST];
	int			i;

	mac_of(PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), mac);
	for (i = 0; i < BOUNCE_SHA256_DIGEST; i++)
	{
		hex[2 * i] = digits[mac[i] >> 4];
		hex[2 * i + 1] = digits[mac[i] & 15];
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(hex, sizeof(hex)));
}

/*
 * bounce._hmac_sha256_ok(key, message, signature): true when signature is
 * exactly 64 hex digits (either case) that spell the MAC.  Whatever the
 * signature, the MAC is computed and all 32 bytes are compared (a
 * malformed signature compares as zeros and is then refused), so the time
 * taken says nothing about how much of a forged signature was right.
 */
Datum
bounce_hmac_sha256_ok(PG_FUNCTION_ARGS)
{
	text	   *sig = PG_GETARG_TEXT_PP(2);
	const unsigned char *s = (const unsigned char *) VARDATA_ANY(sig);
	bool		well_formed = VARSIZE_ANY_EXHDR(sig) == 2 * BOUNCE_SHA256_DIGEST;
	uint8_t		mac[BOUNCE_SHA256_DIGEST];
	uint8_t		given[BOUNCE_SHA256_DIGEST];
	bool		equal;
	int			i;

	mac_of(PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), mac);
	memset(given, 0, sizeof(given));
	for (i = 0; well_formed && i < BOUNCE_SHA256_DIGEST; i++)
	{
		int			hi = hex_value(s[2 * i]);
		int			lo = hex_value(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			well_formed = false;
		else
			given[i] = (uint8_t) (hi << 4 | lo);
	}
	equal = bounce_equal_ct(mac, given, sizeof(mac));
	PG_RETURN_BOOL(well_formed && equal);
}
