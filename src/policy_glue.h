/*
 * policy_glue.h - what the glue files of the per-address policy share.
 *
 *   address_fmgr.c  the normalizer and is_suppressed();
 *   policy_rows.c   BEFORE ROW work: normalize, mark applied, fill verdicts;
 *                   rows restored already applied (the skip list);
 *   policy_store.c  bounce.addresses / bounce.retries / the log, read and
 *                   written through one table of columns; bounce.config and
 *                   bounce.reason_policy as a core bounce_policy;
 *   policy_fold.c   the statement triggers and suppress()/unsuppress():
 *                   read, fold (src/core/policy.c), write, as the owner;
 *   track.c         bounce.track() on users' own tables.
 */
#ifndef BOUNCE_POLICY_GLUE_H
#define BOUNCE_POLICY_GLUE_H

#include "postgres.h"
#include "compat.h"

#include "commands/trigger.h"
#include "fmgr.h"
#include "nodes/pg_list.h"
#include "utils/timestamp.h"

#include "core/policy.h"

/* address_fmgr.c: the normalized address (palloc'd) or a 22P02 error. */
extern char *bounce_normalize_or_error(const char *in, size_t len);

/* policy_rows.c */
extern TriggerData *bounce_check_trigger(FunctionCallInfo fcinfo, const char *name,
										 bool row, bool before);
extern int	bounce_trigger_column(TriggerData *td, const char *trigger_name, const char *col);
extern bool bounce_skip_pending(void);
extern bool bounce_skip_has(Oid relid, const char *address, int64 id);

/*
 * A set of strings (addresses, campaigns) for one statement: each string
 * once, with a value slot; memory grows with distinct strings.
 */
typedef struct StrMap StrMap;

extern StrMap *strmap_create(MemoryContext mcxt, int expected);
/* The slot of s[0..len) (added when missing, value NULL); *key is the kept copy. */
extern void **strmap_slot(StrMap *m, const char *s, int len, const char **key);
extern int	strmap_count(const StrMap *m);
/* The non-NULL values, in no particular order; returns how many. */
extern int	strmap_values(const StrMap *m, void **out);

/* One address of a statement, from its lock to its write. */
typedef struct FoldAddr
{
	const char *address;		/* normalized, kept by the statement's StrMap */
	bounce_entry *entries;		/* its new entries, sorted; NULL: refold from the log */
	int			nentries;
	int			count;			/* new entries of the statement */
	int			rank;			/* position in lock order */
	bool		exists;			/* it had a row (read into 'stored') */
	bool		found;			/* bounce_store_load found its row */
	bool		has_baseline;	/* a prune left a baseline: folds start there */
	int64		base_log_id;	/* manual entries up to this id are in it */
	int64		log_id_seen;	/* the latest manual entry a fold of the log read */
	bool		refold;			/* fold its whole log again */
	bounce_addr stored;			/* the row as read (or a new address's) */
	bounce_addr state;			/* the row to write */
} FoldAddr;

/* policy_fold.c: writes as the owner of bounce.addresses, for those alone */
typedef struct OwnerSwitch
{
	Oid			caller;
	int			sec_context;
} OwnerSwitch;

extern void bounce_become_owner(OwnerSwitch *sw);
extern void bounce_become_caller(const OwnerSwitch *sw);
extern void *bounce_palloc_for_core(void *ctx, size_t size);
extern List *bounce_fold_locked(FoldAddr **a, int n, const bool *final, const bounce_policy *p,
								const bounce_allocator *al, StrMap *campaigns, MemoryContext keep);
/* NOTIFY bounce_suppression at commit, or on a shard queue it (inside SPI) */
extern void bounce_notify_or_queue(List *addresses);
/* FOLD_BATCH addresses are locked, folded and written together */
#define FOLD_BATCH 8192

/* policy_replay.c: forgotten addresses (inside SPI, as the owner) */
extern void bounce_claim_forgotten(FoldAddr **a, int n, Oid caller);
extern bool bounce_unforget(const char *address);

/* policy_store.c */
extern void bounce_store_load_policy(bounce_policy *p);
extern void bounce_store_insert_new(FoldAddr **a, int n);
extern void bounce_store_load(FoldAddr **a, int n, const bounce_allocator *al);
extern void bounce_store_refold(FoldAddr **a, int n, const bounce_policy *p,
								const bounce_allocator *al, StrMap *campaigns);
extern void bounce_store_fold_log(FoldAddr **a, int n, TimestampTz before,
								  const bounce_policy *p, const bounce_allocator *al,
								  StrMap *campaigns);
extern void bounce_store_write_baselines(FoldAddr **a, int n, TimestampTz before,
										 const int64 *log_id_until);
extern void bounce_store_read_only(bool on);
extern void bounce_store_count(FoldAddr **a, int n);
extern void bounce_store_update(FoldAddr **a, int n);
extern void bounce_store_write_retries(FoldAddr **a, int n);
extern void bounce_store_copy_state(bounce_addr *to, const bounce_addr *from,
									const bounce_allocator *al);
extern void bounce_fold_error(bounce_fold_status st, const FoldAddr *fa,
							  const bounce_entry *e, const bounce_policy *p);

#endif							/* BOUNCE_POLICY_GLUE_H */
