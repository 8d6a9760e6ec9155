/*
 * fuzz_dsn.c - libFuzzer harness over the core's MIME and DSN readers:
 * any bytes must parse without a crash, a leak, an out-of-bounds access or
 * undefined behaviour, and every row must hold what dsn.h promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdbool.h>

#include "dsn.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Check the promises of one row; abort (a finding) when one is broken. */
static void
check_row(void *ctx, const bounce_dsn_rcpt *row)
{
	int		   *n = (int *) ctx;

	(*n)++;
	if (row->recipient && strlen(row->recipient) > 1 << 24)
		abort();
	if (row->status.cls != 0 && row->status.cls != 2 && row->status.cls != 4 &&
		row->status.cls != 5)
		abort();
	if ((unsigned) row->verdict.cls >= BOUNCE_NUM_CLASSES ||
		(unsigned) row->verdict.reason >= BOUNCE_NUM_REASONS)
		abort();
	if (row->status.text_len > 0 && row->status.text == NULL)
		abort();
	/* touch every byte of the reply text so ASan sees stale pointers */
	if (row->status.text_len > 0)
	{
		volatile char sink = 0;
		size_t		i;

		for (i = 0; i < row->status.text_len; i++)
			sink ^= row->status.text[i];
		(void) sink;
	}
}

/* The state of an interrupt hook that says stop at its n-th question. */
typedef struct stop_ctx
{
	int			asked;
	int			stop_after;
	int			rows_after_stop;
	int			rows;
} stop_ctx;

static bool
stop_now(void *ctx)
{
	stop_ctx   *st = (stop_ctx *) ctx;

	return ++st->asked > st->stop_after;
}

static void
stop_row(void *ctx, const bounce_dsn_rcpt *row, const bounce_dsn_info *msg)
{
	stop_ctx   *st = (stop_ctx *) ctx;

	(void) msg;
	check_row(&st->rows, row);
	if (st->asked > st->stop_after)
		st->rows_after_stop++;
}

static void
stop_message(void *ctx, const bounce_dsn_info *msg)
{
	const char *to[BOUNCE_DSN_NOTICE_TO_MAX];
	size_t		to_len[BOUNCE_DSN_NOTICE_TO_MAX];
	int			n;
	int			k;

	(void) ctx;
	if (msg->len > 0 && msg->start == NULL)
		abort();
	/* where the notice went (VERP): spans of the message, never past it */
	n = bounce_dsn_notice_to(msg->start, msg->len, to, to_len, BOUNCE_DSN_NOTICE_TO_MAX);
	if (n < 0 || n > BOUNCE_DSN_NOTICE_TO_MAX)
		abort();
	for (k = 0; k < n; k++)
		if (to_len[k] == 0 || to[k] < msg->start || to[k] + to_len[k] > msg->start + msg->len ||
			memchr(to[k], '@', to_len[k]) == NULL)
			abort();
}

/*
 * One input: parse it with an arena of the advertised size, then a tiny
 * one.  The big arena is kept between inputs (grown when needed): a fresh
 * mmap'd block per input would make the fuzzer spend its time in the kernel.
 * Its tail is redzoned by hand so that ASan still catches a write past cap.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *buf = NULL;
	static size_t buf_cap = 0;
	size_t		cap = BOUNCE_DSN_ARENA_SIZE_FOR(size);
	bounce_arena arena;
	int			rows = 0;
	int			ret;
	char		small[512];

	if (cap > buf_cap)
	{
		free(buf);
		buf = malloc(cap);
		if (buf == NULL)
		{
			buf_cap = 0;
			return 0;
		}
		buf_cap = cap;
	}
	/* hand the parser exactly cap bytes at the end of the block */
	bounce_arena_init(&arena, buf + (buf_cap - cap), cap);
	ret = bounce_dsn_parse((const char *) data, size, &arena, check_row, &rows, NULL);
	if (ret != rows)
		abort();

	/* a too small arena must degrade, never overflow */
	bounce_arena_init(&arena, small, sizeof(small));
	rows = 0;
	ret = bounce_dsn_parse((const char *) data, size, &arena, check_row, &rows, NULL);
	if (ret != rows)
		abort();

	/*
	 * The interrupt hook (a cancel) at some point of the parse, chosen by
	 * the input: the reader must unwind from anywhere, hand out nothing
	 * after the stop, and say so; and read as one mail, with the arena
	 * reused between the mails of an mbox.
	 */
	{
		stop_ctx	st = {0, size > 0 ? data[size - 1] % 64 : 0, 0, 0};
		bounce_dsn_sink sink = {stop_row, stop_message, stop_now, &st};

		bounce_arena_init(&arena, buf + (buf_cap - cap), cap);
		ret = bounce_dsn_read((const char *) data, size, &arena, &sink,
							  BOUNCE_DSN_REUSE_ARENA | (size % 2 ? BOUNCE_DSN_ONE_MESSAGE : 0));
		if (ret >= 0 && st.asked > st.stop_after)
			abort();			/* the hook said stop and the reader went on */
		if (ret < 0 && st.rows_after_stop > 0)
			abort();
	}
	return 0;
}
