/*
 * policy.c - the per-address policy state machine (see policy.h for the
 * rules).  Plain C over core types: unit-tested and fuzzed outside the
 * server against a reference model.
 */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USECS_PER_SEC_ INT64_C(1000000)

void
bounce_policy_defaults(bounce_policy *p)
{
	int			r,
				c;

	memset(p, 0, sizeof(*p));
	p->soft_threshold = 3;
	p->monitor_after = 2;
	p->retry_count = 5;
	p->reset_window = INT64_C(90) * 86400 * USECS_PER_SEC_;
	p->backoff_base = INT64_C(24) * 3600 * USECS_PER_SEC_;
	p->backoff_cap = INT64_C(72) * 3600 * USECS_PER_SEC_;
	p->time_max = INT64_MAX;
	for (r = 0; r < BOUNCE_NUM_REASONS; r++)
	{
		const bounce_policy_default *d = bounce_policy_for((bounce_reason) r);

		for (c = 0; c < BOUNCE_NUM_CLASSES; c++)
		{
			bounce_policy_rule *rule = &p->rule[r][c];
			int64_t		after = (int64_t) d->retry_after_s * USECS_PER_SEC_;
			int64_t		max = (int64_t) d->retry_max_s * USECS_PER_SEC_;

			rule->action = bounce_effective_action((bounce_class) c, d->action);
			rule->retry_after = after;
			rule->retry_max = max > after ? max : after;
		}
	}
}

void
bounce_addr_init(bounce_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->state = BOUNCE_ADDR_ACTIVE;
	a->suppressed_by = BOUNCE_BY_NONE;
	a->first_bounce_at = a->last_bounce_at = a->last_soft_at = BOUNCE_TIME_NONE;
	a->last_delivery_at = a->next_retry_at = a->suppressed_at = BOUNCE_TIME_NONE;
	a->promoted_at = a->unsuppressed_at = a->last_entry_at = BOUNCE_TIME_NONE;
}

static inline bounce_time
later(bounce_time x, bounce_time y)
{
	return x > y ? x : y;		/* NONE is the least value */
}

/*
 * The latest entry folded, last_entry_at.  An entry that changes nothing
 * when folded (a suppress or a complaint on a suppressed address) counts
 * too: an earlier entry folded after it (an unsuppress) would make it
 * count.  The other fields hold the times of entries that changed
 * something; they keep the watermark of a state that does not carry
 * last_entry_at (NONE) as good as they can.
 */
bounce_time
bounce_addr_watermark(const bounce_addr *a)
{
	bounce_time w = a->last_entry_at;

	w = later(w, a->last_bounce_at);
	w = later(w, a->last_soft_at);
	w = later(w, a->last_delivery_at);
	w = later(w, a->suppressed_at);
	w = later(w, a->unsuppressed_at);
	return w;
}

/*
 * An entry at the watermark's very time may belong before what is there
 * (a tie broken by kind and id): it counts as late, and the refold puts it
 * in its place.
 */
bool
bounce_policy_is_late(const bounce_addr *a, const bounce_entry *e, size_t n)
{
	bounce_time w = bounce_addr_watermark(a);

	return n > 0 && w != BOUNCE_TIME_NONE && e[0].at <= w;
}

int
bounce_entry_cmp(const void *x, const void *y)
{
	const bounce_entry *a = (const bounce_entry *) x;
	const bounce_entry *b = (const bounce_entry *) y;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}

void
bounce_entries_sort(bounce_entry *e, size_t n)
{
	size_t		i;

	/* statements usually come in time order: check before sorting */
	for (i = 1; i < n; i++)
		if (bounce_entry_cmp(&e[i - 1], &e[i]) > 0)
			break;
	if (i < n)
		qsort(e, n, sizeof(bounce_entry), bounce_entry_cmp);
}

int64_t
bounce_policy_retry_delay(const bounce_policy *p, const bounce_policy_rule *r, int32_t attempts)
{
	int64_t		base = (r && r->retry_after > 0) ? r->retry_after : p->backoff_base;
	int64_t		cap;
	int64_t		delay = base;
	int32_t		i;

	if (r && r->retry_max > 0)
		cap = r->retry_max;
	else if (r && r->retry_after > 0)
		cap = r->retry_after > p->backoff_cap ? r->retry_after : p->backoff_cap;
	else
		cap = p->backoff_cap;
	if (cap < base)
		cap = base;
	for (i = 1; i < attempts && delay < cap; i++)
		delay = delay > INT64_MAX / 2 ? INT64_MAX : delay * 2;
	return delay < cap ? delay : cap;
}

/*
 * True when 'to' is at least 'window' after 'from' (to >= from), without
 * the overflow of to - from over PostgreSQL's whole range of times.
 */
static inline bool
apart(bounce_time from, bounce_time to, int64_t window)
{
	return to >= from && (window <= 0 || (uint64_t) to - (uint64_t) from >= (uint64_t) window);
}

static inline void
saturating_inc(int32_t *v)
{
	if (*v < INT32_MAX)
		(*v)++;
}

/* The retry of a campaign, made (empty) when missing; NULL when out of memory. */
static bounce_retry *
retry_of(bounce_addr *a, const char *campaign, const bounce_allocator *al)
{
	size_t		i;
	bounce_retry *r;

	for (i = 0; i < a->nretries; i++)
		if (strcmp(a->retries[i].campaign, campaign) == 0)
			return &a->retries[i];
	if (a->nretries == a->retries_cap)
	{
		size_t		cap = a->retries_cap == 0 ? 4 : a->retries_cap * 2;
		bounce_retry *n = al->alloc(al->ctx, cap * sizeof(bounce_retry));

		if (n == NULL)
			return NULL;
		if (a->nretries > 0)
			memcpy(n, a->retries, a->nretries * sizeof(bounce_retry));
		a->retries = n;
		a->retries_cap = cap;
	}
	r = &a->retries[a->nretries];
	memset(r, 0, sizeof(*r));
	r->campaign = campaign;
	r->last_bounce_at = r->next_retry_at = r->handed_out_at = BOUNCE_TIME_NONE;
	a->nretries++;
	return r;
}

/* The campaign state of a campaign, made when missing; NULL when out of memory. */
static bounce_campaign_state *
campaign_of(bounce_addr *a, const char *campaign, const bounce_allocator *al)
{
	size_t		i;
	bounce_campaign_state *c;

	for (i = 0; i < a->ncampaigns; i++)
		if (strcmp(a->campaigns[i].campaign, campaign) == 0)
			return &a->campaigns[i];
	if (a->ncampaigns == a->campaigns_cap)
	{
		size_t		cap = a->campaigns_cap == 0 ? 4 : a->campaigns_cap * 2;
		bounce_campaign_state *n = al->alloc(al->ctx, cap * sizeof(bounce_campaign_state));

		if (n == NULL)
			return NULL;
		if (a->ncampaigns > 0)
			memcpy(n, a->campaigns, a->ncampaigns * sizeof(bounce_campaign_state));
		a->campaigns = n;
		a->campaigns_cap = cap;
	}
	c = &a->campaigns[a->ncampaigns++];
	memset(c, 0, sizeof(*c));
	c->campaign = campaign;
	c->worst = BOUNCE_CLASS_NONE;
	c->changed = true;
	return c;
}

/* An entry's mark on its campaign (metrics). */
static bool
mark_campaign(bounce_addr *a, const bounce_entry *e, const bounce_allocator *al)
{
	bounce_campaign_state *c = campaign_of(a, e->campaign ? e->campaign : "", al);

	if (c == NULL)
		return false;
	if (e->kind != BOUNCE_ENTRY_BOUNCE)
		return true;
	if (e->cls > c->worst)
	{
		c->worst = e->cls;
		c->changed = true;
	}
	if (e->cls != BOUNCE_CLASS_NONE && bounce_reason_is_sender_side(e->reason))
	{
		saturating_inc(&c->sender_side);
		c->changed = true;
	}
	return true;
}

/* Drop the retry at index i (the writer then rewrites the address's rows). */
static void
retry_remove(bounce_addr *a, size_t i)
{
	a->retries[i] = a->retries[a->nretries - 1];
	a->nretries--;
	a->retries_removed = true;
}

static void
suppress(bounce_addr *a, const bounce_entry *e, bounce_suppressed_by by, const char *why,
		 const char *note)
{
	a->state = BOUNCE_ADDR_SUPPRESSED;
	a->suppressed_by = by;
	a->suppressed_at = e->at;
	snprintf(a->suppressed_reason, sizeof(a->suppressed_reason), "%s", why);
	a->suppressed_note = note;
	a->has_suppressed_event = (by == BOUNCE_BY_EVENT || by == BOUNCE_BY_PROMOTION);
	a->suppressed_event = a->has_suppressed_event ? e->id : 0;

	/*
	 * A promotion keeps the retries, idle while it lasts: a delivery that
	 * lifts it finds them as they were, handed out or not, so a refold
	 * never brings back a retry that was handed out.  Any other
	 * suppression is for good: they go.
	 */
	if (by == BOUNCE_BY_PROMOTION)
		return;
	if (a->nretries > 0)
		a->retries_removed = true;
	a->nretries = 0;
}

static void
clear_suppression(bounce_addr *a)
{
	a->state = BOUNCE_ADDR_ACTIVE;
	a->suppressed_by = BOUNCE_BY_NONE;
	a->suppressed_at = BOUNCE_TIME_NONE;
	a->suppressed_reason[0] = '\0';
	a->suppressed_note = NULL;
	a->suppressed_event = 0;
	a->has_suppressed_event = false;
}

static void
end_streak(bounce_addr *a)
{
	a->consecutive_soft = 0;
	a->last_soft_campaign = NULL;
}

/* A soft bounce whose action is retry, on an address not suppressed. */
static bounce_fold_status
fold_retry(bounce_addr *a, const bounce_entry *e, const bounce_policy *p,
		   const bounce_policy_rule *rule, const bounce_allocator *al)
{
	const char *campaign = e->campaign ? e->campaign : "";
	bounce_retry *r;
	int64_t		delay;
	char		why[BOUNCE_REASON_TEXT_MAX];

	if (a->last_soft_at != BOUNCE_TIME_NONE && apart(a->last_soft_at, e->at, p->reset_window))
		end_streak(a);
	if (a->consecutive_soft == 0 || e->campaign == NULL || a->last_soft_campaign == NULL ||
		strcmp(e->campaign, a->last_soft_campaign) != 0)
		saturating_inc(&a->consecutive_soft);
	a->last_soft_at = later(a->last_soft_at, e->at);
	a->last_soft_campaign = e->campaign;

	r = retry_of(a, campaign, al);
	if (r == NULL)
		return BOUNCE_FOLD_NO_MEMORY;
	if (r->last_bounce_at != BOUNCE_TIME_NONE && apart(r->last_bounce_at, e->at, p->reset_window))
		r->attempts = 0;
	saturating_inc(&r->attempts);
	r->last_bounce_at = later(r->last_bounce_at, e->at);
	r->reason = e->reason;
	delay = bounce_policy_retry_delay(p, rule, r->attempts);
	/* e->at + delay > time_max, without overflow for times before the epoch */
	if (delay < 0 || e->at > p->time_max ||
		(uint64_t) delay > (uint64_t) p->time_max - (uint64_t) e->at)
		return BOUNCE_FOLD_TIME_RANGE;
	r->next_retry_at = e->at + delay;
	r->handed_out_at = BOUNCE_TIME_NONE;
	r->changed = true;

	/* promoted already: the bookkeeping goes on under it, the state stays */
	if (a->state == BOUNCE_ADDR_SUPPRESSED)
		return BOUNCE_FOLD_OK;
	if (a->consecutive_soft >= p->soft_threshold)
		snprintf(why, sizeof(why), "promoted: %d consecutive soft bounces (last: %s)",
				 (int) a->consecutive_soft, bounce_reason_name(e->reason));
	else if (r->attempts >= p->retry_count)
		snprintf(why, sizeof(why), "promoted: %d failed attempts (last: %s)",
				 (int) r->attempts, bounce_reason_name(e->reason));
	else
	{
		a->state = a->consecutive_soft >= p->monitor_after ?
			BOUNCE_ADDR_MONITORED : BOUNCE_ADDR_ACTIVE;
		return BOUNCE_FOLD_OK;
	}
	a->promoted_at = e->at;
	suppress(a, e, BOUNCE_BY_PROMOTION, why, NULL);
	return BOUNCE_FOLD_OK;
}

static bounce_fold_status
fold_bounce(bounce_addr *a, const bounce_entry *e, const bounce_policy *p,
			const bounce_allocator *al)
{
	const bounce_policy_rule *rule;
	char		why[BOUNCE_REASON_TEXT_MAX];

	if ((unsigned) e->reason >= BOUNCE_NUM_REASONS || (unsigned) e->cls >= BOUNCE_NUM_CLASSES)
		return BOUNCE_FOLD_OK;	/* the glue maps every enum value; defensive */
	rule = &p->rule[e->reason][e->cls];
	if (e->cls == BOUNCE_CLASS_SOFT)
		saturating_inc(&a->soft_total);
	else if (e->cls == BOUNCE_CLASS_HARD)
		saturating_inc(&a->hard_total);
	if (e->cls != BOUNCE_CLASS_NONE)
	{
		if (a->first_bounce_at == BOUNCE_TIME_NONE || e->at < a->first_bounce_at)
			a->first_bounce_at = e->at;
		a->last_bounce_at = later(a->last_bounce_at, e->at);
	}

	switch (rule->action)
	{
		case BOUNCE_ACTION_SUPPRESS:
			/* over a promotion (which a delivery could lift) it is for good */
			if (a->state == BOUNCE_ADDR_SUPPRESSED && a->suppressed_by != BOUNCE_BY_PROMOTION)
				return BOUNCE_FOLD_OK;
			snprintf(why, sizeof(why), "%s: %s",
					 e->cls == BOUNCE_CLASS_HARD ? "hard bounce" :
					 e->cls == BOUNCE_CLASS_SOFT ? "soft bounce" : "report",
					 bounce_reason_name(e->reason));
			suppress(a, e, BOUNCE_BY_EVENT, why, NULL);
			return BOUNCE_FOLD_OK;
		case BOUNCE_ACTION_RETRY:
			if (a->state == BOUNCE_ADDR_SUPPRESSED && a->suppressed_by != BOUNCE_BY_PROMOTION)
				return BOUNCE_FOLD_OK;
			return fold_retry(a, e, p, rule, al);
		case BOUNCE_ACTION_ALERT:
		case BOUNCE_ACTION_IGNORE:
			break;
	}
	return BOUNCE_FOLD_OK;
}

static void
fold_delivery(bounce_addr *a, const bounce_entry *e)
{
	const char *campaign = e->campaign ? e->campaign : "";
	size_t		i;

	a->last_delivery_at = later(a->last_delivery_at, e->at);
	end_streak(a);
	if (a->state == BOUNCE_ADDR_MONITORED)
		a->state = BOUNCE_ADDR_ACTIVE;
	else if (a->state == BOUNCE_ADDR_SUPPRESSED && a->suppressed_by == BOUNCE_BY_PROMOTION)
		clear_suppression(a);
	for (i = 0; i < a->nretries; i++)
		if (strcmp(a->retries[i].campaign, campaign) == 0)
		{
			retry_remove(a, i);
			break;
		}
}

static void
fold_manual(bounce_addr *a, const bounce_entry *e)
{
	if (e->kind == BOUNCE_ENTRY_UNSUPPRESS)
	{
		clear_suppression(a);
		end_streak(a);
		/* earlier bounces no longer count: a promotion's idle retries go */
		if (a->nretries > 0)
			a->retries_removed = true;
		a->nretries = 0;
		a->unsuppressed_at = later(a->unsuppressed_at, e->at);
		return;
	}
	if (a->state == BOUNCE_ADDR_SUPPRESSED && a->suppressed_by != BOUNCE_BY_PROMOTION)
		return;
	suppress(a, e, BOUNCE_BY_HAND, "manual: ", e->note ? e->note : "manual");
}

bounce_fold_status
bounce_policy_fold(bounce_addr *a, const bounce_entry *e, size_t n,
				   const bounce_policy *p, const bounce_allocator *al, size_t *failed)
{
	size_t		k;
	size_t		i;

	for (k = 0; k < n; k++)
	{
		bounce_fold_status st = BOUNCE_FOLD_OK;

		a->last_entry_at = later(a->last_entry_at, e[k].at);
		if ((e[k].kind == BOUNCE_ENTRY_BOUNCE || e[k].kind == BOUNCE_ENTRY_DELIVERY) &&
			!mark_campaign(a, &e[k], al))
		{
			if (failed)
				*failed = k;
			return BOUNCE_FOLD_NO_MEMORY;
		}
		switch (e[k].kind)
		{
			case BOUNCE_ENTRY_BOUNCE:
				st = fold_bounce(a, &e[k], p, al);
				break;
			case BOUNCE_ENTRY_DELIVERY:
				fold_delivery(a, &e[k]);
				break;
			case BOUNCE_ENTRY_SUPPRESS:
			case BOUNCE_ENTRY_UNSUPPRESS:
				fold_manual(a, &e[k]);
				break;
		}
		if (st != BOUNCE_FOLD_OK)
		{
			if (failed)
				*failed = k;
			return st;
		}
	}

	a->next_retry_at = BOUNCE_TIME_NONE;
	if (a->state != BOUNCE_ADDR_SUPPRESSED)
		for (i = 0; i < a->nretries; i++)
			if (a->next_retry_at == BOUNCE_TIME_NONE ||
				a->retries[i].next_retry_at < a->next_retry_at)
				a->next_retry_at = a->retries[i].next_retry_at;
	return BOUNCE_FOLD_OK;
}

void
bounce_policy_keep_handouts(bounce_addr *a, const bounce_addr *stored)
{
	size_t		i,
				j;

	for (i = 0; i < a->nretries; i++)
		for (j = 0; j < stored->nretries; j++)
		{
			const bounce_retry *s = &stored->retries[j];
			bounce_retry *r = &a->retries[i];

			if (strcmp(r->campaign, s->campaign) != 0)
				continue;
			if (s->handed_out_at != BOUNCE_TIME_NONE && r->last_bounce_at <= s->last_bounce_at)
				r->handed_out_at = s->handed_out_at;
			break;
		}
}

static bool
str_eq(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return strcmp(x, y) == 0;
}

/* The i-th byte of a state's reason (why + note), '\0' past its end. */
static char
reason_byte(const bounce_addr *a, size_t i, size_t why_len)
{
	if (i < why_len)
		return a->suppressed_reason[i];
	if (a->suppressed_note == NULL)
		return '\0';
	return a->suppressed_note[i - why_len];
}

/* Same reason text, however it is split between buffer and note. */
static bool
reason_eq(const bounce_addr *x, const bounce_addr *y)
{
	size_t		xl = strlen(x->suppressed_reason);
	size_t		yl = strlen(y->suppressed_reason);
	size_t		i;

	for (i = 0;; i++)
	{
		char		c = reason_byte(x, i, xl);

		if (c != reason_byte(y, i, yl))
			return false;
		if (c == '\0')
			return true;
	}
}

static bool
campaigns_eq(const bounce_addr *x, const bounce_addr *y)
{
	size_t		i,
				j;

	if (x->ncampaigns != y->ncampaigns)
		return false;
	for (i = 0; i < x->ncampaigns; i++)
	{
		for (j = 0; j < y->ncampaigns; j++)
			if (strcmp(x->campaigns[i].campaign, y->campaigns[j].campaign) == 0)
				break;
		if (j == y->ncampaigns || x->campaigns[i].worst != y->campaigns[j].worst ||
			x->campaigns[i].sender_side != y->campaigns[j].sender_side)
			return false;
	}
	return true;
}

static bool
retry_eq(const bounce_retry *x, const bounce_retry *y, bool with_handouts)
{
	return strcmp(x->campaign, y->campaign) == 0 && x->reason == y->reason &&
		x->attempts == y->attempts && x->last_bounce_at == y->last_bounce_at &&
		x->next_retry_at == y->next_retry_at &&
		(!with_handouts || x->handed_out_at == y->handed_out_at);
}

bool
bounce_addr_equal(const bounce_addr *x, const bounce_addr *y, bool with_handouts)
{
	size_t		i,
				j;

	if (x->state != y->state || x->suppressed_by != y->suppressed_by ||
		x->consecutive_soft != y->consecutive_soft || x->soft_total != y->soft_total ||
		x->hard_total != y->hard_total || x->first_bounce_at != y->first_bounce_at ||
		x->last_bounce_at != y->last_bounce_at || x->last_soft_at != y->last_soft_at ||
		!str_eq(x->last_soft_campaign, y->last_soft_campaign) ||
		x->last_delivery_at != y->last_delivery_at || x->next_retry_at != y->next_retry_at ||
		x->suppressed_at != y->suppressed_at ||
		!reason_eq(x, y) ||
		x->has_suppressed_event != y->has_suppressed_event ||
		x->suppressed_event != y->suppressed_event || x->promoted_at != y->promoted_at ||
		x->unsuppressed_at != y->unsuppressed_at || x->last_entry_at != y->last_entry_at ||
		x->nretries != y->nretries || !campaigns_eq(x, y))
		return false;
	for (i = 0; i < x->nretries; i++)
	{
		for (j = 0; j < y->nretries; j++)
			if (strcmp(x->retries[i].campaign, y->retries[j].campaign) == 0)
				break;
		if (j == y->nretries || !retry_eq(&x->retries[i], &y->retries[j], with_handouts))
			return false;
	}
	return true;
}
