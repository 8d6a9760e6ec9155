/*
 * dsn_notice.h - what kind of message a notice is, and whose addresses are
 * the sender's own (see dsn_ctx.h).
 */
#ifndef BOUNCE_DSN_NOTICE_H
#define BOUNCE_DSN_NOTICE_H

#include "dsn_ctx.h"

/* Is the notice a delay warning (Subject, or text part k's prose), not a final failure? */
extern bool dsn_notice_is_delay(dsn_ctx *c, int k);

/*
 * True when an address belongs to the sender, the list or the mail system,
 * never to a recipient the notice is about: the notice's From, To,
 * Reply-To, Sender, Return-Path and Delivered-To; the returned original's
 * From, Sender, Reply-To, Return-Path, Errors-To and List-* addresses; an
 * envelope sender a transcript names (MAIL FROM:); any MAILER-DAEMON.
 */
extern bool dsn_is_own_address(dsn_ctx *c, const char *a, size_t n);

/*
 * True when the top-level headers say the message is a bounce; a null
 * Return-Path only counts when the message is not an auto-reply.
 */
extern bool dsn_headers_say_bounce(dsn_ctx *c, bool autoreply);

/* True when a From names a mail system rather than a person. */
extern bool dsn_from_mail_system(dsn_ctx *c);

/* True when the notice calls itself a failure report (Auto-Submitted). */
extern bool dsn_is_failure_notice(dsn_ctx *c);

/* True when the message is an RFC 3834 auto-reply or a vacation notice. */
extern bool dsn_is_autoreply(dsn_ctx *c);

/* True when a program sent the message (Precedence bulk/junk/list, Auto-Submitted). */
extern bool dsn_is_automated(dsn_ctx *c);

/* True when an auto-reply's Subject says so and its words report no failure or delay. */
extern bool dsn_is_vacation_notice(dsn_ctx *c);

/* True when a challenge-response system holds the message (nothing bounced). */
extern bool dsn_is_challenge(dsn_ctx *c);

/*
 * True when the notice's prose is a receiving server's transcript of its
 * own session with a client ("In:" commands, "Out:" replies): mail it
 * refused to receive, which the client's system reports to its sender.
 */
extern bool dsn_is_server_transcript(dsn_ctx *c);

/* True for a person's reply (Re:, In-Reply-To, a person's envelope): no bounce. */
extern bool dsn_is_person_reply(dsn_ctx *c);

/* True for a person's forward of a bounce with a question of its own above it. */
extern bool dsn_is_person_forward(dsn_ctx *c);

/* True for a complaint loop that predates ARF (a forwarded original). */
extern bool dsn_is_complaint(dsn_ctx *c);

/* True when the notice is a complaint in words (an abuse desk's, the recipient's), no report. */
extern bool dsn_is_prose_complaint(dsn_ctx *c);

/* Where the writer's own words end in t: at the first quoted or forwarded line. */
extern size_t dsn_own_words_end(const char *t, size_t len);

/* The signs of the notice's decoded Subject, read once. */
extern uint32_t dsn_subject_signs(dsn_ctx *c);

/*
 * The signs of the notice's decoded From, read once, with its addresses
 * as they are: "MAILER-DAEMON@mx" names a mail system by its local part.
 */
extern uint32_t dsn_from_signs(dsn_ctx *c);

/* The signs of the notice's own prose (its first text part, before the returned copy). */
extern uint32_t dsn_prose_signs(dsn_ctx *c);

#endif							/* BOUNCE_DSN_NOTICE_H */
