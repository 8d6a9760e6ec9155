/*
 * fuzz_policy.c - libFuzzer harness of the per-address policy state machine
 * (src/core/policy.c).
 *
 * An input is decoded into a policy (thresholds 1..5, small windows and
 * delays, some rules changed), the history of one address (1..64 bounces,
 * deliveries, suppresses and unsuppresses, a few campaigns and none, times
 * from a small range so that ties happen, ids distinct per kind), a split
 * of that history into statements, their order of arrival, and retries
 * handed out to workers between statements.  Properties:
 *
 *   a. REFERENCE: folding the whole history, sorted, gives what a naive
 *      model written from policy.h's comment gives (below: ref_fold; it
 *      calls nothing of policy.c), every field, retries as a set, the
 *      suppression's text; or the same error at the same entry.
 *   b. SPLIT/ORDER: the statements processed in their order of arrival as
 *      the glue does (fold a statement onto the state, or when it is late
 *      fold the whole log so far again and keep the handouts; a statement
 *      whose fold fails is rolled back) end in the state of the whole
 *      accepted log folded at once.
 *   c. HANDOUTS: a refold caused by entries older than a handed-out
 *      retry's last failure keeps it handed out, and brings back armed no
 *      retry handed out before and gone since (but for good: see
 *      retire_handouts); every retry is due after
 *      its last failure; next_retry_at is the earliest retry (NONE when
 *      suppressed or without retries).
 *   Also: an allocator that fails after k calls gives NO_MEMORY at a bounce
 *   or a delivery (a new retry or campaign), or the very state of a good
 *   allocator.
 *
 * Input layout (missing bytes read as 0):
 *   0 soft_threshold  1 monitor_after  2 retry_count  3 reset_window
 *   4 backoff_base  5 backoff_cap - backoff_base  6 time offset (0, -2^60,
 *   INT64_MAX - 200)  7 time_max (odd: INT64_MAX, else offset + 8..71)
 *   8 rule changes k (k % 8), then 4 bytes each: reason and class, action,
 *     retry_after, retry_max
 *   then the entry count n (1 + b % 64), then 3 bytes per entry: kind,
 *     campaign and note; time; reason and class
 *   then ceil((n - 1) / 8) bytes: bit i-1 set = entry i starts a statement
 *   then one byte per statement but the first: the arrival order
 *     (Fisher-Yates), then one byte per statement: a hand-out before it
 *     (bit 0: hand out; bits 1-5: at offset + 0..31; bit 6: only one)
 *   then one byte: bit 0 = run the failing allocator, bits 1-4: k.
 */
#include "policy.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NONE BOUNCE_TIME_NONE
#define MAX_ENTRIES 64

/* ---- memory: a bump allocator over a static buffer, reset per input ---- */

/* aligned for any of the state's types (C99: no _Alignas) */
static union
{
	long double ld;
	int64_t		i;
	void	   *p;
	unsigned char bytes[4 << 20];
}			heap_mem;
static unsigned char *const heap = heap_mem.bytes;
static size_t heap_used;

static void *
bump(void *ctx, size_t size)
{
	size_t		n = (size + 15) & ~(size_t) 15;
	void	   *p;

	(void) ctx;
	if (n > sizeof(heap_mem.bytes) - heap_used)
		return NULL;
	p = heap + heap_used;
	heap_used += n;
	return p;
}

static const bounce_allocator bump_al = {bump, NULL};

/* Fails after 'left' calls. */
static void *
limited(void *ctx, size_t size)
{
	int		   *left = ctx;

	if (*left <= 0)
		return NULL;
	(*left)--;
	return bump(NULL, size);
}

/* ---- input ---- */

typedef struct reader
{
	const uint8_t *p;
	size_t		n;
	size_t		i;
} reader;

static unsigned
next_byte(reader *r)
{
	return r->i < r->n ? r->p[r->i++] : 0;
}

static const bounce_reason reasons[8] = {
	BOUNCE_REASON_USERUNKNOWN, BOUNCE_REASON_MAILBOXFULL, BOUNCE_REASON_GREYLISTING,
	BOUNCE_REASON_TOOMANYCONN, BOUNCE_REASON_BLOCKED, BOUNCE_REASON_CONTENTERROR,
	BOUNCE_REASON_FEEDBACK, BOUNCE_REASON_VACATION
};

static const char *const campaigns[4] = {NULL, "a", "b", "c"};

#define LONG_NOTE \
	"a note longer than any reason buffer: the customer wrote twice to ask " \
	"that no more mail be sent to this address, and the support team, after " \
	"checking the ticket history and the unsubscribe log, confirmed it by hand"

static const char *const notes[4] = {NULL, "stop", "", LONG_NOTE};

/* ---- printing ---- */

static const char *
kind_name(bounce_entry_kind k)
{
	switch (k)
	{
		case BOUNCE_ENTRY_BOUNCE:
			return "bounce";
		case BOUNCE_ENTRY_DELIVERY:
			return "delivery";
		case BOUNCE_ENTRY_SUPPRESS:
			return "suppress";
		case BOUNCE_ENTRY_UNSUPPRESS:
			return "unsuppress";
	}
	return "?";
}

static bounce_time time_offset;

static long long
rel(bounce_time t)
{
	return t == NONE ? -999 : (long long) (t - time_offset);
}

static void
print_entries(const char *what, const bounce_entry *e, size_t n)
{
	size_t		i;

	fprintf(stderr, "%s (%zu entries, times relative to the offset):\n", what, n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "  [%zu] %s at %lld id %lld campaign %s%s%s\n", i, kind_name(e[i].kind),
				rel(e[i].at), (long long) e[i].id, e[i].campaign ? e[i].campaign : "(none)",
				e[i].kind == BOUNCE_ENTRY_BOUNCE ? " " : "",
				e[i].kind == BOUNCE_ENTRY_BOUNCE ?
				(e[i].cls == BOUNCE_CLASS_HARD ? "hard" : e[i].cls == BOUNCE_CLASS_SOFT ? "soft" : "none") : "");
}

static void
print_policy(const bounce_policy *p)
{
	size_t		i;
	int			c;

	fprintf(stderr, "policy: threshold %d monitor %d retries %d window %lld base %lld cap %lld time_max %lld\n",
			(int) p->soft_threshold, (int) p->monitor_after, (int) p->retry_count,
			(long long) p->reset_window, (long long) p->backoff_base, (long long) p->backoff_cap,
			p->time_max == INT64_MAX ? -1LL : rel(p->time_max));
	for (i = 0; i < 8; i++)
		for (c = 0; c < BOUNCE_NUM_CLASSES; c++)
		{
			const bounce_policy_rule *r = &p->rule[reasons[i]][c];

			fprintf(stderr, "  rule %s/%d: %s after %lld max %lld\n", bounce_reason_name(reasons[i]), c,
					bounce_action_name(r->action), (long long) r->retry_after, (long long) r->retry_max);
		}
}

static void
print_addr(const char *what, const bounce_addr *a)
{
	size_t		i;

	fprintf(stderr, "%s: state %d by %d streak %d soft %d hard %d first %lld last %lld last_soft %lld "
			"camp %s delivery %lld next %lld supp_at %lld reason \"%s%s\" event %s%lld promoted %lld "
			"unsupp %lld last_entry %lld\n",
			what, (int) a->state, (int) a->suppressed_by, (int) a->consecutive_soft,
			(int) a->soft_total, (int) a->hard_total, rel(a->first_bounce_at), rel(a->last_bounce_at),
			rel(a->last_soft_at), a->last_soft_campaign ? a->last_soft_campaign : "(none)",
			rel(a->last_delivery_at), rel(a->next_retry_at), rel(a->suppressed_at),
			a->suppressed_reason, a->suppressed_note ? a->suppressed_note : "",
			a->has_suppressed_event ? "" : "none/", (long long) a->suppressed_event,
			rel(a->promoted_at), rel(a->unsuppressed_at), rel(a->last_entry_at));
	for (i = 0; i < a->ncampaigns; i++)
		fprintf(stderr, "  campaign \"%s\" worst %d sender_side %d\n", a->campaigns[i].campaign,
				(int) a->campaigns[i].worst, (int) a->campaigns[i].sender_side);
	for (i = 0; i < a->nretries; i++)
		fprintf(stderr, "  retry \"%s\" reason %s attempts %d last %lld next %lld handed %lld\n",
				a->retries[i].campaign, bounce_reason_name(a->retries[i].reason),
				(int) a->retries[i].attempts, rel(a->retries[i].last_bounce_at),
				rel(a->retries[i].next_retry_at), rel(a->retries[i].handed_out_at));
}

/* The input being run, for the report of a failure. */
static const bounce_policy *cur_policy;
static const bounce_entry *cur_history;
static size_t cur_n;

static void
fail(const char *property, const char *detail)
{
	fprintf(stderr, "\n*** property %s violated: %s\n", property, detail);
	print_policy(cur_policy);
	print_entries("history", cur_history, cur_n);
	abort();
}

/* ---- the reference model, written from policy.h's comment ---- */

typedef struct ref_retry
{
	const char *campaign;		/* "" = none */
	bounce_reason reason;
	int			attempts;
	bounce_time last;
	bounce_time next;
} ref_retry;

typedef struct ref_campaign
{
	const char *campaign;		/* "" = none */
	bounce_class worst;
	int			sender_side;
} ref_campaign;

typedef struct ref_state
{
	bounce_addr_state state;
	bounce_suppressed_by by;
	int			streak;
	const char *streak_campaign;	/* campaign of the streak's last soft bounce, NULL = none */
	int			soft_total;
	int			hard_total;
	bounce_time first_bounce;
	bounce_time last_bounce;
	bounce_time last_soft;
	bounce_time last_delivery;
	bounce_time next_retry;
	bounce_time suppressed_at;
	char		reason[512];
	bool		has_event;
	int64_t		event;
	bounce_time promoted_at;
	bounce_time unsuppressed_at;
	bounce_time last_entry;
	ref_retry	retries[8];
	int			nretries;
	ref_campaign campaigns[8];
	int			ncampaigns;
} ref_state;

static void
ref_init(ref_state *s)
{
	memset(s, 0, sizeof(*s));
	s->state = BOUNCE_ADDR_ACTIVE;
	s->by = BOUNCE_BY_NONE;
	s->first_bounce = s->last_bounce = s->last_soft = s->last_delivery = NONE;
	s->next_retry = s->suppressed_at = s->promoted_at = s->unsuppressed_at = s->last_entry = NONE;
}

static bounce_time
max_time(bounce_time x, bounce_time y)
{
	if (x == NONE)
		return y;
	if (y == NONE)
		return x;
	return x > y ? x : y;
}

/* Suppressing: state, what did it, when, why. */
static void
ref_suppress(ref_state *s, const bounce_entry *e, bounce_suppressed_by by, const char *why)
{
	s->state = BOUNCE_ADDR_SUPPRESSED;
	s->by = by;
	s->suppressed_at = e->at;
	snprintf(s->reason, sizeof(s->reason), "%s", why);
	s->has_event = by != BOUNCE_BY_HAND;
	s->event = s->has_event ? e->id : 0;
	/* a promotion keeps the retries, idle; any other suppression drops them */
	if (by != BOUNCE_BY_PROMOTION)
		s->nretries = 0;
}

static void
ref_lift(ref_state *s)
{
	s->state = BOUNCE_ADDR_ACTIVE;
	s->by = BOUNCE_BY_NONE;
	s->suppressed_at = NONE;
	s->reason[0] = '\0';
	s->has_event = false;
	s->event = 0;
}

/* The rule's delay doubled per earlier attempt, capped; a cap below the first delay is the first delay. */
static int64_t
ref_delay(const bounce_policy *p, const bounce_policy_rule *rule, int attempts)
{
	int64_t		first = rule->retry_after > 0 ? rule->retry_after : p->backoff_base;
	int64_t		cap;
	int64_t		d = first;
	int			i;

	if (rule->retry_max > 0)
		cap = rule->retry_max;
	else
		cap = rule->retry_after > p->backoff_cap ? rule->retry_after : p->backoff_cap;
	if (cap < first)
		cap = first;
	for (i = 1; i < attempts && d < cap; i++)
		d *= 2;
	return d < cap ? d : cap;
}

static ref_retry *
ref_retry_of(ref_state *s, const char *key)
{
	int			i;

	for (i = 0; i < s->nretries; i++)
		if (strcmp(s->retries[i].campaign, key) == 0)
			return &s->retries[i];
	if (s->nretries == (int) (sizeof(s->retries) / sizeof(s->retries[0])))
		fail("reference", "more campaigns than the model holds");
	s->retries[s->nretries].campaign = key;
	s->retries[s->nretries].attempts = 0;
	s->retries[s->nretries].last = NONE;
	s->retries[s->nretries].next = NONE;
	return &s->retries[s->nretries++];
}

static bounce_fold_status
ref_fold(ref_state *s, const bounce_entry *es, size_t n, const bounce_policy *p, size_t *failed)
{
	size_t		k;
	int			i;
	char		why[512];

	for (k = 0; k < n; k++)
	{
		const bounce_entry *e = &es[k];
		const char *key = e->campaign ? e->campaign : "";

		s->last_entry = max_time(s->last_entry, e->at);
		/* the metrics: every bounce and delivery marks its campaign */
		if (e->kind == BOUNCE_ENTRY_BOUNCE || e->kind == BOUNCE_ENTRY_DELIVERY)
		{
			ref_campaign *c = NULL;

			for (i = 0; i < s->ncampaigns; i++)
				if (strcmp(s->campaigns[i].campaign, key) == 0)
					c = &s->campaigns[i];
			if (c == NULL)
			{
				if (s->ncampaigns == (int) (sizeof(s->campaigns) / sizeof(s->campaigns[0])))
					fail("reference", "more campaigns than the model holds");
				c = &s->campaigns[s->ncampaigns++];
				c->campaign = key;
				c->worst = BOUNCE_CLASS_NONE;
				c->sender_side = 0;
			}
			if (e->kind == BOUNCE_ENTRY_BOUNCE && e->cls > c->worst)
				c->worst = e->cls;
			if (e->kind == BOUNCE_ENTRY_BOUNCE && e->cls != BOUNCE_CLASS_NONE &&
				bounce_reason_is_sender_side(e->reason))
				c->sender_side++;
		}
		if (e->kind == BOUNCE_ENTRY_BOUNCE)
		{
			const bounce_policy_rule *rule = &p->rule[e->reason][e->cls];

			if (e->cls == BOUNCE_CLASS_SOFT)
				s->soft_total++;
			if (e->cls == BOUNCE_CLASS_HARD)
				s->hard_total++;
			if (e->cls != BOUNCE_CLASS_NONE)
			{
				if (s->first_bounce == NONE || e->at < s->first_bounce)
					s->first_bounce = e->at;
				s->last_bounce = max_time(s->last_bounce, e->at);
			}
			/* a promotion: as if not suppressed, but a suppress replaces it for good */
			bool		open = s->state != BOUNCE_ADDR_SUPPRESSED || s->by == BOUNCE_BY_PROMOTION;

			if (rule->action == BOUNCE_ACTION_SUPPRESS && open)
			{
				snprintf(why, sizeof(why), "%s: %s",
						 e->cls == BOUNCE_CLASS_HARD ? "hard bounce" :
						 e->cls == BOUNCE_CLASS_SOFT ? "soft bounce" : "report",
						 bounce_reason_name(e->reason));
				ref_suppress(s, e, BOUNCE_BY_EVENT, why);
			}
			else if (rule->action == BOUNCE_ACTION_RETRY && open)
			{
				ref_retry  *r;
				bool		same_campaign;

				/* the streak starts over when the last soft bounce is reset_window old */
				if (s->last_soft != NONE && e->at - s->last_soft >= p->reset_window)
				{
					s->streak = 0;
					s->streak_campaign = NULL;
				}
				/* one per campaign; without a campaign always one */
				same_campaign = e->campaign != NULL && s->streak_campaign != NULL &&
					strcmp(e->campaign, s->streak_campaign) == 0;
				if (!same_campaign)
					s->streak++;
				s->last_soft = e->at;
				s->streak_campaign = e->campaign;

				r = ref_retry_of(s, key);
				if (r->last != NONE && e->at - r->last >= p->reset_window)
					r->attempts = 0;
				r->attempts++;
				r->last = e->at;
				r->reason = e->reason;
				r->next = e->at + ref_delay(p, rule, r->attempts);
				if (r->next > p->time_max)
				{
					*failed = k;
					return BOUNCE_FOLD_TIME_RANGE;
				}
				if (s->state == BOUNCE_ADDR_SUPPRESSED)
					;			/* promoted already: the promotion stays as it is */
				else if (s->streak >= p->soft_threshold || r->attempts >= p->retry_count)
				{
					if (s->streak >= p->soft_threshold)
						snprintf(why, sizeof(why), "promoted: %d consecutive soft bounces (last: %s)",
								 s->streak, bounce_reason_name(e->reason));
					else
						snprintf(why, sizeof(why), "promoted: %d failed attempts (last: %s)",
								 r->attempts, bounce_reason_name(e->reason));
					s->promoted_at = e->at;
					ref_suppress(s, e, BOUNCE_BY_PROMOTION, why);
				}
				else
					s->state = s->streak >= p->monitor_after ? BOUNCE_ADDR_MONITORED : BOUNCE_ADDR_ACTIVE;
			}
			/* alert, ignore, or suppressed already: counted only */
		}
		else if (e->kind == BOUNCE_ENTRY_DELIVERY)
		{
			s->last_delivery = max_time(s->last_delivery, e->at);
			s->streak = 0;
			s->streak_campaign = NULL;
			if (s->state == BOUNCE_ADDR_MONITORED)
				s->state = BOUNCE_ADDR_ACTIVE;
			if (s->state == BOUNCE_ADDR_SUPPRESSED && s->by == BOUNCE_BY_PROMOTION)
				ref_lift(s);
			for (i = 0; i < s->nretries; i++)
				if (strcmp(s->retries[i].campaign, key) == 0)
				{
					s->retries[i] = s->retries[--s->nretries];
					break;
				}
		}
		else if (e->kind == BOUNCE_ENTRY_SUPPRESS)
		{
			if (s->state != BOUNCE_ADDR_SUPPRESSED || s->by == BOUNCE_BY_PROMOTION)
			{
				snprintf(why, sizeof(why), "manual: %s", e->note ? e->note : "manual");
				ref_suppress(s, e, BOUNCE_BY_HAND, why);
			}
		}
		else
		{
			ref_lift(s);
			s->streak = 0;
			s->streak_campaign = NULL;
			s->nretries = 0;	/* earlier bounces no longer count */
			s->unsuppressed_at = max_time(s->unsuppressed_at, e->at);
		}
	}
	s->next_retry = NONE;
	if (s->state != BOUNCE_ADDR_SUPPRESSED)
		for (i = 0; i < s->nretries; i++)
			if (s->next_retry == NONE || s->retries[i].next < s->next_retry)
				s->next_retry = s->retries[i].next;
	return BOUNCE_FOLD_OK;
}

static void
print_ref(const ref_state *s)
{
	int			i;

	fprintf(stderr, "reference: state %d by %d streak %d soft %d hard %d first %lld last %lld last_soft %lld "
			"camp %s delivery %lld next %lld supp_at %lld reason \"%s\" event %s%lld promoted %lld "
			"unsupp %lld last_entry %lld\n",
			(int) s->state, (int) s->by, s->streak, s->soft_total, s->hard_total,
			rel(s->first_bounce), rel(s->last_bounce), rel(s->last_soft),
			s->streak_campaign ? s->streak_campaign : "(none)", rel(s->last_delivery),
			rel(s->next_retry), rel(s->suppressed_at), s->reason, s->has_event ? "" : "none/",
			(long long) s->event, rel(s->promoted_at), rel(s->unsuppressed_at), rel(s->last_entry));
	for (i = 0; i < s->nretries; i++)
		fprintf(stderr, "  retry \"%s\" reason %s attempts %d last %lld next %lld\n",
				s->retries[i].campaign, bounce_reason_name(s->retries[i].reason),
				s->retries[i].attempts, rel(s->retries[i].last), rel(s->retries[i].next));
}

static bool
same_str(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return strcmp(x, y) == 0;
}

/* The first field where the fold and the reference differ, or NULL. */
static const char *
ref_diff(const bounce_addr *a, const ref_state *s)
{
	char		text[1024];
	int			i;
	size_t		j;

	snprintf(text, sizeof(text), "%s%s", a->suppressed_reason, a->suppressed_note ? a->suppressed_note : "");
	if (a->state != s->state)
		return "state";
	if (a->suppressed_by != s->by)
		return "suppressed_by";
	if (a->consecutive_soft != s->streak)
		return "consecutive_soft";
	if (!same_str(a->last_soft_campaign, s->streak_campaign))
		return "last_soft_campaign";
	if (a->soft_total != s->soft_total)
		return "soft_total";
	if (a->hard_total != s->hard_total)
		return "hard_total";
	if (a->first_bounce_at != s->first_bounce)
		return "first_bounce_at";
	if (a->last_bounce_at != s->last_bounce)
		return "last_bounce_at";
	if (a->last_soft_at != s->last_soft)
		return "last_soft_at";
	if (a->last_delivery_at != s->last_delivery)
		return "last_delivery_at";
	if (a->next_retry_at != s->next_retry)
		return "next_retry_at";
	if (a->suppressed_at != s->suppressed_at)
		return "suppressed_at";
	if (strcmp(text, s->reason) != 0)
		return "suppressed_reason";
	if (a->has_suppressed_event != s->has_event || (s->has_event && a->suppressed_event != s->event))
		return "suppressed_event";
	if (a->promoted_at != s->promoted_at)
		return "promoted_at";
	if (a->unsuppressed_at != s->unsuppressed_at)
		return "unsuppressed_at";
	if (a->last_entry_at != s->last_entry)
		return "last_entry_at";
	if (a->ncampaigns != (size_t) s->ncampaigns)
		return "number of campaigns";
	for (i = 0; i < s->ncampaigns; i++)
	{
		for (j = 0; j < a->ncampaigns; j++)
			if (strcmp(a->campaigns[j].campaign, s->campaigns[i].campaign) == 0)
				break;
		if (j == a->ncampaigns)
			return "a campaign missing";
		if (a->campaigns[j].worst != s->campaigns[i].worst)
			return "campaign worst class";
		if (a->campaigns[j].sender_side != s->campaigns[i].sender_side)
			return "campaign sender-side failures";
	}
	if (a->nretries != (size_t) s->nretries)
		return "number of retries";
	for (i = 0; i < s->nretries; i++)
	{
		const ref_retry *r = &s->retries[i];

		for (j = 0; j < a->nretries; j++)
			if (strcmp(a->retries[j].campaign, r->campaign) == 0)
				break;
		if (j == a->nretries)
			return "a retry missing";
		if (a->retries[j].reason != r->reason)
			return "retry reason";
		if (a->retries[j].attempts != r->attempts)
			return "retry attempts";
		if (a->retries[j].last_bounce_at != r->last)
			return "retry last_bounce_at";
		if (a->retries[j].next_retry_at != r->next)
			return "retry next_retry_at";
		if (a->retries[j].handed_out_at != NONE)
			return "retry handed out after a fresh fold";
	}
	return NULL;
}

/* ---- helpers over the code under test ---- */

/* A copy of a state that a later fold of the original cannot change. */
static bool
deep_copy(bounce_addr *dst, const bounce_addr *src)
{
	*dst = *src;
	if (src->retries_cap > 0)
	{
		dst->retries = bump(NULL, src->retries_cap * sizeof(bounce_retry));
		if (dst->retries == NULL)
			return false;
		memcpy(dst->retries, src->retries, src->nretries * sizeof(bounce_retry));
	}
	/* the per-campaign array too: a fold that fails may have changed it in place */
	if (src->campaigns_cap > 0)
	{
		dst->campaigns = bump(NULL, src->campaigns_cap * sizeof(bounce_campaign_state));
		if (dst->campaigns == NULL)
			return false;
		memcpy(dst->campaigns, src->campaigns, src->ncampaigns * sizeof(bounce_campaign_state));
	}
	return true;
}

/* Fold the whole of e[0..n) (copied and sorted) into a fresh state. */
static bounce_fold_status
fold_all(bounce_addr *a, const bounce_entry *e, size_t n, const bounce_policy *p,
		 bounce_entry *sorted, size_t *failed)
{
	memcpy(sorted, e, n * sizeof(bounce_entry));
	bounce_entries_sort(sorted, n);
	bounce_addr_init(a);
	return bounce_policy_fold(a, sorted, n, p, &bump_al, failed);
}

/* c: retries due after their last failure, next_retry_at the earliest. */
static void
check_retries(const bounce_addr *a, const char *when)
{
	bounce_time min = NONE;
	size_t		i,
				j;

	for (i = 0; i < a->nretries; i++)
	{
		const bounce_retry *r = &a->retries[i];

		if (r->next_retry_at == NONE || r->last_bounce_at == NONE || r->next_retry_at <= r->last_bounce_at)
		{
			print_addr("state", a);
			fail("c (retry due after its failure)", when);
		}
		if (r->attempts < 1)
		{
			print_addr("state", a);
			fail("c (a retry has attempts)", when);
		}
		for (j = 0; j < i; j++)
			if (strcmp(a->retries[j].campaign, r->campaign) == 0)
			{
				print_addr("state", a);
				fail("c (one retry per campaign)", when);
			}
		if (min == NONE || r->next_retry_at < min)
			min = r->next_retry_at;
	}
	if (a->state == BOUNCE_ADDR_SUPPRESSED)
		min = NONE;
	if (a->next_retry_at != min)
	{
		print_addr("state", a);
		fail("c (next_retry_at is the earliest retry, none when suppressed)", when);
	}
	if (a->state == BOUNCE_ADDR_SUPPRESSED && a->suppressed_by != BOUNCE_BY_PROMOTION && a->nretries != 0)
	{
		print_addr("state", a);
		fail("c (a suppression other than a promotion drops the retries)", when);
	}
}

/* ---- the harness ---- */

static bounce_entry history[MAX_ENTRIES];
static bounce_entry sorted_history[MAX_ENTRIES];
static bounce_entry log_entries[MAX_ENTRIES];
static bounce_entry scratch[MAX_ENTRIES];
static bounce_entry stmt[MAX_ENTRIES];

static void
decode_policy(reader *in, bounce_policy *p)
{
	size_t		i;
	int			c;
	unsigned	k,
				b;

	bounce_policy_defaults(p);
	p->soft_threshold = 1 + (int32_t) (next_byte(in) % 5);
	p->monitor_after = 1 + (int32_t) (next_byte(in) % 5);
	p->retry_count = 1 + (int32_t) (next_byte(in) % 5);
	p->reset_window = 1 + (int64_t) (next_byte(in) % 12);
	p->backoff_base = 1 + (int64_t) (next_byte(in) % 4);
	p->backoff_cap = p->backoff_base + (int64_t) (next_byte(in) % 8);	/* CHECK cap >= base */
	b = next_byte(in) % 3;
	time_offset = b == 0 ? 0 : b == 1 ? -(INT64_C(1) << 60) : INT64_MAX - 200;
	b = next_byte(in);
	p->time_max = (b & 1) ? INT64_MAX : time_offset + 8 + (int64_t) ((b >> 1) % 64);

	/* small delays: the rules' own (greylisting, mailbox full) and the config's */
	for (i = 0; i < BOUNCE_NUM_REASONS; i++)
		for (c = 0; c < BOUNCE_NUM_CLASSES; c++)
			p->rule[i][c].retry_after = p->rule[i][c].retry_max = 0;
	p->rule[BOUNCE_REASON_GREYLISTING][BOUNCE_CLASS_SOFT].retry_after = 1;
	p->rule[BOUNCE_REASON_GREYLISTING][BOUNCE_CLASS_SOFT].retry_max = 3;
	p->rule[BOUNCE_REASON_MAILBOXFULL][BOUNCE_CLASS_SOFT].retry_after = 6;
	p->rule[BOUNCE_REASON_MAILBOXFULL][BOUNCE_CLASS_SOFT].retry_max = 6;

	k = next_byte(in) % 8;
	for (i = 0; i < k; i++)
	{
		unsigned	rc = next_byte(in);
		unsigned	act = next_byte(in);
		unsigned	after = next_byte(in);
		unsigned	max = next_byte(in);
		bounce_policy_rule *r = &p->rule[reasons[rc % 8]][(rc >> 3) % 3];

		r->action = (bounce_action) (act % 4);
		r->retry_after = (int64_t) (after % 5);
		/* reason_policy: CHECK (retry_max >= retry_after) when both are set */
		if (max % 3 == 0)
			r->retry_max = 0;
		else if (r->retry_after == 0)
			r->retry_max = 1 + (int64_t) ((max >> 2) % 8);
		else
			r->retry_max = r->retry_after + (int64_t) ((max >> 2) % 6);
	}
}

static size_t
decode_history(reader *in)
{
	size_t		n = 1 + next_byte(in) % MAX_ENTRIES;
	size_t		i;
	int64_t		count[5] = {0, 0, 0, 0, 0};

	for (i = 0; i < n; i++)
	{
		unsigned	a = next_byte(in);
		unsigned	t = next_byte(in);
		unsigned	rc = next_byte(in);
		bounce_entry *e = &history[i];
		unsigned	k = a % 8;

		memset(e, 0, sizeof(*e));
		e->kind = k < 4 ? BOUNCE_ENTRY_BOUNCE : k < 6 ? BOUNCE_ENTRY_DELIVERY :
			k == 6 ? BOUNCE_ENTRY_SUPPRESS : BOUNCE_ENTRY_UNSUPPRESS;
		e->campaign = campaigns[(a >> 3) % 4];
		if (e->kind == BOUNCE_ENTRY_SUPPRESS)
			e->note = notes[(a >> 5) % 4];
		if (e->kind != BOUNCE_ENTRY_BOUNCE && e->kind != BOUNCE_ENTRY_DELIVERY)
			e->campaign = NULL;
		e->at = time_offset + (int64_t) (t % 32);
		e->reason = reasons[rc % 8];
		e->cls = (bounce_class) ((rc >> 3) % 3);
		if (e->kind != BOUNCE_ENTRY_BOUNCE)
		{
			e->reason = BOUNCE_REASON_UNDEFINED;
			e->cls = BOUNCE_CLASS_NONE;
		}
		/* ids distinct per kind, not in the order of the entries */
		e->id = 1 + (count[e->kind]++ * 37) % MAX_ENTRIES;
	}
	return n;
}

/*
 * Every hand-out of the input: the retry's campaign and the failure it was
 * for.  It is followed while the retry is in the state, or idle under a
 * promotion; once the retry went for good (delivered, a suppression for
 * good, an unsuppress) it is not (see retire_handouts).
 */
typedef struct handout
{
	const char *campaign;
	bounce_time last_bounce_at;
	bool		live;
} handout;

static handout handouts[MAX_ENTRIES * 8];
static size_t nhandouts;

/* Hand out due retries at 'at', as bounce.due_retries() does (one, or all). */
static void
hand_out(bounce_addr *a, bounce_time at, bool only_one)
{
	size_t		i;

	if (a->state == BOUNCE_ADDR_SUPPRESSED)
		return;
	for (i = 0; i < a->nretries; i++)
		if (a->retries[i].handed_out_at == NONE && a->retries[i].next_retry_at <= at)
		{
			a->retries[i].handed_out_at = at;
			if (nhandouts < sizeof(handouts) / sizeof(handouts[0]))
			{
				handouts[nhandouts].campaign = a->retries[i].campaign;
				handouts[nhandouts].last_bounce_at = a->retries[i].last_bounce_at;
				handouts[nhandouts].live = true;
				nhandouts++;
			}
			if (only_one)
				return;
		}
}

/*
 * Stop following the hand-outs whose retry went for good.  (A suppression
 * for good that arrives late, dated before the failure, and then an
 * unsuppress dated between the two bring the failure back armed: nothing
 * in the state remembers the hand-out then.)
 */
static void
retire_handouts(const bounce_addr *a)
{
	size_t		i,
				j;

	if (a->state == BOUNCE_ADDR_SUPPRESSED && a->suppressed_by == BOUNCE_BY_PROMOTION)
		return;
	for (i = 0; i < nhandouts; i++)
	{
		if (!handouts[i].live)
			continue;
		for (j = 0; j < a->nretries; j++)
			if (strcmp(a->retries[j].campaign, handouts[i].campaign) == 0 &&
				a->retries[j].last_bounce_at >= handouts[i].last_bounce_at)
				break;
		if (j == a->nretries)
			handouts[i].live = false;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reader		in = {data, size, 0};
	bounce_policy p;
	size_t		n,
				i,
				j;
	size_t		start[MAX_ENTRIES + 1];
	size_t		order[MAX_ENTRIES];
	size_t		nstmt = 0;
	size_t		nlog = 0;
	size_t		failed = 0,
				rfailed = 0;
	bounce_fold_status st,
				rst;
	bounce_addr cur,
				full;
	ref_state	ref;
	const char *d;
	unsigned	b = 0;

	heap_used = 0;
	nhandouts = 0;
	decode_policy(&in, &p);
	n = decode_history(&in);
	cur_policy = &p;
	cur_history = history;
	cur_n = n;

	/* statements: start[s] .. start[s + 1] */
	start[nstmt++] = 0;
	for (i = 1; i < n; i++)
	{
		if ((i - 1) % 8 == 0)
			b = next_byte(&in);
		if ((b >> ((i - 1) % 8)) & 1)
			start[nstmt++] = i;
	}
	start[nstmt] = n;
	for (i = 0; i < nstmt; i++)
		order[i] = i;
	for (i = nstmt - 1; i > 0; i--)
	{
		size_t		k = next_byte(&in) % (i + 1);
		size_t		t = order[i];

		order[i] = order[k];
		order[k] = t;
	}

	/* a. the whole history against the reference */
	st = fold_all(&full, history, n, &p, sorted_history, &failed);
	ref_init(&ref);
	rst = ref_fold(&ref, sorted_history, n, &p, &rfailed);
	cur_history = sorted_history;
	if (st == BOUNCE_FOLD_NO_MEMORY)
		fail("a", "the bump allocator ran out");
	if (st != rst || (st != BOUNCE_FOLD_OK && failed != rfailed))
	{
		fprintf(stderr, "fold: status %d at %zu, reference: status %d at %zu\n", (int) st, failed,
				(int) rst, rfailed);
		fail("a (status)", "the fold and the reference disagree on the outcome");
	}
	if (st == BOUNCE_FOLD_OK && (d = ref_diff(&full, &ref)) != NULL)
	{
		print_addr("fold", &full);
		print_ref(&ref);
		fail("a (reference)", d);
	}
	if (st == BOUNCE_FOLD_OK)
		check_retries(&full, "the whole history");
	cur_history = history;

	/* b, c. statements in their order of arrival, as the glue folds them */
	bounce_addr_init(&cur);
	for (i = 0; i < nstmt; i++)
	{
		size_t		s = order[i];
		size_t		m = start[s + 1] - start[s];
		bounce_addr before;
		bool		late;
		char		when[64];

		b = next_byte(&in);
		if (b & 1)
			hand_out(&cur, time_offset + (int64_t) ((b >> 1) % 32), (b & 0x40) != 0);

		memcpy(stmt, &history[start[s]], m * sizeof(bounce_entry));
		bounce_entries_sort(stmt, m);
		for (j = 1; j < m; j++)
			if (bounce_entry_cmp(&stmt[j - 1], &stmt[j]) >= 0)
				fail("b", "bounce_entries_sort left a statement out of order");
		if (!deep_copy(&before, &cur))
			fail("b", "the bump allocator ran out");
		memcpy(&log_entries[nlog], stmt, m * sizeof(bounce_entry));
		nlog += m;
		snprintf(when, sizeof(when), "after statement %zu (arrival %zu)", s, i);

		late = bounce_policy_is_late(&cur, stmt, m);
		if (late)
		{
			bounce_addr fresh;

			st = fold_all(&fresh, log_entries, nlog, &p, scratch, &failed);
			if (st == BOUNCE_FOLD_OK)
			{
				bounce_policy_keep_handouts(&fresh, &cur);
				/* c: entries all older than a handed-out retry's failure keep it handed out */
				for (j = 0; j < cur.nretries; j++)
				{
					const bounce_retry *old = &cur.retries[j];
					size_t		x;
					bool		older = true;

					if (old->handed_out_at == NONE)
						continue;
					for (x = 0; x < m; x++)
						if (stmt[x].at >= old->last_bounce_at)
							older = false;
					if (!older)
						continue;
					for (x = 0; x < fresh.nretries; x++)
						if (strcmp(fresh.retries[x].campaign, old->campaign) == 0 &&
							fresh.retries[x].handed_out_at != old->handed_out_at)
						{
							print_addr("before", &cur);
							print_addr("after", &fresh);
							print_entries("late statement", stmt, m);
							fail("c (handouts)", "an older entry re-armed a handed-out retry");
						}
				}
				/*
				 * c: nor may a refold bring back armed a retry handed out
				 * before and gone from the state since (a promotion that the
				 * late entries undo): whatever retry of the campaign holds
				 * that failure or an older one stays handed out.
				 */
				for (j = 0; j < nhandouts; j++)
				{
					size_t		x;
					bool		older = handouts[j].live;

					for (x = 0; x < m; x++)
						if (stmt[x].at >= handouts[j].last_bounce_at)
							older = false;
					if (!older)
						continue;
					for (x = 0; x < fresh.nretries; x++)
						if (strcmp(fresh.retries[x].campaign, handouts[j].campaign) == 0 &&
							fresh.retries[x].last_bounce_at <= handouts[j].last_bounce_at &&
							fresh.retries[x].handed_out_at == NONE)
						{
							fprintf(stderr, "handed out: retry \"%s\" for the failure at %lld\n",
									handouts[j].campaign, rel(handouts[j].last_bounce_at));
							print_addr("before", &cur);
							print_addr("after", &fresh);
							print_entries("late statement", stmt, m);
							fail("c (handouts)", "a refold brought back armed a retry handed out before");
						}
				}
				cur = fresh;
			}
		}
		else
			st = bounce_policy_fold(&cur, stmt, m, &p, &bump_al, &failed);

		if (st == BOUNCE_FOLD_NO_MEMORY)
			fail("b", "the bump allocator ran out");
		if (st != BOUNCE_FOLD_OK)
		{
			/* the statement fails: its transaction rolls back */
			cur = before;
			nlog -= m;
			continue;
		}
		if (bounce_addr_watermark(&cur) < stmt[m - 1].at)
		{
			print_addr("state", &cur);
			fail("b (watermark)", "the watermark is before the statement's last entry");
		}
		check_retries(&cur, when);
		retire_handouts(&cur);
	}

	/* b. the accepted log folded at once gives the same state */
	st = fold_all(&full, log_entries, nlog, &p, scratch, &failed);
	if (st != BOUNCE_FOLD_OK)
	{
		print_entries("accepted log (sorted)", scratch, nlog);
		fail("b", "the accepted log does not fold");
	}
	if (!bounce_addr_equal(&cur, &full, false))
	{
		print_addr("statement by statement", &cur);
		print_addr("all at once", &full);
		print_entries("accepted log (sorted)", scratch, nlog);
		fail("b (split/order)", "the statements in their order of arrival end elsewhere");
	}
	ref_init(&ref);
	rst = ref_fold(&ref, scratch, nlog, &p, &rfailed);
	if (rst != BOUNCE_FOLD_OK || (d = ref_diff(&full, &ref)) != NULL)
	{
		print_addr("fold", &full);
		print_ref(&ref);
		print_entries("accepted log (sorted)", scratch, nlog);
		fail("a (reference, accepted log)", rst != BOUNCE_FOLD_OK ? "the reference fails" : d);
	}

	/* an allocator that fails after k calls */
	b = next_byte(&in);
	if (b & 1)
	{
		int			left = (int) ((b >> 1) % 16);
		bounce_allocator lim = {limited, &left};
		bounce_addr a;

		bounce_addr_init(&a);
		st = bounce_policy_fold(&a, scratch, nlog, &p, &lim, &failed);
		if (st == BOUNCE_FOLD_OK)
		{
			if (!bounce_addr_equal(&a, &full, true))
			{
				print_addr("limited allocator", &a);
				print_addr("bump allocator", &full);
				fail("allocator", "a fold that had memory enough differs");
			}
		}
		else if (st != BOUNCE_FOLD_NO_MEMORY || failed >= nlog ||
				 (scratch[failed].kind != BOUNCE_ENTRY_BOUNCE &&
				  scratch[failed].kind != BOUNCE_ENTRY_DELIVERY))
			fail("allocator", "a failing allocator gave another error or index");
	}
	return 0;
}
