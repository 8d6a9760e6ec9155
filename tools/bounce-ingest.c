/*
 * bounce-ingest.c - reads bounce emails (files, maildirs, mbox files or
 * stdin), parses them with the same core as bounce.parse_dsn(), and streams
 * the failed recipients into bounce.events (address, campaign, status,
 * occurred_at) with COPY, in batches.
 *
 * Made to sit at the end of a mail pipe as well as to load an archive:
 * messages that are not bounces, or that cannot be read, are counted and
 * reported, never fatal.  Exit status follows sysexits(3): 0 done, 64 bad
 * usage, 65 some input or rows were bad, 75 the database is unreachable
 * (the MTA keeps the message and tries again later).
 */
#define _GNU_SOURCE				/* getopt_long, strdup, strncasecmp */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "dsn.h"

#define EX_OK		0
#define EX_USAGE	64
#define EX_DATAERR	65
#define EX_TEMPFAIL 75

/* Options and counters of one run. */
typedef struct ingest
{
	const char *conninfo;
	const char *campaign;
	const char *campaign_header;
	const char *table;
	int			batch;
	bool		dry_run;
	bool		progress;		/* stderr is a terminal */
	PGconn	   *conn;
	/* the batch being built: COPY text rows */
	char	   *buf;
	size_t		buf_len;
	size_t		buf_cap;
	int			buf_rows;
	/* counters */
	long		messages;
	long		not_bounces;
	long		unreadable;
	long		rows_failed;	/* failed recipients found */
	long		rows_other;		/* delayed, complaints, auto-replies: not events */
	long		rows_inserted;
	long		rows_rejected;
	bool		db_down;
	time_t		last_progress;
} ingest;

static void flush_batch(ingest *g);

/* Print usage to f. */
static void
usage(FILE *f)
{
	fprintf(f,
			"Usage: bounce-ingest [OPTION]... [FILE|MAILDIR|MBOX|-]...\n"
			"Parse bounce emails and insert their failed recipients into bounce.events.\n"
			"With no input, or with -, read one message (or an mbox) from stdin.\n\n"
			"  -d, --dbname=CONNINFO        database name or connection string\n"
			"  -c, --campaign=NAME          campaign of every event\n"
			"  -H, --campaign-header=NAME   take the campaign from this header of the\n"
			"                               returned original (e.g. X-Campaign)\n"
			"  -t, --table=NAME             target table (default bounce.events)\n"
			"  -b, --batch=N                rows per COPY (default 500)\n"
			"  -n, --dry-run                print the rows as TSV, touch no database\n"
			"  -h, --help                   show this help\n\n"
			"Exit status: 0 done, 64 bad usage, 65 bad input or rows, 75 database unavailable.\n");
}

/* Refresh the one-line progress display (terminal only, 4 times a second at most). */
static void
progress(ingest *g, bool force)
{
	time_t		now;

	if (!g->progress)
		return;
	now = time(NULL);
	if (!force && now == g->last_progress)
		return;
	g->last_progress = now;
	fprintf(stderr, "\r%ld messages, %ld failed recipients, %ld inserted, %ld not bounces, %ld unreadable ",
			g->messages, g->rows_failed, g->rows_inserted, g->not_bounces, g->unreadable);
}

/* Append bytes to the batch buffer, growing it. */
static void
buf_append(ingest *g, const char *s, size_t n)
{
	if (g->buf_len + n + 1 > g->buf_cap)
	{
		size_t		cap = (g->buf_cap ? g->buf_cap * 2 : 65536);

		while (cap < g->buf_len + n + 1)
			cap *= 2;
		g->buf = realloc(g->buf, cap);
		if (g->buf == NULL)
		{
			fprintf(stderr, "bounce-ingest: out of memory\n");
			exit(EX_TEMPFAIL);
		}
		g->buf_cap = cap;
	}
	memcpy(g->buf + g->buf_len, s, n);
	g->buf_len += n;
}

/* Length of a valid UTF-8 sequence at s, or 0 when it is not valid. */
static int
utf8_len(const unsigned char *s, size_t left)
{
	int			n;
	int			i;

	if (s[0] < 0x80)
		return 1;
	else if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4;
	else
		return 0;
	if ((size_t) n > left)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/*
 * Append a COPY text field: backslash, tab and line ends escaped, bytes
 * that are not UTF-8 replaced by '?' (the session speaks UTF8), NULL as \N.
 */
static void
copy_field(ingest *g, const char *s, size_t n)
{
	size_t		i = 0;

	if (s == NULL)
	{
		buf_append(g, "\\N", 2);
		return;
	}
	while (i < n)
	{
		unsigned char c = (unsigned char) s[i];
		int			l;

		if (c == '\\')
			buf_append(g, "\\\\", 2);
		else if (c == '\t')
			buf_append(g, "\\t", 2);
		else if (c == '\n')
			buf_append(g, "\\n", 2);
		else if (c == '\r')
			buf_append(g, "\\r", 2);
		else if (c < 0x20)
			buf_append(g, " ", 1);
		else if ((l = utf8_len((const unsigned char *) s + i, n - i)) > 0)
		{
			buf_append(g, s + i, (size_t) l);
			i += (size_t) l;
			continue;
		}
		else
			buf_append(g, "?", 1);
		i++;
	}
}

/*
 * An email date ("Tue, 14 May 2024 09:12:44 +0000 (UTC)") as ISO 8601 in
 * out; false when it is not one.  The database parses the result, so only
 * well-formed values may go through.
 */
static bool
iso_date(const char *s, char *out, size_t cap)
{
	static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec"};
	int			day, year, hh, mm, ss = 0, mon = -1, k;
	char		mname[4] = {0};
	char		zone[8] = {0};
	const char *p = s;
	int			used = 0;

	if (s == NULL)
		return false;
	/* skip an optional "Tue," */
	while (*p == ' ')
		p++;
	if (p[0] && p[1] && p[2] && p[3] == ',')
		p += 4;
	if (sscanf(p, " %d %3s %d %d:%d%n", &day, mname, &year, &hh, &mm, &used) != 5)
		return false;
	p += used;
	if (*p == ':')
	{
		if (sscanf(p, ":%d%n", &ss, &used) != 1)
			return false;
		p += used;
	}
	for (k = 0; k < 12; k++)
		if (strncasecmp(mname, months[k], 3) == 0)
			mon = k + 1;
	if (mon < 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 ||
		year < 1970 || year > 9999)
		return false;
	while (*p == ' ')
		p++;
	if ((p[0] == '+' || p[0] == '-') && strspn(p + 1, "0123456789") >= 4)
		snprintf(zone, sizeof(zone), "%.5s", p);
	else
		snprintf(zone, sizeof(zone), "+0000");	/* GMT, UT, or no zone: UTC */
	snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d%s", year, mon, day, hh, mm,
			 ss > 59 ? 59 : ss, zone);
	return true;
}

/* Context of the row callback for one message. */
typedef struct msg_ctx
{
	ingest	   *g;
	const char *campaign;
	const bounce_dsn_info *info;	/* its date is for rows without Last-Attempt */
} msg_ctx;

/* Row callback: failed recipients become events, the rest is counted. */
static void
on_row(void *ctx, const bounce_dsn_rcpt *r)
{
	msg_ctx    *m = (msg_ctx *) ctx;
	ingest	   *g = m->g;
	char	   *status;
	size_t		sl;
	size_t		cap;
	char		when[64];

	/* the address the sender used; NULL when the report names no valid one */
	const char *rcpt = r->original_recipient ? r->original_recipient : r->recipient;

	if (r->action == NULL || strcmp(r->action, "failed") != 0 || rcpt == NULL ||
		(r->status.code == 0 && r->status.cls == 0))
	{
		g->rows_other++;
		return;
	}
	g->rows_failed++;
	/* the whole canonical status, cut only to what text input accepts */
	cap = r->status.text_len + 32;
	if ((status = malloc(cap)) == NULL)
	{
		g->rows_rejected++;
		return;
	}
	sl = bounce_reply_format(&r->status, status, cap);
	if (sl > BOUNCE_REPLY_MAX_INPUT)
		sl = bounce_utf8_clip(status, sl, BOUNCE_REPLY_MAX_INPUT);
	if (!iso_date(r->last_attempt, when, sizeof(when)) &&
		!iso_date(m->info->date, when, sizeof(when)))
		snprintf(when, sizeof(when), "now");

	if (g->dry_run)
	{
		g->buf_len = 0;
		copy_field(g, rcpt, strlen(rcpt));
		buf_append(g, "\t", 1);
		copy_field(g, m->campaign, m->campaign ? strlen(m->campaign) : 0);
		buf_append(g, "\t", 1);
		copy_field(g, status, sl);
		buf_append(g, "\t", 1);
		copy_field(g, when, strlen(when));
		buf_append(g, "\n", 1);
		fwrite(g->buf, 1, g->buf_len, stdout);
		g->rows_inserted++;
		free(status);
		return;
	}
	copy_field(g, rcpt, strlen(rcpt));
	buf_append(g, "\t", 1);
	copy_field(g, m->campaign, m->campaign ? strlen(m->campaign) : 0);
	buf_append(g, "\t", 1);
	copy_field(g, status, sl);
	free(status);
	buf_append(g, "\t", 1);
	copy_field(g, when, strlen(when));
	buf_append(g, "\n", 1);
	if (++g->buf_rows >= g->batch)
		flush_batch(g);
}

/* Parse one message and queue its rows. */
static void
ingest_message(ingest *g, const char *msg, size_t len)
{
	/* capped: for a huge email the core skips what does not fit */
	size_t		cap = BOUNCE_DSN_ARENA_SIZE_FOR(len) < ((size_t) 256 << 20) ?
	BOUNCE_DSN_ARENA_SIZE_FOR(len) : ((size_t) 256 << 20);
	char	   *arena_buf;
	bounce_arena arena;
	bounce_dsn_info info;
	msg_ctx		m;
	char	   *campaign = NULL;
	int			n;

	if (g->db_down)
		return;
	g->messages++;
	arena_buf = malloc(cap);
	if (arena_buf == NULL)
	{
		g->unreadable++;
		return;
	}
	/* the campaign header lives in the returned original: parse once to find it */
	m.g = g;
	m.campaign = g->campaign;
	m.info = &info;
	if (g->campaign_header)
	{
		bounce_arena_init(&arena, arena_buf, cap);
		bounce_dsn_parse(msg, len, &arena, NULL, NULL, &info);
		if (info.returned_headers)
		{
			size_t		vl;
			char	   *v = bounce_header_get(info.returned_headers, info.returned_headers_len,
											  g->campaign_header, &arena, &vl);

			if (v && vl > 0)
				campaign = strdup(v);
		}
		if (campaign)
			m.campaign = campaign;
	}
	bounce_arena_init(&arena, arena_buf, cap);
	/* info (the report's Date) is filled in before the rows are handed out */
	n = bounce_dsn_parse(msg, len, &arena, on_row, &m, &info);
	if (n == 0)
		g->not_bounces++;
	free(campaign);
	free(arena_buf);
	progress(g, false);
}

/* Split an mbox into messages at its "From " lines. */
static void
ingest_mbox(ingest *g, const char *buf, size_t len)
{
	size_t		start = 0;
	size_t		i;

	for (i = 1; i + 5 <= len; i++)
	{
		if (buf[i - 1] == '\n' && memcmp(buf + i, "From ", 5) == 0)
		{
			ingest_message(g, buf + start, i - start);
			start = i;
		}
	}
	if (start < len)
		ingest_message(g, buf + start, len - start);
}

/* True when the data is an mbox: a "From " line, and another one later. */
static bool
is_mbox(const char *buf, size_t len)
{
	size_t		i;

	if (len < 5 || memcmp(buf, "From ", 5) != 0)
		return false;
	for (i = 1; i + 5 <= len; i++)
		if (buf[i - 1] == '\n' && memcmp(buf + i, "From ", 5) == 0)
			return true;
	return false;
}

/* Read a whole stream; NULL on error. */
static char *
read_all(FILE *f, size_t *len)
{
	size_t		cap = 65536;
	size_t		n = 0;
	char	   *buf = malloc(cap);
	size_t		r;

	if (buf == NULL)
		return NULL;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0)
	{
		n += r;
		if (n == cap)
		{
			char	   *nb = realloc(buf, cap * 2);

			if (nb == NULL)
			{
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (ferror(f))
	{
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* One file: a single message or an mbox. */
static void
ingest_file(ingest *g, const char *path)
{
	FILE	   *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char	   *buf;
	size_t		len = 0;

	if (f == NULL)
	{
		fprintf(stderr, "%sbounce-ingest: cannot open %s: %s\n", g->progress ? "\n" : "",
				path, strerror(errno));
		g->unreadable++;
		return;
	}
	buf = read_all(f, &len);
	if (f != stdin)
		fclose(f);
	if (buf == NULL)
	{
		fprintf(stderr, "bounce-ingest: cannot read %s\n", path);
		g->unreadable++;
		return;
	}
	if (is_mbox(buf, len))
		ingest_mbox(g, buf, len);
	else
		ingest_message(g, buf, len);
	free(buf);
}

/* Compare names for a stable order of directory entries. */
static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* A directory: a maildir (cur/ and new/) or a folder of message files. */
static void
ingest_dir(ingest *g, const char *path, int depth)
{
	DIR		   *d = opendir(path);
	struct dirent *e;
	char	  **names = NULL;
	size_t		n = 0;
	size_t		cap = 0;
	size_t		i;

	if (d == NULL)
	{
		fprintf(stderr, "bounce-ingest: cannot open directory %s: %s\n", path, strerror(errno));
		g->unreadable++;
		return;
	}
	while ((e = readdir(d)) != NULL)
	{
		if (e->d_name[0] == '.')
			continue;
		/* a maildir's tmp/ holds messages still being written */
		if (depth == 0 && strcmp(e->d_name, "tmp") == 0)
			continue;
		if (n == cap)
		{
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(char *));
			if (names == NULL)
				exit(EX_TEMPFAIL);
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(char *), cmp_names);
	for (i = 0; i < n; i++)
	{
		char		full[4096];
		struct stat st;

		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
		{
			if (depth < 1)
				ingest_dir(g, full, depth + 1);
		}
		else if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			ingest_file(g, full);
		free(names[i]);
	}
	free(names);
}

/* Connection lost or refused: stop, the run is to be retried. */
static void
database_down(ingest *g, const char *what)
{
	fprintf(stderr, "%sbounce-ingest: %s: %s", g->progress ? "\n" : "", what,
			g->conn ? PQerrorMessage(g->conn) : "no connection\n");
	g->db_down = true;
}

/* Send one row-by-row INSERT for each line of a batch the table refused. */
static void
insert_rows_one_by_one(ingest *g, const char *rows, size_t len)
{
	size_t		p = 0;

	while (p < len && !g->db_down)
	{
		const char *nl = memchr(rows + p, '\n', len - p);
		size_t		e = nl ? (size_t) (nl - rows) : len;
		PGresult   *res;
		char		sql[512];

		snprintf(sql, sizeof(sql), "COPY %s (address, campaign, status, occurred_at) FROM STDIN",
				 g->table);
		res = PQexec(g->conn, sql);
		if (PQresultStatus(res) != PGRES_COPY_IN)
		{
			PQclear(res);
			if (PQstatus(g->conn) != CONNECTION_OK)
				database_down(g, "COPY failed");
			else
				g->rows_rejected++;
			p = e + 1;
			continue;
		}
		PQclear(res);
		if (PQputCopyData(g->conn, rows + p, (int) (e + 1 - p)) != 1 ||
			PQputCopyEnd(g->conn, NULL) != 1)
		{
			database_down(g, "COPY failed");
			return;
		}
		res = PQgetResult(g->conn);
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			g->rows_inserted++;
		else
		{
			g->rows_rejected++;
			fprintf(stderr, "%sbounce-ingest: row rejected: %s", g->progress ? "\n" : "",
					PQresultErrorMessage(res));
		}
		PQclear(res);
		while ((res = PQgetResult(g->conn)) != NULL)
			PQclear(res);
		p = e + 1;
	}
}

/* COPY the queued rows; a refused batch is retried row by row. */
static void
flush_batch(ingest *g)
{
	PGresult   *res;
	char		sql[512];
	bool		ok = false;

	if (g->buf_rows == 0 || g->dry_run || g->db_down)
	{
		g->buf_len = 0;
		g->buf_rows = 0;
		return;
	}
	snprintf(sql, sizeof(sql), "COPY %s (address, campaign, status, occurred_at) FROM STDIN",
			 g->table);
	res = PQexec(g->conn, sql);
	if (PQresultStatus(res) == PGRES_COPY_IN)
	{
		PQclear(res);
		if (PQputCopyData(g->conn, g->buf, (int) g->buf_len) == 1 &&
			PQputCopyEnd(g->conn, NULL) == 1)
		{
			res = PQgetResult(g->conn);
			ok = PQresultStatus(res) == PGRES_COMMAND_OK;
			if (!ok && PQstatus(g->conn) == CONNECTION_OK)
				fprintf(stderr, "%sbounce-ingest: batch refused, retrying row by row: %s",
						g->progress ? "\n" : "", PQresultErrorMessage(res));
			PQclear(res);
			while ((res = PQgetResult(g->conn)) != NULL)
				PQclear(res);
		}
	}
	else
	{
		if (PQstatus(g->conn) == CONNECTION_OK)
		{
			/* no such table, no privilege: nothing can go in */
			fprintf(stderr, "%sbounce-ingest: %s", g->progress ? "\n" : "",
					PQresultErrorMessage(res));
			g->rows_rejected += g->buf_rows;
			PQclear(res);
			g->buf_len = 0;
			g->buf_rows = 0;
			g->db_down = true;	/* every further batch would fail the same way */
			return;
		}
		PQclear(res);
	}
	if (PQstatus(g->conn) != CONNECTION_OK)
		database_down(g, "connection lost");
	else if (ok)
		g->rows_inserted += g->buf_rows;
	else
		insert_rows_one_by_one(g, g->buf, g->buf_len);
	g->buf_len = 0;
	g->buf_rows = 0;
	progress(g, true);
}

/* Parse options, read every input, print the summary. */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"campaign", required_argument, NULL, 'c'},
		{"campaign-header", required_argument, NULL, 'H'},
		{"table", required_argument, NULL, 't'},
		{"batch", required_argument, NULL, 'b'},
		{"dry-run", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	ingest		g;
	int			c;
	int			i;
	int			rc;

	memset(&g, 0, sizeof(g));
	g.conninfo = "";
	g.table = "bounce.events";
	g.batch = 500;
	while ((c = getopt_long(argc, argv, "d:c:H:t:b:nh", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				g.conninfo = optarg;
				break;
			case 'c':
				g.campaign = optarg;
				break;
			case 'H':
				g.campaign_header = optarg;
				break;
			case 't':
				g.table = optarg;
				break;
			case 'b':
				g.batch = atoi(optarg);
				if (g.batch < 1)
				{
					fprintf(stderr, "bounce-ingest: --batch must be a positive number\n");
					return EX_USAGE;
				}
				break;
			case 'n':
				g.dry_run = true;
				break;
			case 'h':
				usage(stdout);
				return EX_OK;
			default:
				usage(stderr);
				return EX_USAGE;
		}
	}
	g.progress = isatty(STDERR_FILENO);

	if (!g.dry_run)
	{
		char		sql[600];
		PGresult   *res;

		/* the table name goes into SQL: quote it through the server */
		g.conn = PQconnectdb(g.conninfo);
		if (PQstatus(g.conn) != CONNECTION_OK)
		{
			fprintf(stderr, "bounce-ingest: cannot connect: %s", PQerrorMessage(g.conn));
			PQfinish(g.conn);
			return EX_TEMPFAIL;
		}
		PQsetClientEncoding(g.conn, "UTF8");
		snprintf(sql, sizeof(sql), "SELECT $1::regclass::text");
		{
			const char *params[1] = {g.table};

			res = PQexecParams(g.conn, sql, 1, NULL, params, NULL, NULL, 0);
		}
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
		{
			rc = PQstatus(g.conn) == CONNECTION_OK ? EX_USAGE : EX_TEMPFAIL;
			fprintf(stderr, "bounce-ingest: no table %s: %s", g.table, PQresultErrorMessage(res));
			PQclear(res);
			PQfinish(g.conn);
			return rc;
		}
		g.table = strdup(PQgetvalue(res, 0, 0));
		PQclear(res);
	}

	if (optind >= argc)
		ingest_file(&g, "-");
	for (i = optind; i < argc && !g.db_down; i++)
	{
		struct stat st;

		if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			ingest_dir(&g, argv[i], 0);
		else
			ingest_file(&g, argv[i]);
	}
	flush_batch(&g);
	progress(&g, true);

	fprintf(stderr, "%sbounce-ingest: %ld messages: %ld failed recipients, %ld %s, "
			"%ld rows rejected, %ld other rows (delayed, complaints, auto-replies), "
			"%ld not bounces, %ld unreadable%s\n",
			g.progress ? "\n" : "", g.messages, g.rows_failed, g.rows_inserted,
			g.dry_run ? "printed" : "inserted", g.rows_rejected, g.rows_other,
			g.not_bounces, g.unreadable, g.db_down ? "; STOPPED: database unavailable" : "");

	if (g.conn)
	{
		rc = PQstatus(g.conn) != CONNECTION_OK ? EX_TEMPFAIL : EX_OK;
		PQfinish(g.conn);
	}
	else
		rc = EX_OK;
	if (g.db_down)
		return EX_TEMPFAIL;
	if (rc != EX_OK)
		return rc;
	if (g.unreadable > 0 || g.rows_rejected > 0)
		return EX_DATAERR;
	return EX_OK;
}
