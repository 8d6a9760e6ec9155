/*
 * dsn_prose.h - a notice's prose: its end, its recipient lines (indexed
 * once per text part), replies, SMTP phases (see dsn_ctx.h).
 */
#ifndef BOUNCE_DSN_PROSE_H
#define BOUNCE_DSN_PROSE_H

#include "dsn_ctx.h"

/* The index of text part k (built on first use). */
extern const dsn_prose *dsn_prose_get(dsn_ctx *c, int k);

/* Offset where text part k's prose ends and the returned copy begins. */
extern size_t dsn_prose_len(dsn_ctx *c, int k);

/*
 * The reply text part k's prose gives for 'rcpt': of its paragraphs, the
 * first with a reply code, else the wordiest.  False when none names it.
 */
extern bool dsn_prose_reply_for(dsn_ctx *c, int k, const char *rcpt,
								const char **reply, size_t *reply_len);

/*
 * The reply of text part k's prose as a whole (its first line with a
 * code, else its words), for a report about one recipient that gives none.
 */
extern bool dsn_prose_whole_reply(dsn_ctx *c, int k, const char **reply,
								  size_t *reply_len);

/*
 * The address a failed recipient was made from, as the prose says
 * ("generated from", "expanded from"): the one the sender used.  With
 * 'only_row', a notice about one recipient whose prose names it by no
 * address (a |program) still gives its one expansion.  NULL when none.
 */
extern const char *dsn_prose_original_for(dsn_ctx *c, int k, const char *rcpt,
										  bool only_row);

/*
 * The phase of rcpt's failure: its paragraph of text part k's prose, else
 * all of the prose (all_prose: of the whole part, which holds no copy of
 * the returned message); when the prose has paragraphs for several
 * recipients ('several'), only the words before the first of them.
 */
extern dsn_phase dsn_prose_phase_for(dsn_ctx *c, int k, const char *rcpt, bool all_prose,
									 bool several);

/*
 * The header block of a copy of the returned original that text part k
 * quotes after its prose ("Below this line is a copy of the message",
 * "Message headers follow"); false when the part has none.
 */
extern bool dsn_prose_inline_headers(dsn_ctx *c, int k, const char **h, size_t *hl);

/* The signs of text part k's prose (with 'all', of the whole part), read once. */
extern uint32_t dsn_prose_part_signs(dsn_ctx *c, int k, bool all);

/* The last SMTP command a span of text names (transcripts, "in reply to"). */
extern dsn_phase dsn_phase_in(const char *s, size_t len);

/*
 * A recipient line: after indentation, an address alone, in brackets, or
 * followed by ':', '...', ' (', '<mailto:' or a short text.  The address
 * as written, or NULL.
 */
extern const char *dsn_recipient_line(const char *line, size_t ll, size_t *alen);

/* True when a line marks the start of the returned original or its headers. */
extern bool dsn_is_returned_marker(const char *line, size_t ll);

/*
 * The reply inside text[start, end): the first line with a reply code,
 * from the code to the end of its paragraph; else the first paragraph
 * with an enhanced code; else, unless need_code, the first non-empty one.
 */
extern bool dsn_reply_in_block(const char *text, size_t start, size_t end,
							   const char **reply, size_t *reply_len, bool need_code);

/* dsn_reply_in_block(), telling in *basic whether the reply has a basic code. */
extern bool dsn_reply_in_block_q(const char *text, size_t start, size_t end,
								 const char **reply, size_t *reply_len, bool need_code,
								 bool *basic);

/*
 * True when a recipient's block text[start, end) holds nothing but its own
 * line (and blank lines): the first addresses of a list, whose reason
 * follows the last one ("  a@x\n  b@y\n\nError: 552 5.3.4 ...").
 */
extern bool dsn_block_is_bare(const char *text, size_t start, size_t end);

/*
 * True when a reply s[0..n) (maybe after a "smtp;" type or a quote) says
 * nothing but that the mail is delayed ("400 4.4.7 Message delayed", as
 * Exchange writes it in a delay notice above the reply that says why).
 */
extern bool dsn_is_placeholder_reply(const char *s, size_t n);

/* Local part names that only mail systems use (mailer-daemon@). */
extern bool dsn_is_system_address(const char *a, size_t len);

/* True when a line's words say that delivery failed (a sign of the phrase table). */
extern bool dsn_says_failure(dsn_ctx *c, const char *line, size_t ll);

#endif							/* BOUNCE_DSN_PROSE_H */
