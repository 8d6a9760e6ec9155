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

/* One phrase: lowercase text, the reason it means, priority, flags. */
typedef struct bounce_phrase
{
	const char *text;
	uint8_t		reason;			/* a bounce_reason */
	uint8_t		prio;			/* higher wins; ties: the earliest match */
	uint8_t		flags;
} bounce_phrase;

/* Result of a scan: phrase indexes, -1 when nothing matched. */
typedef struct bounce_phrase_match
{
	int			best;			/* highest priority match */
	int			best_strong;	/* highest priority PHRASE_STRONG match */
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
extern int	bounce_phrase_states(void);

#endif							/* BOUNCE_PHRASES_H */
