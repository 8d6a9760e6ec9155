/*
 * dsn.h - delivery report reader of the pure C core (no postgres.h).
 *
 * Turns one email into one row per recipient it reports on: RFC 3464/6522/
 * 6533 delivery status notifications, the plain-text bounces MTAs still
 * send (qmail, Exim, Sendmail, Exchange, Gmail, ...), RFC 5965 complaints
 * (reason feedback) and RFC 3834 auto-replies (class none, reason
 * vacation).  Anything else gives no rows; no input is an error.
 *
 * Status and reason come from the core's reply scanner and classifier
 * (reply.h, classify.h), exactly as bounce.classify() sees them.
 *
 * Memory: every string of a row lives in the caller's arena (see mime.h);
 * rows are handed to a callback and stay valid until the arena is reused.
 */
#ifndef BOUNCE_DSN_H
#define BOUNCE_DSN_H

#include "classify.h"
#include "mime.h"
#include "reply.h"

/* Where a row came from. */
typedef enum bounce_dsn_kind
{
	BOUNCE_DSN_REPORT = 0,		/* a message/delivery-status block */
	BOUNCE_DSN_TEXT,			/* an MTA's human-readable bounce text */
	BOUNCE_DSN_FEEDBACK,		/* an ARF complaint */
	BOUNCE_DSN_AUTOREPLY		/* an RFC 3834 auto-reply */
} bounce_dsn_kind;

/*
 * What named a row's recipient: a user auditing a suppression can see
 * which evidence the reader trusted.  In the order of trust.
 */
typedef enum bounce_dsn_evidence
{
	BOUNCE_EVIDENCE_REPORT = 0, /* a per-recipient block of a delivery report */
	BOUNCE_EVIDENCE_FAILED_HEADER,	/* the notice's X-Failed-Recipients header */
	BOUNCE_EVIDENCE_PROSE,		/* the notice's paragraph about the recipient */
	BOUNCE_EVIDENCE_TRANSCRIPT, /* an RCPT TO of the notice's SMTP transcript */
	BOUNCE_EVIDENCE_ENVELOPE,	/* the returned original's envelope (Received: ... for) */
	BOUNCE_EVIDENCE_RETURNED_TO,	/* the returned original's To, named nowhere else */
	BOUNCE_EVIDENCE_FEEDBACK,	/* a complaint report's recipient field */
	BOUNCE_EVIDENCE_JSON,		/* an ESP's JSON notification */
	BOUNCE_EVIDENCE_SENDER,		/* an auto-reply's own sender */
	BOUNCE_EVIDENCE_NOTICE,		/* a mail system's failure notice that names nobody */
	BOUNCE_EVIDENCE_VERP		/* the VERP return address the notice came to: set by
								 * a caller that reads those (the glue), never here */
} bounce_dsn_evidence;

/* The name of an evidence kind ("report", "prose", ...), for the SQL column. */
extern const char *bounce_dsn_evidence_name(bounce_dsn_evidence e);

typedef struct bounce_dsn_rcpt
{
	/*
	 * The addresses, normalized (bounce_address_normalize) or NULL when
	 * the report names none that is valid; *_raw as the report wrote them.
	 * The address the sender used is original_recipient, else recipient.
	 */
	const char *recipient;		/* Final-Recipient (or what the text names) */
	const char *original_recipient;
	const char *recipient_raw;
	const char *original_recipient_raw;
	const char *action;			/* lower case: failed, delayed, delivered, ... */
	const char *diagnostic;		/* Diagnostic-Code value or the reply text */
	const char *remote_mta;
	const char *reporting_mta;
	const char *last_attempt;	/* date text as sent (Last-Attempt-Date) */
	bounce_reply status;		/* code == 0 && cls == 0: no status at all */
	bounce_verdict verdict;		/* class and reason */
	bounce_dsn_kind kind;
	bounce_dsn_evidence evidence;
} bounce_dsn_rcpt;

/* What the reader found about one message (of an mbox file: each one). */
typedef struct bounce_dsn_info
{
	int			index;			/* its place in the input, from 0 */
	const char *start;			/* its bytes in the input */
	size_t		len;
	int			nrows;
	const char *returned_headers;	/* header block of the returned original, */
	size_t		returned_headers_len;	/* attached or quoted in the prose */
	const char *date;			/* Date header of the notice itself */
	const char *message_id;		/* its Message-ID, without brackets; NULL */
	/*
	 * Where its rows came from, the same however often the mail is read:
	 * "<message-id>", else "sha256:" and the SHA-256 of all its bytes.
	 */
	char		key[256];
	bool		out_of_memory;	/* the arena could not hold it all: rows were lost */
	bool		interrupted;	/* the caller's hook said stop */
} bounce_dsn_info;

/*
 * Where the reader hands what it finds.  'row' is called once per row, in
 * the order recipients appear, with the info of the message it belongs
 * to; 'message' (may be NULL) after each message, rows or not;
 * 'interrupted' (may be NULL) is asked now and then, and a true answer
 * makes the reader unwind at once and hand out nothing more.
 */
typedef struct bounce_dsn_sink
{
	void		(*row) (void *ctx, const bounce_dsn_rcpt *row, const bounce_dsn_info *msg);
	void		(*message) (void *ctx, const bounce_dsn_info *msg);
	bool		(*interrupted) (void *ctx);
	void	   *ctx;
} bounce_dsn_sink;

/* The input is one mail (a pipe's stdin): "From " lines in it split nothing. */
#define BOUNCE_DSN_ONE_MESSAGE	0x01
/*
 * Reuse the arena from one message of an mbox file to the next: rows and
 * info are valid only during the callbacks, and the arena needs to hold
 * the largest message, not all of them.
 */
#define BOUNCE_DSN_REUSE_ARENA	0x02

/*
 * Read every message of an input (one mail, or an mbox file: a "From "
 * line after an empty line, followed by a header field, starts the next
 * one, unless BOUNCE_DSN_ONE_MESSAGE).  Every recipient is reported: there
 * is no cap, and the time taken is linear in the input.  Returns the
 * number of rows, -1 when the hook stopped it.  The arena should hold
 * BOUNCE_DSN_ARENA_SIZE_FOR(len) bytes (of the largest message, with
 * BOUNCE_DSN_REUSE_ARENA); a smaller one loses rows or parts but never
 * fails, and the info says so.
 */
extern int	bounce_dsn_read(const char *input, size_t len, bounce_arena *arena,
							const bounce_dsn_sink *sink, int flags);

/*
 * Where the mail after the one starting at 'at' begins in an mbox file:
 * the one rule that splits mbox files, for the reader and its callers
 * (a "From " line after an empty line, followed by a header field, in an
 * input that starts with a "From " line); 'len' when there is none.
 */
extern size_t bounce_mbox_next(const char *input, size_t len, size_t at);

/*
 * Where a notice itself was sent, for a caller that reads VERP return
 * addresses (verp.h): the addresses of the top-level Delivered-To,
 * X-Original-To, Envelope-To and X-Envelope-To fields (every one, as the
 * MTAs on the way wrote them) and of To, in the order of the header block,
 * at most 'max'.  'msg' and 'len' are a message as bounce_dsn_info has it
 * (start, len); only its header block is read, on demand, so the reader
 * itself pays nothing for this.  The addresses are spans of 'msg' as
 * written (not NUL-terminated); returns how many there are.
 */
#define BOUNCE_DSN_NOTICE_TO_MAX 8
extern int	bounce_dsn_notice_to(const char *msg, size_t len, const char **addrs,
								 size_t *lens, int max);

/* Old-style row callback of bounce_dsn_parse(). */
typedef void (*bounce_dsn_cb) (void *ctx, const bounce_dsn_rcpt *row);

/*
 * bounce_dsn_read() with a row callback (may be NULL) and the first
 * message's info (rows counted over all); everything stays valid until
 * the arena is reused.
 */
extern int	bounce_dsn_parse(const char *msg, size_t len, bounce_arena *arena,
							 bounce_dsn_cb cb, void *ctx, bounce_dsn_info *info);

/*
 * Arena size that is always enough for one message of 'len' bytes: its
 * parts decoded, and a row table that may grow to one row per 16 bytes.
 */
#define BOUNCE_DSN_ARENA_SIZE_FOR(len) \
	(BOUNCE_ARENA_SIZE_FOR(len) * 2 + sizeof(bounce_dsn_rcpt) * 2 * ((size_t) (len) / 16 + 32))

#endif							/* BOUNCE_DSN_H */
