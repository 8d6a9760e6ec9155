/*
 * core_microbench.c - ns per call of the pure C core (parse, lenient scan,
 * classify, phrase scan) on the realistic replies of bench_classify.sql,
 * outside PostgreSQL.  Built with the flags PGXS uses for the core:
 *
 *   gcc -O2 -fno-strict-aliasing -fwrapv -Isrc -Isrc/core \
 *       -o bench/core_microbench bench/core_microbench.c src/core/reply.c src/core/classify.c src/core/phrases.c
 *   bench/core_microbench [rows] [rounds] [only]
 *
 * 'only' (0..3) runs just one of the measures, e.g. under perf record.
 *
 * Each figure is the best of 'rounds' passes over 'rows' replies (the
 * minimum filters out noise from other processes on the machine).  On x86
 * an lfence separates the calls: in PostgreSQL each call sits between
 * long stretches of executor code, so the CPU cannot overlap one call's
 * dependency chains with the next call's, and neither should the bench.
 */
#include "reply.h"
#include "classify.h"
#include "phrases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The templates of bench/bench_classify.sql (%u user, %i 1..250, %n number). */
static const char *const templates[] = {
	"550 5.1.1 <%u@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
	"550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser %n - gsmtp",
	"552-5.2.2 The email account that you tried to reach is over quota. Please direct 552 5.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaPerm %n - gsmtp",
	"452 4.2.2 The email account that you tried to reach is over quota. %n - gsmtp",
	"421 4.7.0 [TSS04] Messages from 192.0.2.%i temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
	"554 5.7.1 Service unavailable; Client host [192.0.2.%i] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.%i",
	"550 5.7.1 Unfortunately, messages from [192.0.2.%i] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
	"450 4.2.1 <%u@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html",
	"550 5.4.1 Recipient address rejected: Access denied. AS(2018062%n) [DM6NAM12FT%n.eop-nam12.prod.protection.outlook.com]",
	"550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient %u@example.com not found by SMTP address lookup",
	"554 delivery error: dd This user doesn't have a yahoo.com account (%u@yahoo.com) [0] - mta%i.mail.ne1.yahoo.com",
	"451 4.3.0 Temporary lookup failure, queue id %n",
	"421 4.4.2 mx%i.example.net Error: timeout exceeded",
	"550 5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. %n - gsmtp",
	"552 5.3.4 Message size exceeds fixed limit of %n bytes",
	"553 5.1.3 <%u@@example.com>... Invalid mailbox name",
	"550 Requested action not taken: mailbox unavailable (%u)",
	"554 5.7.1 <%u@example.net>: Relay access denied",
	"550 5.2.1 <%u@example.com>: Mailbox disabled for this recipient",
	"454 4.7.0 TLS not available due to local problem",
	"550 5.7.1 [192.0.2.%i] Message rejected due to spam content, score %i",
	"421 4.7.0 Too many concurrent SMTP connections from this IP address; please try again later.",
	"550 5.1.1 <%u@example.jp>... User Unknown",
	"smtp; 550 5.1.1 <%u@example.com>... User unknown",
	"#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##"
};

#define NTEMPL ((int) (sizeof(templates) / sizeof(templates[0])))

/* Expand template for row g like the SQL replace() chain does. */
static char *
expand(const char *t, long g)
{
	char		buf[1024];
	size_t		n = 0;

	for (; *t; t++)
	{
		if (t[0] == '%' && (t[1] == 'u' || t[1] == 'i' || t[1] == 'n'))
		{
			if (t[1] == 'u')
				n += (size_t) sprintf(buf + n, "user%ld", g);
			else if (t[1] == 'i')
				n += (size_t) sprintf(buf + n, "%ld", g % 250 + 1);
			else
				n += (size_t) sprintf(buf + n, "%ld", 1000000 + g * 7919);
			t++;
		}
		else
			buf[n++] = *t;
	}
	buf[n] = '\0';
	return strdup(buf);
}

/* Keep the next call from starting before this one is done (see above). */
static inline void
serialize(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("lfence":::"memory");
#endif
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	int			rows = argc > 1 ? atoi(argv[1]) : 20000;
	int			rounds = argc > 2 ? atoi(argv[2]) : 7;
	int			only = argc > 3 ? atoi(argv[3]) : -1;
	char	  **in = malloc(sizeof(char *) * rows);
	size_t	   *len = malloc(sizeof(size_t) * rows);
	bounce_reply *parsed = malloc(sizeof(bounce_reply) * rows);
	char	  **texts = malloc(sizeof(char *) * rows);
	char		buf[2048];
	double		best[4] = {1e30, 1e30, 1e30, 1e30};
	const char *names[4] = {"parse", "classify(parsed)", "scan+classify(text)", "phrases_scan"};
	long		sink = 0;
	size_t		bytes = 0;
	int			g,
				k,
				r;

	for (g = 1; g <= rows; g++)
	{
		bounce_parse_error err;
		size_t		pos;

		in[g - 1] = expand(templates[g % NTEMPL], g);
		len[g - 1] = strlen(in[g - 1]);
		bytes += len[g - 1];
		texts[g - 1] = malloc(len[g - 1] + 1);
		if (!bounce_reply_parse(in[g - 1], len[g - 1], &parsed[g - 1], texts[g - 1], &err, &pos))
		{
			fprintf(stderr, "parse failed: %s\n", in[g - 1]);
			return 1;
		}
	}
	bounce_classify_init();

	for (r = 0; r < rounds; r++)
	{
		for (k = 0; k < 4; k++)
		{
			double		t0;
			double		dt;

			if (only >= 0 && k != only)
				continue;
			t0 = now_ns();

			for (g = 0; g < rows; g++)
			{
				bounce_reply rep;
				bounce_verdict v;
				bounce_parse_error err;
				size_t		pos;
				bounce_phrase_match m;

				switch (k)
				{
					case 0:
						sink += bounce_reply_parse(in[g], len[g], &rep, buf, &err, &pos);
						sink += (long) rep.text_len;
						break;
					case 1:
						bounce_classify(&parsed[g], &v);
						sink += v.cls;
						break;
					case 2:
						bounce_reply_scan(in[g], len[g], &rep, buf);
						bounce_classify(&rep, &v);
						sink += v.cls;
						break;
					case 3:
						bounce_phrases_scan(parsed[g].text, parsed[g].text_len, &m);
						sink += m.best;
						break;
				}
				serialize();
			}
			dt = (now_ns() - t0) / rows;
			if (dt < best[k])
				best[k] = dt;
		}
	}
	printf("%d replies, %.1f bytes avg, best of %d rounds\n", rows, (double) bytes / rows, rounds);
	for (k = 0; k < 4; k++)
		if (only < 0 || k == only)
			printf("  %-22s %7.1f ns/call\n", names[k], best[k]);
	return sink == 42 ? 1 : 0;
}
