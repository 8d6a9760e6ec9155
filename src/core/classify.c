/*
 * classify.c - bounce classifier of the pure C core (no postgres.h).
 *
 * Maps a parsed reply to (class, reason, rule) in the SPEC's decision
 * order: a specific enhanced code; words in the text when the code is
 * generic or contradicted by unambiguous ("strong") words; the basic code;
 * a default.  Also the names of the SQL enums and the default policy per
 * reason.  Static tables only; the phrase matching lives in phrases.c.
 */
#include "classify.h"
#include "japanese.h"
#include "address.h"

#include "phrases.h"

#include <string.h>

#define R(x) BOUNCE_REASON_##x

/* SQL enum labels, in enum order. */
static const char *const class_names[BOUNCE_NUM_CLASSES] = {
	"none", "soft", "hard"
};

static const char *const reason_names[BOUNCE_NUM_REASONS] = {
	"authfailure", "badreputation", "blocked", "contenterror", "delivered",
	"exceedlimit", "expired", "failedstarttls", "feedback", "filtered",
	"greylisting", "hasmoved", "hostunknown", "mailboxfull", "mailererror",
	"mesgtoobig", "networkerror", "norelaying", "notaccept",
	"notcompliantrfc", "onhold", "policyviolation", "rejected", "requireptr",
	"securityerror", "spamdetected", "speeding", "suppressed", "suspend",
	"syntaxerror", "systemerror", "systemfull", "toomanyconn", "undefined",
	"userunknown", "vacation", "virusdetected"
};

static const char *const action_names[BOUNCE_NUM_ACTIONS] = {
	"ignore", "retry", "alert", "suppress"
};

/* SQL label of a class, NULL when out of range. */
const char *
bounce_class_name(bounce_class c)
{
	if ((unsigned) c >= BOUNCE_NUM_CLASSES)
		return NULL;
	return class_names[c];
}

/* SQL label of a reason, NULL when out of range. */
const char *
bounce_reason_name(bounce_reason r)
{
	if ((unsigned) r >= BOUNCE_NUM_REASONS)
		return NULL;
	return reason_names[r];
}

/* SQL label of an action, NULL when out of range. */
const char *
bounce_action_name(bounce_action a)
{
	if ((unsigned) a >= BOUNCE_NUM_ACTIONS)
		return NULL;
	return action_names[a];
}

/* Reason by its label (exact, case-sensitive like the SQL enum), or -1. */
int
bounce_reason_from_name(const char *name, size_t len)
{
	int			i;

	if (name == NULL)
		return -1;
	for (i = 0; i < BOUNCE_NUM_REASONS; i++)
	{
		if (strlen(reason_names[i]) == len && memcmp(reason_names[i], name, len) == 0)
			return i;
	}
	return -1;
}

/* Build the phrase automaton now rather than on the first classification. */
void
bounce_classify_init(void)
{
	bounce_phrases_build();
}

/*
 * Default policy per reason.  Reasons temporary by nature retry (minutes
 * for greylisting, a week for full mailboxes); failures about the message
 * alert; the rest suppress when hard (a soft bounce of any reason still
 * retries, see bounce_effective_action), with a 24-72 h retry window.
 */
#define DAY 86400
#define SUPPRESS_P {BOUNCE_ACTION_SUPPRESS, DAY, 3 * DAY, false}
#define ALERT_P {BOUNCE_ACTION_ALERT, DAY, 3 * DAY, true}
#define RETRY_P {BOUNCE_ACTION_RETRY, DAY, 3 * DAY, false}
#define IGNORE_P {BOUNCE_ACTION_IGNORE, 0, 0, false}

static const bounce_policy_default policy_defaults[BOUNCE_NUM_REASONS] = {
	/* authfailure */ SUPPRESS_P,
	/* badreputation */ SUPPRESS_P,
	/* blocked */ SUPPRESS_P,
	/* contenterror */ ALERT_P,
	/* delivered */ IGNORE_P,
	/* exceedlimit */ ALERT_P,
	/* expired */ SUPPRESS_P,
	/* failedstarttls */ SUPPRESS_P,
	/* feedback */ {BOUNCE_ACTION_SUPPRESS, 0, 0, false},
	/* filtered */ SUPPRESS_P,
	/* greylisting */ {BOUNCE_ACTION_RETRY, 300, 900, false},
	/* hasmoved */ SUPPRESS_P,
	/* hostunknown */ SUPPRESS_P,
	/* mailboxfull */ {BOUNCE_ACTION_RETRY, 7 * DAY, 7 * DAY, false},
	/* mailererror */ SUPPRESS_P,
	/* mesgtoobig */ ALERT_P,
	/* networkerror */ SUPPRESS_P,
	/* norelaying */ SUPPRESS_P,
	/* notaccept */ SUPPRESS_P,
	/* notcompliantrfc */ ALERT_P,
	/* onhold */ SUPPRESS_P,
	/* policyviolation */ SUPPRESS_P,
	/* rejected */ SUPPRESS_P,
	/* requireptr */ SUPPRESS_P,
	/* securityerror */ SUPPRESS_P,
	/* spamdetected */ SUPPRESS_P,
	/* speeding */ RETRY_P,
	/* suppressed */ {BOUNCE_ACTION_SUPPRESS, 0, 0, false},
	/* suspend */ SUPPRESS_P,
	/* syntaxerror */ SUPPRESS_P,
	/* systemerror */ SUPPRESS_P,
	/* systemfull */ {BOUNCE_ACTION_RETRY, 7 * DAY, 7 * DAY, false},
	/* toomanyconn */ RETRY_P,
	/* undefined */ SUPPRESS_P,
	/* userunknown */ SUPPRESS_P,
	/* vacation */ IGNORE_P,
	/* virusdetected */ ALERT_P
};

/* Default policy of a reason; out of range gives undefined's. */
const bounce_policy_default *
bounce_policy_for(bounce_reason reason)
{
	if ((unsigned) reason >= BOUNCE_NUM_REASONS)
		return &policy_defaults[BOUNCE_REASON_UNDEFINED];
	return &policy_defaults[reason];
}

/* The action a verdict calls for (see classify.h). */
bounce_action
bounce_effective_action(bounce_class cls, bounce_action policy_action)
{
	switch (cls)
	{
		case BOUNCE_CLASS_NONE:
			/* not a failure: only complaints and explicit alerts act */
			if (policy_action == BOUNCE_ACTION_SUPPRESS ||
				policy_action == BOUNCE_ACTION_ALERT)
				return policy_action;
			return BOUNCE_ACTION_IGNORE;
		case BOUNCE_CLASS_SOFT:
			/* may work later: retry, unless the policy ignores or alerts */
			if (policy_action == BOUNCE_ACTION_IGNORE ||
				policy_action == BOUNCE_ACTION_ALERT)
				return policy_action;
			return BOUNCE_ACTION_RETRY;
		case BOUNCE_CLASS_HARD:
			/* retrying will not help */
			if (policy_action == BOUNCE_ACTION_RETRY)
				return BOUNCE_ACTION_SUPPRESS;
			return policy_action;
	}
	return BOUNCE_ACTION_IGNORE;
}

/* Marker for "generic X.0.x: fall back to the basic code". */
#define FALLBACK_BASIC (-1)

/*
 * Reason of an enhanced code.  *generic is set when the code says little
 * (X.0.0, X.1.0, X.7.1, unknown details ...): then words in the text
 * decide first and the returned reason is only the fallback.
 */
static int
enhanced_reason(int cls, int subject, int detail, bool *generic)
{
	*generic = false;
	if (cls == 2)
		return R(DELIVERED);
	switch (subject)
	{
		case 0:
			*generic = true;
			return FALLBACK_BASIC;
		case 1:				/* addressing */
			switch (detail)
			{
				case 1: return R(USERUNKNOWN);
				case 2: return R(HOSTUNKNOWN);
				case 3: return R(USERUNKNOWN);
				case 4: return R(USERUNKNOWN);
				case 6: return R(HASMOVED);
				case 7: return R(REJECTED);
				case 8: return R(REJECTED);
				case 10: return R(NOTACCEPT);
			}

			/*
			 * X.1.5 (destination valid) and X.1.9 (relayed to a
			 * non-compliant mailer) only report success; under a failure
			 * class (cls is 4 or 5 here) they say nothing, so the words
			 * decide, as for the other details.
			 */
			*generic = true;
			return R(USERUNKNOWN);
		case 2:				/* mailbox */
			switch (detail)
			{
				case 1:
					/* "mailbox disabled, temporarily": how greylisting is sent (SPEC) */
					return cls == 4 ? R(GREYLISTING) : R(SUSPEND);
				case 2: return R(MAILBOXFULL);
				case 3: return R(EXCEEDLIMIT);
				case 4: return R(SYSTEMERROR);
			}
			*generic = true;
			return R(UNDEFINED);
		case 3:				/* mail system */
			switch (detail)
			{
				case 1: return R(SYSTEMFULL);
				case 2: return R(NOTACCEPT);
				case 3: return R(SYSTEMERROR);
				case 4: return R(MESGTOOBIG);
				case 5: return R(SYSTEMERROR);
			}
			/* X.3.6 (converted) is a success note: see X.1.9 above */
			*generic = true;
			return R(SYSTEMERROR);
		case 4:				/* network and routing */
			switch (detail)
			{
				case 1: return R(NETWORKERROR);
				case 2: return R(NETWORKERROR);
				case 3: return R(SYSTEMERROR);
				case 4: return R(HOSTUNKNOWN);
				case 5: return R(TOOMANYCONN);
				case 6: return R(NETWORKERROR);
				case 7: return R(EXPIRED);
			}
			*generic = true;
			return R(NETWORKERROR);
		case 5:				/* mail delivery protocol */
			switch (detail)
			{
				case 1: case 2: case 4: case 5: case 6:
					return R(SYNTAXERROR);
				case 3: return R(TOOMANYCONN);
			}
			*generic = true;
			return R(SYNTAXERROR);
		case 6:				/* message content or media */
			/* X.6.0 too: the subject alone says the content was refused */
			if (detail <= 10)
				return R(CONTENTERROR);
			*generic = true;
			return R(CONTENTERROR);
		case 7:				/* security or policy */
			switch (detail)
			{
				case 1:
					*generic = true;	/* "delivery not authorized": anything */
					return R(REJECTED);
				case 2: return R(REJECTED);
				case 3: case 4: case 5: case 6: case 7: case 8: case 9:
				case 11: case 12: case 14: case 19:
					return R(SECURITYERROR);
				case 10: return R(FAILEDSTARTTLS);
				case 13: return R(SUSPEND);
				case 15: return R(POLICYVIOLATION);
				case 16: return R(MESGTOOBIG);
				case 17: case 18: return R(HASMOVED);
				case 20: case 21: case 22: case 23: case 24: case 26: case 29:
					return R(AUTHFAILURE);
				case 25: return R(REQUIREPTR);
				case 27: return R(REJECTED);
				case 28: return R(SPAMDETECTED);
				case 30: return R(FAILEDSTARTTLS);
			}
			*generic = true;
			return R(SECURITYERROR);
	}
	/* a subject the registry does not know */
	*generic = true;
	return R(UNDEFINED);
}

/* Reason of a basic code alone (SPEC's fallback table). */
static bounce_reason
basic_reason(int code)
{
	if (code >= 200 && code < 300)
		return R(DELIVERED);
	switch (code)
	{
		case 421: return R(SYSTEMERROR);
		case 451: return R(SYSTEMERROR);
		case 452: return R(MAILBOXFULL);
		case 454: return R(FAILEDSTARTTLS);
		case 500: case 501: case 502: case 503: case 504:
			return R(SYNTAXERROR);
		case 521: return R(NOTACCEPT);
		case 523: return R(FAILEDSTARTTLS);
		case 525: return R(SUSPEND);
		case 530: case 534: case 535: case 538:
			return R(SECURITYERROR);
		case 551: return R(HASMOVED);
		case 552: return R(MAILBOXFULL);
		case 553: return R(USERUNKNOWN);
		case 555: return R(SYNTAXERROR);
		case 556: return R(NOTACCEPT);
		case 571: return R(BLOCKED);
	}
	return R(UNDEFINED);
}

/* Reasons that are temporary by nature: soft even under a 5xx. */
bool
bounce_reason_is_temporary(bounce_reason r)
{
	return r == R(MAILBOXFULL) || r == R(SYSTEMFULL) || r == R(TOOMANYCONN) ||
		r == R(SPEEDING) || r == R(GREYLISTING);
}

/*
 * Sender-side reasons: the receiving system refuses the sender, not the
 * recipient, so the address is likely fine and every recipient behind that
 * system fails alike.  blocked (IP or domain on a block list), badreputation
 * (the sending IP or domain's reputation), authfailure (SPF, DKIM, DMARC),
 * requireptr (the sending IP has no reverse DNS), securityerror (the client
 * is not authorized or authenticated) and rejected (the envelope sender is
 * refused; also a bare 5.7.1, the SPEC's "rejected by policy / block").
 * Not in the list: norelaying (mostly the recipient's domain is not served
 * there any more), failedstarttls (the connection, often the receiver's
 * TLS, retried as soft), the message-level reasons (spamdetected,
 * policyviolation, contenterror: the content, not the sender's identity),
 * and rate limits (toomanyconn, speeding: temporary by nature, retried and
 * never suppressing at once; an alert would only stop their retries).
 */
bool
bounce_reason_is_sender_side(bounce_reason r)
{
	return r == R(BLOCKED) || r == R(BADREPUTATION) || r == R(AUTHFAILURE) ||
		r == R(REQUIREPTR) || r == R(SECURITYERROR) || r == R(REJECTED);
}

/* Class of a text-only verdict (no code at all): from the reason. */
static bounce_class
class_from_reason(bounce_reason r)
{
	switch (r)
	{
		case R(USERUNKNOWN):
		case R(HOSTUNKNOWN):
		case R(HASMOVED):
		case R(NOTACCEPT):
		case R(SUSPEND):
		case R(BLOCKED):
		case R(SPAMDETECTED):
		case R(VIRUSDETECTED):
		case R(NORELAYING):
		case R(REJECTED):
		case R(POLICYVIOLATION):
		case R(SECURITYERROR):
		case R(AUTHFAILURE):
		case R(REQUIREPTR):
			return BOUNCE_CLASS_HARD;
		case R(VACATION):
		case R(DELIVERED):
		case R(FEEDBACK):
			return BOUNCE_CLASS_NONE;
		default:
			return BOUNCE_CLASS_SOFT;
	}
}

/* Class from the first digit (basic code, else enhanced class) and reason. */
static bounce_class
class_from_digit(int digit, bounce_reason r)
{
	if (digit == 4)
		return BOUNCE_CLASS_SOFT;
	if (digit == 5)
		return bounce_reason_is_temporary(r) ? BOUNCE_CLASS_SOFT : BOUNCE_CLASS_HARD;
	return BOUNCE_CLASS_NONE;
}

/* ASCII lowercase of a byte, independent of the locale. */
static inline unsigned char
lower_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char) (c + ('a' - 'A')) : c;
}

/*
 * True when the token just before the first "does not exist" / "doesn't
 * exist" of t[0..n) is a host or domain name (a dot, a letter, no '@'):
 * "553 neko.example.com does not exist" is about the domain, while
 * "a@example.com does not exist" and "mailbox does not exist" are about
 * the mailbox.
 */
static bool
host_does_not_exist(const char *t, size_t n)
{
	static const char *const tails[] = {"does not exist", "doesn't exist"};
	const unsigned char *u = (const unsigned char *) t;
	size_t		i;
	int			k;

	for (i = 0; i < n; i++)
	{
		for (k = 0; k < 2; k++)
		{
			size_t		tl = strlen(tails[k]);
			size_t		j,
						b,
						e;
			bool		dot = false,
						alpha = false,
						at = false;

			if (n - i < tl)
				continue;
			for (j = 0; j < tl && lower_ascii(u[i + j]) == (unsigned char) tails[k][j]; j++)
				;
			if (j < tl)
				continue;
			/* the token before it, without brackets, quotes or a final dot */
			e = i;
			while (e > 0 && u[e - 1] == ' ')
				e--;
			while (e > 0 && (u[e - 1] == '.' || u[e - 1] == '>' || u[e - 1] == '"' ||
							 u[e - 1] == '\'' || u[e - 1] == ']' || u[e - 1] == ','))
				e--;
			b = e;
			while (b > 0 && u[b - 1] != ' ' && u[b - 1] != '<' &&
				   u[b - 1] != '"' && u[b - 1] != '\'' && u[b - 1] != '[')
				b--;
			for (j = b; j < e; j++)
			{
				dot |= u[j] == '.';
				at |= u[j] == '@';
				alpha |= (u[j] >= 'a' && u[j] <= 'z') || (u[j] >= 'A' && u[j] <= 'Z');
			}
			return dot && alpha && !at;
		}
	}
	return false;
}

/*
 * Reason of a matched phrase in this text: the bare "does not exist" is
 * about a host when what does not exist is a domain name.
 */
static bounce_reason
phrase_reason(const bounce_phrase *ph, const bounce_reply *r)
{
	if (ph->reason == R(USERUNKNOWN) &&
		(strcmp(ph->text, "does not exist") == 0 ||
		 strcmp(ph->text, "doesn't exist") == 0) &&
		host_does_not_exist(r->text, r->text_len))
		return R(HOSTUNKNOWN);
	return (bounce_reason) ph->reason;
}

/*
 * The weakest guesses of a refused sender ("rejected", "denied",
 * "refused" alone): better than nothing after a bare 550, but a code
 * whose subject already names the trouble ("451 4.3.0 Mail server
 * temporarily rejected message": the mail system) says more.
 */
static bool
weak_refusal(const bounce_phrase *ph)
{
	return ph->reason == R(REJECTED) && ph->prio < 15;
}

/* Longest text the classifier masks on its stack; longer ones use the caller's scratch. */
#define MASK_MAX 4096

/*
 * Scan a text for phrases with every email address in it turned into
 * opaque symbols: "this-local-part-does-not-exist@example.org" or
 * "blocked-sender@..." name a mailbox, they say nothing about why the mail
 * failed.  Texts without an '@' (most) are scanned in place.
 */
void
bounce_words_scan(const char *t, size_t len, char *scratch, size_t scratch_len,
				  bounce_phrase_match *m)
{
	char		stack[MASK_MAX];
	char	   *buf = len <= MASK_MAX ? stack : len <= scratch_len ? scratch : NULL;
	const char *at = len ? memchr(t, '@', len) : NULL;
	bool		iso2022 = at != NULL && memchr(t, 0x1B, len) != NULL;

	if (at == NULL || buf == NULL)
	{
		bounce_phrases_scan(t, len, m);
		return;
	}
	memcpy(buf, t, len);
	while (at != NULL)
	{
		size_t		i = (size_t) (at - t);
		size_t		a;
		size_t		b = i + 1;

		/* an address as the reader finds them (dotted domain or not) */
		if (iso2022 && bounce_ja_in_jis(t, i))
			;					/* half of a Japanese character */
		else if (bounce_address_span(t, len, i, false, &a, &b))
			memset(buf + a, '@', b - a);
		at = b < len ? memchr(t + b, '@', len - b) : NULL;
	}
	bounce_phrases_scan(buf, len, m);
}

/* Classify a parsed reply (see classify.h). */
void
bounce_classify(const bounce_reply *r, bounce_verdict *v)
{
	bounce_phrase_match m;
	int			digit;
	const bounce_phrase *ph;

	v->code = r->code;
	v->e_cls = r->cls;
	v->e_subject = r->subject;
	v->e_detail = r->detail;
	v->phrase = NULL;

	digit = r->code != 0 ? r->code / 100 : r->cls;
	/*
	 * A basic and an enhanced code that disagree on permanence (554 4.4.7,
	 * 451 5.7.1): a 4 in either says a retry may help, and a 4xx is never
	 * hard, so the reply counts as temporary.
	 */
	if (r->code != 0 && r->cls != 0 && (digit == 4 || r->cls == 4) && (digit >= 4 && r->cls >= 4))
		digit = 4;

	/* success and intermediate replies are not failures: no words needed */
	if (digit == 2 || digit == 3)
	{
		v->cls = BOUNCE_CLASS_NONE;
		v->reason = digit == 2 ? R(DELIVERED) : R(UNDEFINED);
		v->rule = r->cls == 2 || r->code == 0 ? BOUNCE_RULE_ENHANCED : BOUNCE_RULE_BASIC;
		if (r->cls == 2)
			v->reason = R(DELIVERED);
		return;
	}

	bounce_words_scan(r->text, r->text_len, NULL, 0, &m);

	if (r->cls != 0)
	{
		bool		generic;
		int			er = enhanced_reason(r->cls, r->subject, r->detail, &generic);

		if (!generic)
		{
			ph = bounce_phrase_get(m.best_strong);
			/* X.1.7/X.1.8 are about the sender: "no such domain" is its domain */
			if (ph != NULL && r->subject == 1 && (r->detail == 7 || r->detail == 8) &&
				(ph->reason == R(USERUNKNOWN) || ph->reason == R(HOSTUNKNOWN)))
				ph = NULL;
			if (ph != NULL && ph->reason != er)
			{
				/* unambiguous words contradict the code: the words win */
				v->reason = phrase_reason(ph, r);
				v->rule = BOUNCE_RULE_TEXT;
				v->phrase = ph->text;
			}
			else
			{
				v->reason = (bounce_reason) er;
				v->rule = BOUNCE_RULE_ENHANCED;
			}
		}
		else if ((ph = bounce_phrase_get(m.best)) != NULL &&
				 !(weak_refusal(ph) && er != FALLBACK_BASIC && er != R(UNDEFINED)))
		{
			v->reason = phrase_reason(ph, r);
			v->rule = BOUNCE_RULE_TEXT;
			v->phrase = ph->text;
		}
		else if (er == FALLBACK_BASIC)
		{
			/* X.0.x says nothing: the basic code may */
			bounce_reason br = r->code != 0 ? basic_reason(r->code) : R(UNDEFINED);

			v->reason = br;
			v->rule = br != R(UNDEFINED) ? BOUNCE_RULE_BASIC : BOUNCE_RULE_ENHANCED_CLASS;
		}
		else if (er == R(UNDEFINED))
		{
			v->reason = R(UNDEFINED);
			v->rule = BOUNCE_RULE_ENHANCED_CLASS;
		}
		else
		{
			/* 421 4.7.0 with no words is the usual throttling reply */
			if (r->code == 421 && r->subject == 7 && r->detail == 0)
				er = R(TOOMANYCONN);
			v->reason = (bounce_reason) er;
			v->rule = BOUNCE_RULE_ENHANCED;
		}
		v->cls = class_from_digit(digit, v->reason);
		return;
	}

	if (r->code != 0)
	{
		/* a basic code alone says little: the words come first */
		ph = bounce_phrase_get(m.best);
		if (ph != NULL)
		{
			v->reason = phrase_reason(ph, r);
			v->rule = BOUNCE_RULE_TEXT;
			v->phrase = ph->text;
		}
		else
		{
			v->reason = basic_reason(r->code);
			v->rule = BOUNCE_RULE_BASIC;
		}
		v->cls = class_from_digit(digit, v->reason);
		return;
	}

	/* no code at all: the words decide the reason and the class */
	ph = bounce_phrase_get(m.best);
	if (ph != NULL)
	{
		v->reason = phrase_reason(ph, r);
		v->rule = BOUNCE_RULE_TEXT;
		v->phrase = ph->text;
		v->cls = class_from_reason(v->reason);
	}
	else
	{
		v->reason = R(UNDEFINED);
		v->rule = BOUNCE_RULE_DEFAULT;
		v->cls = BOUNCE_CLASS_SOFT;
	}
}

/* Append a NUL-terminated string like snprintf would (see reply.c's put). */
static void
append(char *buf, size_t cap, size_t *pos, const char *s)
{
	size_t		n = strlen(s);

	if (*pos < cap)
	{
		size_t		room = cap - *pos;

		memcpy(buf + *pos, s, n < room ? n : room);
	}
	*pos += n;
}

/* Append a small non-negative number. */
static void
append_num(char *buf, size_t cap, size_t *pos, unsigned v)
{
	char		tmp[12];
	int			n = 0;
	char		out[12];
	int			k = 0;

	do
	{
		tmp[n++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < 11);
	while (n > 0)
		out[k++] = tmp[--n];
	out[k] = '\0';
	append(buf, cap, pos, out);
}

/* Append "5.1.1". */
static void
append_enhanced(char *buf, size_t cap, size_t *pos, const bounce_verdict *v)
{
	append_num(buf, cap, pos, v->e_cls);
	append(buf, cap, pos, ".");
	append_num(buf, cap, pos, v->e_subject);
	append(buf, cap, pos, ".");
	append_num(buf, cap, pos, v->e_detail);
}

/* Human text of what decided (see classify.h); snprintf-like return. */
size_t
bounce_verdict_rule(const bounce_verdict *v, char *buf, size_t cap)
{
	size_t		pos = 0;

	switch (v->rule)
	{
		case BOUNCE_RULE_ENHANCED:
			append(buf, cap, &pos, "enhanced code ");
			append_enhanced(buf, cap, &pos, v);
			break;
		case BOUNCE_RULE_TEXT:
			append(buf, cap, &pos, "text \"");
			append(buf, cap, &pos, v->phrase != NULL ? v->phrase : "");
			append(buf, cap, &pos, "\"");
			if (v->e_cls != 0)
			{
				bool		generic;

				(void) enhanced_reason(v->e_cls, v->e_subject, v->e_detail, &generic);
				if (!generic)
				{
					append(buf, cap, &pos, " (overrides enhanced code ");
					append_enhanced(buf, cap, &pos, v);
					append(buf, cap, &pos, ")");
				}
			}
			break;
		case BOUNCE_RULE_BASIC:
			append(buf, cap, &pos, "basic code ");
			append_num(buf, cap, &pos, v->code);
			break;
		case BOUNCE_RULE_ENHANCED_CLASS:
			append(buf, cap, &pos, "enhanced class ");
			append_num(buf, cap, &pos, v->e_cls);
			break;
		case BOUNCE_RULE_DEFAULT:
		default:
			append(buf, cap, &pos, "no code, no matching words");
			break;
	}
	if (cap > 0)
		buf[pos < cap ? pos : cap - 1] = '\0';
	return pos;
}
