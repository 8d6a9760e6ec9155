/*
 * bounce-ingest.c - reads bounce emails (files, maildirs, mbox files or
 * stdin), parses them with the same core as bounce.parse_dsn(), and puts
 * their failed recipients and complaints into bounce.events with COPY, in
 * batches, once: every event carries the mail's key (its Message-ID, else
 * a hash of its bytes), and bounce.events keeps one event per (address,
 * key), so a mail delivered again after an outage adds nothing.
 *
 * Made to sit at the end of a mail pipe (Postfix pipe(8), an alias, a
 * .forward) as well as to load an archive.  Nothing is lost unseen: a mail
 * that gives no event (not a bounce, a delay warning, an auto-reply, rows
 * the database refused) is counted and, with --keep-maildir or
 * --keep-table, kept where the user says.  Exit status follows sysexits(3)
 * the way Postfix reads it: 0 done; 64 bad usage; 65 an input file could
 * not be read; 75 the database cannot be reached (the MTA keeps the mail
 * and tries again); 78 a setup error (no table, no extension, no privilege,
 * bad credentials) -- but 75 when the mail came on stdin, since MTAs take
 * 78 as permanent: no mail is lost to a missing GRANT.
 */
#define _GNU_SOURCE				/* getopt_long, strdup, strncasecmp, gethostname */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#define EX_CONFIG	78

/* The columns an event row can fill, in the staging table's order. */
static const char *const event_columns[] = {
	"address", "campaign", "status", "occurred_at", "class", "reason", "event_key"
};
#define NCOLS 7

/* A growing byte buffer. */
typedef struct sbuf
{
	char	   *p;
	size_t		len;
	size_t		cap;
} sbuf;

/*
 * VERP (bounce.config.verp_return): the event rows of a mail whose verdict
 * the database has not given yet wait here, and are asked about for the
 * whole batch at once (bounce.verp_recipient), just before its COPY.
 */
typedef struct pending_row
{
	size_t		addr_off;		/* the address the notice names, in 'pend' */
	size_t		addr_len;
	bool		has_addr;
	size_t		tail_off;		/* the COPY fields after the address, in 'pend' */
	size_t		tail_len;
} pending_row;

typedef struct pending_mail
{
	int			first_row;		/* its rows in 'prow' */
	int			nrows;
	bool		finished;		/* read to its end: judged when its verdict comes */
} pending_mail;

struct mail_ctx;

/* Options and counters of one run. */
typedef struct ingest
{
	const char *conninfo;
	const char *campaign;
	const char *campaign_header;
	const char *table;
	const char *keep_maildir;
	const char *keep_table;
	int			batch;
	bool		dry_run;
	bool		stdin_mbox;		/* stdin holds an mbox, not one mail */
	bool		from_pipe;		/* reading mail from stdin: a setup error defers it */
	bool		progress;		/* stderr is a terminal */
	PGconn	   *conn;
	bool		has_col[NCOLS]; /* which event columns the target table has */
	char		insert_sql[2048];	/* stage -> target */
	/* the batch being built: COPY text rows of the staging table */
	sbuf		copybuf;
	int			buf_rows;
	/* VERP: rows waiting for the database's verdict on their mail */
	bool		verp;			/* config.verp_return is set */
	sbuf		pend;			/* addresses and COPY tails of the waiting rows */
	pending_row *prow;
	int			nprow;
	int			cap_prow;
	pending_mail *pmail;
	int			npmail;
	int			cap_pmail;
	sbuf		q_mails;		/* the verdict query's arrays: mail numbers ... */
	sbuf		q_addrs;		/* ... and the addresses each was sent to */
	struct mail_ctx *cur;		/* the mail being read (its verdict may still come) */
	/* counters */
	long		messages;
	long		events;			/* event rows found */
	long		events_new;
	long		events_known;	/* already in the table: a mail read again */
	long		rows_rejected;	/* refused by the database */
	long		rows_other;		/* delayed, delivered, auto-replies: not events */
	long		no_event;		/* mails that gave no event */
	long		verp_refused;	/* mails refused for their VERP address */
	long		kept;
	long		unreadable;
	int			exit_code;		/* the worst so far */
	char		first_error[160];	/* why the run stopped or a row was refused */
	time_t		last_progress;
} ingest;

/* One mail being read: its rows go in the batch, it may be kept. */
typedef struct mail_ctx
{
	ingest	   *g;
	const char *campaign;
	char	   *campaign_buf;
	long		events;			/* event rows of this mail */
	long		rejected_before;
	const char *why;			/* why it gave no event */
	/* VERP: its verdict, once known; else its rows wait (pending) */
	bool		verp_known;
	char		verp_verdict[16];
	char		verp_addr[256];
	int			pending;		/* its entry in g->pmail, -1 */
} mail_ctx;

static void flush_batch(ingest *g);

/* Print usage to f. */
static void
usage(FILE *f)
{
	fprintf(f,
			"Usage: bounce-ingest [OPTION]... [FILE|MAILDIR|MBOX|-]...\n"
			"Parse bounce emails and record their failed recipients and complaints in\n"
			"bounce.events, once each (a mail read again adds nothing).\n"
			"With no input, or with -, read one mail from stdin (as a mail pipe gives it).\n\n"
			"  -d, --dbname=CONNINFO        database name or connection string\n"
			"  -c, --campaign=NAME          campaign of every event\n"
			"  -H, --campaign-header=NAME   take the campaign from this header of the\n"
			"                               returned original, attached or quoted (X-Campaign)\n"
			"  -t, --table=NAME             target table (default bounce.events)\n"
			"  -b, --batch=N                rows per COPY (default 500)\n"
			"      --mbox                   stdin is an mbox file of several mails\n"
			"      --keep-maildir=DIR       keep every mail that gave no event in this maildir\n"
			"      --keep-table=NAME        ... or in this table (received_at timestamptz,\n"
			"                               why text, message bytea)\n"
			"  -n, --dry-run                print the rows as TSV, touch no database\n"
			"  -h, --help                   show this help\n\n"
			"Exit status: 0 done, 64 bad usage, 65 an input file could not be read,\n"
			"75 database unreachable (retry later), 78 setup error (table, extension,\n"
			"privileges; 75 when the mail came on stdin, so that the MTA keeps it queued).\n");
}

/* Keep the worst exit code: 75 and 78 (retry) beat 65 (bad input) beats 0. */
static void
set_exit(ingest *g, int code)
{
	static const int rank[] = {EX_OK, EX_DATAERR, EX_CONFIG, EX_TEMPFAIL};
	int			a = 0,
				b = 0,
				k;

	for (k = 0; k < 4; k++)
	{
		if (rank[k] == g->exit_code)
			a = k;
		if (rank[k] == code)
			b = k;
	}
	if (b > a)
		g->exit_code = code;
}

/* Remember the first error message (one line) for the summary. */
static void
note_error(ingest *g, const char *msg)
{
	size_t		n;

	if (g->first_error[0] != '\0' || msg == NULL)
		return;
	snprintf(g->first_error, sizeof(g->first_error), "%s", msg);
	n = strcspn(g->first_error, "\r\n");
	g->first_error[n] = '\0';
}

/* Is the run stopped (the database is gone or unusable)? */
static bool
stopped(const ingest *g)
{
	return g->exit_code == EX_TEMPFAIL || g->exit_code == EX_CONFIG;
}

/*
 * What a server error means for the mail: no connection is temporary (75);
 * a missing table, extension, function or privilege, or credentials the
 * server refuses, is the set-up's (78); anything else is about the row.
 */
static int
error_kind(PGconn *conn, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	if (PQstatus(conn) != CONNECTION_OK || state == NULL)
		return EX_TEMPFAIL;
	if (strncmp(state, "42", 2) == 0 || strncmp(state, "3F", 2) == 0 ||
		strncmp(state, "28", 2) == 0 || strncmp(state, "0A", 2) == 0 ||
		strcmp(state, "55000") == 0)
		return EX_CONFIG;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0 ||
		strncmp(state, "53", 2) == 0 || strncmp(state, "40", 2) == 0)
		return EX_TEMPFAIL;		/* connection, shutdown, resources, serialization */
	return EX_OK;
}

/* Refresh the one-line progress display (terminal only, once a second at most). */
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
	fprintf(stderr, "\r%ld mails, %ld events (%ld new), %ld with no event ",
			g->messages, g->events, g->events_new, g->no_event);
}

/* Append bytes to a buffer, growing it. */
static void
buf_append(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		size_t		cap = (b->cap ? b->cap * 2 : 65536);

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (b->p == NULL)
		{
			fprintf(stderr, "bounce-ingest: out of memory\n");
			exit(EX_TEMPFAIL);
		}
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* Make room for one more element of a growing array. */
static void *
grow(void *a, int n, int *cap, size_t elem)
{
	if (n < *cap)
		return a;
	*cap = *cap ? *cap * 2 : 64;
	a = realloc(a, (size_t) *cap * elem);
	if (a == NULL)
	{
		fprintf(stderr, "bounce-ingest: out of memory\n");
		exit(EX_TEMPFAIL);
	}
	return a;
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
copy_field(sbuf *b, const char *s, size_t n)
{
	size_t		i = 0;

	if (s == NULL)
	{
		buf_append(b, "\\N", 2);
		return;
	}
	while (i < n)
	{
		unsigned char c = (unsigned char) s[i];
		int			l;

		if (c == '\\')
			buf_append(b, "\\\\", 2);
		else if (c == '\t')
			buf_append(b, "\\t", 2);
		else if (c == '\n')
			buf_append(b, "\\n", 2);
		else if (c == '\r')
			buf_append(b, "\\r", 2);
		else if (c < 0x20)
			buf_append(b, " ", 1);
		else if ((l = utf8_len((const unsigned char *) s + i, n - i)) > 0)
		{
			buf_append(b, s + i, (size_t) l);
			i += (size_t) l;
			continue;
		}
		else
			buf_append(b, "?", 1);
		i++;
	}
}

/*
 * Append one element of an array literal ({"a","b"}), with a comma before
 * all but the first: quoted, '"' and '\' escaped, bytes that are not UTF-8
 * replaced by '?' (as parse_dsn reads them, no VERP address has any).
 */
static void
array_element(sbuf *b, const char *s, size_t n)
{
	size_t		i = 0;

	buf_append(b, b->len > 1 ? ",\"" : "\"", b->len > 1 ? 2 : 1);
	while (i < n)
	{
		unsigned char c = (unsigned char) s[i];
		int			l;

		if (c == '"' || c == '\\')
		{
			buf_append(b, "\\", 1);
			buf_append(b, s + i, 1);
		}
		else if (c < 0x20)
			buf_append(b, " ", 1);
		else if ((l = utf8_len((const unsigned char *) s + i, n - i)) > 0)
		{
			buf_append(b, s + i, (size_t) l);
			i += (size_t) l;
			continue;
		}
		else
			buf_append(b, "?", 1);
		i++;
	}
	buf_append(b, "\"", 1);
}

/* Days in a month of a year (Gregorian). */
static int
days_in_month(int year, int mon)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (mon == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[mon - 1];
}

/*
 * An email date ("Tue, 14 May 2024 09:12:44 +0000 (UTC)") as ISO 8601 in
 * out; false when it is not a real date ("31 Feb", a zone of "+9999"), so
 * that only values the database accepts go through and the caller falls
 * back to another date instead of losing the row.
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
	if (year >= 0 && year < 50)
		year += 2000;			/* RFC 5322 4.3: two-digit years */
	else if (year >= 50 && year < 100)
		year += 1900;
	if (mon < 0 || year < 1970 || year > 9999 || day < 1 || day > days_in_month(year, mon) ||
		hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
		return false;
	while (*p == ' ')
		p++;
	if (p[0] == '+' || p[0] == '-')
	{
		int			zh,
					zm;

		if (strspn(p + 1, "0123456789") < 4)
			return false;
		zh = (p[1] - '0') * 10 + (p[2] - '0');
		zm = (p[3] - '0') * 10 + (p[4] - '0');
		if (zh > 14 || zm > 59)
			return false;
		snprintf(zone, sizeof(zone), "%.5s", p);
	}
	else
		snprintf(zone, sizeof(zone), "+0000");	/* GMT, UT, or no zone: UTC */
	snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d%s", year, mon, day, hh, mm,
			 ss > 59 ? 59 : ss, zone);
	return true;
}

/* Is the row an event: a failure with a status, or a complaint? */
static bool
is_event(const bounce_dsn_rcpt *r)
{
	if (r->kind == BOUNCE_DSN_FEEDBACK && r->verdict.reason == BOUNCE_REASON_FEEDBACK)
		return true;
	return r->action != NULL && strcmp(r->action, "failed") == 0 &&
		!(r->status.code == 0 && r->status.cls == 0);
}

/* Add a finished row (its address, then the COPY fields after it) to the batch. */
static void
emit_row(ingest *g, const char *addr, size_t alen, const char *tail, size_t tlen)
{
	char		num[32];

	g->events++;
	if (!g->dry_run)
	{
		snprintf(num, sizeof(num), "%d\t", g->buf_rows + 1);
		buf_append(&g->copybuf, num, strlen(num));
	}
	copy_field(&g->copybuf, addr, alen);
	buf_append(&g->copybuf, tail, tlen);
	if (g->dry_run)
	{
		fwrite(g->copybuf.p, 1, g->copybuf.len, stdout);
		g->copybuf.len = 0;
		g->events_new++;
		return;
	}
	g->buf_rows++;
}

/* Is a VERP verdict one that refuses the mail (bounce.verp_recipient)? */
static bool
verp_refuses(const char *verdict)
{
	return strcmp(verdict, "forged") == 0 || strcmp(verdict, "unsigned") == 0 ||
		strcmp(verdict, "conflict") == 0;
}

/* Why a mail refused for its VERP address gave no event (--keep-table's why). */
static const char *
verp_why(const char *verdict)
{
	return strcmp(verdict, "forged") == 0 ? "forged VERP address (it does not decode or verify)" :
		strcmp(verdict, "unsigned") == 0 ? "unsigned VERP address (signatures are required)" :
		"VERP addresses naming different recipients";
}

/*
 * The mail's entry among those waiting for a VERP verdict, made at its
 * first waiting row with the addresses the notice was sent to.
 */
static pending_mail *
pending_entry(ingest *g, mail_ctx *m, const bounce_dsn_info *msg)
{
	pending_mail *p;
	char		num[32];
	const char *to[BOUNCE_DSN_NOTICE_TO_MAX];
	size_t		to_len[BOUNCE_DSN_NOTICE_TO_MAX];
	int			nto;
	int			k;

	if (m->pending >= 0)
		return &g->pmail[m->pending];
	nto = bounce_dsn_notice_to(msg->start, msg->len, to, to_len, BOUNCE_DSN_NOTICE_TO_MAX);
	g->pmail = grow(g->pmail, g->npmail, &g->cap_pmail, sizeof(pending_mail));
	m->pending = g->npmail++;
	p = &g->pmail[m->pending];
	memset(p, 0, sizeof(*p));
	p->first_row = g->nprow;
	snprintf(num, sizeof(num), "%d", m->pending + 1);
	for (k = 0; k < nto; k++)
	{
		buf_append(&g->q_mails, g->q_mails.len > 1 ? "," : "", g->q_mails.len > 1 ? 1 : 0);
		buf_append(&g->q_mails, num, strlen(num));
		array_element(&g->q_addrs, to[k], to_len[k]);
	}
	return p;
}

/*
 * Row callback: event rows go in the batch, the rest is counted.  With
 * VERP reading on, a mail's rows wait until the database has given its
 * verdict on where the mail went (resolve_pending), unless it already has:
 * the address is then the VERP recipient, and a refused mail gives none.
 */
static void
on_row(void *ctx, const bounce_dsn_rcpt *r, const bounce_dsn_info *msg)
{
	mail_ctx   *m = (mail_ctx *) ctx;
	ingest	   *g = m->g;
	/* the address the sender used; NULL when the report names no valid one */
	const char *rcpt = r->original_recipient ? r->original_recipient : r->recipient;
	bool		wait = g->verp && !m->verp_known;
	char	   *status = NULL;
	size_t		sl = 0;
	char		when[64];
	sbuf	   *tail;
	size_t		tail_start;

	g->cur = m;
	if (g->verp && m->verp_known)
	{
		if (verp_refuses(m->verp_verdict))
			return;				/* counted with its mail */
		if (strcmp(m->verp_verdict, "verp") == 0)
			rcpt = m->verp_addr;
	}
	if (!is_event(r) || (rcpt == NULL && !wait))
	{
		g->rows_other++;
		return;
	}
	if (r->status.code != 0 || r->status.cls != 0)
	{
		/* the whole canonical status, cut only to what text input accepts */
		size_t		cap = r->status.text_len + 32;

		if ((status = malloc(cap)) == NULL)
		{
			g->events++;
			g->rows_rejected++;
			return;
		}
		sl = bounce_reply_format(&r->status, status, cap);
		if (sl > BOUNCE_REPLY_MAX_INPUT)
			sl = bounce_utf8_clip(status, sl, BOUNCE_REPLY_MAX_INPUT);
	}
	/* the row's own date, else the notice's, else now; the key needs none */
	if (!iso_date(r->last_attempt, when, sizeof(when)) &&
		!iso_date(msg->date, when, sizeof(when)))
		snprintf(when, sizeof(when), "now");

	/* the fields after the address: in the waiting rows, or for the batch */
	if (wait)
	{
		pending_mail *p = pending_entry(g, m, msg);
		pending_row *pr;

		g->prow = grow(g->prow, g->nprow, &g->cap_prow, sizeof(pending_row));
		pr = &g->prow[g->nprow++];
		p->nrows++;
		pr->has_addr = rcpt != NULL;
		pr->addr_off = g->pend.len;
		pr->addr_len = rcpt ? strlen(rcpt) : 0;
		if (rcpt)
			buf_append(&g->pend, rcpt, pr->addr_len);
		pr->tail_off = g->pend.len;
		tail = &g->pend;
	}
	else
		tail = &g->pend;		/* a scratch copy of the tail, then the row */
	tail_start = tail->len;
	buf_append(tail, "\t", 1);
	copy_field(tail, m->campaign, m->campaign ? strlen(m->campaign) : 0);
	buf_append(tail, "\t", 1);
	copy_field(tail, status, sl);
	buf_append(tail, "\t", 1);
	copy_field(tail, when, strlen(when));
	buf_append(tail, "\t", 1);
	copy_field(tail, bounce_class_name(r->verdict.cls), strlen(bounce_class_name(r->verdict.cls)));
	buf_append(tail, "\t", 1);
	copy_field(tail, bounce_reason_name(r->verdict.reason), strlen(bounce_reason_name(r->verdict.reason)));
	buf_append(tail, "\t", 1);
	copy_field(tail, msg->key, strlen(msg->key));
	buf_append(tail, "\n", 1);
	free(status);
	if (wait)
	{
		g->prow[g->nprow - 1].tail_len = tail->len - tail_start;
		if (g->nprow + g->buf_rows >= g->batch)
			flush_batch(g);
		return;
	}
	emit_row(g, rcpt, strlen(rcpt), tail->p + tail_start, tail->len - tail_start);
	tail->len = tail_start;
	m->events++;
	if (!g->dry_run && g->buf_rows >= g->batch)
		flush_batch(g);
}

/*
 * Ask the database for the VERP verdict on every waiting mail, in one
 * query (bounce.verp_recipient over the addresses each was sent to), and
 * move their rows to the batch: with the VERP recipient as the address,
 * the notice's own otherwise, none for a refused mail.  A mail read to
 * its end is judged here (no event: counted); the one still being read
 * keeps its verdict for the rest of its rows.  Outside the batch's
 * transaction: the query writes nothing.
 */
static void
resolve_pending(ingest *g)
{
	char	  **verdicts = NULL;
	char	  **recipients = NULL;
	PGresult   *res = NULL;
	int			i;
	int			k;

	if (g->npmail == 0)
		return;
	if (g->q_addrs.len > 1 && !stopped(g))
	{
		const char *params[2];

		buf_append(&g->q_mails, "}", 2);	/* with its NUL */
		buf_append(&g->q_addrs, "}", 2);
		params[0] = g->q_mails.p;
		params[1] = g->q_addrs.p;
		res = PQexecParams(g->conn,
						   "SELECT m.mail, r.recipient, r.verdict"
						   "  FROM (SELECT u.mail, pg_catalog.array_agg(u.a ORDER BY u.i) AS a"
						   "          FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int4[]),"
						   "                          pg_catalog.unnest($2::pg_catalog.text[]))"
						   "               WITH ORDINALITY AS u(mail, a, i)"
						   "         GROUP BY u.mail) m"
						   "  CROSS JOIN LATERAL bounce.verp_recipient(m.a) r",
						   2, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
		{
			int			kind = error_kind(g->conn, res);

			note_error(g, PQresultErrorMessage(res));
			set_exit(g, kind == EX_OK ? EX_CONFIG : kind);
		}
		else
		{
			verdicts = calloc((size_t) g->npmail, sizeof(char *));
			recipients = calloc((size_t) g->npmail, sizeof(char *));
			if (verdicts == NULL || recipients == NULL)
				exit(EX_TEMPFAIL);
			for (i = 0; i < PQntuples(res); i++)
			{
				int			mail = atoi(PQgetvalue(res, i, 0)) - 1;

				if (mail < 0 || mail >= g->npmail)
					continue;
				verdicts[mail] = PQgetvalue(res, i, 2);
				recipients[mail] = PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1);
			}
		}
	}
	for (k = 0; k < g->npmail && !stopped(g); k++)
	{
		pending_mail *p = &g->pmail[k];
		const char *verdict = verdicts && verdicts[k] ? verdicts[k] : "none";
		const char *verp = recipients ? recipients[k] : NULL;
		bool		refused = verp_refuses(verdict);
		long		emitted = 0;

		for (i = p->first_row; i < p->first_row + p->nrows && !refused; i++)
		{
			pending_row *pr = &g->prow[i];
			const char *addr = verp ? verp : pr->has_addr ? g->pend.p + pr->addr_off : NULL;
			size_t		alen = verp ? strlen(verp) : pr->addr_len;

			if (addr == NULL)
			{
				g->rows_other++;
				continue;
			}
			emit_row(g, addr, alen, g->pend.p + pr->tail_off, pr->tail_len);
			emitted++;
		}
		if (refused)
			g->verp_refused++;
		if (p->finished)
		{
			g->no_event += emitted == 0;
			continue;
		}
		/* the mail being read: it keeps the verdict for its next rows */
		if (g->cur && g->cur->pending == k)
		{
			mail_ctx   *m = g->cur;

			m->verp_known = true;
			snprintf(m->verp_verdict, sizeof(m->verp_verdict), "%s", verdict);
			snprintf(m->verp_addr, sizeof(m->verp_addr), "%s", verp ? verp : "");
			m->events += emitted;
			m->pending = -1;
			if (refused)
				m->why = verp_why(verdict);
		}
	}
	if (g->cur && g->cur->pending >= 0)
		g->cur->pending = -1;	/* stopped: its rows are dropped */
	free(verdicts);
	free(recipients);
	PQclear(res);
	g->npmail = 0;
	g->nprow = 0;
	g->pend.len = 0;
	g->q_mails.len = 0;
	g->q_addrs.len = 0;
	buf_append(&g->q_mails, "{", 1);
	buf_append(&g->q_addrs, "{", 1);
}

/* A unique name for a maildir file (time.pid_count.host, as maildir(5) asks). */
static void
maildir_name(char *out, size_t cap, long count)
{
	char		host[128] = "localhost";
	size_t		i;

	gethostname(host, sizeof(host) - 1);
	for (i = 0; host[i]; i++)
		if (host[i] == '/' || host[i] == ':')
			host[i] = '_';
	snprintf(out, cap, "%lld.%ld_%ld.%s", (long long) time(NULL), (long) getpid(), count, host);
}

/* Keep a mail that gave no event in the user's maildir or table. */
static void
keep_mail(ingest *g, const char *msg, size_t len, const char *why)
{
	if (g->keep_maildir)
	{
		char		name[256];
		char		tmp[4096];
		char		dst[4096];
		int			fd;

		maildir_name(name, sizeof(name), g->kept);
		snprintf(tmp, sizeof(tmp), "%s/tmp/%s", g->keep_maildir, name);
		snprintf(dst, sizeof(dst), "%s/new/%s", g->keep_maildir, name);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || write(fd, msg, len) != (ssize_t) len || fsync(fd) != 0 ||
			close(fd) != 0 || rename(tmp, dst) != 0)
		{
			fprintf(stderr, "bounce-ingest: cannot keep a mail in %s: %s\n", g->keep_maildir,
					strerror(errno));
			set_exit(g, EX_TEMPFAIL);	/* not kept, so not lost: let the MTA retry */
			return;
		}
		g->kept++;
	}
	if (g->keep_table && g->conn && !stopped(g))
	{
		char		sql[600];
		const char *params[2] = {why, msg};
		int			lengths[2] = {(int) strlen(why), (int) len};
		int			formats[2] = {0, 1};
		PGresult   *res;

		snprintf(sql, sizeof(sql), "INSERT INTO %s (received_at, why, message) VALUES (now(), $1, $2)",
				 g->keep_table);
		res = PQexecParams(g->conn, sql, 2, NULL, params, lengths, formats, 0);
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			g->kept++;
		else
		{
			int			kind = error_kind(g->conn, res);

			note_error(g, PQresultErrorMessage(res));
			set_exit(g, kind == EX_OK ? EX_CONFIG : kind);
		}
		PQclear(res);
	}
}

/* Message callback: a mail with no event is counted and kept. */
static void
on_message(void *ctx, const bounce_dsn_info *msg)
{
	mail_ctx   *m = (mail_ctx *) ctx;
	ingest	   *g = m->g;

	g->messages++;
	if (g->keep_maildir || g->keep_table)
		flush_batch(g);			/* its rows are in (and its VERP verdict known) before it is judged */
	if (m->pending >= 0)
	{
		/* its rows wait for the VERP verdict: it is judged when that comes */
		g->pmail[m->pending].finished = true;
		m->pending = -1;
	}
	else if (m->events == 0 || g->rows_rejected > m->rejected_before)
	{
		const char *why = m->events > 0 ? "rows refused by the database" :
			m->why ? m->why :
			msg->nrows > 0 ? "no failure or complaint (delay, delivery or auto-reply)" :
			"not a bounce";

		g->no_event += m->events == 0;
		keep_mail(g, msg->start, msg->len, why);
	}
	m->events = 0;
	m->rejected_before = g->rows_rejected;
	m->why = NULL;
	m->verp_known = false;
	progress(g, false);
}

/*
 * The campaign of every row of a mail: the option, or the header of its
 * returned original (attached, or quoted in the prose).  Read from a first
 * pass over the mail, which costs a second parse only with -H.
 */
static void
find_campaign(void *ctx, const bounce_dsn_info *msg)
{
	mail_ctx   *m = (mail_ctx *) ctx;
	size_t		vl;
	char		scratch[1024];
	bounce_arena a;
	char	   *v;

	if (m->campaign_buf || msg->returned_headers == NULL)
		return;
	bounce_arena_init(&a, scratch, sizeof(scratch));
	v = bounce_header_get(msg->returned_headers, msg->returned_headers_len,
						  m->g->campaign_header, &a, &vl);
	if (v && vl > 0)
		m->campaign_buf = strndup(v, vl);
}

/* Read one input buffer (one mail, or an mbox file) and queue its rows. */
static void
ingest_buffer(ingest *g, const char *buf, size_t len, int flags)
{
	size_t		cap = BOUNCE_DSN_ARENA_SIZE_FOR(len);
	char	   *arena_buf = malloc(cap);
	bounce_arena arena;
	mail_ctx	m;
	bounce_dsn_sink sink = {on_row, on_message, NULL, &m};

	if (arena_buf == NULL)
	{
		fprintf(stderr, "bounce-ingest: out of memory for a mail of %zu bytes\n", len);
		set_exit(g, EX_TEMPFAIL);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.g = g;
	m.campaign = g->campaign;
	m.pending = -1;
	m.rejected_before = g->rows_rejected;
	if (g->campaign_header && g->campaign == NULL)
	{
		bounce_dsn_sink first = {NULL, find_campaign, NULL, &m};

		/* one mail at a time, so that each has its own campaign */
		if ((flags & BOUNCE_DSN_ONE_MESSAGE) != 0)
		{
			bounce_arena_init(&arena, arena_buf, cap);
			bounce_dsn_read(buf, len, &arena, &first, flags | BOUNCE_DSN_REUSE_ARENA);
			m.campaign = m.campaign_buf;
		}
	}
	bounce_arena_init(&arena, arena_buf, cap);
	bounce_dsn_read(buf, len, &arena, &sink, flags | BOUNCE_DSN_REUSE_ARENA);
	g->cur = NULL;				/* every mail of it was read to its end */
	free(m.campaign_buf);
	free(arena_buf);
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

/*
 * One file: a single mail, or an mbox file (the core's rule splits it).
 * Stdin is one mail, whatever "From " lines it holds (local(8) prepends
 * one and does not quote those of the body), unless --mbox says otherwise.
 * With -H, an mbox is read mail by mail so that each has its campaign.
 */
static void
ingest_file(ingest *g, const char *path)
{
	bool		is_stdin = strcmp(path, "-") == 0;
	FILE	   *f = is_stdin ? stdin : fopen(path, "rb");
	char	   *buf;
	size_t		len = 0;
	int			flags = (is_stdin && !g->stdin_mbox) ? BOUNCE_DSN_ONE_MESSAGE : 0;

	if (f == NULL)
	{
		fprintf(stderr, "%sbounce-ingest: cannot open %s: %s\n", g->progress ? "\n" : "",
				path, strerror(errno));
		g->unreadable++;
		set_exit(g, EX_DATAERR);
		return;
	}
	buf = read_all(f, &len);
	if (!is_stdin)
		fclose(f);
	if (buf == NULL)
	{
		fprintf(stderr, "bounce-ingest: cannot read %s\n", path);
		g->unreadable++;
		/* a pipe's mail that could not be read must not be acknowledged */
		set_exit(g, is_stdin ? EX_TEMPFAIL : EX_DATAERR);
		return;
	}
	if (g->campaign_header && g->campaign == NULL && flags == 0)
	{
		/* several mails in one file: one at a time, each with its campaign */
		size_t		at = 0;

		while (at < len && !stopped(g))
		{
			size_t		next = bounce_mbox_next(buf, len, at);

			ingest_buffer(g, buf + at, next - at, BOUNCE_DSN_ONE_MESSAGE);
			at = next;
		}
	}
	else
		ingest_buffer(g, buf, len, flags);
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
		set_exit(g, EX_DATAERR);
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
	if (n > 0)
		qsort(names, n, sizeof(char *), cmp_names);
	for (i = 0; i < n; i++)
	{
		char		full[4096];
		struct stat st;

		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (!stopped(g) && stat(full, &st) == 0 && S_ISDIR(st.st_mode))
		{
			if (depth < 1)
				ingest_dir(g, full, depth + 1);
		}
		else if (!stopped(g) && stat(full, &st) == 0 && S_ISREG(st.st_mode))
			ingest_file(g, full);
		free(names[i]);
	}
	free(names);
}

/* Run one statement; false (with the exit code set) when it fails. */
static bool
exec_ok(ingest *g, const char *sql, ExecStatusType want)
{
	PGresult   *res = PQexec(g->conn, sql);
	bool		ok = PQresultStatus(res) == want;

	if (!ok)
	{
		int			kind = error_kind(g->conn, res);

		note_error(g, PQresultErrorMessage(res));
		set_exit(g, kind == EX_OK ? EX_CONFIG : kind);
	}
	PQclear(res);
	return ok;
}

/* COPY the batch into the staging table (inside the caller's transaction). */
static bool
copy_stage(ingest *g)
{
	PGresult   *res = PQexec(g->conn, "COPY pg_temp.bounce_ingest_stage FROM STDIN");
	bool		ok = false;

	if (PQresultStatus(res) == PGRES_COPY_IN)
	{
		PQclear(res);
		if (PQputCopyData(g->conn, g->copybuf.p, (int) g->copybuf.len) == 1 &&
			PQputCopyEnd(g->conn, NULL) == 1)
		{
			res = PQgetResult(g->conn);
			ok = PQresultStatus(res) == PGRES_COMMAND_OK;
			if (!ok)
			{
				note_error(g, PQresultErrorMessage(res));
				set_exit(g, error_kind(g->conn, res) == EX_OK ? EX_CONFIG : error_kind(g->conn, res));
			}
			PQclear(res);
			while ((res = PQgetResult(g->conn)) != NULL)
				PQclear(res);
			return ok;
		}
	}
	note_error(g, PQerrorMessage(g->conn));
	set_exit(g, error_kind(g->conn, res));
	PQclear(res);
	return false;
}

/* Insert staged rows (all, or row n) into the target; new rows counted. */
static int
insert_staged(ingest *g, int n, PGresult **err)
{
	char		sql[2200];
	PGresult   *res;
	int			added;

	if (n > 0)
		snprintf(sql, sizeof(sql), "%s WHERE n = %d ON CONFLICT DO NOTHING", g->insert_sql, n);
	else
		snprintf(sql, sizeof(sql), "%s ON CONFLICT DO NOTHING", g->insert_sql);
	res = PQexec(g->conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		*err = res;
		return -1;
	}
	added = atoi(PQcmdTuples(res));
	PQclear(res);
	return added;
}

/*
 * Insert the batch once: COPY into a staging table, then INSERT ... ON
 * CONFLICT DO NOTHING into the target, in one transaction.  A refused
 * batch is retried row by row (each in a savepoint), so one bad row never
 * costs the others.
 */
static void
flush_batch(ingest *g)
{
	PGresult   *err = NULL;
	int			added;
	int			k;

	resolve_pending(g);
	if (g->buf_rows == 0 || g->dry_run || stopped(g))
	{
		g->copybuf.len = 0;
		g->buf_rows = 0;
		return;
	}
	if (!exec_ok(g, "BEGIN", PGRES_COMMAND_OK) || !copy_stage(g))
		goto done;
	if ((added = insert_staged(g, 0, &err)) >= 0)
	{
		if (exec_ok(g, "COMMIT", PGRES_COMMAND_OK))
		{
			g->events_new += added;
			g->events_known += g->buf_rows - added;
		}
		goto done;
	}
	/* refused as a whole: why, and then row by row */
	k = error_kind(g->conn, err);
	if (k != EX_OK)
		note_error(g, PQresultErrorMessage(err));	/* the summary names the missing grant */
	PQclear(err);
	if (k != EX_OK)
	{
		set_exit(g, k);
		goto done;
	}
	if (!exec_ok(g, "ROLLBACK", PGRES_COMMAND_OK) || !exec_ok(g, "BEGIN", PGRES_COMMAND_OK) ||
		!copy_stage(g))
		goto done;
	for (k = 1; k <= g->buf_rows && !stopped(g); k++)
	{
		if (!exec_ok(g, "SAVEPOINT r", PGRES_COMMAND_OK))
			break;
		if ((added = insert_staged(g, k, &err)) >= 0)
		{
			g->events_new += added;
			g->events_known += 1 - added;
			exec_ok(g, "RELEASE SAVEPOINT r", PGRES_COMMAND_OK);
		}
		else
		{
			int			kind = error_kind(g->conn, err);

			if (kind != EX_OK)
				set_exit(g, kind);
			g->rows_rejected++;
			fprintf(stderr, "%sbounce-ingest: row refused: %s", g->progress ? "\n" : "",
					PQresultErrorMessage(err));
			note_error(g, PQresultErrorMessage(err));
			PQclear(err);
			exec_ok(g, "ROLLBACK TO SAVEPOINT r", PGRES_COMMAND_OK);
		}
	}
	if (!stopped(g))
		exec_ok(g, "COMMIT", PGRES_COMMAND_OK);
done:
	if (stopped(g) && PQstatus(g->conn) == CONNECTION_OK)
		PQclear(PQexec(g->conn, "ROLLBACK"));
	if (!stopped(g))
		exec_ok(g, "TRUNCATE pg_temp.bounce_ingest_stage", PGRES_COMMAND_OK);
	g->copybuf.len = 0;
	g->buf_rows = 0;
	progress(g, true);
}

/*
 * Connect, check the target table, see which of the event columns it has,
 * and make the staging table.  False (exit code set) when nothing can go
 * in: 75 when the server cannot be reached, 78 for the rest.
 */
static bool
prepare(ingest *g)
{
	const char *params[1] = {g->table};
	PGresult   *res;
	char		cols[512] = "";
	char		sel[1024] = "";
	int			k;
	static const char *const casts[NCOLS] = {
		"", "", "::bounce.smtp_status", "::timestamptz", "::bounce.bounce_class",
		"::bounce.bounce_reason", ""
	};

	g->conn = PQconnectdb(g->conninfo);
	if (PQstatus(g->conn) != CONNECTION_OK)
	{
		const char *m = PQerrorMessage(g->conn);

		note_error(g, m);
		/* the server answered and refused the credentials: a setup error */
		set_exit(g, strstr(m, "authentication failed") || strstr(m, "does not exist") ||
				 strstr(m, "no pg_hba.conf entry") ? EX_CONFIG : EX_TEMPFAIL);
		return false;
	}
	PQsetClientEncoding(g->conn, "UTF8");
	/* the table name goes into SQL: quoted through the server */
	res = PQexecParams(g->conn, "SELECT $1::regclass::text", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		int			kind = error_kind(g->conn, res);

		note_error(g, PQresultErrorMessage(res));
		set_exit(g, kind == EX_OK ? EX_CONFIG : kind);
		PQclear(res);
		return false;
	}
	g->table = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	res = PQexecParams(g->conn,
					   "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = $1::regclass"
					   " AND attnum > 0 AND NOT attisdropped", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		note_error(g, PQresultErrorMessage(res));
		set_exit(g, error_kind(g->conn, res) == EX_OK ? EX_CONFIG : error_kind(g->conn, res));
		PQclear(res);
		return false;
	}
	for (k = 0; k < NCOLS; k++)
	{
		int			i;

		for (i = 0; i < PQntuples(res); i++)
			if (strcmp(PQgetvalue(res, i, 0), event_columns[k]) == 0)
				g->has_col[k] = true;
		if (!g->has_col[k])
			continue;
		snprintf(cols + strlen(cols), sizeof(cols) - strlen(cols), "%s%s",
				 cols[0] ? ", " : "", event_columns[k]);
		snprintf(sel + strlen(sel), sizeof(sel) - strlen(sel), "%s%s%s",
				 sel[0] ? ", " : "", event_columns[k], casts[k]);
	}
	PQclear(res);
	if (!g->has_col[0] || (!g->has_col[2] && !g->has_col[4]))
	{
		note_error(g, "the target table needs an address column and a status or class column");
		set_exit(g, EX_CONFIG);
		return false;
	}
	snprintf(g->insert_sql, sizeof(g->insert_sql),
			 "INSERT INTO %s (%s) SELECT %s FROM pg_temp.bounce_ingest_stage", g->table, cols, sel);
	if (!exec_ok(g, "CREATE TEMP TABLE bounce_ingest_stage (n int, address text, campaign text,"
				 " status text, occurred_at text, class text, reason text, event_key text)",
				 PGRES_COMMAND_OK))
		return false;

	/*
	 * Does the database read VERP return addresses (config.verp_return)?
	 * Asked once: then every mail's rows wait for its verdict.  An install
	 * without bounce.verp_recipient (1.0) reads none.
	 */
	res = PQexec(g->conn, "SELECT verdict FROM bounce.verp_recipient('{}'::pg_catalog.text[])");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		g->verp = strcmp(PQgetvalue(res, 0, 0), "off") != 0;
	else
	{
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		if (state == NULL || (strcmp(state, "42883") != 0 && strcmp(state, "3F000") != 0))
		{
			int			kind = error_kind(g->conn, res);

			note_error(g, PQresultErrorMessage(res));
			set_exit(g, kind == EX_OK ? EX_CONFIG : kind);
			PQclear(res);
			return false;
		}
	}
	PQclear(res);
	return true;
}

/* The summary: its first line says what happened in under 100 characters. */
static void
summary(ingest *g)
{
	/*
	 * At the end of a mail pipe a setup error must not lose the mail: MTAs
	 * read 78 as permanent (Postfix bounces with 5.3.5, and a bounce's
	 * bounce goes nowhere), 75 as "try again", which keeps it queued until
	 * the setup is fixed.
	 */
	bool		setup = g->exit_code == EX_CONFIG;

	if (g->from_pipe && setup)
		g->exit_code = EX_TEMPFAIL;

	const char *what = setup ? "STOPPED, setup error" :
		g->exit_code == EX_TEMPFAIL ? "STOPPED, database unavailable" :
		g->exit_code == EX_DATAERR ? "unreadable input" : "done";

	fprintf(stderr, "%sbounce-ingest: %s: %ld mails, %ld events (%ld new), %ld no event, %ld kept\n",
			g->progress ? "\n" : "", what, g->messages, g->events, g->events_new,
			g->no_event, g->kept);
	fprintf(stderr, "bounce-ingest: %ld events already recorded (mail read again), %ld rows refused,"
			" %ld other rows (delays, deliveries, auto-replies), %ld unreadable inputs; exit %d\n",
			g->events_known, g->rows_rejected, g->rows_other, g->unreadable, g->exit_code);
	if (g->verp)
		fprintf(stderr, "bounce-ingest: VERP return addresses read; %ld mails refused (forged,"
				" unsigned or conflicting)\n", g->verp_refused);
	if (g->first_error[0])
		fprintf(stderr, "bounce-ingest: first error: %s\n", g->first_error);
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
		{"mbox", no_argument, NULL, 'm'},
		{"keep-maildir", required_argument, NULL, 'K'},
		{"keep-table", required_argument, NULL, 'T'},
		{"dry-run", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	ingest		g;
	int			c;
	int			i;

	memset(&g, 0, sizeof(g));
	g.conninfo = "";
	g.table = "bounce.events";
	g.batch = 500;
	buf_append(&g.q_mails, "{", 1);
	buf_append(&g.q_addrs, "{", 1);
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
			case 'm':
				g.stdin_mbox = true;
				break;
			case 'K':
				g.keep_maildir = optarg;
				break;
			case 'T':
				g.keep_table = optarg;
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
	if (g.keep_maildir)
	{
		char		d[4096];
		struct stat st;

		snprintf(d, sizeof(d), "%s/new", g.keep_maildir);
		if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
		{
			fprintf(stderr, "bounce-ingest: --keep-maildir %s is not a maildir (no new/)\n",
					g.keep_maildir);
			return EX_CONFIG;
		}
	}

	g.from_pipe = optind >= argc || (optind + 1 == argc && strcmp(argv[optind], "-") == 0);
	if (!g.dry_run && !prepare(&g))
	{
		summary(&g);
		PQfinish(g.conn);
		return g.exit_code;
	}
	if (optind >= argc)
		ingest_file(&g, "-");
	for (i = optind; i < argc && !stopped(&g); i++)
	{
		struct stat st;

		if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			ingest_dir(&g, argv[i], 0);
		else
			ingest_file(&g, argv[i]);
	}
	flush_batch(&g);
	progress(&g, true);
	summary(&g);
	if (g.conn)
		PQfinish(g.conn);
	return g.exit_code;
}
