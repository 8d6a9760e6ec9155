/*
 * dsn_ctx.h - the state of the delivery report reader for one message,
 * shared by its modules (not part of the core's interface):
 *
 *   dsn_base.c     rows, strings, addresses, the words of a text (signs)
 *   dsn_prose.c    a notice's prose: where it ends, its recipient lines
 *                  (indexed once), replies, SMTP phases
 *   dsn_notice.c   what the message is (delay, auto-reply, challenge, ...)
 *                  and whose addresses are the sender's own
 *   dsn_verdict.c  status and verdict of a finished row, from its reply
 *                  and what the report adds
 *   dsn_text.c     rows of a plain-text bounce
 *   dsn_json.c     rows of an Amazon SES JSON notification
 *   dsn.c          the MIME parts, delivery reports, complaints,
 *                  auto-replies, nesting and mbox files: the entry point
 *
 * Each module includes only those above it in this list.
 */
#ifndef BOUNCE_DSN_CTX_H
#define BOUNCE_DSN_CTX_H

#include "address.h"
#include "classify.h"
#include "dsn.h"
#include "mime.h"
#include "phrases.h"

#include <string.h>

/* Most parts of each kind remembered per message. */
#define DSN_MAX_PARTS 8

/* Most addresses of the sender, the list and the mail system remembered. */
#define DSN_MAX_OWN 32

/* A span of bytes (into the message or the arena). */
typedef struct dsn_span
{
	const char *p;
	size_t		len;
} dsn_span;

/* Top-level header fields the reader asks about, found in one pass (dsn_header). */
#define DSN_NFIELDS 11

/*
 * The SMTP command a failure answered, as far as a bounce tells: it decides
 * whether "user unknown" means the mailbox is missing (RCPT TO) or that a
 * filter refused a message whose recipients were already accepted (DATA).
 */
typedef enum dsn_phase
{
	DSN_PHASE_UNKNOWN = 0,
	DSN_PHASE_CONNECT,
	DSN_PHASE_MAIL,
	DSN_PHASE_RCPT,
	DSN_PHASE_DATA
} dsn_phase;

/* One recipient line of a notice's prose and the block of text under it. */
typedef struct dsn_prose_line
{
	const char *addr;			/* the address as written */
	size_t		alen;
	size_t		start;			/* offset of its line */
	size_t		end;			/* up to the next recipient line or the prose's end */
	int			next_same;		/* the next line of its hash bucket, in text order, -1 */
	bool		first;			/* the first line naming its address */
	bool		after_sender;	/* the line before introduces the sender ("sent by") */
	int8_t		phase;			/* its SMTP phase, once read (-1: not yet) */
} dsn_prose_line;

/*
 * A text part's prose, read once however many rows ask about it: where the
 * returned copy starts, and every recipient line with a hash on the
 * lower-cased address, so that a report of n recipients costs O(n + text).
 */
typedef struct dsn_prose
{
	bool		built;
	const char *text;
	size_t		len;
	size_t		cut;			/* where the returned copy starts */
	dsn_prose_line *lines;
	int			nlines;
	int		   *bucket;			/* first line of each hash bucket, -1 */
	int			nbuckets;
	int8_t		phase;			/* the phase the whole prose names (-1: not yet) */
	int8_t		phase_all;		/* the same over the whole text part */
	int8_t		phase_pre;		/* the same before the first recipient line */
	int			nrcpts;			/* distinct recipients of those lines, not own (-1: not yet) */
	bool		signs_read;
	uint32_t	signs;			/* the signs of the prose, read once */
	bool		all_signs_read;
	uint32_t	all_signs;		/* the signs of the whole part */
} dsn_prose;

/* Reader state for one message. */
typedef struct dsn_ctx
{
	bounce_arena *arena;
	/* asked now and then whether to stop (NULL: never) */
	bool		(*interrupted) (void *ctx);
	void	   *interrupt_ctx;
	bool		stopped;		/* it said so: everything unwinds */
	/* top-level header block, and its fields of interest once read */
	const char *hdrs;
	size_t		hdrs_len;
	bool		fields_read;
	dsn_span	field_raw[DSN_NFIELDS];
	dsn_span	field[DSN_NFIELDS];	/* unfolded, in the arena, once asked for */
	bool		field_done[DSN_NFIELDS];
	/* parts found by the MIME walk */
	dsn_span	status_parts[DSN_MAX_PARTS];
	int			nstatus;
	dsn_span	feedback_parts[DSN_MAX_PARTS];
	int			nfeedback;
	dsn_span	text_parts[DSN_MAX_PARTS];	/* human-readable, in order */
	dsn_prose	prose[DSN_MAX_PARTS];	/* their index, built on demand */
	int			ntext;
	dsn_span	returned;		/* returned original (message or headers) */
	bool		returned_is_message;
	bool		is_mdn;			/* a disposition notification (RFC 8098): a read receipt, or a refusal */
	dsn_span	mdn;			/* its machine-readable part */
	bool		is_report;		/* multipart/report of any kind */
	bool		text_is_warning;	/* the bounce text is a delay warning */
	bool		to_program;		/* a recipient was a pipe to a program (|cmd) */
	int			pipe_text;		/* prose names a "pipe to |": 0 not looked, 1 yes, -1 no */
	uint32_t	prose_signs;	/* signs of the first text part's prose, once read */
	bool		prose_read;
	uint32_t	subject_signs;	/* signs of the decoded Subject, once read */
	bool		subject_signs_read;
	uint32_t	from_signs;		/* signs of the decoded From (its addresses unmasked), once */
	bool		from_signs_read;
	bool		whole_done;		/* the verdict of the first text part's prose, once */
	bounce_verdict whole;
	dsn_span	subject;		/* the decoded Subject and From, once read */
	dsn_span	from;
	bool		subject_read;
	bool		from_read;
	dsn_span	own[DSN_MAX_OWN];	/* the sender's and the list's addresses */
	int			nown;
	bool		own_done;
	/* rows being built: a table in the arena that grows as needed */
	bounce_dsn_rcpt *rows;
	const char **status_fields;	/* Status: value per row, for the merge */
	int			nrows;
	int			cap_rows;
	bool		out_of_memory;	/* the arena could not hold a row: rows were lost */
} dsn_ctx;

/* Should the reader stop?  Asks the caller's hook, and remembers a yes. */
static inline bool
dsn_stop(dsn_ctx *c)
{
	if (!c->stopped && c->interrupted && c->interrupted(c->interrupt_ctx))
		c->stopped = true;
	return c->stopped;
}

#endif							/* BOUNCE_DSN_CTX_H */
