/*
 * classify.h - bounce classifier of the pure C core (no postgres.h).
 *
 * Decides, from a parsed reply, whether it is a hard or soft bounce (or no
 * failure at all), the reason from Sisimai's vocabulary, and the rule that
 * decided.  Also holds the default policy per reason (action, retry delay)
 * that the SQL layer seeds bounce.reason_policy with.
 */
#ifndef BOUNCE_CLASSIFY_H
#define BOUNCE_CLASSIFY_H

#include "phrases.h"
#include "reply.h"

/* Same order as the SQL enum bounce.bounce_class: max() gives the worst. */
typedef enum bounce_class
{
	BOUNCE_CLASS_NONE = 0,
	BOUNCE_CLASS_SOFT,
	BOUNCE_CLASS_HARD
} bounce_class;

#define BOUNCE_NUM_CLASSES 3

/*
 * Same order as the SQL enum bounce.bounce_reason (alphabetical).  The
 * SPEC's Sisimai vocabulary plus "greylisting", which the retry policy
 * needs to tell apart (retry in minutes, not hours).
 */
typedef enum bounce_reason
{
	BOUNCE_REASON_AUTHFAILURE = 0,
	BOUNCE_REASON_BADREPUTATION,
	BOUNCE_REASON_BLOCKED,
	BOUNCE_REASON_CONTENTERROR,
	BOUNCE_REASON_DELIVERED,
	BOUNCE_REASON_EXCEEDLIMIT,
	BOUNCE_REASON_EXPIRED,
	BOUNCE_REASON_FAILEDSTARTTLS,
	BOUNCE_REASON_FEEDBACK,
	BOUNCE_REASON_FILTERED,
	BOUNCE_REASON_GREYLISTING,
	BOUNCE_REASON_HASMOVED,
	BOUNCE_REASON_HOSTUNKNOWN,
	BOUNCE_REASON_MAILBOXFULL,
	BOUNCE_REASON_MAILERERROR,
	BOUNCE_REASON_MESGTOOBIG,
	BOUNCE_REASON_NETWORKERROR,
	BOUNCE_REASON_NORELAYING,
	BOUNCE_REASON_NOTACCEPT,
	BOUNCE_REASON_NOTCOMPLIANTRFC,
	BOUNCE_REASON_ONHOLD,
	BOUNCE_REASON_POLICYVIOLATION,
	BOUNCE_REASON_REJECTED,
	BOUNCE_REASON_REQUIREPTR,
	BOUNCE_REASON_SECURITYERROR,
	BOUNCE_REASON_SPAMDETECTED,
	BOUNCE_REASON_SPEEDING,
	BOUNCE_REASON_SUPPRESSED,
	BOUNCE_REASON_SUSPEND,
	BOUNCE_REASON_SYNTAXERROR,
	BOUNCE_REASON_SYSTEMERROR,
	BOUNCE_REASON_SYSTEMFULL,
	BOUNCE_REASON_TOOMANYCONN,
	BOUNCE_REASON_UNDEFINED,
	BOUNCE_REASON_USERUNKNOWN,
	BOUNCE_REASON_VACATION,
	BOUNCE_REASON_VIRUSDETECTED
} bounce_reason;

#define BOUNCE_NUM_REASONS (BOUNCE_REASON_VIRUSDETECTED + 1)

/* Same order as the SQL enum bounce.bounce_action. */
typedef enum bounce_action
{
	BOUNCE_ACTION_IGNORE = 0,	/* nothing to do (not a failure) */
	BOUNCE_ACTION_RETRY,		/* send again later */
	BOUNCE_ACTION_ALERT,		/* tell a human; keep the address */
	BOUNCE_ACTION_SUPPRESS		/* stop sending to the address */
} bounce_action;

#define BOUNCE_NUM_ACTIONS 4

/* What decided a verdict, in the SPEC's decision order. */
typedef enum bounce_rule_kind
{
	BOUNCE_RULE_ENHANCED = 0,	/* a specific enhanced code */
	BOUNCE_RULE_TEXT,			/* words in the reply text */
	BOUNCE_RULE_BASIC,			/* the basic reply code */
	BOUNCE_RULE_ENHANCED_CLASS,	/* a generic enhanced code and nothing better */
	BOUNCE_RULE_DEFAULT			/* no code and no known words */
} bounce_rule_kind;

typedef struct bounce_verdict
{
	bounce_class cls;
	bounce_reason reason;
	bounce_rule_kind rule;
	const char *phrase;			/* matched phrase (static), for BOUNCE_RULE_TEXT */
	/* the code that decided, copied from the reply, for the rule text */
	uint16_t	code;
	uint8_t		e_cls;
	uint16_t	e_subject;
	uint16_t	e_detail;
} bounce_verdict;

/* Default policy for one reason: what bounce.reason_policy starts with. */
typedef struct bounce_policy_default
{
	bounce_action action;		/* for a failure of this reason */
	int32_t		retry_after_s;	/* first retry delay in seconds, 0 = none */
	int32_t		retry_max_s;	/* upper bound of the delay (jitter/backoff) */
	bool		message_level;	/* about the message, not the address */
} bounce_policy_default;

/*
 * Build the classifier's static tables now (the phrase automaton).  Optional:
 * the first bounce_classify() does it otherwise.  Once per process; not
 * thread-safe (PostgreSQL backends are single-threaded).
 */
extern void bounce_classify_init(void);

/* Classify a parsed reply.  Pure function of the reply. */
extern void bounce_classify(const bounce_reply *r, bounce_verdict *v);

/*
 * The action a verdict calls for under the given policy action for its
 * reason: soft bounces never suppress on their own (promotion does that),
 * hard bounces are never retried, and non-failures are ignored unless the
 * policy says otherwise (complaints suppress).
 */
extern bounce_action bounce_effective_action(bounce_class cls,
											 bounce_action policy_action);

/* Default policy of a reason (static table). */
extern const bounce_policy_default *bounce_policy_for(bounce_reason reason);

/* Human text of what decided, e.g. "enhanced code 5.1.1", "text \"over quota\"". */
extern size_t bounce_verdict_rule(const bounce_verdict *v, char *buf, size_t cap);

/* Names as in SQL ("hard", "userunknown", "suppress"); NULL when out of range. */
extern const char *bounce_class_name(bounce_class c);
extern const char *bounce_reason_name(bounce_reason r);
extern const char *bounce_action_name(bounce_action a);

/* Reverse lookup; returns -1 when the name is unknown. */
extern int	bounce_reason_from_name(const char *name, size_t len);

/*
 * Scan a text for the phrase table's reasons and signs, with every email
 * address in it opaque (the classifier's reading, also used by the DSN
 * reader for a notice's prose).  Texts over 4 KiB are masked in 'scratch'
 * (scratch_len bytes; NULL: scanned as they are).
 */
extern void bounce_words_scan(const char *t, size_t len, char *scratch,
							  size_t scratch_len, bounce_phrase_match *m);

/* Reasons temporary by nature (mailbox full, rate limits, greylisting): soft even under a 5. */
extern bool bounce_reason_is_temporary(bounce_reason r);

/*
 * Reasons about the sender rather than the recipient (its IP or domain
 * blocked or of bad reputation, failed SPF/DKIM/DMARC, no reverse DNS, its
 * envelope address or client refused): the one list behind
 * bounce.is_sender_side(), set_sender_side_action() and sender_alerts.
 */
extern bool bounce_reason_is_sender_side(bounce_reason r);

#endif							/* BOUNCE_CLASSIFY_H */
