/*
 * dsn_verdict.c - the status and verdict of a finished row: the reply text
 * (Diagnostic-Code, or what a text bounce said) is scanned as
 * bounce.classify(text) would, the Status field only fills in an enhanced
 * code the reply lacks, and then the report adds what a reply alone cannot
 * say (the SMTP phase, expiry, local programs).
 */
#include "dsn_verdict.h"

#include "dsn_base.h"
#include "dsn_notice.h"
#include "dsn_prose.h"

/* White space of any kind found in field values. */
static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}


/* Parse "d.ddd.ddd" at the start of s (after white space). */
static bool
parse_enhanced(const char *s, uint8_t *cls, uint16_t *subject, uint16_t *detail)
{
	int			v[3] = {0, 0, 0};
	int			k;

	if (s == NULL)
		return false;
	while (is_space(*s) || *s == '#')
		s++;
	for (k = 0; k < 3; k++)
	{
		int			nd = 0;

		while (*s >= '0' && *s <= '9' && nd < 4)
		{
			v[k] = v[k] * 10 + (*s - '0');
			s++;
			nd++;
		}
		if (nd == 0 || nd > 3 || (k == 0 && nd != 1))
			return false;
		if (k < 2)
		{
			if (*s != '.')
				return false;
			s++;
		}
	}
	if (*s >= '0' && *s <= '9')
		return false;
	if (!bounce_enhanced_valid(v[0], v[1], v[2]))
		return false;
	*cls = (uint8_t) v[0];
	*subject = (uint16_t) v[1];
	*detail = (uint16_t) v[2];
	return true;
}

/* True when a text (NULL: none) gives one of the signs. */
static bool
says(dsn_ctx *c, const char *d, size_t dl, uint32_t signs)
{
	return d != NULL && dl > 0 && (dsn_signs(c, d, dl) & signs) != 0;
}

/*
 * Does text part k's prose give paragraphs to more than one recipient?  The
 * sender's own address on a line of its own ("<sender@x>: User unknown (in
 * reply to MAIL FROM command)") is none.  Counted once per part.
 */
static bool
several_recipients(dsn_ctx *c, int k)
{
	dsn_prose  *p = (dsn_prose *) dsn_prose_get(c, k);
	int			j;

	if (p->nrcpts < 0)
	{
		p->nrcpts = 0;
		for (j = 0; j < p->nlines && p->nrcpts < 2; j++)
			p->nrcpts += p->lines[j].first && !dsn_is_own_address(c, p->lines[j].addr, p->lines[j].alen);
	}
	return p->nrcpts > 1;
}

/* The SMTP phase of a row's failure: its own reply first, then the prose. */
static dsn_phase
row_phase(dsn_ctx *c, const bounce_dsn_rcpt *r)
{
	dsn_phase	p = DSN_PHASE_UNKNOWN;
	int			k;

	if (r->diagnostic)
		p = dsn_phase_in(r->diagnostic, strlen(r->diagnostic));
	for (k = 0; k < c->ntext && p == DSN_PHASE_UNKNOWN; k++)
		p = dsn_prose_phase_for(c, k, r->recipient, c->returned.p != NULL, several_recipients(c, k));
	return p;
}


/*
 * True when a row's failure came from a local delivery program (a pipe,
 * procmail, a .forward command) rather than from a mail server: its
 * Diagnostic-Code is of type X-Unix, or the report names a "|command"
 * recipient (Sendmail's X-Actual-Recipient, Exim's "pipe to |cmd").
 */
static bool
from_program(dsn_ctx *c, const bounce_dsn_rcpt *r)
{
	static int	pipe_needs_word = -1;
	int			k;

	if (r->diagnostic && bounce_istarts(r->diagnostic, strlen(r->diagnostic), "x-unix"))
		return true;
	if (c->pipe_text == 0)
	{
		/* once per message: Exim's "pipe to |cmd" in the prose */
		c->pipe_text = -1;
		/*
		 * The phrases of that sign ("pipe to") hold "pipe": a part without
		 * it is not scanned (the whole part, returned copy and all, is most
		 * of a notice's bytes).  The table is asked once per process.
		 */
		if (pipe_needs_word < 0)
			pipe_needs_word = bounce_sign_needs_word(BOUNCE_SIGN_PIPE, "pipe");
		for (k = 0; k < c->ntext; k++)
			if ((!pipe_needs_word ||
				 bounce_memifind(c->text_parts[k].p, c->text_parts[k].len, "pipe") != NULL) &&
				(dsn_prose_part_signs(c, k, true) & BOUNCE_SIGN_PIPE))
				c->pipe_text = 1;
	}
	return c->to_program || c->pipe_text > 0;
}

/*
 * The reason a program's exit status means: a bare X-Unix diagnostic is
 * the status from <sysexits.h> (EX_NOUSER 67, EX_NOHOST 68, EX_TEMPFAIL 75,
 * EX_NOPERM 77, EX_CONFIG 78 say what went wrong; the others are failures
 * of the program itself).
 */
static bounce_reason
program_reason(const char *d)
{
	const char *p = strchr(d, ';');
	int			code = 0;

	p = p ? p + 1 : d;
	while (*p == ' ' || *p == '\t')
		p++;
	if (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' &&
		(p[2] == '\0' || p[2] == ' '))
		code = (p[0] - '0') * 10 + (p[1] - '0');
	switch (code)
	{
		case 67:
			return BOUNCE_REASON_USERUNKNOWN;
		case 68:
			return BOUNCE_REASON_HOSTUNKNOWN;
		case 75:
		case 77:
		case 78:
			return BOUNCE_REASON_SYSTEMERROR;
		default:
			return BOUNCE_REASON_MAILERERROR;
	}
}

/*
 * What the report says beyond the reply itself, which bounce.classify()
 * cannot know:
 *  - a "user unknown" that answered DATA, when no x.1.x code backs it, is
 *    a filter's refusal of the message: the recipient had been accepted at
 *    RCPT TO, where a missing mailbox is reported (RFC 5321 3.3);
 *  - a failure of a local delivery program is a mailer error;
 *  - a refusal in words no more precise than "rejected" at the greeting
 *    or EHLO, before any sender or recipient was named, is about the
 *    sending host: blocked;
 *  - an unknown mailbox or domain answering MAIL FROM is the sender's
 *    (the only address named so far): rejected, not a fault of the
 *    recipient's address;
 *  - a failure that only says the host never answered, or how many
 *    attempts were made, means the message sat in the queue until it
 *    expired (no server judged it), and so does a delay notice whose
 *    status is a generic one; a delay whose host never answered is still
 *    queued, and that is a network error, as its code says;
 *  - an expiry whose stated cause is a failing DNS lookup is that network
 *    error: it will recur, however long the queue waits.
 */
static void
context_verdict(dsn_ctx *c, bounce_dsn_rcpt *r)
{
	const char *a = r->action ? r->action : "";
	bool		failed = strcmp(a, "failed") == 0;
	bool		delayed = strcmp(a, "delayed") == 0;
	const char *d = r->diagnostic;
	size_t		dl = d ? strlen(d) : 0;
	dsn_phase	phase;

	if (!failed && !delayed)
		return;
	/*
	 * A text bounce whose recipient paragraph names no cause: the notice's
	 * own words ("was not delivered within 2 days", "aborted after 5
	 * hours") may, as long as they name one.
	 */
	if (r->kind == BOUNCE_DSN_TEXT && r->verdict.reason == BOUNCE_REASON_UNDEFINED &&
		c->ntext > 0)
	{
		bounce_reply whole = r->status;

		/* read once for the codes the rows share, not once per row */
		if (!c->whole_done || c->whole.code != r->status.code || c->whole.e_cls != r->status.cls ||
			c->whole.e_subject != r->status.subject || c->whole.e_detail != r->status.detail)
		{
			whole.text = c->text_parts[0].p;
			whole.text_len = dsn_prose_len(c, 0);
			bounce_classify(&whole, &c->whole);
			c->whole_done = true;
		}
		if (c->whole.rule == BOUNCE_RULE_TEXT)
			r->verdict = c->whole;
	}
	/* a local program failed: only a full mailbox or disk says more */
	if (from_program(c, r))
	{
		if (r->verdict.reason != BOUNCE_REASON_MAILBOXFULL &&
			r->verdict.reason != BOUNCE_REASON_SYSTEMFULL)
			r->verdict.reason = program_reason(d ? d : "");
		return;
	}
	/* the phase is only read when it can change the reason (it scans the prose) */
	phase = failed && (r->verdict.reason == BOUNCE_REASON_USERUNKNOWN ||
					   r->verdict.reason == BOUNCE_REASON_HOSTUNKNOWN ||
					   r->verdict.reason == BOUNCE_REASON_REJECTED ||
					   r->verdict.reason == BOUNCE_REASON_UNDEFINED) ?
		row_phase(c, r) : DSN_PHASE_UNKNOWN;
	if (phase == DSN_PHASE_MAIL && (r->verdict.reason == BOUNCE_REASON_USERUNKNOWN ||
									r->verdict.reason == BOUNCE_REASON_HOSTUNKNOWN))
		r->verdict.reason = BOUNCE_REASON_REJECTED;
	else if (failed && r->verdict.reason == BOUNCE_REASON_USERUNKNOWN &&
			 r->verdict.rule != BOUNCE_RULE_ENHANCED && phase == DSN_PHASE_DATA)
		r->verdict.reason = BOUNCE_REASON_FILTERED;
	else if (failed && phase == DSN_PHASE_CONNECT &&
			 (r->verdict.reason == BOUNCE_REASON_REJECTED ||
			  r->verdict.reason == BOUNCE_REASON_UNDEFINED))
		r->verdict.reason = BOUNCE_REASON_BLOCKED;
	else if (failed && (r->verdict.reason == BOUNCE_REASON_NETWORKERROR ||
						r->verdict.reason == BOUNCE_REASON_SYSTEMERROR ||
						r->verdict.reason == BOUNCE_REASON_UNDEFINED) &&
			 says(c, d, dl, BOUNCE_SIGN_NO_ANSWER | BOUNCE_SIGN_ATTEMPTS))
		r->verdict.reason = BOUNCE_REASON_EXPIRED;
	else if (failed && r->verdict.reason == BOUNCE_REASON_EXPIRED &&
			 says(c, d, dl, BOUNCE_SIGN_DNS_FAILURE))
		r->verdict.reason = BOUNCE_REASON_NETWORKERROR;
	else if (delayed && r->verdict.rule != BOUNCE_RULE_TEXT && r->status.detail == 0 &&
			 (r->verdict.reason == BOUNCE_REASON_NETWORKERROR ||
			  r->verdict.reason == BOUNCE_REASON_UNDEFINED))
		r->verdict.reason = BOUNCE_REASON_EXPIRED;
}

/*
 * The reason of a row whose reply names no cause ("400 4.4.7 Message
 * delayed"): Exchange writes the remote server's last reply, which does,
 * below it in the notice.  The status stays the report's.
 */
static void
cause_verdict(dsn_ctx *c, bounce_dsn_rcpt *r)
{
	int			k;

	for (k = 0; k < c->ntext && r->recipient; k++)
	{
		const char *rep;
		size_t		rl;
		bounce_reply cause;
		bounce_verdict v;
		char	   *buf;

		if (!dsn_prose_reply_for(c, k, r->recipient, &rep, &rl) ||
			dsn_is_placeholder_reply(rep, rl) ||
			(buf = bounce_arena_alloc(c->arena, rl + 1)) == NULL)
			continue;
		bounce_reply_scan(rep, rl, &cause, buf);
		bounce_classify(&cause, &v);
		if (v.reason != BOUNCE_REASON_UNDEFINED)
		{
			r->verdict.reason = v.reason;
			r->verdict.rule = v.rule;
			r->verdict.phrase = v.phrase;
		}
		return;
	}
}

/*
 * Status and verdict of a row: the reply text (Diagnostic-Code, or what a
 * text bounce said) is scanned as bounce.classify(text) would; the Status
 * field only fills in an enhanced code the reply lacks.  This way the
 * reply wins over a generic Status the sending MTA made up.
 */
/* A reply quoted after its basic code, " 550-'...'" or " 550 '...'": where and which. */
static bool
quoted_reply(const char *d, size_t dl, const char **q, size_t *ql, int *code)
{
	size_t		i;

	for (i = 1; i + 5 < dl; i++)
	{
		const char *p = d + i;
		const char *end;

		if (d[i - 1] != ' ' || p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '9' ||
			p[2] < '0' || p[2] > '9' || (p[3] != '-' && p[3] != ' ') || p[4] != '\'')
			continue;
		*q = p + 5;
		end = d + dl;
		while (end > *q && end[-1] != '\'')
			end--;
		*ql = end > *q ? (size_t) (end - 1 - *q) : dl - (size_t) (*q - d);
		*code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
		return true;
	}
	return false;
}

/*
 * A relay may sum a remote reply up in its own words and quote it, "5.1.0 -
 * Unknown address error 550-'5.7.1 <a@b>... Access denied'" (Amazon SES
 * does): when the quoted reply carries an enhanced code of its own, it is
 * the server's status, and the relay's summary is not.
 */
static void
prefer_quoted_reply(dsn_ctx *c, bounce_dsn_rcpt *r, const char *d, size_t dl)
{
	const char *q;
	size_t		ql;
	int			code;
	bounce_reply inner;
	char	   *buf;

	if (r->status.code != 0 || r->status.cls == 0 || !quoted_reply(d, dl, &q, &ql, &code) ||
		(buf = bounce_arena_alloc(c->arena, ql + 1)) == NULL)
		return;
	bounce_reply_scan(q, ql, &inner, buf);
	if (inner.cls == code / 100 && (inner.code == 0 || inner.code == code))
	{
		inner.code = (uint16_t) code;
		r->status = inner;
	}
}

/*
 * A prose notice that reports a transient reply (4xx, words that call the
 * failure temporary, or no code and a cause that passes: a refused or
 * timed-out connection, a rate limit) and never says that the mail system gave up
 * ("permanent error", "giving up", "not going to try again") reports a
 * message that is still queued, or that the client will send again: a
 * delay, whatever the notice calls itself.  A delay read as a failure is
 * the mistake that suppresses someone who can receive mail.
 */
static bool
transient_not_given_up(dsn_ctx *c, const bounce_dsn_rcpt *r, bool made_up)
{
	uint32_t	final = BOUNCE_SIGN_FINAL | BOUNCE_SIGN_PERMANENT;
	/* the enhanced class, else the basic code's ("421 Service not available") */
	int			cls = r->status.cls ? r->status.cls : r->status.code / 100;
	/* no code at all, and a cause that passes: a refused or timed-out connection, a rate limit */
	bool		passing = made_up && (r->verdict.reason == BOUNCE_REASON_NETWORKERROR ||
									  r->verdict.reason == BOUNCE_REASON_TOOMANYCONN ||
									  r->verdict.reason == BOUNCE_REASON_SPEEDING ||
									  r->verdict.reason == BOUNCE_REASON_GREYLISTING);

	if (r->kind != BOUNCE_DSN_TEXT || r->action == NULL || strcmp(r->action, "failed") != 0 ||
		(cls != 4 && !passing) || r->status.code / 100 == 5)
		return false;
	return ((dsn_prose_signs(c) | dsn_subject_signs(c)) & final) == 0;
}

void
dsn_finish_row(dsn_ctx *c, bounce_dsn_rcpt *r, const char *status_field)
{
	const char *d = r->diagnostic;
	size_t		dl = d ? strlen(d) : 0;
	bool		made_up;
	uint8_t		ecls = 0;
	uint16_t	esub = 0;
	uint16_t	edet = 0;
	bool		have_field = parse_enhanced(status_field, &ecls, &esub, &edet);

	memset(&r->status, 0, sizeof(r->status));
	if (dl > 0)
	{
		char	   *buf = bounce_arena_alloc(c->arena, dl + 1);

		if (buf)
			bounce_reply_scan(d, dl, &r->status, buf);
		prefer_quoted_reply(c, r, d, dl);
	}
	/*
	 * A delayed recipient whose last reply was permanent (a 550 that a
	 * soft-bouncing MTA keeps retrying): the reporting MTA's transient
	 * Status is the one that holds, as RFC 3464 has it for Action delayed.
	 */
	if (have_field && ((r->status.cls == 0) ||
					   (ecls == 4 && r->status.cls == 5 && r->action && strcmp(r->action, "delayed") == 0)))
	{
		r->status.cls = ecls;
		r->status.subject = esub;
		r->status.detail = edet;
	}

	/* the action, normalised: rows of a text bounce are failures */
	if (r->action == NULL ||
		!(strcmp(r->action, "failed") == 0 || strcmp(r->action, "delayed") == 0 ||
		  strcmp(r->action, "delivered") == 0 || strcmp(r->action, "relayed") == 0 ||
		  strcmp(r->action, "expanded") == 0))
	{
		int			cls = r->status.cls ? r->status.cls : r->status.code / 100;

		if (cls == 2)
			r->action = "delivered";
		else if (r->kind == BOUNCE_DSN_AUTOREPLY || r->kind == BOUNCE_DSN_FEEDBACK)
			r->action = NULL;
		else
			r->action = "failed";
	}

	/*
	 * A failure report with no code at all (many text bounces): its words
	 * decide the reason and the class, as bounce.classify(text) reads text
	 * with no code ("soft when nothing matches"); the notice's prose may
	 * still say the failure is permanent, or temporary.  The status shown
	 * is RFC 3463's "other or undefined status" of what the notice reports:
	 * 5.0.0 for a failure (the mail system gave up), 4.0.0 for a delay or a
	 * failure it calls temporary.
	 */
	made_up = r->status.code == 0 && r->status.cls == 0 &&
		r->kind != BOUNCE_DSN_AUTOREPLY && r->kind != BOUNCE_DSN_FEEDBACK &&
		(r->action == NULL || strcmp(r->action, "failed") == 0 ||
		 strcmp(r->action, "delayed") == 0);
	if (made_up && r->status.text == NULL && dl > 0)
	{
		r->status.text = d;
		r->status.text_len = dl;
	}

	/* a reply always has a text, if only an empty one */
	if (r->status.text == NULL)
	{
		r->status.text = "";
		r->status.text_len = 0;
	}
	bounce_classify(&r->status, &r->verdict);
	if (dl > 0 && dsn_is_placeholder_reply(d, dl))
		cause_verdict(c, r);
	if (made_up)
	{
		bool		temporary = says(c, d, dl, BOUNCE_SIGN_TEMPORARY);
		bool		permanent = says(c, d, dl, BOUNCE_SIGN_PERMANENT) ||
			(dsn_prose_signs(c) & BOUNCE_SIGN_PERMANENT) != 0;

		if (r->verdict.cls == BOUNCE_CLASS_NONE || (temporary && !permanent))
			r->verdict.cls = BOUNCE_CLASS_SOFT;
		else if (permanent && r->verdict.cls == BOUNCE_CLASS_SOFT &&
				 !bounce_reason_is_temporary(r->verdict.reason))
			r->verdict.cls = BOUNCE_CLASS_HARD;
		if (r->action && strcmp(r->action, "delayed") == 0)
		{
			r->verdict.cls = BOUNCE_CLASS_SOFT;
			temporary = true;
		}
		r->status.cls = temporary && !permanent ? 4 : 5;
		r->verdict.e_cls = r->status.cls;
	}
	if (transient_not_given_up(c, r, made_up))
		r->action = "delayed";

	if (strcmp(r->action ? r->action : "", "delivered") == 0 ||
		strcmp(r->action ? r->action : "", "relayed") == 0 ||
		strcmp(r->action ? r->action : "", "expanded") == 0)
	{
		/* a positive report: nothing failed */
		r->verdict.cls = BOUNCE_CLASS_NONE;
		r->verdict.reason = BOUNCE_REASON_DELIVERED;
	}
	else if (strcmp(r->action ? r->action : "", "delayed") == 0)
	{
		/* still being retried: a warning, never worse than soft */
		if (r->verdict.cls == BOUNCE_CLASS_HARD)
			r->verdict.cls = BOUNCE_CLASS_SOFT;
	}
	context_verdict(c, r);
}
