/*
 * test_sender_side.c - unit tests of the sender-side reason list
 * (bounce_reason_is_sender_side() in src/core/classify.c): exactly the
 * reasons about the sender, and what real replies fall in it.
 */
#include "unit.h"

#include "classify.h"

#include <stdlib.h>

#define R(x) BOUNCE_REASON_##x

/* The reason the classifier gives a reply text. */
static bounce_reason
reason_of(const char *in)
{
	size_t		len = strlen(in);
	char	   *buf = malloc(len + 1);
	bounce_reply r;
	bounce_verdict v;

	bounce_reply_scan(in, len, &r, buf);
	bounce_classify(&r, &v);
	free(buf);
	return v.reason;
}

/* A reply must (or must not) be sender-side. */
static void
check_reply(const char *in, bool want)
{
	bounce_reason r = reason_of(in);

	CHECK(bounce_reason_is_sender_side(r) == want, "\"%s\" (%s) is %ssender-side",
		  ESC(in), bounce_reason_name(r), want ? "" : "not ");
}

/* Run the group. */
void
run_sender_side_tests(void)
{
	static const bounce_reason want[] = {
		R(AUTHFAILURE), R(BADREPUTATION), R(BLOCKED), R(REJECTED), R(REQUIREPTR), R(SECURITYERROR)
	};
	int			i,
				n = 0,
				k;
	char		list[512] = "";

	for (i = 0; i < BOUNCE_NUM_REASONS; i++)
	{
		if (!bounce_reason_is_sender_side((bounce_reason) i))
			continue;
		n++;
		strcat(list, bounce_reason_name((bounce_reason) i));
		strcat(list, " ");
		for (k = 0; k < (int) (sizeof(want) / sizeof(want[0])); k++)
			if (want[k] == (bounce_reason) i)
				break;
		CHECK(k < (int) (sizeof(want) / sizeof(want[0])), "%s is meant to be sender-side",
			  bounce_reason_name((bounce_reason) i));
	}
	CHECK(n == (int) (sizeof(want) / sizeof(want[0])), "six sender-side reasons (got %s)", list);

	check_reply("550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Spamhaus", true);
	check_reply("550 5.7.1 Email rejected per DMARC policy", true);
	check_reply("554 5.7.1 Reverse DNS lookup for host 192.0.2.1 failed permanently.", true);
	check_reply("550 5.7.1", true);
	check_reply("550 5.1.1 <a@b>: User unknown", false);
	check_reply("552 5.2.2 Mailbox full", false);
	check_reply("554 5.7.1 <a@b>: Relay access denied", false);
	check_reply("550 5.7.1 Message content rejected, UBE, id=1", false);
	check_reply("421 4.7.0 Too many connections", false);
}
