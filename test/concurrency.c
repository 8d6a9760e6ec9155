/*
 * concurrency.c - N concurrent writers against the bounce policy, then a
 * reconciliation of bounce.addresses against the event log.
 *
 * Each thread has its own connection and, for a fixed number of rounds,
 * does one of: INSERT a batch of bounces (addresses from a small shared
 * pool, written in varying case and with angle brackets, so all threads
 * fight over the same rows), COPY a batch, INSERT deliveries, take due
 * retries with bounce.due_retries(), or send a batch with one invalid
 * address (which must fail as a whole with 22P02).  Any other error -- a
 * deadlock, a unique violation surfacing, a lost connection -- is a failure.
 *
 * Then, from a fresh connection: every counter in bounce.addresses must
 * equal what the event log says, every address of a hard bounce must be
 * suppressed, no retry may be left for a suppressed address, no rejected
 * batch may have left a row, and no retry may have been handed out twice.
 *
 * Usage: concurrency [threads [rounds [conninfo]]]   (libpq env vars apply;
 * BOUNCE_CONCURRENCY_SEED varies the random choices)
 * Prints TAP-like "ok - ..." / "not ok - ..." lines; exits 1 on failure.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libpq-fe.h"

#define POOL		40			/* addresses all threads share */
#define MAX_HANDED	100000

static const char *conninfo = "";
static int	rounds = 200;

/* statuses with their intended class: hard suppresses, soft counts */
static const char *const statuses[] = {
	"550 5.1.1 User unknown",
	"452 4.2.2 Mailbox full",
	"450 4.2.1 Greylisted, try later",
	"421 4.7.0 Try again later",
	"451 4.3.0 Local error",
	"552 5.3.4 Message too big",
	"250 2.0.0 OK"
};
#define NSTATUS (int) (sizeof(statuses) / sizeof(statuses[0]))

/* One retry handed out by due_retries(): must never be seen twice. */
typedef struct Handed
{
	char		key[200];
} Handed;

static Handed handed[MAX_HANDED];
static int	nhanded = 0;
static pthread_mutex_t handed_lock = PTHREAD_MUTEX_INITIALIZER;

/* Per-thread results. */
typedef struct Worker
{
	int			id;
	unsigned int seed;
	int			statements;
	int			rejected_ok;	/* bad batches that failed as they should */
	int			unexpected;		/* any other error */
	char		first_error[512];
} Worker;

/* A random address of the pool, spelled in one of several equivalent ways. */
static void
random_address(Worker *w, char *buf, size_t cap)
{
	int			n = rand_r(&w->seed) % POOL;

	switch (rand_r(&w->seed) % 3)
	{
		case 0:
			snprintf(buf, cap, "user%d@example.com", n);
			break;
		case 1:
			snprintf(buf, cap, "User%d@Example.COM", n);
			break;
		default:
			snprintf(buf, cap, " <user%d@example.com> ", n);
			break;
	}
}

/* Remember an unexpected error (the first one verbatim). */
static void
record_error(Worker *w, PGresult *res, PGconn *conn, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	w->unexpected++;
	if (w->first_error[0] == '\0')
		snprintf(w->first_error, sizeof(w->first_error), "%s: [%s] %s", what,
				 state ? state : "?", PQerrorMessage(conn));
}

/* Run a statement that must succeed. */
static void
exec_ok(Worker *w, PGconn *conn, const char *sql, const char *what)
{
	PGresult   *res = PQexec(conn, sql);

	w->statements++;
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		record_error(w, res, conn, what);
	PQclear(res);
}

/* A timestamp within 200 days of 2026-01-01, as SQL text. */
static void
random_time(Worker *w, char *buf, size_t cap)
{
	int			minutes = rand_r(&w->seed) % (200 * 24 * 60);

	snprintf(buf, cap, "2026-01-01 00:00+00'::timestamptz + interval '%d minutes", minutes);
}

/* INSERT a batch of 1..20 events; 'bad' puts one invalid address in it. */
static void
insert_events(Worker *w, PGconn *conn, int bad, int round)
{
	char		sql[16384];
	size_t		len;
	int			n = 1 + rand_r(&w->seed) % 20;
	int			badrow = bad ? rand_r(&w->seed) % n : -1;
	int			i;
	PGresult   *res;

	len = (size_t) snprintf(sql, sizeof(sql),
							"INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES ");
	for (i = 0; i < n; i++)
	{
		char		addr[64];
		char		at[128];
		char		campaign[64];

		if (i == badrow)
			snprintf(addr, sizeof(addr), "not an address %d", round);
		else
			random_address(w, addr, sizeof(addr));
		random_time(w, at, sizeof(at));
		if (bad)
			snprintf(campaign, sizeof(campaign), "bad-%d-%d", w->id, round);
		else
			snprintf(campaign, sizeof(campaign), "c%d", rand_r(&w->seed) % 5);
		len += (size_t) snprintf(sql + len, sizeof(sql) - len, "%s('%s', '%s', '%s', '%s')",
								 i ? ", " : "", addr, campaign,
								 statuses[rand_r(&w->seed) % NSTATUS], at);
	}
	res = PQexec(conn, sql);
	w->statements++;
	if (bad)
	{
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		if (PQresultStatus(res) == PGRES_FATAL_ERROR && state && strcmp(state, "22P02") == 0)
			w->rejected_ok++;
		else
			record_error(w, res, conn, "bad batch was not rejected with 22P02");
	}
	else if (PQresultStatus(res) != PGRES_COMMAND_OK)
		record_error(w, res, conn, "insert events");
	PQclear(res);
}

/* COPY a batch of events (the bulk path). */
static void
copy_events(Worker *w, PGconn *conn)
{
	PGresult   *res = PQexec(conn, "COPY bounce.events (address, campaign, status, occurred_at) FROM STDIN");
	int			n = 1 + rand_r(&w->seed) % 30;
	int			i;

	w->statements++;
	if (PQresultStatus(res) != PGRES_COPY_IN)
	{
		record_error(w, res, conn, "copy start");
		PQclear(res);
		return;
	}
	PQclear(res);
	for (i = 0; i < n; i++)
	{
		char		addr[64];
		char		line[256];
		char		at[64];
		time_t		t;
		struct tm	tm;
		int			len;

		random_address(w, addr, sizeof(addr));
		/* 2026-01-01 00:00 UTC plus up to 200 days */
		t = (time_t) 1767225600 + (time_t) (rand_r(&w->seed) % (200 * 24 * 60)) * 60;
		gmtime_r(&t, &tm);
		strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S+00", &tm);
		len = snprintf(line, sizeof(line), "%s\tc%d\t%s\t%s\n",
					   addr, rand_r(&w->seed) % 5, statuses[rand_r(&w->seed) % NSTATUS], at);
		if (PQputCopyData(conn, line, len) != 1)
			break;
	}
	if (PQputCopyEnd(conn, NULL) != 1)
		record_error(w, NULL, conn, "copy end");
	while ((res = PQgetResult(conn)) != NULL)
	{
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			record_error(w, res, conn, "copy");
		PQclear(res);
	}
}

/* INSERT a batch of deliveries. */
static void
insert_deliveries(Worker *w, PGconn *conn)
{
	char		sql[8192];
	size_t		len;
	int			n = 1 + rand_r(&w->seed) % 10;
	int			i;

	len = (size_t) snprintf(sql, sizeof(sql),
							"INSERT INTO bounce.deliveries (address, campaign, delivered_at) VALUES ");
	for (i = 0; i < n; i++)
	{
		char		addr[64];
		char		at[128];

		random_address(w, addr, sizeof(addr));
		random_time(w, at, sizeof(at));
		len += (size_t) snprintf(sql + len, sizeof(sql) - len, "%s('%s', 'c%d', '%s')",
								 i ? ", " : "", addr, rand_r(&w->seed) % 5, at);
	}
	exec_ok(w, conn, sql, "insert deliveries");
}

/* Take due retries and remember each (address, campaign, failures, due_at). */
static void
take_retries(Worker *w, PGconn *conn)
{
	PGresult   *res = PQexec(conn, "SELECT address, coalesce(campaign, ''), failures, due_at"
							 " FROM bounce.due_retries(5, '2027-01-01 00:00+00')");
	int			i;

	w->statements++;
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		record_error(w, res, conn, "due_retries");
		PQclear(res);
		return;
	}
	pthread_mutex_lock(&handed_lock);
	for (i = 0; i < PQntuples(res) && nhanded < MAX_HANDED; i++)
		snprintf(handed[nhanded++].key, sizeof(handed[0].key), "%s|%s|%s|%s",
				 PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
				 PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
	pthread_mutex_unlock(&handed_lock);
	PQclear(res);
}

/* Thread body: its own connection, 'rounds' random statements. */
static void *
worker_main(void *arg)
{
	Worker	   *w = (Worker *) arg;
	PGconn	   *conn = PQconnectdb(conninfo);
	int			r;

	/*
	 * Opening a connection is not what this test is about: a failed attempt
	 * is retried (and printed as a comment), a third failure is an error.
	 */
	for (r = 1; r < 3 && PQstatus(conn) != CONNECTION_OK; r++)
	{
		printf("# worker %d: connection attempt %d failed: %s", w->id, r, PQerrorMessage(conn));
		PQfinish(conn);
		nanosleep(&(struct timespec) {0, 200 * 1000 * 1000}, NULL);
		conn = PQconnectdb(conninfo);
	}
	if (PQstatus(conn) != CONNECTION_OK)
	{
		record_error(w, NULL, conn, "connect");
		PQfinish(conn);
		return NULL;
	}
	exec_ok(w, conn, "SET client_min_messages = warning", "set");
	for (r = 0; r < rounds; r++)
	{
		int			dice = rand_r(&w->seed) % 100;

		if (dice < 55)
			insert_events(w, conn, 0, r);
		else if (dice < 65)
			copy_events(w, conn);
		else if (dice < 80)
			insert_deliveries(w, conn);
		else if (dice < 95)
			take_retries(w, conn);
		else
			insert_events(w, conn, 1, r);
	}
	PQfinish(conn);
	return NULL;
}

/* Run a query that returns one number. */
static long
query_long(PGconn *conn, const char *sql)
{
	PGresult   *res = PQexec(conn, sql);
	long		v = -1;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		v = atol(PQgetvalue(res, 0, 0));
	else
		fprintf(stderr, "query failed: %s\n%s", sql, PQerrorMessage(conn));
	PQclear(res);
	return v;
}

/* Print one verdict line; returns 1 for a failure. */
static int
verdict(int ok, const char *what, long got)
{
	if (ok)
		printf("ok - concurrency: %s\n", what);
	else
		printf("not ok - concurrency: %s (got %ld)\n", what, got);
	return ok ? 0 : 1;
}

/* qsort comparator for the hand-out keys. */
static int
handed_cmp(const void *a, const void *b)
{
	return strcmp(((const Handed *) a)->key, ((const Handed *) b)->key);
}

int
main(int argc, char **argv)
{
	int			nthreads = argc > 1 ? atoi(argv[1]) : 8;
	pthread_t  *threads;
	Worker	   *workers;
	PGconn	   *conn;
	int			failures = 0;
	int			unexpected = 0;
	int			rejected = 0;
	int			statements = 0;
	int			doubles = 0;
	const char *first = "";
	const char *seedenv = getenv("BOUNCE_CONCURRENCY_SEED");
	unsigned int base = seedenv ? (unsigned int) strtoul(seedenv, NULL, 10) : 12345u;
	char		what[700];
	long		v;
	int			i;

	if (argc > 2)
		rounds = atoi(argv[2]);
	if (argc > 3)
		conninfo = argv[3];
	if (nthreads < 1 || rounds < 1)
	{
		fprintf(stderr, "usage: %s [threads [rounds [conninfo]]]\n", argv[0]);
		return 2;
	}

	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
	{
		printf("not ok - concurrency: cannot connect: %s", PQerrorMessage(conn));
		return 1;
	}
	PQclear(PQexec(conn, "SET client_min_messages = warning"));
	PQclear(PQexec(conn, "TRUNCATE bounce.events, bounce.deliveries, bounce.addresses,"
				   " bounce.retries, bounce.suppression_log"));

	threads = calloc(nthreads, sizeof(pthread_t));
	workers = calloc(nthreads, sizeof(Worker));
	for (i = 0; i < nthreads; i++)
	{
		workers[i].id = i;
		workers[i].seed = base + 7919u * (unsigned int) i;
		pthread_create(&threads[i], NULL, worker_main, &workers[i]);
	}
	for (i = 0; i < nthreads; i++)
	{
		pthread_join(threads[i], NULL);
		statements += workers[i].statements;
		unexpected += workers[i].unexpected;
		rejected += workers[i].rejected_ok;
		if (workers[i].unexpected && first[0] == '\0')
			first = workers[i].first_error;
		if (workers[i].unexpected)
			fprintf(stderr, "worker %d: %d unexpected errors, first: %s\n", i,
					workers[i].unexpected, workers[i].first_error);
	}

	printf("# %d threads x %d rounds: %d statements, %d bad batches rejected\n",
		   nthreads, rounds, statements, rejected);
	/* the first error goes into the verdict line: CI logs keep only those */
	snprintf(what, sizeof(what), "no deadlock, unique violation or other unexpected error%s%s",
			 first[0] ? "; first: " : "", first);
	for (i = 0; what[i]; i++)
		if (what[i] == '\n')
			what[i] = ' ';
	failures += verdict(unexpected == 0, what, unexpected);
	failures += verdict(rejected > 0, "bad batches were rejected with 22P02", rejected);

	v = query_long(conn, "SELECT count(*) FROM bounce.events");
	failures += verdict(v > 0, "events were recorded", v);

	v = query_long(conn,
				   "SELECT count(*) FROM bounce.addresses a"
				   " FULL JOIN (SELECT address, count(*) FILTER (WHERE class = 'soft') AS soft,"
				   "                   count(*) FILTER (WHERE class = 'hard') AS hard,"
				   "                   min(occurred_at) FILTER (WHERE class > 'none') AS first_at,"
				   "                   max(occurred_at) FILTER (WHERE class > 'none') AS last_at"
				   "              FROM bounce.events GROUP BY address) e USING (address)"
				   " WHERE a.address IS NULL"
				   "    OR a.soft_total IS DISTINCT FROM coalesce(e.soft, 0)"
				   "    OR a.hard_total IS DISTINCT FROM coalesce(e.hard, 0)"
				   "    OR a.first_bounce_at IS DISTINCT FROM e.first_at"
				   "    OR a.last_bounce_at IS DISTINCT FROM e.last_at");
	failures += verdict(v == 0, "every counter and bounce time in bounce.addresses matches the event log", v);

	v = query_long(conn,
				   "SELECT count(*) FROM bounce.addresses a"
				   " LEFT JOIN (SELECT address, max(delivered_at) AS at FROM bounce.deliveries"
				   "             GROUP BY address) d USING (address)"
				   " WHERE a.last_delivery_at IS DISTINCT FROM d.at");
	failures += verdict(v == 0, "last_delivery_at matches the deliveries", v);

	v = query_long(conn,
				   "SELECT count(*) FROM bounce.events e"
				   " JOIN bounce.reason_policy p USING (reason, class)"
				   " JOIN bounce.addresses a USING (address)"
				   " WHERE p.action = 'suppress' AND a.state <> 'suppressed'");
	failures += verdict(v == 0, "every address with a suppressing bounce is suppressed", v);

	v = query_long(conn,
				   "SELECT count(*) FROM bounce.addresses a"
				   " WHERE a.state = 'suppressed' AND NOT EXISTS ("
				   "   SELECT 1 FROM bounce.events e JOIN bounce.reason_policy p USING (reason, class)"
				   "    WHERE e.address = a.address AND p.action IN ('suppress', 'retry'))");
	failures += verdict(v == 0, "no address is suppressed without a bounce that could do it", v);

	v = query_long(conn,
				   "SELECT count(*) FROM bounce.retries r JOIN bounce.addresses a USING (address)"
				   " WHERE a.state = 'suppressed'"
				   "   AND NOT (a.suppressed_event IS NOT NULL AND a.promoted_at = a.suppressed_at)");
	failures += verdict(v == 0, "no retry is left for an address suppressed for good (not a promotion)", v);

	v = query_long(conn,
				   "SELECT count(*) FROM bounce.addresses a"
				   " WHERE a.state = 'suppressed' AND a.next_retry_at IS NOT NULL");
	failures += verdict(v == 0, "no suppressed address has a next retry", v);

	v = query_long(conn,
				   "SELECT count(*) FROM bounce.addresses"
				   " WHERE consecutive_soft > soft_total"
				   "    OR (state = 'monitored' AND consecutive_soft <> 2)");
	failures += verdict(v == 0, "streaks are consistent with the totals and the monitored state", v);

	v = query_long(conn,
				   "SELECT count(*) FROM ((SELECT campaign, sent, bounced, hard, soft FROM bounce.campaign_stats)"
				   " EXCEPT (SELECT campaign, count(*), count(worst), count(*) FILTER (WHERE worst = 'hard'),"
				   "  count(*) FILTER (WHERE worst = 'soft') FROM ("
				   "   SELECT x.campaign, x.address, max(x.class) FILTER (WHERE x.class > 'none') AS worst"
				   "     FROM (SELECT campaign, address, class FROM bounce.events UNION ALL"
				   "           SELECT campaign, address, NULL FROM bounce.deliveries) x GROUP BY 1, 2) p"
				   "  GROUP BY campaign)) d");
	failures += verdict(v == 0, "campaign_stats (counters of concurrent writers) equals counting the log", v);

	v = query_long(conn, "SELECT count(*) FROM bounce.verify()");
	failures += verdict(v == 0, "bounce.verify() is empty: the state is the replay of the log", v);

	v = query_long(conn, "SELECT count(*) FROM bounce.events WHERE campaign LIKE 'bad-%'");
	failures += verdict(v == 0, "rejected batches left no row", v);

	qsort(handed, nhanded, sizeof(Handed), handed_cmp);
	for (i = 1; i < nhanded; i++)
		if (strcmp(handed[i].key, handed[i - 1].key) == 0)
			doubles++;
	printf("# %d retries handed out\n", nhanded);
	failures += verdict(nhanded > 0 && doubles == 0, "no retry was handed out twice", doubles);

	PQfinish(conn);
	free(threads);
	free(workers);
	return failures ? 1 : 0;
}
