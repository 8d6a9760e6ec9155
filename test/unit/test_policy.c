/*
 * test_policy.c - unit tests of the per-address policy state machine
 * (src/core/policy.c), rule by rule as policy.h and the SPEC state them:
 * hard bounces, the soft streak (one per campaign), monitoring, promotion
 * by streak and by attempts, the reset window, retry backoff and its caps,
 * retries past time_max, deliveries, manual suppress and unsuppress, the
 * idle retries of a promotion, the order of entries of one time, lateness
 * and the watermark, handed-out retries over a refold, allocator failures
 * and state equality.
 *
 * Every expected value is written out by hand.
 */
#include "unit.h"

#include "policy.h"

#include <stdint.h>
#include <stdlib.h>

#define SEC		INT64_C(1000000)
#define MINUTE	(60 * SEC)
#define HOUR	(3600 * SEC)
#define DAY		(86400 * SEC)
#define WINDOW	(90 * DAY)			/* the default reset_window */
#define T0		(INT64_C(800000000) * SEC)	/* 2025-05-09 on PostgreSQL's epoch */
#define NONE	BOUNCE_TIME_NONE
#define R(x)	BOUNCE_REASON_##x
#define SOFT	BOUNCE_CLASS_SOFT
#define HARD	BOUNCE_CLASS_HARD
#define NOCLASS BOUNCE_CLASS_NONE

/* ---- memory: a bump arena, and an allocator that fails after k calls ---- */

/* aligned for any of the state's types (C99: no _Alignas) */
static union
{
	long double ld;
	int64_t		i;
	void	   *p;
	char		bytes[1 << 20];
}			arena_mem;
static char *const arena = arena_mem.bytes;
static size_t arena_used;

static void *
arena_alloc(void *ctx, size_t size)
{
	size_t		n = (size + 15) & ~(size_t) 15;
	void	   *p;

	(void) ctx;
	if (n > sizeof(arena_mem.bytes) - arena_used)
		return NULL;
	p = arena + arena_used;
	arena_used += n;
	return p;
}

static const bounce_allocator arena_al = {arena_alloc, NULL};

typedef struct failing_ctx
{
	int			left;			/* calls that still succeed */
	int			calls;			/* calls made */
} failing_ctx;

static void *
failing_alloc(void *ctx, size_t size)
{
	failing_ctx *f = ctx;

	f->calls++;
	if (f->left == 0)
		return NULL;
	f->left--;
	return arena_alloc(NULL, size);
}

/* ---- entries ---- */

static bounce_entry
bnc(bounce_time at, int64_t id, const char *campaign, bounce_class cls, bounce_reason reason)
{
	bounce_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = BOUNCE_ENTRY_BOUNCE;
	e.at = at;
	e.id = id;
	e.campaign = campaign;
	e.cls = cls;
	e.reason = reason;
	return e;
}

/* The everyday soft bounce: too many connections, retried with the rule's 1 day..3 days. */
static bounce_entry
soft(bounce_time at, int64_t id, const char *campaign)
{
	return bnc(at, id, campaign, SOFT, R(TOOMANYCONN));
}

static bounce_entry
hard(bounce_time at, int64_t id)
{
	return bnc(at, id, "c-hard", HARD, R(USERUNKNOWN));
}

static bounce_entry
dlv(bounce_time at, int64_t id, const char *campaign)
{
	bounce_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = BOUNCE_ENTRY_DELIVERY;
	e.at = at;
	e.id = id;
	e.campaign = campaign;
	return e;
}

static bounce_entry
sup(bounce_time at, int64_t id, const char *note)
{
	bounce_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = BOUNCE_ENTRY_SUPPRESS;
	e.at = at;
	e.id = id;
	e.note = note;
	return e;
}

static bounce_entry
uns(bounce_time at, int64_t id)
{
	bounce_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = BOUNCE_ENTRY_UNSUPPRESS;
	e.at = at;
	e.id = id;
	return e;
}

/* ---- folding ---- */

static size_t last_failed;

/* Sort e[0..n) and fold it onto a; the status. */
static bounce_fold_status
fold_on(bounce_addr *a, const bounce_policy *p, bounce_entry *e, size_t n)
{
	last_failed = (size_t) -1;
	bounce_entries_sort(e, n);
	return bounce_policy_fold(a, e, n, p, &arena_al, &last_failed);
}

/* A new address with e[0..n) folded into it (which must succeed). */
static bounce_addr
fold_new(const bounce_policy *p, bounce_entry *e, size_t n)
{
	bounce_addr a;
	bounce_fold_status st;

	bounce_addr_init(&a);
	st = fold_on(&a, p, e, n);
	if (st != BOUNCE_FOLD_OK)
		printf("# fold failed: status %d at entry %zu\n", (int) st, last_failed);
	return a;
}

static const bounce_retry *
retry_of(const bounce_addr *a, const char *campaign)
{
	size_t		i;

	for (i = 0; i < a->nretries; i++)
		if (strcmp(a->retries[i].campaign, campaign) == 0)
			return &a->retries[i];
	return NULL;
}

static int
str_is(const char *s, const char *want)
{
	if (s == NULL || want == NULL)
		return s == want;
	return strcmp(s, want) == 0;
}

/* The whole suppression reason: the state's text, then its note (a few rotating buffers). */
static const char *
why(const bounce_addr *a)
{
	static char bufs[4][512];
	static int	next = 0;
	char	   *b = bufs[next];

	next = (next + 1) % 4;
	snprintf(b, sizeof(bufs[0]), "%s%s", a->suppressed_reason,
			 a->suppressed_note ? a->suppressed_note : "");
	return b;
}

/* No suppression reason at all. */
static int
no_reason(const bounce_addr *a)
{
	return a->suppressed_reason[0] == '\0' && a->suppressed_note == NULL;
}

static bounce_policy
defaults(void)
{
	bounce_policy p;

	bounce_policy_defaults(&p);
	return p;
}

#define N(arr) (sizeof(arr) / sizeof((arr)[0]))

/* ---- the tests ---- */

static void
test_defaults(void)
{
	bounce_policy p = defaults();
	bounce_addr a;

	CHECK(p.soft_threshold == 3 && p.monitor_after == 2 && p.retry_count == 5,
		  "defaults: promote at 3, monitor after 2, 5 attempts");
	CHECK(p.reset_window == 90 * DAY, "defaults: reset window 90 days");
	CHECK(p.backoff_base == 24 * HOUR && p.backoff_cap == 72 * HOUR,
		  "defaults: backoff 24 h doubled up to 72 h");
	CHECK(p.time_max == INT64_MAX, "defaults: no time limit");
	CHECK(p.rule[R(USERUNKNOWN)][HARD].action == BOUNCE_ACTION_SUPPRESS,
		  "defaults: a hard userunknown suppresses");
	CHECK(p.rule[R(USERUNKNOWN)][SOFT].action == BOUNCE_ACTION_RETRY,
		  "defaults: a soft userunknown retries");
	CHECK(p.rule[R(GREYLISTING)][SOFT].action == BOUNCE_ACTION_RETRY &&
		  p.rule[R(GREYLISTING)][SOFT].retry_after == 5 * MINUTE &&
		  p.rule[R(GREYLISTING)][SOFT].retry_max == 15 * MINUTE,
		  "defaults: greylisting retries in 5..15 minutes");
	CHECK(p.rule[R(MAILBOXFULL)][SOFT].action == BOUNCE_ACTION_RETRY &&
		  p.rule[R(MAILBOXFULL)][SOFT].retry_after == 7 * DAY &&
		  p.rule[R(MAILBOXFULL)][SOFT].retry_max == 7 * DAY,
		  "defaults: mailbox full retries after 7 days");
	CHECK(p.rule[R(TOOMANYCONN)][SOFT].retry_after == DAY &&
		  p.rule[R(TOOMANYCONN)][SOFT].retry_max == 3 * DAY,
		  "defaults: rate limiting retries in 1..3 days");
	CHECK(p.rule[R(FEEDBACK)][NOCLASS].action == BOUNCE_ACTION_SUPPRESS,
		  "defaults: a complaint (no class) suppresses");
	CHECK(p.rule[R(CONTENTERROR)][HARD].action == BOUNCE_ACTION_ALERT,
		  "defaults: a hard content error alerts");
	CHECK(p.rule[R(VACATION)][SOFT].action == BOUNCE_ACTION_IGNORE,
		  "defaults: an auto-reply is ignored");
	CHECK(p.rule[R(USERUNKNOWN)][HARD].retry_after == DAY, "defaults: rule delays in microseconds");

	bounce_addr_init(&a);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.suppressed_by == BOUNCE_BY_NONE &&
		  a.consecutive_soft == 0 && a.soft_total == 0 && a.hard_total == 0,
		  "new address: active, no counts");
	CHECK(a.first_bounce_at == NONE && a.last_bounce_at == NONE && a.last_soft_at == NONE &&
		  a.last_delivery_at == NONE && a.next_retry_at == NONE && a.suppressed_at == NONE &&
		  a.promoted_at == NONE && a.unsuppressed_at == NONE && a.last_entry_at == NONE,
		  "new address: every time NONE");
	CHECK(a.nretries == 0 && no_reason(&a) && a.last_soft_campaign == NULL &&
		  !a.has_suppressed_event, "new address: no retries, no strings");
	CHECK(bounce_addr_watermark(&a) == NONE, "new address: watermark NONE");
}

static void
test_hard_bounce(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry e1[] = {hard(T0, 7)};
	bounce_entry e2[] = {dlv(T0 + HOUR, 1, "c-hard")};
	bounce_entry e3[] = {hard(T0 + 2 * HOUR, 8)};
	bounce_entry e4[] = {uns(T0 + 3 * HOUR, 1)};
	bounce_entry e5[] = {hard(T0 + 4 * HOUR, 9)};

	arena_used = 0;
	a = fold_new(&p, e1, 1);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_EVENT,
		  "hard bounce: suppressed at once, by the event");
	CHECK(str_is(why(&a), "hard bounce: userunknown"),
		  "hard bounce: reason \"%s\"", why(&a));
	CHECK(a.suppressed_at == T0 && a.has_suppressed_event && a.suppressed_event == 7,
		  "hard bounce: suppressed_at its time, suppressed_event its id");
	CHECK(a.hard_total == 1 && a.soft_total == 0 && a.consecutive_soft == 0,
		  "hard bounce: hard_total 1, no streak");
	CHECK(a.first_bounce_at == T0 && a.last_bounce_at == T0 && a.last_soft_at == NONE,
		  "hard bounce: first/last_bounce_at, no last_soft_at");
	CHECK(a.nretries == 0 && a.next_retry_at == NONE, "hard bounce: never retried");
	CHECK(a.promoted_at == NONE, "hard bounce: not a promotion");

	CHECK(fold_on(&a, &p, e2, 1) == BOUNCE_FOLD_OK, "hard bounce: delivery folds");
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_EVENT &&
		  a.suppressed_at == T0 && str_is(why(&a), "hard bounce: userunknown"),
		  "hard bounce: a delivery does not lift it");
	CHECK(a.last_delivery_at == T0 + HOUR, "hard bounce: the delivery is recorded");

	CHECK(fold_on(&a, &p, e3, 1) == BOUNCE_FOLD_OK, "hard bounce: second hard bounce folds");
	CHECK(a.hard_total == 2 && a.last_bounce_at == T0 + 2 * HOUR && a.first_bounce_at == T0,
		  "hard bounce: the second counts (hard_total 2, last_bounce_at)");
	CHECK(a.suppressed_event == 7 && a.suppressed_at == T0,
		  "hard bounce: the first suppression stays (event 7 at its time)");

	CHECK(fold_on(&a, &p, e4, 1) == BOUNCE_FOLD_OK, "hard bounce: unsuppress folds");
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.suppressed_by == BOUNCE_BY_NONE &&
		  a.suppressed_at == NONE && no_reason(&a) && !a.has_suppressed_event,
		  "hard bounce: unsuppress lifts it, suppression cleared");
	CHECK(a.unsuppressed_at == T0 + 3 * HOUR, "hard bounce: unsuppressed_at");
	CHECK(a.hard_total == 2, "hard bounce: unsuppress keeps the totals");

	CHECK(fold_on(&a, &p, e5, 1) == BOUNCE_FOLD_OK, "hard bounce: a later one folds");
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_event == 9 &&
		  a.suppressed_at == T0 + 4 * HOUR && a.hard_total == 3,
		  "hard bounce: a later hard bounce suppresses again (event 9)");
}

static void
test_hard_drops_retries(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry e1[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2")};
	bounce_entry e2[] = {hard(T0 + 2 * HOUR, 3)};

	arena_used = 0;
	a = fold_new(&p, e1, 2);
	CHECK(a.nretries == 2 && a.next_retry_at == T0 + DAY && !a.retries_removed,
		  "two soft bounces: two retries, next at the first + 1 day");
	a.retries_removed = false;
	CHECK(fold_on(&a, &p, e2, 1) == BOUNCE_FOLD_OK, "hard bounce after soft folds");
	CHECK(a.nretries == 0 && a.next_retry_at == NONE && a.retries_removed,
		  "hard bounce drops the retries (retries_removed)");
	CHECK(a.consecutive_soft == 2 && a.soft_total == 2 && a.hard_total == 1,
		  "hard bounce after soft: streak 2 kept as it was, totals 2 / 1");
}

static void
test_streak(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	const bounce_retry *r;
	bounce_entry same[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c1")};
	bounce_entry more[] = {soft(T0 + 2 * HOUR, 3, "c2")};
	bounce_entry third[] = {soft(T0 + 3 * HOUR, 4, "c3")};
	bounce_entry none2[] = {soft(T0, 1, NULL), soft(T0 + HOUR, 2, NULL)};
	bounce_entry none3[] = {soft(T0 + 2 * HOUR, 3, NULL)};
	bounce_entry mixed[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, NULL), soft(T0 + 2 * HOUR, 3, "c1")};
	bounce_entry back[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2"), soft(T0 + 2 * HOUR, 3, "c1")};

	arena_used = 0;
	a = fold_new(&p, same, 2);
	CHECK(a.consecutive_soft == 1 && a.soft_total == 2,
		  "two soft bounces of one campaign: streak 1, soft_total 2 (got %d, %d)",
		  (int) a.consecutive_soft, (int) a.soft_total);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE, "streak 1: active");
	CHECK(str_is(a.last_soft_campaign, "c1") && a.last_soft_at == T0 + HOUR,
		  "streak: last_soft_campaign c1, last_soft_at the second");
	r = retry_of(&a, "c1");
	CHECK(a.nretries == 1 && r != NULL && r->attempts == 2, "one campaign: one retry, 2 attempts");

	CHECK(fold_on(&a, &p, more, 1) == BOUNCE_FOLD_OK, "a soft bounce of a second campaign folds");
	CHECK(a.consecutive_soft == 2 && a.state == BOUNCE_ADDR_MONITORED,
		  "second campaign: streak 2, monitored (monitor_after 2)");
	CHECK(a.nretries == 2 && retry_of(&a, "c2") != NULL && retry_of(&a, "c2")->attempts == 1,
		  "second campaign: its own retry, 1 attempt");

	CHECK(fold_on(&a, &p, third, 1) == BOUNCE_FOLD_OK, "a third campaign folds");
	CHECK(a.consecutive_soft == 3 && a.state == BOUNCE_ADDR_SUPPRESSED &&
		  a.suppressed_by == BOUNCE_BY_PROMOTION,
		  "third campaign: streak 3, promoted (soft_threshold 3)");
	CHECK(str_is(why(&a), "promoted: 3 consecutive soft bounces (last: toomanyconn)"),
		  "promotion reason \"%s\"", why(&a));
	CHECK(a.promoted_at == T0 + 3 * HOUR && a.suppressed_at == T0 + 3 * HOUR &&
		  a.has_suppressed_event && a.suppressed_event == 4,
		  "promotion: promoted_at, suppressed_at and suppressed_event of the third");
	CHECK(a.nretries == 3 && a.next_retry_at == NONE,
		  "promotion keeps the 3 retries, idle (next_retry_at NONE)");
	CHECK(a.soft_total == 4 && a.hard_total == 0, "the promoting bounce counts as soft (4, 0)");

	arena_used = 0;
	a = fold_new(&p, none2, 2);
	CHECK(a.consecutive_soft == 2 && a.state == BOUNCE_ADDR_MONITORED,
		  "two soft bounces without campaign: each counts, streak 2, monitored");
	CHECK(a.last_soft_campaign == NULL, "no campaign: last_soft_campaign NULL");
	r = retry_of(&a, "");
	CHECK(a.nretries == 1 && r != NULL && r->attempts == 2,
		  "no campaign: one retry under \"\", 2 attempts");
	CHECK(fold_on(&a, &p, none3, 1) == BOUNCE_FOLD_OK, "a third without campaign folds");
	CHECK(a.consecutive_soft == 3 && a.suppressed_by == BOUNCE_BY_PROMOTION &&
		  str_is(why(&a), "promoted: 3 consecutive soft bounces (last: toomanyconn)"),
		  "third without campaign: promoted by the streak");

	arena_used = 0;
	a = fold_new(&p, mixed, 3);
	CHECK(a.consecutive_soft == 3 && a.state == BOUNCE_ADDR_SUPPRESSED,
		  "c1, none, c1: the none breaks the run of c1, streak 3, promoted");

	arena_used = 0;
	a = fold_new(&p, back, 3);
	CHECK(a.consecutive_soft == 3 && a.state == BOUNCE_ADDR_SUPPRESSED,
		  "c1, c2, c1: a campaign again after another counts, streak 3, promoted");
}

static void
test_monitor_after(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry two[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2")};
	bounce_entry three[] = {soft(T0 + 2 * HOUR, 3, "c3")};
	bounce_entry four[] = {soft(T0 + 3 * HOUR, 4, "c4")};

	p.monitor_after = 3;
	p.soft_threshold = 5;
	arena_used = 0;
	a = fold_new(&p, two, 2);
	CHECK(a.consecutive_soft == 2 && a.state == BOUNCE_ADDR_ACTIVE,
		  "monitor_after 3: streak 2 still active");
	fold_on(&a, &p, three, 1);
	CHECK(a.consecutive_soft == 3 && a.state == BOUNCE_ADDR_MONITORED,
		  "monitor_after 3: streak 3 monitored");
	fold_on(&a, &p, four, 1);
	CHECK(a.consecutive_soft == 4 && a.state == BOUNCE_ADDR_MONITORED,
		  "threshold 5: streak 4 still monitored, not suppressed");
	CHECK(a.nretries == 4 && a.next_retry_at == T0 + DAY, "four campaigns: four retries");
}

static void
test_promotion_by_attempts(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry e[] = {soft(T0, 1, "c1"), soft(T0 + DAY, 2, "c1"), soft(T0 + 3 * DAY, 3, "c1")};
	bounce_entry both[] = {soft(T0, 1, NULL), soft(T0 + HOUR, 2, NULL)};
	bounce_entry full[] = {
		bnc(T0, 1, "c1", SOFT, R(MAILBOXFULL)),
		bnc(T0 + 7 * DAY, 2, "c1", SOFT, R(MAILBOXFULL)),
		bnc(T0 + 14 * DAY, 3, "c1", SOFT, R(MAILBOXFULL)),
		bnc(T0 + 21 * DAY, 4, "c1", SOFT, R(MAILBOXFULL)),
		bnc(T0 + 28 * DAY, 5, "c1", SOFT, R(MAILBOXFULL)),
	};

	p.soft_threshold = 10;
	p.retry_count = 3;
	arena_used = 0;
	a = fold_new(&p, e, 2);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && retry_of(&a, "c1") != NULL &&
		  retry_of(&a, "c1")->attempts == 2, "retry_count 3: 2 attempts still active");
	fold_on(&a, &p, e + 2, 1);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_PROMOTION,
		  "retry_count 3: the third failed attempt promotes");
	CHECK(str_is(why(&a), "promoted: 3 failed attempts (last: toomanyconn)"),
		  "attempts promotion reason \"%s\"", why(&a));
	CHECK(a.consecutive_soft == 1 && a.promoted_at == T0 + 3 * DAY && a.suppressed_event == 3,
		  "attempts promotion: streak 1, promoted_at and event of the third");
	CHECK(a.nretries == 1 && retry_of(&a, "c1")->attempts == 3 && a.next_retry_at == NONE,
		  "attempts promotion: the retry kept, idle (3 attempts)");

	/* both limits reached by one bounce: the streak is named */
	p.soft_threshold = 2;
	p.retry_count = 2;
	arena_used = 0;
	a = fold_new(&p, both, 2);
	CHECK(str_is(why(&a), "promoted: 2 consecutive soft bounces (last: toomanyconn)"),
		  "streak and attempts at once: the streak reason (\"%s\")",
		  why(&a));

	/* SPEC: mailbox full, retried weekly, is promoted when it repeats */
	p = defaults();
	arena_used = 0;
	a = fold_new(&p, full, 4);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && retry_of(&a, "c1") != NULL &&
		  retry_of(&a, "c1")->attempts == 4 && a.next_retry_at == T0 + 28 * DAY,
		  "mailbox full weekly: 4 attempts, next in 7 days");
	fold_on(&a, &p, full + 4, 1);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED &&
		  str_is(why(&a), "promoted: 5 failed attempts (last: mailboxfull)"),
		  "mailbox full: the 5th attempt (retry_count 5) promotes");
}

static void
test_reset_window(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry just_under[] = {soft(T0, 1, "c1"), soft(T0 + WINDOW - 1, 2, "c2")};
	bounce_entry exactly[] = {soft(T0, 1, "c1"), soft(T0 + WINDOW, 2, "c2")};
	bounce_entry chain[] = {soft(T0, 1, "c1"), soft(T0 + WINDOW - 1, 2, "c2"),
	soft(T0 + 2 * WINDOW - 2, 3, "c3")};
	bounce_entry att_under[] = {soft(T0, 1, "c1"), soft(T0 + WINDOW - 1, 2, "c1")};
	bounce_entry att_exact[] = {soft(T0, 1, "c1"), soft(T0 + WINDOW, 2, "c1")};
	bounce_entry att_later[] = {soft(T0, 1, "c1"), soft(T0 + 2 * WINDOW, 2, "c1")};
	bounce_entry small[] = {soft(0, 1, "a"), soft(5, 2, "b"), soft(9, 3, "c"),
	soft(10, 4, "d")};

	arena_used = 0;
	a = fold_new(&p, just_under, 2);
	CHECK(a.consecutive_soft == 2 && a.state == BOUNCE_ADDR_MONITORED,
		  "reset window: a soft bounce just under 90 days later continues the streak (2)");
	arena_used = 0;
	a = fold_new(&p, exactly, 2);
	CHECK(a.consecutive_soft == 1 && a.state == BOUNCE_ADDR_ACTIVE,
		  "reset window: exactly 90 days later the streak starts over (1, active)");
	CHECK(a.last_soft_at == T0 + WINDOW && str_is(a.last_soft_campaign, "c2"),
		  "reset window: the new streak's last soft bounce");
	arena_used = 0;
	a = fold_new(&p, chain, 3);
	CHECK(a.consecutive_soft == 3 && a.state == BOUNCE_ADDR_SUPPRESSED,
		  "reset window: measured from the last soft bounce, not the first (3, promoted)");

	arena_used = 0;
	a = fold_new(&p, att_under, 2);
	CHECK(retry_of(&a, "c1") != NULL && retry_of(&a, "c1")->attempts == 2 &&
		  a.next_retry_at == T0 + WINDOW - 1 + 2 * DAY,
		  "attempts: just under the window they add up (2, next in 2 days)");
	arena_used = 0;
	a = fold_new(&p, att_exact, 2);
	CHECK(retry_of(&a, "c1") != NULL && retry_of(&a, "c1")->attempts == 1 &&
		  a.next_retry_at == T0 + WINDOW + DAY,
		  "attempts: exactly at the window they restart (1, next in 1 day)");
	CHECK(retry_of(&a, "c1")->last_bounce_at == T0 + WINDOW, "attempts: last_bounce_at the new one");
	arena_used = 0;
	a = fold_new(&p, att_later, 2);
	CHECK(retry_of(&a, "c1") != NULL && retry_of(&a, "c1")->attempts == 1,
		  "attempts: past the window they restart");

	/* a window of 5: gaps of 5, 4 and 1 */
	p.reset_window = 5;
	p.soft_threshold = 9;
	arena_used = 0;
	a = fold_new(&p, small, 2);
	CHECK(a.consecutive_soft == 1, "window 5: a bounce 5 later restarts the streak (1)");
	fold_on(&a, &p, small + 2, 1);
	CHECK(a.consecutive_soft == 2, "window 5: a bounce 4 later continues it (2)");
	fold_on(&a, &p, small + 3, 1);
	CHECK(a.consecutive_soft == 3 && a.state == BOUNCE_ADDR_MONITORED,
		  "window 5: 1 later continues (3, monitored)");
}

static void
test_backoff(void)
{
	bounce_policy p = defaults();
	bounce_policy_rule base = {BOUNCE_ACTION_RETRY, 0, 0};
	bounce_policy_rule own = {BOUNCE_ACTION_RETRY, HOUR, 0};
	bounce_policy_rule longer = {BOUNCE_ACTION_RETRY, 100 * HOUR, 0};
	bounce_policy_rule capped = {BOUNCE_ACTION_RETRY, HOUR, 3 * HOUR};
	bounce_policy_rule base_capped = {BOUNCE_ACTION_RETRY, 0, 30 * HOUR};
	const bounce_policy_rule *grey = &p.rule[R(GREYLISTING)][SOFT];
	const bounce_policy_rule *full = &p.rule[R(MAILBOXFULL)][SOFT];
	bounce_addr a;
	bounce_entry g[] = {
		bnc(T0, 1, "c1", SOFT, R(GREYLISTING)),
		bnc(T0 + MINUTE, 2, "c1", SOFT, R(GREYLISTING)),
		bnc(T0 + 2 * MINUTE, 3, "c1", SOFT, R(GREYLISTING)),
		bnc(T0 + 3 * MINUTE, 4, "c1", SOFT, R(GREYLISTING)),
	};
	bounce_entry f[] = {bnc(T0, 1, NULL, SOFT, R(MAILBOXFULL)), bnc(T0 + DAY, 2, NULL, SOFT, R(MAILBOXFULL))};
	bounce_entry cfg[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c1"), soft(T0 + 2 * HOUR, 3, "c1")};

	CHECK(bounce_policy_retry_delay(&p, &base, 1) == 24 * HOUR, "backoff base: 1st 24 h");
	CHECK(bounce_policy_retry_delay(&p, &base, 2) == 48 * HOUR, "backoff base: 2nd 48 h");
	CHECK(bounce_policy_retry_delay(&p, &base, 3) == 72 * HOUR, "backoff base: 3rd 72 h (96 capped)");
	CHECK(bounce_policy_retry_delay(&p, &base, 4) == 72 * HOUR, "backoff base: 4th 72 h");
	CHECK(bounce_policy_retry_delay(&p, NULL, 2) == 48 * HOUR, "no rule: the config's backoff");
	CHECK(bounce_policy_retry_delay(&p, &base, INT32_MAX) == 72 * HOUR,
		  "backoff: any number of attempts stays at the cap");

	CHECK(bounce_policy_retry_delay(&p, &own, 1) == HOUR, "rule 1 h: 1st 1 h");
	CHECK(bounce_policy_retry_delay(&p, &own, 2) == 2 * HOUR, "rule 1 h: 2nd 2 h");
	CHECK(bounce_policy_retry_delay(&p, &own, 5) == 16 * HOUR, "rule 1 h: 5th 16 h");
	CHECK(bounce_policy_retry_delay(&p, &own, 7) == 64 * HOUR, "rule 1 h: 7th 64 h");
	CHECK(bounce_policy_retry_delay(&p, &own, 8) == 72 * HOUR,
		  "rule 1 h without max: capped by the config's 72 h");
	CHECK(bounce_policy_retry_delay(&p, &longer, 1) == 100 * HOUR &&
		  bounce_policy_retry_delay(&p, &longer, 3) == 100 * HOUR,
		  "rule 100 h without max: the cap is max(100 h, 72 h)");
	CHECK(bounce_policy_retry_delay(&p, &capped, 1) == HOUR &&
		  bounce_policy_retry_delay(&p, &capped, 2) == 2 * HOUR &&
		  bounce_policy_retry_delay(&p, &capped, 3) == 3 * HOUR &&
		  bounce_policy_retry_delay(&p, &capped, 4) == 3 * HOUR,
		  "rule 1 h max 3 h: 1, 2, 3, 3 h");
	CHECK(bounce_policy_retry_delay(&p, &base_capped, 1) == 24 * HOUR &&
		  bounce_policy_retry_delay(&p, &base_capped, 2) == 30 * HOUR,
		  "rule max 30 h only: 24 h (config base) then 30 h");
	CHECK(bounce_policy_retry_delay(&p, grey, 1) == 5 * MINUTE &&
		  bounce_policy_retry_delay(&p, grey, 2) == 10 * MINUTE &&
		  bounce_policy_retry_delay(&p, grey, 3) == 15 * MINUTE &&
		  bounce_policy_retry_delay(&p, grey, 9) == 15 * MINUTE,
		  "greylisting: 5, 10, 15, 15 minutes");
	CHECK(bounce_policy_retry_delay(&p, full, 1) == 7 * DAY &&
		  bounce_policy_retry_delay(&p, full, 3) == 7 * DAY,
		  "mailbox full: always 7 days");

	arena_used = 0;
	a = fold_new(&p, g, 1);
	CHECK(a.next_retry_at == T0 + 5 * MINUTE, "greylisted once: retry in 5 minutes");
	fold_on(&a, &p, g + 1, 1);
	CHECK(a.next_retry_at == T0 + MINUTE + 10 * MINUTE, "greylisted twice: 10 minutes after the second");
	fold_on(&a, &p, g + 2, 2);
	CHECK(a.next_retry_at == T0 + 3 * MINUTE + 15 * MINUTE &&
		  retry_of(&a, "c1")->next_retry_at == T0 + 18 * MINUTE &&
		  retry_of(&a, "c1")->reason == R(GREYLISTING) && retry_of(&a, "c1")->attempts == 4,
		  "greylisted 4 times: 15 minutes after the last (capped)");
	CHECK(a.state == BOUNCE_ADDR_ACTIVE, "greylisting of one campaign: streak 1, active");

	arena_used = 0;
	a = fold_new(&p, f, 2);
	CHECK(a.next_retry_at == T0 + 8 * DAY && retry_of(&a, "") != NULL &&
		  retry_of(&a, "")->reason == R(MAILBOXFULL),
		  "mailbox full twice: 7 days after the second");

	/* a rule without its own delay uses the config's backoff */
	p.rule[R(TOOMANYCONN)][SOFT].retry_after = 0;
	p.rule[R(TOOMANYCONN)][SOFT].retry_max = 0;
	p.backoff_base = 2 * HOUR;
	p.backoff_cap = 5 * HOUR;
	arena_used = 0;
	a = fold_new(&p, cfg, 1);
	CHECK(a.next_retry_at == T0 + 2 * HOUR, "config backoff 2 h: first retry in 2 h");
	fold_on(&a, &p, cfg + 1, 1);
	CHECK(a.next_retry_at == T0 + HOUR + 4 * HOUR, "config backoff: second in 4 h");
	fold_on(&a, &p, cfg + 2, 1);
	CHECK(a.next_retry_at == T0 + 2 * HOUR + 5 * HOUR, "config backoff: third 8 h capped to 5 h");
}

static void
test_time_range(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry ok[] = {bnc(T0, 1, "c1", SOFT, R(GREYLISTING)), soft(T0 + 1, 2, "c2")};
	bounce_entry at_max[] = {soft(T0 + HOUR - DAY, 1, "c1")};
	bounce_entry over[] = {dlv(T0 - 5, 1, NULL), bnc(T0 - 4, 2, "c1", SOFT, R(GREYLISTING)),
	soft(T0 - 3, 3, "c2"), soft(T0 - 2, 4, "c3")};
	bounce_entry hard_late[] = {hard(T0 + DAY, 1)};
	bounce_entry old[] = {soft(-30 * 365 * DAY, 1, "c1")};
	size_t		failed = 99;

	p.time_max = T0 + HOUR;
	arena_used = 0;
	a = fold_new(&p, at_max, 1);
	CHECK(a.next_retry_at == T0 + HOUR, "time_max: a retry due exactly at time_max is taken");

	arena_used = 0;
	bounce_addr_init(&a);
	CHECK(bounce_policy_fold(&a, ok, 2, &p, &arena_al, &failed) == BOUNCE_FOLD_TIME_RANGE,
		  "time_max: a retry due after it is refused (TIME_RANGE)");
	CHECK(failed == 1, "time_max: *failed is the entry's index (1, got %zu)", failed);

	arena_used = 0;
	bounce_addr_init(&a);
	failed = 99;
	CHECK(bounce_policy_fold(&a, over, 4, &p, &arena_al, &failed) == BOUNCE_FOLD_TIME_RANGE &&
		  failed == 2, "time_max: the first entry past it is named (2, got %zu)", failed);

	arena_used = 0;
	a = fold_new(&p, hard_late, 1);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED, "time_max: a hard bounce after it schedules nothing, folds");

	/* times before the epoch (PostgreSQL's is 2000): no overflow near time_max */
	p = defaults();
	arena_used = 0;
	a = fold_new(&p, old, 1);
	CHECK(a.next_retry_at == -30 * 365 * DAY + DAY,
		  "a bounce 30 years before the epoch: retry 1 day later, time_max INT64_MAX");
}

static void
test_delivery(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry two[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2")};
	bounce_entry d1[] = {dlv(T0 + 2 * HOUR, 1, "c1")};
	bounce_entry after[] = {soft(T0 + 3 * HOUR, 3, "c3")};
	bounce_entry nocamp[] = {soft(T0, 1, NULL), soft(T0 + HOUR, 2, "c1"), dlv(T0 + 2 * HOUR, 1, NULL)};
	bounce_entry other[] = {soft(T0, 1, "c1"), dlv(T0 + HOUR, 1, "c9")};
	bounce_entry promo[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2"), soft(T0 + 2 * HOUR, 3, "c3")};
	bounce_entry lift[] = {dlv(T0 + 3 * HOUR, 1, "c3")};
	bounce_entry again[] = {soft(T0 + 4 * HOUR, 4, "c4")};

	arena_used = 0;
	a = fold_new(&p, two, 2);
	CHECK(a.state == BOUNCE_ADDR_MONITORED && a.nretries == 2, "before delivery: monitored, 2 retries");
	a.retries_removed = false;
	fold_on(&a, &p, d1, 1);
	CHECK(a.consecutive_soft == 0 && a.last_soft_campaign == NULL,
		  "delivery: the streak ends (0, no campaign)");
	CHECK(a.state == BOUNCE_ADDR_ACTIVE, "delivery: monitored becomes active");
	CHECK(a.last_delivery_at == T0 + 2 * HOUR, "delivery: last_delivery_at");
	CHECK(a.nretries == 1 && retry_of(&a, "c1") == NULL && retry_of(&a, "c2") != NULL &&
		  a.retries_removed, "delivery of c1: c1's retry done, c2's kept");
	CHECK(a.next_retry_at == T0 + HOUR + DAY, "delivery: next_retry_at is c2's");
	CHECK(a.last_soft_at == T0 + HOUR && a.soft_total == 2,
		  "delivery: last_soft_at and soft_total stay");
	fold_on(&a, &p, after, 1);
	CHECK(a.consecutive_soft == 1 && a.state == BOUNCE_ADDR_ACTIVE,
		  "after a delivery a soft bounce starts a new streak (1)");

	arena_used = 0;
	a = fold_new(&p, nocamp, 3);
	CHECK(a.nretries == 1 && retry_of(&a, "") == NULL && retry_of(&a, "c1") != NULL,
		  "delivery without campaign: the \"\" retry done, c1's kept");

	arena_used = 0;
	a = fold_new(&p, other, 1);
	a.retries_removed = false;
	fold_on(&a, &p, other + 1, 1);
	CHECK(a.nretries == 1 && retry_of(&a, "c1") != NULL && !a.retries_removed,
		  "delivery of a campaign without retry removes nothing");
	CHECK(a.consecutive_soft == 0, "delivery of another campaign still ends the streak");

	arena_used = 0;
	a = fold_new(&p, promo, 3);
	CHECK(a.suppressed_by == BOUNCE_BY_PROMOTION, "promoted before the delivery");
	fold_on(&a, &p, lift, 1);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.suppressed_by == BOUNCE_BY_NONE,
		  "delivery lifts a promotion: active");
	CHECK(a.suppressed_at == NONE && no_reason(&a) && !a.has_suppressed_event,
		  "lifted promotion: suppression cleared");
	CHECK(a.promoted_at == T0 + 2 * HOUR, "lifted promotion: promoted_at kept");
	CHECK(a.nretries == 2 && retry_of(&a, "c3") == NULL && retry_of(&a, "c1") != NULL &&
		  retry_of(&a, "c2") != NULL && a.consecutive_soft == 0,
		  "lifted promotion: its idle retries are back but the delivered campaign's, streak 0");
	CHECK(a.next_retry_at == T0 + DAY, "lifted promotion: next_retry_at the earliest again (c1's)");
	fold_on(&a, &p, again, 1);
	CHECK(a.consecutive_soft == 1 && a.state == BOUNCE_ADDR_ACTIVE && a.nretries == 3,
		  "after a lifted promotion: a soft bounce is streak 1 with its own retry");
}

static void
test_manual(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	char		longnote[301];
	char		longwant[320];
	bounce_entry s1[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2"), sup(T0 + 2 * HOUR, 1, "asked to stop")};
	bounce_entry s2[] = {sup(T0 + 3 * HOUR, 2, "another note")};
	bounce_entry d[] = {dlv(T0 + 4 * HOUR, 1, "c1")};
	bounce_entry u[] = {uns(T0 + 5 * HOUR, 1)};
	bounce_entry dflt[] = {sup(T0, 1, NULL)};
	bounce_entry empty[] = {sup(T0, 1, "")};
	bounce_entry lng[] = {sup(T0, 1, longnote)};
	bounce_entry over_hard[] = {hard(T0, 5), sup(T0 + HOUR, 1, "x")};
	bounce_entry mon[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2"), uns(T0 + 2 * HOUR, 1)};
	bounce_entry mon2[] = {soft(T0 + 3 * HOUR, 3, "c3")};

	arena_used = 0;
	a = fold_new(&p, s1, 3);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_HAND,
		  "suppress: suppressed by hand");
	CHECK(str_is(why(&a), "manual: asked to stop"),
		  "suppress: reason \"%s\"", why(&a));
	CHECK(a.suppressed_at == T0 + 2 * HOUR && !a.has_suppressed_event,
		  "suppress: suppressed_at its time, no event");
	CHECK(a.nretries == 0 && a.next_retry_at == NONE, "suppress: retries dropped");
	CHECK(a.promoted_at == NONE, "suppress by hand is no promotion");

	fold_on(&a, &p, s2, 1);
	CHECK(str_is(why(&a), "manual: asked to stop") && a.suppressed_at == T0 + 2 * HOUR,
		  "suppress twice: the first stays");
	fold_on(&a, &p, d, 1);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_HAND,
		  "a delivery does not lift a manual suppression");
	fold_on(&a, &p, u, 1);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && no_reason(&a) &&
		  a.suppressed_at == NONE && a.unsuppressed_at == T0 + 5 * HOUR,
		  "unsuppress lifts it: active, unsuppressed_at");

	arena_used = 0;
	a = fold_new(&p, dflt, 1);
	CHECK(str_is(why(&a), "manual: manual"),
		  "suppress without note: \"manual: manual\" (got \"%s\")",
		  why(&a));
	arena_used = 0;
	a = fold_new(&p, empty, 1);
	CHECK(str_is(why(&a), "manual: "), "suppress with an empty note: \"manual: \"");

	memset(longnote, 'n', 300);
	longnote[0] = 'L';
	longnote[299] = 'Z';
	longnote[300] = '\0';
	memcpy(longwant, "manual: ", 8);
	memcpy(longwant + 8, longnote, 301);
	arena_used = 0;
	a = fold_new(&p, lng, 1);
	CHECK(strlen(why(&a)) == 308 && strcmp(why(&a), longwant) == 0,
		  "suppress with a 300-byte note: all of it kept (308 bytes)");

	arena_used = 0;
	a = fold_new(&p, over_hard, 2);
	CHECK(a.suppressed_by == BOUNCE_BY_EVENT && str_is(why(&a), "hard bounce: userunknown") &&
		  a.suppressed_at == T0 && a.suppressed_event == 5,
		  "suppress over a hard bounce changes nothing");

	arena_used = 0;
	a = fold_new(&p, mon, 3);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.consecutive_soft == 0 && a.last_soft_campaign == NULL,
		  "unsuppress of a monitored address: active, streak 0");
	CHECK(a.unsuppressed_at == T0 + 2 * HOUR, "unsuppress of an active address: unsuppressed_at");
	fold_on(&a, &p, mon2, 1);
	CHECK(a.consecutive_soft == 1, "after unsuppress earlier bounces no longer count (streak 1)");
}

static void
test_manual_over_promotion(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry e[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2"), soft(T0 + 2 * HOUR, 3, "c3")};
	bounce_entry s[] = {sup(T0 + 3 * HOUR, 1, "confirmed")};
	bounce_entry d[] = {dlv(T0 + 4 * HOUR, 1, "c3")};

	arena_used = 0;
	a = fold_new(&p, e, 3);
	fold_on(&a, &p, s, 1);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_HAND,
		  "suppress over a promotion: now by hand");
	CHECK(str_is(why(&a), "manual: confirmed") && a.suppressed_at == T0 + 3 * HOUR &&
		  !a.has_suppressed_event, "suppress over a promotion: manual reason, its time, no event");
	CHECK(a.promoted_at == T0 + 2 * HOUR, "suppress over a promotion: promoted_at kept");
	fold_on(&a, &p, d, 1);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_HAND &&
		  str_is(why(&a), "manual: confirmed"),
		  "a delivery does not lift the manual suppression that replaced a promotion");
}

static void
test_promotion_keeps_retries(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_retry *r;
	bounce_entry promo[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2"), soft(T0 + 2 * HOUR, 3, "c3")};
	bounce_entry under[] = {soft(T0 + 3 * HOUR, 4, "c4"), soft(T0 + 4 * HOUR, 5, "c1")};
	bounce_entry lift[] = {dlv(T0 + 5 * HOUR, 1, "c4")};
	bounce_entry hard_over[] = {hard(T0 + 3 * HOUR, 9)};
	bounce_entry hard_d[] = {dlv(T0 + 4 * HOUR, 1, "c1")};
	bounce_entry report_over[] = {bnc(T0 + 3 * HOUR, 8, NULL, NOCLASS, R(FEEDBACK))};
	bounce_entry manual_over[] = {sup(T0 + 3 * HOUR, 1, "no")};
	bounce_entry uns_over[] = {uns(T0 + 3 * HOUR, 1)};
	bounce_entry active2[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c1"), uns(T0 + 2 * HOUR, 1)};
	bounce_entry after_uns[] = {soft(T0 + 3 * HOUR, 3, "c1")};

	/* under a promotion the streak and the retries go on, idle; the state stays */
	arena_used = 0;
	a = fold_new(&p, promo, 3);
	r = (bounce_retry *) retry_of(&a, "c1");
	r->handed_out_at = T0 + DAY;	/* handed out before the promotion */
	fold_on(&a, &p, under, 2);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_PROMOTION &&
		  str_is(why(&a), "promoted: 3 consecutive soft bounces (last: toomanyconn)") &&
		  a.promoted_at == T0 + 2 * HOUR && a.suppressed_event == 3 && a.suppressed_at == T0 + 2 * HOUR,
		  "soft bounces under a promotion: the promotion stays as it was (\"%s\")", why(&a));
	CHECK(a.consecutive_soft == 5 && str_is(a.last_soft_campaign, "c1") && a.last_soft_at == T0 + 4 * HOUR &&
		  a.soft_total == 5, "soft bounces under a promotion: the streak goes on (5)");
	CHECK(a.nretries == 4 && retry_of(&a, "c4") != NULL && retry_of(&a, "c1")->attempts == 2 &&
		  retry_of(&a, "c1")->last_bounce_at == T0 + 4 * HOUR &&
		  retry_of(&a, "c1")->next_retry_at == T0 + 4 * HOUR + 2 * DAY,
		  "soft bounces under a promotion: their retries booked (4 retries, c1 2 attempts)");
	CHECK(retry_of(&a, "c1")->handed_out_at == NONE, "a new failure under a promotion re-arms its retry");
	CHECK(a.next_retry_at == NONE, "under a promotion: next_retry_at NONE");
	fold_on(&a, &p, lift, 1);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.nretries == 3 && retry_of(&a, "c4") == NULL &&
		  a.next_retry_at == T0 + HOUR + DAY && a.consecutive_soft == 0,
		  "a delivery lifts it: 3 retries left, next is c2's, streak 0");

	/* a handed-out retry stays handed out through a promotion and its lifting */
	arena_used = 0;
	a = fold_new(&p, promo, 3);
	r = (bounce_retry *) retry_of(&a, "c2");
	r->handed_out_at = T0 + DAY;
	fold_on(&a, &p, lift, 1);
	CHECK(retry_of(&a, "c2") != NULL && retry_of(&a, "c2")->handed_out_at == T0 + DAY,
		  "a retry handed out before a promotion is still handed out after its lifting");

	/* a hard bounce (or a complaint) over a promotion makes it for good */
	arena_used = 0;
	a = fold_new(&p, promo, 3);
	fold_on(&a, &p, hard_over, 1);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_EVENT &&
		  str_is(why(&a), "hard bounce: userunknown") && a.suppressed_event == 9 &&
		  a.suppressed_at == T0 + 3 * HOUR, "a hard bounce over a promotion: suppressed by it");
	CHECK(a.nretries == 0 && a.promoted_at == T0 + 2 * HOUR,
		  "a hard bounce over a promotion: retries dropped, promoted_at kept");
	fold_on(&a, &p, hard_d, 1);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_EVENT,
		  "a delivery does not lift the hard bounce that replaced a promotion");
	arena_used = 0;
	a = fold_new(&p, promo, 3);
	fold_on(&a, &p, report_over, 1);
	CHECK(a.suppressed_by == BOUNCE_BY_EVENT && str_is(why(&a), "report: feedback") &&
		  a.suppressed_event == 8 && a.nretries == 0, "a complaint over a promotion: suppressed by it");

	/* by hand over a promotion: manual, retries dropped */
	arena_used = 0;
	a = fold_new(&p, promo, 3);
	fold_on(&a, &p, manual_over, 1);
	CHECK(a.suppressed_by == BOUNCE_BY_HAND && a.nretries == 0 && str_is(why(&a), "manual: no"),
		  "suppress by hand over a promotion: manual, retries dropped");

	/* unsuppress: no retries */
	arena_used = 0;
	a = fold_new(&p, promo, 3);
	a.retries_removed = false;
	fold_on(&a, &p, uns_over, 1);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.nretries == 0 && a.retries_removed &&
		  a.next_retry_at == NONE, "unsuppress of a promotion: active, its idle retries gone");
	arena_used = 0;
	a = fold_new(&p, active2, 3);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.nretries == 0 && a.next_retry_at == NONE,
		  "unsuppress of an active address: its retries gone too");
	fold_on(&a, &p, after_uns, 1);
	CHECK(retry_of(&a, "c1") != NULL && retry_of(&a, "c1")->attempts == 1 &&
		  a.next_retry_at == T0 + 3 * HOUR + DAY,
		  "after unsuppress earlier failures no longer count (1 attempt, 1 day)");
}

static void
test_counts_after_suppression(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry e[] = {hard(T0, 1), soft(T0 + HOUR, 2, "c1"), soft(T0 + 2 * HOUR, 3, "c2"),
	hard(T0 + 3 * HOUR, 4), bnc(T0 + 4 * HOUR, 5, NULL, NOCLASS, R(FEEDBACK))};

	arena_used = 0;
	a = fold_new(&p, e, 5);
	CHECK(a.soft_total == 2 && a.hard_total == 2,
		  "after suppression: soft_total 2, hard_total 2 (got %d, %d)",
		  (int) a.soft_total, (int) a.hard_total);
	CHECK(a.first_bounce_at == T0 && a.last_bounce_at == T0 + 3 * HOUR,
		  "after suppression: first/last_bounce_at (a report is no bounce)");
	CHECK(a.consecutive_soft == 0 && a.last_soft_at == NONE && a.nretries == 0,
		  "after suppression: soft bounces neither streak nor retry");
	CHECK(a.suppressed_event == 1 && str_is(why(&a), "hard bounce: userunknown"),
		  "after suppression: the first suppression stays");
}

static void
test_alert_ignore(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry alert[] = {bnc(T0, 1, "c1", HARD, R(CONTENTERROR))};
	bounce_entry ignore[] = {bnc(T0, 1, "c1", SOFT, R(VACATION))};
	bounce_entry custom[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2"), soft(T0 + 2 * HOUR, 3, "c3")};
	bounce_entry none_ign[] = {bnc(T0, 1, NULL, NOCLASS, R(DELIVERED))};

	arena_used = 0;
	a = fold_new(&p, alert, 1);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.hard_total == 1 && a.nretries == 0 &&
		  no_reason(&a), "alert (hard contenterror): counted, still active");
	CHECK(a.first_bounce_at == T0 && a.last_bounce_at == T0, "alert: bounce times recorded");

	arena_used = 0;
	a = fold_new(&p, ignore, 1);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.soft_total == 1 && a.consecutive_soft == 0 &&
		  a.nretries == 0 && a.last_soft_at == NONE,
		  "ignore (soft vacation): counted, no streak, no retry");

	p.rule[R(TOOMANYCONN)][SOFT].action = BOUNCE_ACTION_ALERT;
	arena_used = 0;
	a = fold_new(&p, custom, 3);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.soft_total == 3 && a.consecutive_soft == 0 &&
		  a.nretries == 0, "soft bounces under an alert rule: 3 counted, never promoted");
	p.rule[R(TOOMANYCONN)][SOFT].action = BOUNCE_ACTION_IGNORE;
	arena_used = 0;
	a = fold_new(&p, custom, 3);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.soft_total == 3 && a.nretries == 0,
		  "soft bounces under an ignore rule: counted only");

	p = defaults();
	arena_used = 0;
	a = fold_new(&p, none_ign, 1);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.soft_total == 0 && a.hard_total == 0 &&
		  a.first_bounce_at == NONE, "a report of no class under ignore: nothing");
}

static void
test_class_none_suppress(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry fb[] = {soft(T0, 1, "c1"), bnc(T0 + HOUR, 2, "c1", NOCLASS, R(FEEDBACK))};
	bounce_entry blk[] = {bnc(T0, 3, NULL, SOFT, R(BLOCKED))};

	arena_used = 0;
	a = fold_new(&p, fb, 2);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_by == BOUNCE_BY_EVENT,
		  "complaint (no class, suppress rule): suppressed by the event");
	CHECK(str_is(why(&a), "report: feedback"),
		  "complaint: reason \"%s\"", why(&a));
	CHECK(a.suppressed_event == 2 && a.suppressed_at == T0 + HOUR, "complaint: event id and time");
	CHECK(a.soft_total == 1 && a.hard_total == 0 && a.last_bounce_at == T0,
		  "complaint: counted in neither total, not a bounce time");
	CHECK(a.nretries == 0, "complaint: retries dropped");

	p.rule[R(BLOCKED)][SOFT].action = BOUNCE_ACTION_SUPPRESS;
	arena_used = 0;
	a = fold_new(&p, blk, 1);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && str_is(why(&a), "soft bounce: blocked") &&
		  a.soft_total == 1 && a.consecutive_soft == 0,
		  "a soft bounce under a suppress rule: \"soft bounce: blocked\"");
}

static void
test_ties(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry e[6];
	bounce_entry sd[] = {dlv(T0, 1, "c1"), soft(T0, 9, "c1")};
	bounce_entry hu[] = {uns(T0, 1), hard(T0, 2)};
	bounce_entry su[] = {uns(T0, 1), sup(T0, 2, "x")};
	bounce_entry ids[] = {soft(T0, 5, NULL), soft(T0, 3, NULL), soft(T0, 4, NULL)};
	bounce_entry hd[] = {dlv(T0, 1, NULL), sup(T0, 1, "y"), hard(T0, 1)};

	e[0] = uns(T0, 1);
	e[1] = sup(T0, 2, NULL);
	e[2] = dlv(T0, 3, NULL);
	e[3] = hard(T0, 4);
	e[4] = hard(T0, 2);
	e[5] = hard(T0 - 1, 9);
	bounce_entries_sort(e, 6);
	CHECK(e[0].kind == BOUNCE_ENTRY_BOUNCE && e[0].id == 9, "sort: the earlier time first");
	CHECK(e[1].kind == BOUNCE_ENTRY_BOUNCE && e[1].id == 2 && e[2].kind == BOUNCE_ENTRY_BOUNCE &&
		  e[2].id == 4, "sort: bounces of one time by id");
	CHECK(e[3].kind == BOUNCE_ENTRY_DELIVERY && e[4].kind == BOUNCE_ENTRY_SUPPRESS &&
		  e[5].kind == BOUNCE_ENTRY_UNSUPPRESS, "sort: then delivery, suppress, unsuppress");
	CHECK(bounce_entry_cmp(&e[3], &e[3]) == 0 && bounce_entry_cmp(&e[3], &e[4]) < 0 &&
		  bounce_entry_cmp(&e[4], &e[3]) > 0, "cmp: equal, before, after");

	arena_used = 0;
	a = fold_new(&p, sd, 2);
	CHECK(a.consecutive_soft == 0 && a.nretries == 0 && a.last_delivery_at == T0,
		  "a delivery at a bounce's time comes after it: streak 0, retry done");
	arena_used = 0;
	a = fold_new(&p, hu, 2);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE && a.hard_total == 1 && a.unsuppressed_at == T0,
		  "an unsuppress at a hard bounce's time comes after it: active");
	arena_used = 0;
	a = fold_new(&p, su, 2);
	CHECK(a.state == BOUNCE_ADDR_ACTIVE, "suppress and unsuppress at one time: unsuppress last");
	arena_used = 0;
	a = fold_new(&p, ids, 3);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && a.suppressed_event == 5,
		  "three soft bounces at one time: ids 3, 4, 5, the 5th promotes");
	arena_used = 0;
	a = fold_new(&p, hd, 3);
	CHECK(a.suppressed_by == BOUNCE_BY_EVENT && a.suppressed_event == 1,
		  "hard bounce, delivery, suppress at one time: the hard bounce suppresses first");
}

static void
test_late(void)
{
	bounce_policy p = defaults();
	bounce_addr a;
	bounce_entry b1[] = {soft(T0, 1, "c1")};
	bounce_entry at_same[] = {dlv(T0, 1, NULL)};
	bounce_entry before[] = {dlv(T0 - 1, 1, NULL)};
	bounce_entry after[] = {dlv(T0 + 1, 1, NULL)};
	bounce_entry mixed[] = {dlv(T0 + 5, 2, NULL), dlv(T0 - 5, 3, NULL)};
	bounce_entry d2[] = {dlv(T0 + HOUR, 1, NULL)};
	bounce_entry u3[] = {uns(T0 + 2 * HOUR, 1)};
	bounce_entry h4[] = {hard(T0 + 3 * HOUR, 2)};
	bounce_entry noop[] = {hard(T0, 1), sup(T0 + 10, 1, "x")};
	bounce_entry report[] = {hard(T0, 1), bnc(T0 + 20, 2, NULL, NOCLASS, R(FEEDBACK))};
	bounce_entry u5[] = {uns(T0 + 5, 1)};

	arena_used = 0;
	bounce_addr_init(&a);
	CHECK(!bounce_policy_is_late(&a, b1, 1), "new address: nothing is late");
	CHECK(!bounce_policy_is_late(&a, b1, 0), "no entries: not late");
	a = fold_new(&p, b1, 1);
	CHECK(bounce_addr_watermark(&a) == T0, "watermark: the soft bounce's time");
	CHECK(bounce_policy_is_late(&a, at_same, 1), "an entry at the watermark is late");
	CHECK(bounce_policy_is_late(&a, before, 1), "an entry before the watermark is late");
	CHECK(!bounce_policy_is_late(&a, after, 1), "an entry after the watermark is not late");
	bounce_entries_sort(mixed, 2);
	CHECK(bounce_policy_is_late(&a, mixed, 2), "a statement with one late entry is late");
	CHECK(!bounce_policy_is_late(&a, mixed, 0), "no entries are never late");

	fold_on(&a, &p, d2, 1);
	CHECK(bounce_addr_watermark(&a) == T0 + HOUR, "watermark: a delivery's time");
	fold_on(&a, &p, u3, 1);
	CHECK(bounce_addr_watermark(&a) == T0 + 2 * HOUR, "watermark: an unsuppress's time");
	fold_on(&a, &p, h4, 1);
	CHECK(bounce_addr_watermark(&a) == T0 + 3 * HOUR, "watermark: a hard bounce's time");

	/* entries that changed nothing still set the watermark: later ones may make them count */
	arena_used = 0;
	a = fold_new(&p, noop, 2);
	CHECK(bounce_addr_watermark(&a) == T0 + 10,
		  "watermark: a suppress over a hard bounce (no change) still counts (%lld)",
		  (long long) (bounce_addr_watermark(&a) - T0));
	CHECK(bounce_policy_is_late(&a, u5, 1),
		  "an unsuppress before that suppress is late (the suppress then applies)");
	arena_used = 0;
	a = fold_new(&p, report, 2);
	CHECK(bounce_addr_watermark(&a) == T0 + 20 && a.last_entry_at == T0 + 20,
		  "watermark: a complaint on a suppressed address still counts");

	/* a state without last_entry_at (NONE): the latest of the other times */
	a.last_entry_at = NONE;
	CHECK(bounce_addr_watermark(&a) == T0, "watermark without last_entry_at: the hard bounce's time");
	fold_on(&a, &p, u5, 1);
	a.last_entry_at = NONE;
	CHECK(bounce_addr_watermark(&a) == T0 + 5, "watermark without last_entry_at: unsuppressed_at");
}

static void
test_keep_handouts(void)
{
	bounce_policy p = defaults();
	bounce_addr stored,
				fresh;
	bounce_retry *r;
	bounce_entry log1[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2")};
	bounce_entry log2[] = {dlv(T0 - HOUR, 1, "c1"), soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2")};
	bounce_entry log3[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2"), soft(T0 + 2 * HOUR, 3, "c1"),
	dlv(T0 - HOUR, 1, NULL)};
	bounce_entry log4[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2"), soft(T0 - 2 * HOUR, 3, "c1")};

	p.soft_threshold = 10;
	arena_used = 0;
	stored = fold_new(&p, log1, 2);
	r = (bounce_retry *) retry_of(&stored, "c1");
	r->handed_out_at = T0 + DAY;	/* as bounce.due_retries() does */

	/* refold with an older entry (a delivery of c1 before the failure) */
	fresh = fold_new(&p, log2, 3);
	CHECK(retry_of(&fresh, "c1") != NULL && retry_of(&fresh, "c1")->handed_out_at == NONE,
		  "a refold arms every retry");
	bounce_policy_keep_handouts(&fresh, &stored);
	CHECK(retry_of(&fresh, "c1")->handed_out_at == T0 + DAY,
		  "keep_handouts: handed out retry kept (no newer failure)");
	CHECK(retry_of(&fresh, "c2")->handed_out_at == NONE,
		  "keep_handouts: a retry not handed out stays armed");

	/* an older failure of c1 came: one more attempt, the same last failure */
	fresh = fold_new(&p, log4, 3);
	bounce_policy_keep_handouts(&fresh, &stored);
	CHECK(retry_of(&fresh, "c1")->attempts == 2 && retry_of(&fresh, "c1")->handed_out_at == T0 + DAY,
		  "keep_handouts: an older failure does not re-arm it (2 attempts, handed out)");

	/* a newer failure of c1 came with the refold */
	fresh = fold_new(&p, log3, 4);
	bounce_policy_keep_handouts(&fresh, &stored);
	CHECK(retry_of(&fresh, "c1")->handed_out_at == NONE &&
		  retry_of(&fresh, "c1")->last_bounce_at == T0 + 2 * HOUR,
		  "keep_handouts: a newer failure re-arms it (dropped)");
	CHECK(!bounce_addr_equal(&fresh, &stored, false), "the newer failure changed the state");
}

static void
test_no_memory(void)
{
	bounce_policy p = defaults();
	bounce_addr a,
				ok;
	failing_ctx fc;
	bounce_allocator al = {failing_alloc, &fc};
	size_t		failed;
	bounce_fold_status st;
	int			k;
	int			ok_from = -1;
	int			bad = 0;
	bounce_entry nomem[] = {dlv(T0, 1, "c1"), hard(T0 + 1, 2), sup(T0 + 2, 1, "a note"),
		uns(T0 + 3, 2), bnc(T0 + 4, 3, "c1", HARD, R(CONTENTERROR)), sup(T0 + 5, 3, NULL),
	soft(T0 + 6, 4, "c1")};
	bounce_entry firstretry[] = {dlv(T0, 1, "c1"), bnc(T0 + 1, 2, "c1", HARD, R(CONTENTERROR)),
	uns(T0 + 2, 1), soft(T0 + 3, 3, "c1")};
	bounce_entry hist[] = {soft(T0, 1, "c1"), soft(T0 + 1, 2, "c2"), soft(T0 + 2, 3, NULL),
		dlv(T0 + 3, 1, "c1"), soft(T0 + 4, 4, "c3"), soft(T0 + 5, 5, "c4"), sup(T0 + 6, 1, NULL),
		uns(T0 + 7, 2), soft(T0 + 8, 6, "c5"), soft(T0 + 9, 7, "c6"), soft(T0 + 10, 8, "c7"),
		soft(T0 + 11, 9, "c8"), soft(T0 + 12, 10, "c9"), soft(T0 + 13, 11, "c10"),
	soft(T0 + 14, 12, NULL), soft(T0 + 15, 13, "c11")};

	/* only the retries and campaigns arrays come from the allocator */
	arena_used = 0;
	fc.left = 1;				/* the campaigns array, once */
	fc.calls = 0;
	failed = 99;
	bounce_addr_init(&a);
	st = bounce_policy_fold(&a, nomem, 6, &p, &al, &failed);
	CHECK(st == BOUNCE_FOLD_OK && fc.calls == 1,
		  "deliveries, hard bounces, alerts, suppress and unsuppress need only the campaigns array (%d)",
		  fc.calls);
	CHECK(a.state == BOUNCE_ADDR_SUPPRESSED && str_is(why(&a), "manual: manual") &&
		  a.ncampaigns == 2, "with it the state is whole (\"%s\", %zu campaigns)", why(&a), a.ncampaigns);
	fc.left = 0;
	failed = 99;
	bounce_addr_init(&a);
	CHECK(bounce_policy_fold(&a, nomem, 6, &p, &al, &failed) == BOUNCE_FOLD_NO_MEMORY && failed == 0,
		  "no memory for the campaigns: NO_MEMORY at the first delivery (0, got %zu)", failed);
	fc.left = 0;
	failed = 99;
	bounce_addr_init(&a);
	CHECK(bounce_policy_fold(&a, nomem + 2, 2, &p, &al, &failed) == BOUNCE_FOLD_OK,
		  "manual changes need no memory");
	bounce_addr_init(&a);
	fc.left = 1;
	failed = 99;
	CHECK(bounce_policy_fold(&a, firstretry, 4, &p, &al, &failed) == BOUNCE_FOLD_NO_MEMORY &&
		  failed == 3, "no memory for the first retry: NO_MEMORY at its entry (3, got %zu)", failed);

	/* an allocator failing after k calls, for every k */
	p.soft_threshold = 30;
	p.monitor_after = 30;
	ok = fold_new(&p, hist, N(hist));
	CHECK(ok.state == BOUNCE_ADDR_ACTIVE && ok.consecutive_soft == 8 && ok.nretries == 8,
		  "failing allocator: the history ends active, streak 8, 8 retries (%d, %zu)",
		  (int) ok.consecutive_soft, ok.nretries);
	for (k = 0; k < 64; k++)
	{
		fc.left = k;
		fc.calls = 0;
		failed = 99;
		bounce_addr_init(&a);
		st = bounce_policy_fold(&a, hist, N(hist), &p, &al, &failed);
		if (st == BOUNCE_FOLD_OK)
		{
			if (ok_from < 0)
				ok_from = k;
			if (!bounce_addr_equal(&a, &ok, true))
				bad++;
		}
		else if (st != BOUNCE_FOLD_NO_MEMORY || failed >= N(hist) || ok_from >= 0 ||
				 (hist[failed].kind != BOUNCE_ENTRY_BOUNCE && hist[failed].kind != BOUNCE_ENTRY_DELIVERY))
			bad++;
	}
	CHECK(ok_from > 0 && bad == 0,
		  "allocator failing after k calls: NO_MEMORY at a bounce or delivery, then from k = %d the same state",
		  ok_from);
}

static void
test_equal(void)
{
	bounce_policy p = defaults();
	bounce_addr x,
				y;
	bounce_retry tmp;
	bounce_entry e[] = {soft(T0, 1, "c1"), soft(T0 + HOUR, 2, "c2")};
	bounce_entry h[] = {hard(T0, 1)};
	bounce_entry m[] = {sup(T0, 1, "gone")};

	arena_used = 0;
	x = fold_new(&p, e, 2);
	y = fold_new(&p, e, 2);
	CHECK(bounce_addr_equal(&x, &y, true) && bounce_addr_equal(&x, &x, true),
		  "equal: two folds of one history");
	CHECK(y.nretries == 2, "equal: two retries to swap");
	tmp = y.retries[0];
	y.retries[0] = y.retries[1];
	y.retries[1] = tmp;
	CHECK(bounce_addr_equal(&x, &y, true), "equal: retries compared as a set");
	y.retries[0].handed_out_at = T0 + DAY;
	CHECK(bounce_addr_equal(&x, &y, false) && !bounce_addr_equal(&x, &y, true),
		  "equal: handed_out_at compared only with_handouts");
	y.retries[0].handed_out_at = NONE;
	y.retries[1].attempts++;
	CHECK(!bounce_addr_equal(&x, &y, false), "equal: a retry's attempts differ");
	y.retries[1].attempts--;
	y.retries[1].changed = !y.retries[1].changed;
	y.retries_removed = !y.retries_removed;
	CHECK(bounce_addr_equal(&x, &y, true), "equal: the write flags do not count");
	y.nretries = 1;
	CHECK(!bounce_addr_equal(&x, &y, false) && !bounce_addr_equal(&y, &x, false),
		  "equal: a retry missing");
	y.nretries = 2;
	y.consecutive_soft = 3;
	CHECK(!bounce_addr_equal(&x, &y, false), "equal: the streak differs");
	y.consecutive_soft = x.consecutive_soft;
	y.last_soft_campaign = NULL;
	CHECK(!bounce_addr_equal(&x, &y, false), "equal: last_soft_campaign NULL vs \"c2\"");

	x = fold_new(&p, h, 1);
	y = fold_new(&p, h, 1);
	CHECK(bounce_addr_equal(&x, &y, true), "equal: the same reason");
	y.suppressed_reason[0] = 'H';
	CHECK(!bounce_addr_equal(&x, &y, true), "equal: another reason text differs");
	y.suppressed_reason[0] = '\0';
	CHECK(!bounce_addr_equal(&x, &y, true), "equal: a reason vs none");
	y = x;
	y.suppressed_event = 2;
	CHECK(!bounce_addr_equal(&x, &y, true), "equal: the suppressing event differs");
	y = x;
	y.unsuppressed_at = T0;
	CHECK(!bounce_addr_equal(&x, &y, true), "equal: unsuppressed_at differs");
	y = x;
	y.last_entry_at = T0 + 1;
	CHECK(!bounce_addr_equal(&x, &y, true), "equal: last_entry_at differs");

	/* "manual: " + note "gone" is the same text as "manual: gone" without a note */
	x = fold_new(&p, m, 1);
	y = x;
	strcpy(y.suppressed_reason, "manual: gone");
	y.suppressed_note = NULL;
	CHECK(bounce_addr_equal(&x, &y, true) && bounce_addr_equal(&y, &x, true),
		  "equal: a reason compared as text, however split between text and note");
	strcpy(y.suppressed_reason, "manual: go");
	CHECK(!bounce_addr_equal(&x, &y, true) && !bounce_addr_equal(&y, &x, true),
		  "equal: a shorter reason differs");
}

/* Run the group. */
void
run_policy_tests(void)
{
	test_defaults();
	test_hard_bounce();
	test_hard_drops_retries();
	test_streak();
	test_monitor_after();
	test_promotion_by_attempts();
	test_reset_window();
	test_backoff();
	test_time_range();
	test_delivery();
	test_manual();
	test_manual_over_promotion();
	test_promotion_keeps_retries();
	test_counts_after_suppression();
	test_alert_ignore();
	test_class_none_suppress();
	test_ties();
	test_late();
	test_keep_handouts();
	test_no_memory();
	test_equal();
}
