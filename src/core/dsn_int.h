/*
 * dsn_int.h - what the files of the delivery report reader share (dsn.c,
 * dsn_text.c); not part of the core's interface.
 */
#ifndef BOUNCE_DSN_INT_H
#define BOUNCE_DSN_INT_H

#include "address.h"
#include "dsn.h"

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

/* Reader state for one message. */
typedef struct dsn_ctx
{
	bounce_arena *arena;
	/* top-level header block */
	const char *hdrs;
	size_t		hdrs_len;
	/* parts found by the MIME walk */
	dsn_span	status_parts[DSN_MAX_PARTS];
	int			nstatus;
	dsn_span	feedback_parts[DSN_MAX_PARTS];
	int			nfeedback;
	dsn_span	text_parts[DSN_MAX_PARTS];	/* human-readable, in order */
	int			ntext;
	dsn_span	returned;		/* returned original (message or headers) */
	bool		returned_is_message;
	bool		is_mdn;			/* a read receipt, not a bounce */
	bool		is_report;		/* multipart/report of any kind */
	bool		text_is_warning;	/* the bounce text is a delay warning */
	bool		to_program;		/* a recipient was a pipe to a program (|cmd) */
	int			pipe_text;		/* prose names a "pipe to |": 0 not looked, 1 yes, -1 no */
	uint32_t	prose_signs;	/* signs of the first text part's prose, once read */
	bool		prose_read;
	dsn_span	own[DSN_MAX_OWN];	/* the sender's and the list's addresses */
	int			nown;
	bool		own_done;
	/* rows being built */
	bounce_dsn_rcpt *rows;
	const char **status_fields;	/* Status: value per row, for the merge */
	int			nrows;
} dsn_ctx;

/* Append an empty row; NULL when the table or the arena is full. */
extern bounce_dsn_rcpt *dsn_add_row(dsn_ctx *c);

/* Copy a span into the arena, trimmed and NUL-terminated (NULL if empty). */
extern const char *dsn_strdup_trim(dsn_ctx *c, const char *s, size_t len);


/* A header of the notice with its RFC 2047 encoded words decoded (arena). */
extern const char *dsn_decoded_header(dsn_ctx *c, const char *name, size_t *len);

/* The signs (BOUNCE_SIGN_*) the phrase automaton finds in a text. */
extern uint32_t dsn_signs(dsn_ctx *c, const char *text, size_t len);

/* Is the notice a delay warning (Subject or prose), not a final failure? */
extern bool dsn_notice_is_delay(dsn_ctx *c, const char *prose, size_t len);

/*
 * True when an address belongs to the sender, the list or the mail system,
 * never to a recipient the notice is about: the notice's From, To,
 * Reply-To, Sender, Return-Path and Delivered-To; the
 * returned original's From, Sender, Reply-To, Return-Path, Errors-To and
 * List-* addresses; an envelope sender a transcript names (MAIL FROM:);
 * any MAILER-DAEMON.
 */
extern bool dsn_is_own_address(dsn_ctx *c, const char *a, size_t n);

/* Read the plain-text bounce in 'text'; adds rows, returns how many. */
extern int	dsn_text_bounce(dsn_ctx *c, const char *text, size_t len);

/*
 * A bounce whose prose names no recipient and gives no reply but says that
 * delivery failed: one row for the To of the returned original.
 */
extern int	dsn_text_returned_rcpt(dsn_ctx *c, const char *text, size_t len);

/* Read an Amazon SES JSON notification in 'text'; adds rows, returns how many. */
extern int	dsn_json_notification(dsn_ctx *c, const char *text, size_t len);

/*
 * The address a failed recipient was made from, as the prose says
 * ("generated from", "expanded from"): the one the sender used.  With
 * 'only_row', a notice about one recipient whose prose names it by no
 * address (a |program) still gives its one expansion.  NULL when none.
 */
extern const char *dsn_text_original_for(dsn_ctx *c, const char *text, size_t len,
										 const char *rcpt, bool only_row);

/*
 * The reply of a notice's prose as a whole (its first line with a code,
 * else its words), for a report about one recipient that gives none.
 */
extern bool dsn_text_whole_reply(const char *text, size_t len, const char **reply,
								 size_t *reply_len);

/* The addresses on the recipient lines of a bounce's prose, in order (at most max). */
extern int	dsn_text_recipients(dsn_ctx *c, const char *text, size_t len,
								const char **addrs, size_t *lens, int max);

/* The reply text an MTA's bounce gives for 'rcpt' (for DSN rows with none). */
extern bool dsn_text_reply_for(const char *text, size_t len, const char *rcpt,
							   const char **reply, size_t *reply_len);

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

/* Length of the prose of a bounce text: where the returned copy starts. */
extern size_t dsn_text_prose_len(const char *text, size_t len);

/* The last SMTP command a span of text names (transcripts, "in reply to"). */
extern dsn_phase dsn_text_phase_in(const char *s, size_t len);

/*
 * The phase of rcpt's failure: its paragraph of the prose, else all of it.
 * all_prose: the text holds no copy of the returned message (it is in a
 * part of its own), so no need to find where the prose ends.
 */
extern dsn_phase dsn_text_phase_for(const char *text, size_t len, const char *rcpt,
									bool all_prose);

/*
 * True when the top-level headers say the message is a bounce; a null
 * Return-Path only counts when the message is not an auto-reply.
 */
extern bool dsn_headers_say_bounce(dsn_ctx *c, bool autoreply);

#endif							/* BOUNCE_DSN_INT_H */
