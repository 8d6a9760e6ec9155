/*
 * dsn_notice.c - what kind of message a notice is, decided before any row
 * is made (a bounce, a delay warning, an auto-reply, a complaint loop, a
 * challenge-response), and which addresses are the sender's or the list's
 * own, never a recipient the notice is about.
 */
#include "dsn_notice.h"

#include "dsn_base.h"
#include "dsn_prose.h"


/*
 * Is the notice a delay warning?  Its Subject or its prose says the mail
 * system is still trying ("Warning: message delayed 24 hours", "has not
 * yet been delivered", "will keep trying"), and the prose does not say
 * that it gave up after all ("permanent error", "giving up").  Decided
 * for the notice as a whole, before any row is made.
 */
bool
dsn_notice_is_delay(dsn_ctx *c, int k)
{
	uint32_t	body = k >= 0 && k < c->ntext ? dsn_prose_part_signs(c, k, false) : 0;
	uint32_t	subj = dsn_subject_signs(c);

	if (body & BOUNCE_SIGN_FINAL)
		return false;
	return ((body | subj) & BOUNCE_SIGN_DELAY) != 0;
}

/* Remember every address of the named fields of a header block among the notice's own. */
static void
own_from_headers(dsn_ctx *c, const char *h, size_t hl, const char *const *names)
{
	bounce_field_iter it;
	int			k;

	/* one pass over the header block, whatever the number of names */
	bounce_field_iter_init(&it, h, hl);
	while (bounce_field_next(&it) && c->nown < DSN_MAX_OWN)
	{
		const char *a;
		size_t		an;

		if (it.blank)
			break;				/* the end of the header block */
		for (k = 0; names[k] && !bounce_field_is(&it, names[k]); k++)
			;
		if (names[k] == NULL)
			continue;
		while (c->nown < DSN_MAX_OWN && (a = bounce_address_find(it.value, it.value_len, &an)) != NULL)
		{
			c->own[c->nown].p = a;
			c->own[c->nown++].len = an;
			it.value_len -= (size_t) (a + an - it.value);
			it.value = a + an;
		}
	}
}

/* Envelope senders of an SMTP transcript: "MAIL FROM:<a@b>" (folded or not). */
static void
own_from_transcripts(dsn_ctx *c, const char *t, size_t len)
{
	const char *p = t;
	const char *hit;

	while (c->nown < DSN_MAX_OWN && (hit = bounce_memifind(p, (size_t) (t + len - p), "from:")) != NULL)
	{
		const char *q = hit;
		const char *a;
		size_t		n;
		size_t		rest;

		/* "MAIL FROM:", "MAIL\n     FROM:": the command word before it */
		while (q > t && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r' || q[-1] == '\n'))
			q--;
		p = hit + 5;
		if (q - t < 4 || !bounce_istarts(q - 4, 4, "mail"))
			continue;
		rest = (size_t) (t + len - p);
		a = bounce_address_find(p, rest < 16 + BOUNCE_ADDRESS_MAX ? rest : 16 + BOUNCE_ADDRESS_MAX, &n);
		if (a && a - p <= 3)
		{
			c->own[c->nown].p = a;
			c->own[c->nown++].len = n;
		}
	}
}

/* The notice's own addresses, gathered once; see dsn_notice.h. */
bool
dsn_is_own_address(dsn_ctx *c, const char *a, size_t n)
{
	static const char *const notice[] = {
		"From", "To", "Reply-To", "Sender", "Return-Path", "Delivered-To", NULL
	};
	static const char *const original[] = {
		"From", "Sender", "Reply-To", "Return-Path", "Errors-To", "List-Post", "List-Owner",
		"List-Unsubscribe", "List-Subscribe", "List-Help", "List-Archive", NULL
	};
	int			k;

	if (!c->own_done)
	{
		c->own_done = true;
		own_from_headers(c, c->hdrs, c->hdrs_len, notice);
		if (c->returned.p)
		{
			const char *h;
			const char *b;
			size_t		hl;
			size_t		bl;

			bounce_mime_split(c->returned.p, c->returned.len, &h, &hl, &b, &bl);
			own_from_headers(c, h, hl, original);
		}
		for (k = 0; k < c->ntext; k++)
			own_from_transcripts(c, c->text_parts[k].p, dsn_prose_len(c, k));
	}
	if (bounce_istarts(a, n, "mailer-daemon@") || bounce_istarts(a, n, "mailer_daemon@"))
		return true;
	for (k = 0; k < c->nown; k++)
		if (c->own[k].len == n && dsn_span_ieq(c->own[k].p, a, n))
			return true;
	return false;
}

/* True when the top-level headers say the message is a bounce. */
bool
dsn_headers_say_bounce(dsn_ctx *c, bool autoreply)
{
	const char *v;
	size_t		vl;

	if (dsn_header(c, "X-Failed-Recipients", &vl))
		return true;
	/* encoded words decoded: "=?utf-8?Q?Mail_Delivery_System?=" */
	if (dsn_from_signs(c) & BOUNCE_SIGN_MAIL_SYSTEM)
		return true;
	/* in any language the phrase table reads, Japanese included ("mail error") */
	if (dsn_subject_signs(c) & BOUNCE_SIGN_BOUNCE)
		return true;
	/*
	 * A null reverse path, as a bounce is sent with; a pipe transport may
	 * have written it as <MAILER-DAEMON> (Postfix's R flag does)
	 */
	v = dsn_header(c, "Return-Path", &vl);
	while (v && vl > 0 && (v[0] == ' ' || v[0] == '\t'))
		v++, vl--;
	if (!autoreply && v &&
		((vl >= 2 && v[0] == '<' && v[1] == '>') || bounce_istarts(v, vl, "<mailer-daemon>") ||
		 bounce_istarts(v, vl, "mailer-daemon")))
		return true;
	return false;
}

/* True when a From names a mail system rather than a person. */
bool
dsn_from_mail_system(dsn_ctx *c)
{
	return (dsn_from_signs(c) & BOUNCE_SIGN_MAIL_SYSTEM) != 0;
}

/* True when the notice calls itself a failure report (Auto-Submitted). */
bool
dsn_is_failure_notice(dsn_ctx *c)
{
	size_t		vl;
	const char *v = dsn_header(c, "Auto-Submitted", &vl);

	return v && bounce_memifind(v, vl, "(failure)") != NULL;
}

/*
 * True when the message is an RFC 3834 auto-reply or a classic vacation
 * notice: the headers say so (Auto-Submitted: auto-replied, X-Autoreply),
 * the Subject does in any of the languages the phrase table knows, or a
 * person's mailbox answered with Precedence: bulk or junk (what vacation
 * programs set) in words that report no failure.
 */
bool
dsn_is_autoreply(dsn_ctx *c)
{
	const char *v;
	size_t		vl;
	int			k;

	v = dsn_header(c, "Auto-Submitted", &vl);
	if (v && bounce_istarts(v, vl, "auto-replied"))
		return true;
	if (dsn_header(c, "X-Autoreply", &vl) ||
		dsn_header(c, "X-Autorespond", &vl))
		return true;
	v = dsn_notice_header(c, true, &vl);
	if (v && (bounce_istarts(v, vl, "Away until") || bounce_istarts(v, vl, "Vacation") ||
			  bounce_istarts(v, vl, "Auto:") ||
			  (dsn_subject_signs(c) & BOUNCE_SIGN_AUTOREPLY) != 0))
		return true;
	/*
	 * A helpdesk's acknowledgement says what it is in its own words ("we
	 * have received your request"), with or without the headers; not a
	 * mail system's notice, and no word of a failure
	 */
	if (c->ntext > 0 && !dsn_from_mail_system(c))
	{
		uint32_t	s = dsn_prose_part_signs(c, 0, false);

		if ((s & BOUNCE_SIGN_ACKNOWLEDGED) && !(s & BOUNCE_SIGN_FAILURE))
			return true;
	}
	/* a list's or a newsletter's own mail carries list headers: no reply */
	if (dsn_header(c, "List-Id", &vl) || dsn_header(c, "List-Unsubscribe", &vl))
		return false;
	v = dsn_header(c, "Precedence", &vl);
	if (v && (bounce_istarts(v, vl, "bulk") || bounce_istarts(v, vl, "junk") ||
			  bounce_istarts(v, vl, "auto_reply")) && !dsn_from_mail_system(c))
	{
		for (k = 0; k < c->ntext; k++)
			if (dsn_prose_part_signs(c, k, false) &
				BOUNCE_SIGN_FAILURE)
				return false;
		return c->ntext > 0;
	}
	return false;
}

/*
 * True when a program sent the message, as its headers say: Precedence
 * bulk, junk or list (what list software and vacation programs set), or an
 * Auto-Submitted other than "no" (RFC 3834).
 */
bool
dsn_is_automated(dsn_ctx *c)
{
	size_t		vl;
	const char *v = dsn_header(c, "Precedence", &vl);

	while (v && vl > 0 && (*v == ' ' || *v == '\t'))
		v++, vl--;
	if (v && (bounce_istarts(v, vl, "bulk") || bounce_istarts(v, vl, "junk") ||
			  bounce_istarts(v, vl, "list")))
		return true;
	v = dsn_header(c, "Auto-Submitted", &vl);
	while (v && vl > 0 && (*v == ' ' || *v == '\t'))
		v++, vl--;
	return v && vl > 0 && !bounce_istarts(v, vl, "no");
}

/*
 * True when an auto-reply says so in its Subject ("Automatic reply",
 * "[자동응답]") and its own words report no failure and no delay: a
 * vacation notice, whatever address sent it.
 */
bool
dsn_is_vacation_notice(dsn_ctx *c)
{
	return (dsn_subject_signs(c) & BOUNCE_SIGN_AUTOREPLY) != 0 &&
		(dsn_prose_signs(c) & (BOUNCE_SIGN_FAILURE | BOUNCE_SIGN_DELAY | BOUNCE_SIGN_FINAL)) == 0;
}

/*
 * True when a challenge-response system holds the message until the
 * sender proves itself ("add yourself to my guest list"): nothing
 * bounced, even when the notice comes dressed as a delivery report.
 */
bool
dsn_is_challenge(dsn_ctx *c)
{
	/* the notice's own words: its first text part */
	return c->ntext > 0 && (dsn_prose_part_signs(c, 0, false) & BOUNCE_SIGN_CHALLENGE) != 0;
}

/*
 * A receiving server that tells its own postmaster about a session (as
 * Postfix's smtpd does, under "Transcript of session follows") writes the
 * client's commands after "In:" and its own replies after "Out:".  The
 * recipients there are this server's addresses, refused or deferred while
 * the mail was coming in: the client's mail system returns the message
 * to its sender (or retries), and that notice is the bounce.  A system
 * that sends mail writes its transcript the other way round (">>> RCPT
 * TO", "<<< 550").
 */
bool
dsn_is_server_transcript(dsn_ctx *c)
{
	const char *t;
	size_t		len;
	size_t		pos = 0;
	const char *line;
	size_t		ll;
	bool		in = false;
	bool		out = false;

	if (c->ntext == 0)
		return false;
	t = c->text_parts[0].p;
	len = dsn_prose_len(c, 0);
	while (!(in && out) && bounce_next_line(t, len, &pos, &line, &ll))
	{
		while (ll > 0 && (*line == ' ' || *line == '\t'))
			line++, ll--;
		if (bounce_istarts(line, ll, "In:"))
		{
			size_t		i = 3;

			while (i < ll && (line[i] == ' ' || line[i] == '\t'))
				i++;
			in |= bounce_istarts(line + i, ll - i, "MAIL") || bounce_istarts(line + i, ll - i, "RCPT") ||
				bounce_istarts(line + i, ll - i, "EHLO") || bounce_istarts(line + i, ll - i, "HELO") ||
				bounce_istarts(line + i, ll - i, "DATA");
		}
		else if (bounce_istarts(line, ll, "Out:"))
		{
			size_t		i = 4;

			while (i < ll && (line[i] == ' ' || line[i] == '\t'))
				i++;
			out |= ll - i >= 3 && line[i] >= '2' && line[i] <= '5' &&
				line[i + 1] >= '0' && line[i + 1] <= '9' && line[i + 2] >= '0' && line[i + 2] <= '9';
		}
	}
	return in && out;
}

/*
 * A person's reply: Subject "Re: ..." (or its German, Dutch and Nordic
 * forms) with an In-Reply-To, from a mailbox that is no mail system and an
 * envelope sender that is not null.  Mail about a bounce, not a bounce,
 * even when it quotes one ("did my mail bounce?"): the quoted report may be
 * months old, or about someone else.  A mail system's notice has a null or
 * MAILER-DAEMON envelope, or a mail-system From, or calls itself a
 * failure report.
 */
/* True when the Subject starts with one of the prefixes (after white space). */
static bool
subject_prefixed(dsn_ctx *c, const char *const *prefixes)
{
	size_t		vl;
	const char *v = dsn_header(c, "Subject", &vl);
	int			k;

	while (v && vl > 0 && (*v == ' ' || *v == '\t'))
		v++, vl--;
	for (k = 0; v && prefixes[k]; k++)
		if (bounce_istarts(v, vl, prefixes[k]))
			return true;
	return false;
}

/* Sent by a person: a From that is no mail system, a non-null envelope, no failure report. */
static bool
sent_by_person(dsn_ctx *c)
{
	size_t		vl;
	const char *v;

	if (dsn_from_mail_system(c) || dsn_is_failure_notice(c))
		return false;
	v = dsn_header(c, "Return-Path", &vl);
	while (v && vl > 0 && (*v == ' ' || *v == '\t' || *v == '<'))
		v++, vl--;
	return v != NULL && vl > 0 && *v != '>' && !bounce_istarts(v, vl, "mailer-daemon");
}

bool
dsn_is_person_reply(dsn_ctx *c)
{
	static const char *const re[] = {"Re:", "AW:", "SV:", "Antw:", NULL};
	size_t		vl;

	return subject_prefixed(c, re) && dsn_header(c, "In-Reply-To", &vl) != NULL && sent_by_person(c);
}

/*
 * Where a person's (or a desk's) own words end in text t: at the first
 * line that starts what they quote or forward ('>', a separator of '-' or
 * '_', a copied header such as "From:", "To:" or "Received:", "Begin
 * forwarded").  What follows is someone else's text: our own newsletter's
 * footer ("if you never signed up ...") is no complaint of theirs.
 */
size_t
dsn_own_words_end(const char *t, size_t len)
{
	static const char *const quoted[] = {
		"From:", "To:", "Sent:", "Date:", "Subject:", "Received:", "Begin forwarded", NULL
	};
	size_t		pos = 0;
	const char *line;
	size_t		ll;

	while (pos < len)
	{
		size_t		start = pos;
		size_t		i = 0;
		int			k;

		bounce_next_line(t, len, &pos, &line, &ll);
		while (i < ll && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i < ll && (line[i] == '-' || line[i] == '>' || line[i] == '_'))
			return start;
		for (k = 0; quoted[k]; k++)
			if (bounce_istarts(line + i, ll - i, quoted[k]))
				return start;
	}
	return len;
}

/*
 * A person's forward of a bounce with a question of their own above it
 * ("Fwd: Undelivered Mail ...: why did this happen?"): a support request
 * about a bounce, as a person's reply is.  A forward with no words of its
 * own (a mailbox rule's) is still read for the bounce it carries.
 */
bool
dsn_is_person_forward(dsn_ctx *c)
{
	static const char *const fwd[] = {"Fwd:", "Fw:", "WG:", "TR:", "RV:", "ENC:", "Doorst:", "VB:", NULL};

	if (c->ntext == 0 || !subject_prefixed(c, fwd) || !sent_by_person(c))
		return false;
	/* the person's own words: the first text part, up to the forwarded message */
	return memchr(c->text_parts[0].p, '?',
				  dsn_own_words_end(c->text_parts[0].p, c->text_parts[0].len)) != NULL;
}

/*
 * Complaint loops that predate ARF (Microsoft's JMRP and the like) forward
 * the original as message/rfc822 under a subject such as "complaint about
 * message from 192.0.2.1".
 */
bool
dsn_is_complaint(dsn_ctx *c)
{
	size_t		vl;
	const char *v = dsn_header(c, "Subject", &vl);

	return v && (dsn_signs(c, v, vl) & BOUNCE_SIGN_COMPLAINT) != 0;
}

/*
 * A complaint in words, with no feedback report: an abuse desk's ("we have
 * received a complaint from one of our subscribers about unsolicited
 * email") or the recipient's own reply ("stop emailing me, I never signed
 * up").  Only the writer's own words count (not what they quote), the
 * notice is neither a mail system's nor a list's or newsletter's own mail
 * (its headers name no bounce), and it acknowledges and challenges
 * nothing.
 */
bool
dsn_is_prose_complaint(dsn_ctx *c)
{
	const char *t;
	size_t		len;
	size_t		vl;
	uint32_t	s;

	if (c->ntext == 0 || c->is_report || dsn_headers_say_bounce(c, true) ||
		dsn_is_failure_notice(c) ||
		dsn_header(c, "List-Id", &vl) || dsn_header(c, "List-Unsubscribe", &vl))
		return false;
	t = c->text_parts[0].p;
	len = dsn_own_words_end(t, dsn_prose_len(c, 0));
	s = dsn_signs(c, t, len);
	return (s & BOUNCE_SIGN_COMPLAINT) != 0 &&
		(s & (BOUNCE_SIGN_ACKNOWLEDGED | BOUNCE_SIGN_CHALLENGE)) == 0;
}

/* The signs of the notice's decoded Subject; see dsn_notice.h. */
uint32_t
dsn_subject_signs(dsn_ctx *c)
{
	if (!c->subject_signs_read)
	{
		size_t		sl;
		const char *v = dsn_notice_header(c, true, &sl);

		c->subject_signs = v ? dsn_signs(c, v, sl) : 0;
		c->subject_signs_read = true;
	}
	return c->subject_signs;
}

/* The signs of the notice's decoded From; see dsn_notice.h. */
uint32_t
dsn_from_signs(dsn_ctx *c)
{
	if (!c->from_signs_read)
	{
		size_t		fl;
		const char *v = dsn_notice_header(c, false, &fl);
		bounce_phrase_match m;

		c->from_signs = 0;
		if (v)
		{
			bounce_phrases_scan(v, fl, &m);
			c->from_signs = m.signs;
		}
		c->from_signs_read = true;
	}
	return c->from_signs;
}

/* The signs of the notice's own prose (its first text part, before the returned copy). */
uint32_t
dsn_prose_signs(dsn_ctx *c)
{
	return c->ntext > 0 ? dsn_prose_part_signs(c, 0, false) : 0;
}
