/*
 * fuzz_reply.c - libFuzzer harness of the SMTP reply parser and the
 * classifier (src/core/reply.c, classify.c, phrases.c).
 *
 * Runs strict parse, lenient scan, classification, rule text and format on
 * every input and aborts when an invariant breaks: canonical text no longer
 * than the input and free of control characters and doubled spaces, and
 * format -> parse round trips giving the same code, enhanced code and text.
 */
#include "reply.h"
#include "classify.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless cond: libFuzzer and the replay both report the crash. */
#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

/* Canonical text: no control bytes, no leading/trailing/double spaces. */
static void
check_canonical(const bounce_reply *r)
{
	size_t		i;

	if (r->text_len == 0)
		return;
	REQUIRE(r->text[0] != ' ' && r->text[r->text_len - 1] != ' ');
	for (i = 0; i < r->text_len; i++)
	{
		unsigned char c = (unsigned char) r->text[i];

		/* but for the ESC that starts an ISO-2022-JP escape sequence */
		REQUIRE((c >= 0x20 && c != 0x7f) ||
				(c == 0x1B && i + 1 < r->text_len && (r->text[i + 1] == '$' || r->text[i + 1] == '(')));
		REQUIRE(!(c == ' ' && i > 0 && r->text[i - 1] == ' '));
	}
}

/* Classify r and check the verdict, its rule text and the policy lookups. */
static void
check_verdict(const bounce_reply *r)
{
	bounce_verdict v;
	char		rule[256];
	size_t		n;
	const bounce_policy_default *p;
	bounce_action a;

	bounce_classify(r, &v);
	REQUIRE((unsigned) v.cls < BOUNCE_NUM_CLASSES);
	REQUIRE((unsigned) v.reason < BOUNCE_NUM_REASONS);
	REQUIRE(bounce_class_name(v.cls) != NULL && bounce_reason_name(v.reason) != NULL);
	REQUIRE(v.rule != BOUNCE_RULE_TEXT || v.phrase != NULL);
	/* a 4xx is never hard; 2xx/3xx are never failures */
	if (r->code >= 400 && r->code < 500)
		REQUIRE(v.cls == BOUNCE_CLASS_SOFT);
	if (r->code >= 200 && r->code < 400)
		REQUIRE(v.cls == BOUNCE_CLASS_NONE);
	n = bounce_verdict_rule(&v, rule, sizeof(rule));
	REQUIRE(n < sizeof(rule) && strlen(rule) == n);
	p = bounce_policy_for(v.reason);
	REQUIRE(p != NULL);
	a = bounce_effective_action(v.cls, p->action);
	REQUIRE(bounce_action_name(a) != NULL);
	if (v.cls == BOUNCE_CLASS_HARD)
		REQUIRE(a != BOUNCE_ACTION_RETRY);
}

/* One fuzz input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *) data;
	char	   *buf = malloc(size + 1);
	char	   *buf2 = malloc(size + 1);
	char	   *fmt;
	size_t		flen;
	size_t		flen2;
	bounce_reply r,
				r2,
				s;
	bounce_parse_error err;
	size_t		pos;
	bool		ok;

	if (buf == NULL || buf2 == NULL)
		abort();

	ok = bounce_reply_parse(in, size, &r, buf, &err, &pos);
	if (ok)
	{
		REQUIRE(err == BOUNCE_PARSE_OK);
		REQUIRE(r.text_len <= size);
		REQUIRE(r.code == 0 || bounce_basic_valid(r.code));
		REQUIRE(r.cls == 0 || bounce_enhanced_valid(r.cls, r.subject, r.detail));
		REQUIRE(r.code != 0 || r.cls != 0);
		check_canonical(&r);
		check_verdict(&r);

		/* format -> parse gives the same reply */
		flen = bounce_reply_format(&r, NULL, 0);
		fmt = malloc(flen + 1);
		if (fmt == NULL)
			abort();
		flen2 = bounce_reply_format(&r, fmt, flen + 1);
		REQUIRE(flen2 == flen && strlen(fmt) == flen);
		REQUIRE(bounce_reply_parse(fmt, flen, &r2, buf2, &err, &pos));
		REQUIRE(r2.code == r.code && r2.cls == r.cls &&
				r2.subject == r.subject && r2.detail == r.detail);
		REQUIRE(r2.text_len == r.text_len &&
				memcmp(r2.text, r.text, r.text_len) == 0);
		free(fmt);

		/* what the strict parser gives is always restorable */
		fmt = malloc(BOUNCE_REPLY_ROUND_TRIP_SCRATCH(&r));
		if (fmt == NULL)
			abort();
		REQUIRE(bounce_reply_round_trips(&r, fmt, BOUNCE_REPLY_ROUND_TRIP_SCRATCH(&r)));
		free(fmt);
	}
	else
	{
		REQUIRE(err != BOUNCE_PARSE_OK);
		REQUIRE(pos <= size);
		REQUIRE(bounce_parse_error_message(err) != NULL);
	}

	bounce_reply_scan(in, size, &s, buf2);
	REQUIRE(s.text_len <= size);
	REQUIRE(s.code == 0 || bounce_basic_valid(s.code));
	REQUIRE(s.cls == 0 || bounce_enhanced_valid(s.cls, s.subject, s.detail));
	check_canonical(&s);
	if (ok)
		REQUIRE(s.code == r.code && s.cls == r.cls && s.subject == r.subject &&
				s.detail == r.detail && s.text_len == r.text_len &&
				memcmp(s.text, r.text, r.text_len) == 0);
	check_verdict(&s);

	/* parts built from the input (as the constructor and binary receive
	 * do): a round trip the check accepts really reads back the same */
	if (size >= 4)
	{
		bounce_reply p;
		size_t		cap;
		char	   *scratch;

		p.code = (uint16_t) (200 + data[0] * 400 / 256);
		p.cls = (uint8_t) ((data[1] & 3) == 0 ? 0 : (data[1] & 3) == 1 ? 2 : (data[1] & 3) == 2 ? 4 : 5);
		p.subject = p.cls ? data[2] % 10 : 0;
		p.detail = p.cls ? data[3] % 10 : 0;
		p.text = in + 4;
		{
			const char *nul = memchr(in + 4, 0, size - 4);

			p.text_len = nul ? (size_t) (nul - (in + 4)) : size - 4;
		}
		cap = BOUNCE_REPLY_ROUND_TRIP_SCRATCH(&p);
		scratch = malloc(cap);
		if (scratch == NULL)
			abort();
		if (bounce_reply_round_trips(&p, scratch, cap))
		{
			flen = bounce_reply_format(&p, scratch, cap);
			REQUIRE(bounce_reply_parse(scratch, flen, &r2, buf2, &err, &pos));
			REQUIRE(r2.code == p.code && r2.cls == p.cls && r2.subject == p.subject &&
					r2.detail == p.detail && r2.text_len == p.text_len &&
					memcmp(r2.text, p.text, p.text_len) == 0);
		}
		free(scratch);
		/* a clip stays within its limit and never cuts a UTF-8 sequence */
		flen = bounce_utf8_clip(in, size, size / 2);
		REQUIRE(flen <= size / 2);
		REQUIRE(flen == 0 || ((unsigned char) in[flen] & 0xC0) != 0x80);
	}

	free(buf);
	free(buf2);
	return 0;
}
