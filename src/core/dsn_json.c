/*
 * dsn_json.c - Amazon SES notifications: SES reports bounces, complaints
 * and deliveries as JSON documents, which an SNS email subscription mails
 * as the body of a plain text message ({"notificationType":"Bounce",
 * "bounce":{"bouncedRecipients":[{"emailAddress":..., "status":"5.1.1",
 * "diagnosticCode":"smtp; 550 ..."}]}}).
 *
 * Only what the rows need is read, with a small scanner that knows JSON
 * strings, objects and arrays well enough to find keys at the right depth;
 * broken JSON just yields fewer rows.
 */
#include "dsn_json.h"

#include "dsn_base.h"

#include <string.h>

/* End of the JSON string that starts at s[i] == '"' (index of the closing quote). */
static size_t
string_end(const char *s, size_t len, size_t i)
{
	for (i++; i < len; i++)
	{
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i;
	}
	return len;
}

/* End (exclusive) of the object or array that starts at s[i]. */
static size_t
container_end(const char *s, size_t len, size_t i)
{
	int			depth = 0;

	for (; i < len; i++)
	{
		if (s[i] == '"')
			i = string_end(s, len, i);
		else if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
		{
			if (--depth == 0)
				return i + 1;
		}
	}
	return len;
}

/*
 * Offset of the value of "key" among the members of the object s[0..len)
 * (its top level only); false when absent.
 */
static bool
member(const char *s, size_t len, const char *key, size_t *value)
{
	size_t		klen = strlen(key);
	size_t		i = 0;
	int			depth = 0;

	for (i = 0; i < len; i++)
	{
		if (s[i] == '"')
		{
			size_t		e = string_end(s, len, i);

			if (depth == 1 && e - i - 1 == klen && memcmp(s + i + 1, key, klen) == 0)
			{
				size_t		j = e + 1;

				while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n'))
					j++;
				if (j < len && s[j] == ':')
				{
					j++;
					while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n'))
						j++;
					*value = j;
					return j < len;
				}
			}
			i = e;
		}
		else if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
	}
	return false;
}

/* The string value of "key" in an object, unescaped into the arena. */
static const char *
string_member(dsn_ctx *c, const char *s, size_t len, const char *key)
{
	size_t		v;
	size_t		e;
	char	   *out;
	size_t		o = 0;
	size_t		i;

	if (!member(s, len, key, &v) || s[v] != '"')
		return NULL;
	e = string_end(s, len, v);
	out = bounce_arena_alloc(c->arena, e - v + 1);
	if (out == NULL)
		return NULL;
	for (i = v + 1; i < e; i++)
	{
		if (s[i] == '\\' && i + 1 < e)
		{
			i++;
			/* \n, \t and friends become a space; \uXXXX is kept as written */
			out[o++] = (s[i] == 'n' || s[i] == 'r' || s[i] == 't') ? ' ' :
				(s[i] == 'u' ? '?' : s[i]);
			if (s[i] == 'u')
				i += (i + 4 < e) ? 4 : 0;
			continue;
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	return o ? out : NULL;
}

/* The object value of "key" in an object, as a span. */
static bool
object_member(const char *s, size_t len, const char *key, dsn_span *out)
{
	size_t		v;

	if (!member(s, len, key, &v) || (s[v] != '{' && s[v] != '['))
		return false;
	out->p = s + v;
	out->len = container_end(s, len, v) - v;
	return true;
}

/* Read a notification in text; adds rows, returns how many. */
int
dsn_json_notification(dsn_ctx *c, const char *text, size_t len)
{
	const char *start = memchr(text, '{', len);
	dsn_span	doc;
	dsn_span	part;
	dsn_span	list;
	const char *type;
	const char *reporting = NULL;
	int			before = c->nrows;
	size_t		i;

	if (start == NULL || bounce_memifind(text, len, "\"notificationType\"") == NULL)
		return 0;
	doc.p = start;
	doc.len = container_end(start, len - (size_t) (start - text), 0);
	type = string_member(c, doc.p, doc.len, "notificationType");
	if (type == NULL)
		return 0;

	if (strcmp(type, "Bounce") == 0 && object_member(doc.p, doc.len, "bounce", &part) &&
		object_member(part.p, part.len, "bouncedRecipients", &list))
		reporting = string_member(c, part.p, part.len, "reportingMTA");
	else if (strcmp(type, "Complaint") == 0 &&
			 object_member(doc.p, doc.len, "complaint", &part) &&
			 object_member(part.p, part.len, "complainedRecipients", &list))
		;
	else if (strcmp(type, "Delivery") == 0 &&
			 object_member(doc.p, doc.len, "delivery", &part) &&
			 object_member(part.p, part.len, "recipients", &list))
		reporting = string_member(c, part.p, part.len, "reportingMTA");
	else
		return 0;
	/* "dsn; a.example.com", as in a Reporting-MTA field: keep the name */
	if (reporting && strchr(reporting, ';'))
		reporting = dsn_strdup_trim(c, strchr(reporting, ';') + 1,
									strlen(strchr(reporting, ';') + 1));

	/* the elements of the recipient list: objects, or strings for deliveries */
	for (i = 1; i < list.len; i++)
	{
		const char *s = list.p;
		bounce_dsn_rcpt *r;

		if (s[i] != '{' && s[i] != '"')
			continue;
		if ((r = dsn_add_row(c)) == NULL)
			break;
		r->kind = BOUNCE_DSN_REPORT;
		r->evidence = BOUNCE_EVIDENCE_JSON;
		r->reporting_mta = reporting;
		if (s[i] == '"')
		{
			size_t		e = string_end(s, list.len, i);

			r->recipient = dsn_strdup_trim(c, s + i + 1, e - i - 1);
			i = e;
		}
		else
		{
			size_t		e = container_end(s, list.len, i);

			r->recipient = string_member(c, s + i, e - i, "emailAddress");
			r->action = string_member(c, s + i, e - i, "action");
			r->diagnostic = string_member(c, s + i, e - i, "diagnosticCode");
			c->status_fields[c->nrows - 1] = string_member(c, s + i, e - i, "status");
			i = e - 1;
		}
		if (strcmp(type, "Delivery") == 0)
		{
			r->action = "delivered";
			r->diagnostic = string_member(c, part.p, part.len, "smtpResponse");
		}
		else if (strcmp(type, "Complaint") == 0)
			r->kind = BOUNCE_DSN_FEEDBACK;
	}
	return c->nrows - before;
}
