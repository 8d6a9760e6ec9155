/*
 * phrases.h - phrase table and Aho-Corasick matcher of the classifier
 * (pure C core, no postgres.h).
 *
 * All phrases are matched in one pass over the reply text, case-insensitively
 * and with runs of white space folded to one space.  The automaton lives in
 * static fixed-size arrays and is built once per process on first use.
 */
#ifndef BOUNCE_PHRASES_H
#define BOUNCE_PHRASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Phrase flags. */
#define PHRASE_STRONG	0x01	/* may override a specific enhanced code */
#define PHRASE_WB_LEFT	0x02	/* must start a word (space or text start before) */
#define PHRASE_WB_RIGHT	0x04	/* must end a word (space or text end after) */
#define PHRASE_WORD		(PHRASE_WB_LEFT | PHRASE_WB_RIGHT)
#define PHRASE_JA		0x08	/* Japanese, in UTF-8: matched on JIS codes (japanese.h) */
#define PHRASE_UNI		0x10	/* other scripts, in UTF-8: matched on code points (scripts.h) */

/* One phrase: lowercase text, the reason it means, priority, flags. */
typedef struct bounce_phrase
{
	const char *text;
	uint8_t		reason;			/* a bounce_reason */
	uint8_t		prio;			/* higher wins; ties: the earliest match */
	uint8_t		flags;
} bounce_phrase;

/*
 * Signs: what a notice's words say about the message as a whole, beside
 * the reason a reply's words give.  Read by the DSN reader (is this a
 * delay warning? does the prose say delivery failed?), never by the
 * classifier; matched by the same automaton in the same pass, with the
 * same normalisation, so a reply and a notice are read by one set of rules.
 */
#define BOUNCE_SIGN_DELAY		0x0001	/* a delay warning: not yet delivered, still trying */
#define BOUNCE_SIGN_FINAL		0x0002	/* delivery failed for good: giving up, permanent */
#define BOUNCE_SIGN_TEMPORARY	0x0004	/* the failure is temporary, in words */
#define BOUNCE_SIGN_NO_ANSWER	0x0008	/* the remote host never answered in time */
#define BOUNCE_SIGN_DNS_FAILURE 0x0010	/* a DNS lookup failed (not a missing name) */
#define BOUNCE_SIGN_FAILURE		0x0020	/* the words say that delivery failed */
#define BOUNCE_SIGN_PIPE		0x0040	/* delivery to a local program ("pipe to |") */
#define BOUNCE_SIGN_AUTOREPLY	0x0080	/* an auto-reply: out of office, automatic reply */
#define BOUNCE_SIGN_CHALLENGE	0x0100	/* a challenge-response system asks the sender to prove itself */
#define BOUNCE_SIGN_PERMANENT	0x0200	/* the failure is permanent, in words */
#define BOUNCE_SIGN_BOUNCE		0x0400	/* a Subject that names a bounce or a delay notice */
#define BOUNCE_SIGN_COMPLAINT	0x0800	/* an abuse complaint (a Subject; an abuse desk's or a recipient's words) */
#define BOUNCE_SIGN_RETURNED	0x1000	/* a line that introduces the returned message */
#define BOUNCE_SIGN_MAIL_SYSTEM	0x2000	/* a From that names a mail system (MAILER-DAEMON) */
#define BOUNCE_SIGN_ATTEMPTS	0x4000	/* the number of delivery attempts made ("20 attempts") */
#define BOUNCE_SIGN_ACKNOWLEDGED 0x8000	/* a helpdesk acknowledges a request ("we have received your request") */

/* One sign phrase: lowercase text, the signs it gives, flags. */
typedef struct bounce_sign_phrase
{
	const char *text;
	uint32_t	signs;
	uint8_t		flags;
} bounce_sign_phrase;

/* Result of a scan: phrase indexes, -1 when nothing matched, and signs. */
typedef struct bounce_phrase_match
{
	int			best;			/* highest priority match */
	int			best_strong;	/* highest priority PHRASE_STRONG match */
	uint32_t	signs;			/* BOUNCE_SIGN_* of every sign phrase seen */
} bounce_phrase_match;

/* Build the automaton now (otherwise done on first scan); idempotent. */
extern void bounce_phrases_build(void);

/* Match all phrases against s[0..len) in one pass. */
extern void bounce_phrases_scan(const char *s, size_t len, bounce_phrase_match *m);

/*
 * Phrase by index (NULL when out of range), and table statistics:
 * bounce_phrase_states() is -1 when the state table overflowed.
 */
extern const bounce_phrase *bounce_phrase_get(int idx);
extern int	bounce_phrase_count(void);
extern const bounce_sign_phrase *bounce_sign_phrase_get(int idx);
extern int	bounce_sign_phrase_count(void);
extern int	bounce_phrase_states(void);

/*
 * True when every sign phrase that gives 'sign' holds 'word' (lower-case
 * ASCII letters).  Letters stay side by side through the normalisation, so
 * a text without the word (case folded) cannot have that sign, and a
 * caller may skip the scan; false when some phrase lacks the word.
 */
extern bool bounce_sign_needs_word(uint32_t sign, const char *word);

#endif							/* BOUNCE_PHRASES_H */
