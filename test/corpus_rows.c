/*
 * test/corpus_rows.c - prints the rows the core reader gives for each email
 * named on the command line, in the layout of the conformance check
 * (file, index, code, enhanced, class, reason, tab-separated).  A developer
 * tool: the same figures as test/checks/corpus_conformance without a
 * cluster, so rule changes can be measured in a second (make corpus-rows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsn.h"

typedef struct out { const char *name; int n; int verbose; } out;

static void
row(void *ctx, const bounce_dsn_rcpt *r)
{
	out		   *o = ctx;
	char		enh[16] = "";
	char		code[8] = "";

	o->n++;
	if (r->status.code)
		snprintf(code, sizeof(code), "%u", r->status.code);
	if (r->status.cls)
		snprintf(enh, sizeof(enh), "%u.%u.%u", r->status.cls, r->status.subject, r->status.detail);
	printf("%s\t%d\t%s\t%s\t%s\t%s", o->name, o->n, code, enh,
		   bounce_class_name(r->verdict.cls), bounce_reason_name(r->verdict.reason));
	if (o->verbose)
		printf("\t%s\t%s\t%d:%s\t%.4000s", r->recipient ? r->recipient : "-",
			   r->action ? r->action : "-", (int) r->verdict.rule,
			   r->verdict.phrase ? r->verdict.phrase : "", r->diagnostic ? r->diagnostic : "-");
	putchar('\n');
}

int
main(int argc, char **argv)
{
	int			verbose = 0;

	for (int i = 1; i < argc; i++)
	{
		FILE	   *f;
		char	   *buf;
		long		len;
		void	   *mem;
		bounce_arena arena;
		out			o;
		const char *base;

		if (strcmp(argv[i], "-v") == 0)
		{
			verbose = 1;
			continue;
		}
		if ((f = fopen(argv[i], "rb")) == NULL)
		{
			perror(argv[i]);
			return 1;
		}
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		buf = malloc(len + 1);
		if (fread(buf, 1, len, f) != (size_t) len)
			return 1;
		fclose(f);
		mem = malloc(BOUNCE_DSN_ARENA_SIZE_FOR(len));
		bounce_arena_init(&arena, mem, BOUNCE_DSN_ARENA_SIZE_FOR(len));
		base = strrchr(argv[i], '/');
		o.name = base ? base + 1 : argv[i];
		o.n = 0;
		o.verbose = verbose;
		bounce_dsn_parse(buf, len, &arena, row, &o, NULL);
		free(mem);
		free(buf);
	}
	return 0;
}
