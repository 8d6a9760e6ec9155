/*
 * reply.h - SMTP reply parser of the pure C core (no postgres.h).
 *
 * Turns what MTAs write ("550-5.1.1 <a@b>: User unknown", "smtp; 550 ...",
 * "#5.1.1", "452 4.2.2 Mailbox full", multi-line replies) into a basic
 * code, an enhanced code and a canonical one-line text.  The parser never
 * allocates: the caller hands in the buffer for the canonical text, which
 * never needs more bytes than the input.
 */
#ifndef BOUNCE_REPLY_H
#define BOUNCE_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A parsed reply.  code == 0 means "no basic code"; cls == 0 "no enhanced". */
typedef struct bounce_reply
{
	uint16_t	code;			/* basic reply code 200..599, or 0 */
	uint8_t		cls;			/* enhanced class 2, 4 or 5, or 0 */
	uint16_t	subject;		/* enhanced subject 0..999 */
	uint16_t	detail;			/* enhanced detail 0..999 */
	const char *text;			/* canonical text (caller's buffer), not NUL-terminated */
	size_t		text_len;
} bounce_reply;

/* Why a strict parse failed: a stable code plus a static English message. */
typedef enum bounce_parse_error
{
	BOUNCE_PARSE_OK = 0,
	BOUNCE_PARSE_EMPTY,			/* nothing but white space */
	BOUNCE_PARSE_NO_CODE,		/* neither a basic nor an enhanced code */
	BOUNCE_PARSE_BAD_BASIC,		/* 3 digits that are not a reply code (e.g. 150, 650, 5500) */
	BOUNCE_PARSE_BAD_ENHANCED,	/* looks like x.y.z but is not a valid enhanced code */
	BOUNCE_PARSE_EMPTY_AFTER_PREFIX,	/* "smtp;" with nothing after it */
	BOUNCE_PARSE_NUL_BYTE,		/* embedded NUL byte */
	BOUNCE_PARSE_TOO_LONG		/* over BOUNCE_REPLY_MAX_INPUT bytes */
} bounce_parse_error;

/* Longest input accepted (1 MB): bounce replies are short; this bounds work. */
#define BOUNCE_REPLY_MAX_INPUT (1024 * 1024)

/*
 * Strict parse, for the smtp_status type's input function.  Accepts every
 * form listed in SPEC §2; input with no code at all is an error.
 * 'textbuf' must have room for 'len' bytes.  On failure returns false,
 * sets *err, and *err_pos to the byte offset where the problem was found.
 */
extern bool bounce_reply_parse(const char *in, size_t len, bounce_reply *out,
							   char *textbuf, bounce_parse_error *err,
							   size_t *err_pos);

/*
 * Lenient parse, for classify(text) and the DSN reader: tries the strict
 * parse, then looks for a reply code or an enhanced code anywhere in the
 * text (e.g. "host x said: 550 5.1.1 ...", qmail's "(#5.1.1)").  Never
 * fails: text with no code gives code == 0 and cls == 0, with the whole
 * (canonicalised) text kept.  'textbuf' must have room for 'len' bytes.
 */
extern void bounce_reply_scan(const char *in, size_t len, bounce_reply *out,
							  char *textbuf);

/* English description of a parse error ("no reply code found", ...). */
extern const char *bounce_parse_error_message(bounce_parse_error err);

/*
 * Canonical output "550 5.1.1 text" (parts that are absent are left out).
 * Writes at most 'cap' bytes including the NUL; returns the length the
 * full output needs (like snprintf).
 */
extern size_t bounce_reply_format(const bounce_reply *r, char *buf, size_t cap);

/*
 * True when 'r' is exactly what the strict parser gives for its canonical
 * output: every value stored must read back from pg_dump's text as the
 * same value (same codes, same text, so the same class and reason).
 * 'scratch' needs room for 2 * (r->text_len + 32) bytes.
 */
extern bool bounce_reply_round_trips(const bounce_reply *r, char *scratch,
									 size_t scratch_cap);

/* Bytes of scratch bounce_reply_round_trips() needs for 'r'. */
#define BOUNCE_REPLY_ROUND_TRIP_SCRATCH(r) (2 * ((r)->text_len + 32))

/*
 * Length of the longest prefix of s[0, len) of at most 'max' bytes that
 * does not cut a UTF-8 sequence, trailing spaces dropped: how a reader
 * cuts an over-long status to what text input accepts.
 */
extern size_t bounce_utf8_clip(const char *s, size_t len, size_t max);

/* True when the enhanced code is valid: class 2/4/5, subject/detail <= 999. */
static inline bool
bounce_enhanced_valid(int cls, int subject, int detail)
{
	return (cls == 2 || cls == 4 || cls == 5) &&
		subject >= 0 && subject <= 999 && detail >= 0 && detail <= 999;
}

/*
 * True for a basic reply code 200..599.  RFC 5321 limits the second digit
 * to 0..5, but real servers send 571 and the like, so any is accepted.
 */
static inline bool
bounce_basic_valid(int code)
{
	return code >= 200 && code <= 599;
}

#endif							/* BOUNCE_REPLY_H */
