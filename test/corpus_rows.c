/*
 * test/corpus_rows.c - prints the rows the core reader gives for each email
 * named on the command line, in the layout of the conformance check
 * (file, index, code, enhanced, class, reason, tab-separated), or with -r
 * in the layout of the labels check (file, index, the address the sender
 * used or "-", action, class, reason, evidence, enhanced status or "-",
 * basic code or "-").  A developer tool: the
 * same figures as test/checks/corpus_conformance and corpus_labels without
 * a cluster, so rule changes can be measured in a second (make
 * corpus-rows, make corpus-labels).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsn.h"

typedef struct out { const char *name; int n; int verbose; int labels; } out;

static void
row(void *ctx, const bounce_dsn_rcpt *r)
{
	out		   *o = ctx;
	char		enh[16] = "";
	char		code[8] = "";

	o->n++;
	if (o->labels)
	{
		const char *key = r->original_recipient ? r->original_recipient : r->recipient;
		const char *raw = r->original_recipient_raw ? r->original_recipient_raw : r->recipient_raw;
		char		shown[512];

		/* no valid address: "!" and the raw text, lower-cased (the labels keep it) */
		if (key == NULL && raw != NULL)
		{
			size_t		k;

			snprintf(shown, sizeof(shown), "!%s", raw);
			for (k = 0; shown[k]; k++)
				if (shown[k] >= 'A' && shown[k] <= 'Z')
					shown[k] = (char) (shown[k] + 32);
			key = shown;
		}
		if (r->status.cls)
			snprintf(enh, sizeof(enh), "%u.%u.%u", r->status.cls, r->status.subject, r->status.detail);
		if (r->status.code)
			snprintf(code, sizeof(code), "%u", r->status.code);
		printf("%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o->name, o->n, key ? key : "-",
			   r->action ? r->action : "-", bounce_class_name(r->verdict.cls),
			   bounce_reason_name(r->verdict.reason), bounce_dsn_evidence_name(r->evidence),
			   enh[0] ? enh : "-", code[0] ? code : "-");
		return;
	}
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
	int			labels = 0;

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
		if (strcmp(argv[i], "-r") == 0)
		{
			labels = 1;
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
		/* the labels name sisimai's not-bounces/ folder with the file */
		if (base && base - argv[i] >= 11 && strncmp(base - 11, "not-bounces", 11) == 0)
			o.name = base - 11;
		o.n = 0;
		o.verbose = verbose;
		o.labels = labels;
		bounce_dsn_parse(buf, len, &arena, row, &o, NULL);
		free(mem);
		free(buf);
	}
	return 0;
}
