/*
 * policy.h - the per-address bounce policy as a state machine, in the pure
 * C core (no postgres.h).
 *
 * The state of one address (bounce.addresses and its bounce.retries rows)
 * is a function of its log: bounces (bounce.events), deliveries
 * (bounce.deliveries) and manual changes (bounce.suppression_log), taken
 * in (time, kind, id) order.  bounce_policy_fold() applies entries in that
 * order to a state; the glue calls it for the new entries of a statement
 * when they all come after what the state already holds, and otherwise
 * (a late entry) folds the address's whole log again from a fresh state.
 * So the outcome never depends on how a history was cut into statements
 * or in which order the statements arrived; the one thing outside the log
 * is a retry handed out to a worker, which bounce_policy_keep_handouts()
 * carries over a refold.
 *
 * The rules, entry by entry (times are the entries' own):
 *
 *   bounce     soft_total / hard_total count every soft / hard bounce, also
 *              after suppression; first/last_bounce_at are their least and
 *              greatest times.  The action is the policy's rule for the
 *              (reason, class):
 *                suppress  suppress now, unless already suppressed
 *                          ("hard bounce: R", "soft bounce: R", "report: R");
 *                          over a promotion it becomes this suppression,
 *                          which no delivery lifts;
 *                retry     if not suppressed, or suppressed by a promotion
 *                          (whose state then stays as it is): a soft bounce
 *                          of the streak:
 *                          - the streak starts over when the last soft
 *                            bounce is reset_window old or older;
 *                          - it grows by one per campaign: a bounce of the
 *                            same campaign as the last one adds nothing,
 *                            a bounce without a campaign always adds one;
 *                          - the campaign's retry ("" = no campaign) counts
 *                            one more failed attempt (attempts restart when
 *                            its last failure is reset_window old) and is
 *                            due after the rule's delay (retry_after, else
 *                            the policy's backoff_base) doubled per earlier
 *                            attempt and capped (retry_max, else
 *                            max(retry_after, backoff_cap); a cap below
 *                            the first delay is the first delay); it is
 *                            armed again (not handed out);
 *                          - streak >= soft_threshold, or attempts >=
 *                            retry_count: promoted, suppressed ("promoted:
 *                            N consecutive soft bounces (last: R)" or
 *                            "promoted: N failed attempts (last: R)");
 *                          - else monitored when streak >= monitor_after,
 *                            active otherwise;
 *                alert, ignore   counted only.
 *   delivery   last_delivery_at; the streak ends (0, no campaign); a
 *              monitored address is active again; the campaign's retry is
 *              done (removed); a suppression by promotion is lifted (the
 *              address receives mail: the promotion was wrong), one by a
 *              hard bounce or by hand is not.
 *   suppress   (by hand) suppressed ("manual: " + NOTE, NOTE "manual"
 *              when none: suppressed_reason "manual: ", suppressed_note the
 *              entry's note), unless already
 *              suppressed; a suppression by promotion becomes a manual one,
 *              which no delivery lifts.
 *   unsuppress (by hand) active, streak 0, no retries, suppression
 *              cleared, unsuppressed_at; earlier bounces no longer count.
 *
 * Every entry sets last_entry_at, also one that changes nothing (a suppress
 * or a complaint on a suppressed address): an earlier unsuppress folded
 * later would make it count, so the watermark must cover it.
 *
 * Suppressing drops the address's retries, but a promotion does not: under
 * it the streak and the retries go on as if it were not there, idle, so a
 * delivery that lifts it finds them as they would be without it.  Retries
 * then go only with a delivery of their campaign or a suppression for
 * good, which a refold meets at the same place: a retry handed out is
 * not armed again by entries that arrive late.  (One history can: a
 * suppression for good dated before the failure arrives late and drops the
 * retry, then an unsuppress dated between the two; the refold counts the
 * failure again and nothing remembers the hand-out.  It needs manual
 * changes dated in the past.)  next_retry_at is the earliest retry of an
 * address that is not suppressed.  Entries of the same time
 * go bounce, delivery, suppress, unsuppress, then by id: a delivery or an
 * unsuppress recorded at the time of a bounce comes after it.
 *
 * Campaigns: every bounce or delivery marks its campaign ("" for none) as
 * sent to the address; a bounce of class soft or hard raises the
 * campaign's worst class, and one with a sender-side reason
 * (bounce_reason_is_sender_side) counts as a sender-side failure.
 *
 * Memory: only the retries and campaigns arrays come from the caller's
 * allocator.  The
 * state points at the entries' strings (campaigns, a manual note), which
 * the caller keeps alive as long as the state; a suppression's reason is
 * written into the state itself, so a long log costs no memory per entry.
 */
#ifndef BOUNCE_POLICY_H
#define BOUNCE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify.h"

/* Microseconds on any fixed epoch (the glue uses PostgreSQL's). */
typedef int64_t bounce_time;

#define BOUNCE_TIME_NONE INT64_MIN

typedef enum bounce_addr_state
{
	BOUNCE_ADDR_ACTIVE = 0,
	BOUNCE_ADDR_MONITORED,
	BOUNCE_ADDR_SUPPRESSED
} bounce_addr_state;

/* What suppressed an address: decides what may lift it. */
typedef enum bounce_suppressed_by
{
	BOUNCE_BY_NONE = 0,			/* not suppressed */
	BOUNCE_BY_EVENT,			/* an event whose action is suppress */
	BOUNCE_BY_PROMOTION,		/* repeated soft bounces */
	BOUNCE_BY_HAND				/* bounce.suppress() */
} bounce_suppressed_by;

/* Kinds of log entries, in their order among entries of the same time. */
typedef enum bounce_entry_kind
{
	BOUNCE_ENTRY_BOUNCE = 1,
	BOUNCE_ENTRY_DELIVERY = 2,
	BOUNCE_ENTRY_SUPPRESS = 3,
	BOUNCE_ENTRY_UNSUPPRESS = 4
} bounce_entry_kind;

/* One entry of an address's log. */
typedef struct bounce_entry
{
	bounce_entry_kind kind;
	bounce_time at;
	int64_t		id;				/* its row's id: orders entries of one time */
	const char *campaign;		/* NUL-terminated; NULL = none */
	bounce_class cls;			/* bounces */
	bounce_reason reason;		/* bounces */
	const char *note;			/* suppress: the reason given (NULL: none) */
} bounce_entry;

/* What the policy does with a bounce of one (reason, class). */
typedef struct bounce_policy_rule
{
	bounce_action action;
	int64_t		retry_after;	/* microseconds; 0 = backoff_base */
	int64_t		retry_max;		/* microseconds; 0 = see above */
} bounce_policy_rule;

/* bounce.config and bounce.reason_policy, read once per statement. */
typedef struct bounce_policy
{
	int32_t		soft_threshold;
	int32_t		monitor_after;
	int32_t		retry_count;
	int64_t		reset_window;	/* microseconds */
	int64_t		backoff_base;
	int64_t		backoff_cap;
	bounce_time time_max;		/* latest storable time: a retry due later is refused */
	bounce_policy_rule rule[BOUNCE_NUM_REASONS][BOUNCE_NUM_CLASSES];
} bounce_policy;

/* The scheduled retry of one campaign of an address. */
typedef struct bounce_retry
{
	const char *campaign;		/* "" = no campaign */
	bounce_reason reason;		/* of its last failure */
	int32_t		attempts;
	bounce_time last_bounce_at;
	bounce_time next_retry_at;
	bounce_time handed_out_at;	/* NONE: not handed out */
	bool		changed;		/* set by a fold: the row must be written */
} bounce_retry;

/*
 * What an address did in one campaign, for the metrics: it was sent (an
 * event or a delivery), its worst failure (NONE: none; a complaint is no
 * failure), and how many failures had a sender-side reason.  A set
 * function of the entries, whatever their order.
 */
typedef struct bounce_campaign_state
{
	const char *campaign;		/* "" = no campaign */
	bounce_class worst;
	int32_t		sender_side;
	bool		changed;		/* set by a fold: the row must be written */
} bounce_campaign_state;

/* Room for a reason the fold writes ("promoted: ... (last: ...)"). */
#define BOUNCE_REASON_TEXT_MAX 128

/* The state of one address. */
typedef struct bounce_addr
{
	bounce_addr_state state;
	bounce_suppressed_by suppressed_by;
	int32_t		consecutive_soft;
	int32_t		soft_total;
	int32_t		hard_total;
	bounce_time first_bounce_at;
	bounce_time last_bounce_at;
	bounce_time last_soft_at;
	const char *last_soft_campaign; /* NULL = none */
	bounce_time last_delivery_at;
	bounce_time next_retry_at;
	bounce_time suppressed_at;
	/* the reason is suppressed_reason followed by suppressed_note (if any) */
	char		suppressed_reason[BOUNCE_REASON_TEXT_MAX];	/* "" when none */
	const char *suppressed_note;	/* a manual note (the entry's string) */
	int64_t		suppressed_event;	/* id of the bounce that suppressed it */
	bool		has_suppressed_event;
	bounce_time promoted_at;	/* last promotion, kept after it is lifted */
	bounce_time unsuppressed_at;
	bounce_time last_entry_at;	/* the latest entry folded, whatever it changed */
	bounce_retry *retries;
	size_t		nretries;
	size_t		retries_cap;
	bool		retries_removed;	/* a fold removed retries: rewrite them all */
	bounce_campaign_state *campaigns;	/* one per campaign it was in */
	size_t		ncampaigns;
	size_t		campaigns_cap;
} bounce_addr;

/* Memory for the retries and campaigns arrays; NULL = out of memory. */
typedef struct bounce_allocator
{
	void	   *(*alloc) (void *ctx, size_t size);
	void	   *ctx;
} bounce_allocator;

typedef enum bounce_fold_status
{
	BOUNCE_FOLD_OK = 0,
	BOUNCE_FOLD_NO_MEMORY,		/* the allocator failed */
	BOUNCE_FOLD_TIME_RANGE		/* a retry would be due after time_max */
} bounce_fold_status;

/* The built-in policy: SPEC defaults and the core's action per reason. */
extern void bounce_policy_defaults(bounce_policy *p);

/* The state of an address never seen. */
extern void bounce_addr_init(bounce_addr *a);

/*
 * The time of the latest entry the state reflects (NONE for a new one):
 * an entry at or before it is late, and the address is folded again.
 * It is last_entry_at (the glue must store it with the state), or, in a
 * state without it (NONE), the latest of the other times.
 */
extern bounce_time bounce_addr_watermark(const bounce_addr *a);

/* True when the first of these (sorted) entries does not come after the state. */
extern bool bounce_policy_is_late(const bounce_addr *a, const bounce_entry *e, size_t n);

/* Order of entries: time, kind, id (qsort comparator over bounce_entry). */
extern int	bounce_entry_cmp(const void *x, const void *y);

/* Sort entries into folding order. */
extern void bounce_entries_sort(bounce_entry *e, size_t n);

/*
 * Apply n entries, sorted, to the state.  The caller makes sure none is
 * late (bounce_policy_is_late) or that the state is a fresh one the whole
 * log is folded into.  On an error, *failed is the index of the entry and
 * the state is unusable.
 */
extern bounce_fold_status bounce_policy_fold(bounce_addr *a, const bounce_entry *e, size_t n,
											 const bounce_policy *p,
											 const bounce_allocator *al, size_t *failed);

/*
 * After folding an address again: a retry that was handed out stays
 * handed out unless a failure newer than the one it was handed out for
 * came in ('stored' is the state before).
 */
extern void bounce_policy_keep_handouts(bounce_addr *a, const bounce_addr *stored);

/* The retry delay after 'attempts' failures under a rule (see above). */
extern int64_t bounce_policy_retry_delay(const bounce_policy *p, const bounce_policy_rule *r,
										 int32_t attempts);

/* True when the states hold the same values (retries compared as sets). */
extern bool bounce_addr_equal(const bounce_addr *x, const bounce_addr *y, bool with_handouts);

#endif							/* BOUNCE_POLICY_H */
