/*
 * webhook_fmgr.c - the readers bounce.parse_webhook() needs that never
 * throw, whatever an ESP's payload holds:
 *   bounce._address_or_null(text)      the normalized address, or NULL;
 *   bounce._timestamptz_or_null(text)  a date as timestamptz input reads
 *                                      it, or NULL;
 *   bounce._jsonb_or_null(text)        JSON text (SNS's "Message") as
 *                                      jsonb, or NULL.
 * Each one is the strict reader of the server or the core with its
 * failure turned into NULL, without catching errors: the input is checked
 * so that the thrower is never reached with something it refuses.
 */
#include "postgres.h"
#include "compat.h"

#include "common/jsonapi.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "core/address.h"
#include "core/json_check.h"

/* JSON text longer than this is no webhook (SNS messages stop at 256 KB). */
#define WEBHOOK_JSON_MAX (16 * 1024 * 1024)

PG_FUNCTION_INFO_V1(bounce_address_or_null);
/* bounce._address_or_null(text): bounce.normalize_address(), NULL for no address. */
Datum
bounce_address_or_null(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	char	   *out = palloc(len + 1);
	size_t		out_len;
	size_t		pos;
	bounce_address_error err;

	if (!bounce_address_normalize(VARDATA_ANY(t), len, out, &out_len, &err, &pos))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, out_len));
}

/*
 * True when str names a moment relative to the clock ("now", "today"...)
 * or is no date: dates of webhooks start with a digit, and a date input
 * would turn those words into the time of the call.
 */
static bool
relative_or_no_date(const char *str)
{
	static const char *const words[] = {"now", "today", "tomorrow", "yesterday",
	"epoch", "infinity"};
	char		lower[MAXDATELEN + 1];
	size_t		i;

	while (*str == ' ')
		str++;
	if (!(*str >= '0' && *str <= '9'))
		return true;
	for (i = 0; str[i] && i < MAXDATELEN; i++)
		lower[i] = pg_ascii_tolower((unsigned char) str[i]);
	lower[i] = '\0';
	for (i = 0; i < lengthof(words); i++)
		if (strstr(lower, words[i]) != NULL)
			return true;
	return false;
}

PG_FUNCTION_INFO_V1(bounce_timestamptz_or_null);
/*
 * bounce._timestamptz_or_null(text): a date and time as timestamptz input
 * reads it ("2016-01-27T14:59:38.237Z"; without a zone, in the session's
 * TimeZone), NULL when it is none, a time relative to the clock (now,
 * today) or a special value (epoch, infinity), or outside timestamptz's
 * range.
 */
Datum
bounce_timestamptz_or_null(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	char		str[MAXDATELEN + 1];
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype;
	int			tz;
	struct pg_tm tt;
	fsec_t		fsec;
	TimestampTz result;

	if (len == 0 || len > MAXDATELEN)
		PG_RETURN_NULL();
	memcpy(str, VARDATA_ANY(t), len);
	str[len] = '\0';
	if (relative_or_no_date(str) ||
		ParseDateTime(str, workbuf, sizeof(workbuf), field, ftype,
					  MAXDATEFIELDS, &nf) != 0 ||
		bounce_decode_datetime(field, ftype, nf, &dtype, &tt, &fsec, &tz) != 0 ||
		dtype != DTK_DATE ||
		tm2timestamp(&tt, fsec, &tz, &result) != 0 ||
		!IS_VALID_TIMESTAMP(result))
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(result);
}

PG_FUNCTION_INFO_V1(bounce_jsonb_or_null);
/*
 * bounce._jsonb_or_null(text): the text as jsonb, NULL when it is not
 * JSON that jsonb input loads.  The core's check turns away what would
 * make jsonb input throw although it is valid JSON (json_check.h), the
 * server's parser then finds syntax errors as return codes, and only
 * text that passes both reaches jsonb input.
 */
Datum
bounce_jsonb_or_null(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	char	   *str;
	size_t		pos;
	JsonLexContext *lex;

	if (len > WEBHOOK_JSON_MAX)
		PG_RETURN_NULL();
	if (bounce_json_check(VARDATA_ANY(t), len,
						  GetDatabaseEncoding() != PG_UTF8, &pos) != BOUNCE_JSON_OK)
		PG_RETURN_NULL();
	str = text_to_cstring(t);
	lex = bounce_json_lex_cstring(str, (int) len, GetDatabaseEncoding(), true);
	if (pg_parse_json(lex, &nullSemAction) != JSON_SUCCESS)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(str)));
}
