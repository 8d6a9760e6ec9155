/*
 * shard.h - the policy on a Citus cluster (src/shard.c).
 *
 * Once bounce.distribute() has run, a row of bounce.events lands in a
 * shard (bounce.events_102008) on a worker, and the trigger fires there.
 * The fold then reads and writes the co-located shards of the other
 * tables by name, all local to that worker: the statements the glue
 * builds for bounce.<table> are renamed while a shard is entered.
 */
#ifndef BOUNCE_SHARD_H
#define BOUNCE_SHARD_H

#include "postgres.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/rel.h"

typedef struct BounceShard BounceShard;

/* The shard a relation is (a Citus shard of a distributed table), or NULL. */
extern BounceShard *bounce_shard_of(Relation rel);

/* The same for a row trigger's table, kept in the call site (fn_extra). */
extern BounceShard *bounce_shard_of_call(FunctionCallInfo fcinfo, Relation rel);

/*
 * On a distributed install, the shard of bounce.addresses that holds an
 * address; an error when that shard is not on this node.  NULL when the
 * install is not distributed.
 */
extern BounceShard *bounce_shard_for_address(const char *address, const char *fname);

/*
 * Where a manual change runs: true, with the shard to enter in *here (NULL:
 * not distributed), when it runs on this node; false when 'call' was sent
 * to the address's node instead, its boolean result in *result.
 */
extern bool bounce_shard_route(const char *address, BounceShard **here, const char *call,
							   int nargs, Oid *types, Datum *values, const char *nulls,
							   bool *result);

/* Enter a shard (NULL: none); returns the one entered before. */
extern BounceShard *bounce_shard_enter(BounceShard *s);

/* The shard entered, or NULL. */
extern BounceShard *bounce_shard_current(void);

/* 'sql' with every bounce.<table> renamed to the entered shard's (as is when none). */
extern const char *bounce_shard_sql(const char *sql);

/* SQL giving a new id of a sequence, unique across the cluster on a shard. */
extern char *bounce_shard_next_id(const char *seq);

/* The counters' slot: the backend's, offset by the shard's position. */
extern int	bounce_shard_bucket(int slot);

/* A plan kept for the session (inside SPI); 'what' names it in an error. */
extern SPIPlanPtr bounce_keep_plan(const char *sql, int nargs, Oid *types, const char *what);

/* From _PG_init: the lock that keeps concurrent COPYs on a cluster apart. */
extern void bounce_shard_init(void);

/* A shard by its id (its peers read once per backend). */
extern BounceShard *bounce_shard_by_id(int64 shardid);

/* A peer shard's relation on this node (InvalidOid: not here, no such peer). */
extern Oid	bounce_shard_peer(BounceShard *s, const char *table);

/* Citus's hash of a text, and a text that hashes into a shard's range. */
extern int32 bounce_citus_hash(const char *value);
extern const char *bounce_shard_anchor(BounceShard *s);

/* What holds bounce.<table>'s rows here: it, or a reference table's placement. */
extern Oid	bounce_table_here(const char *table);

/* bounce.addresses is a Citus distributed table (checked once per call). */
extern bool bounce_is_distributed(void);

/*
 * The policy's statements name bounce.<table>; on a shard they must name
 * its peers.  A file that defines BOUNCE_SHARD_SPI before including this
 * header sends every statement it runs through SPI through the renaming,
 * which costs nothing off a shard.
 */
#ifdef BOUNCE_SHARD_SPI
#define SPI_execute(q, ro, n) \
	(SPI_execute) (bounce_shard_sql(q), ro, n)
#define SPI_execute_with_args(q, nargs, types, values, nulls, ro, n) \
	(SPI_execute_with_args) (bounce_shard_sql(q), nargs, types, values, nulls, ro, n)
#define SPI_cursor_open_with_args(name, q, nargs, types, values, nulls, ro, opts) \
	(SPI_cursor_open_with_args) (name, bounce_shard_sql(q), nargs, types, values, nulls, ro, opts)
#endif

#endif							/* BOUNCE_SHARD_H */
