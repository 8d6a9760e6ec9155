/*
 * mime.h - MIME reader of the pure C core (no postgres.h).
 *
 * Reads an email as it comes (LF, CRLF or bare CR line ends, an optional
 * mbox "From " first line, folded header fields), walks its multipart tree
 * and decodes base64 and quoted-printable bodies.  Bytes are opaque: 8-bit
 * text and invalid UTF-8 pass through untouched, and no input is an error.
 *
 * Nothing here allocates.  Decoded bodies and unfolded values go into an
 * arena the caller supplies (a plain buffer); when the arena is full the
 * reader degrades (a body that cannot be decoded is skipped), it never
 * fails.  An arena of 3 x the message size + 64 kB is always enough for
 * every part to be decoded once.
 */
#ifndef BOUNCE_MIME_H
#define BOUNCE_MIME_H

#include <stdbool.h>
#include <stddef.h>

/* A bump allocator over a caller buffer; never calls malloc. */
typedef struct bounce_arena
{
	char	   *base;
	size_t		cap;
	size_t		used;
} bounce_arena;

/* Deepest multipart nesting followed; deeper parts are ignored. */
#define BOUNCE_MIME_MAX_DEPTH 12

/* Arena size that lets every part of a message of 'len' bytes be decoded. */
#define BOUNCE_ARENA_SIZE_FOR(len) ((size_t) (len) * 3 + 65536)

/* One leaf part handed to the walker's callback. */
typedef struct bounce_mime_part
{
	const char *headers;		/* raw header block of the part */
	size_t		headers_len;
	const char *body;			/* body, transfer-decoded */
	size_t		body_len;
	char		type[64];		/* "text/plain", lower case ("text/plain" if absent) */
	char		report_type[32];	/* report-type of the enclosing multipart/report, or "" */
	int			depth;			/* 0 = the message itself */
	int			index;			/* order of the leaf in the message, from 0 */
} bounce_mime_part;

/* Callback per leaf part; return false to stop the walk. */
typedef bool (*bounce_mime_cb) (void *ctx, const bounce_mime_part *part);

extern void bounce_arena_init(bounce_arena *a, void *buf, size_t cap);
extern char *bounce_arena_alloc(bounce_arena *a, size_t n);
extern char *bounce_arena_strdup(bounce_arena *a, const char *s, size_t n);

/*
 * Next line of buf[0..len) from *pos: sets *line and *line_len (without the line
 * end) and moves *pos past the LF, CRLF or CR.  False at the end.
 */
extern bool bounce_next_line(const char *buf, size_t len, size_t *pos,
							 const char **line, size_t *line_len);

/*
 * Split a message (or a part) into its header block and body at the first
 * empty line, skipping an mbox "From " first line.  A message with no empty
 * line is all headers when it starts with a field, else all body.
 */
extern void bounce_mime_split(const char *msg, size_t len,
							  const char **hdrs, size_t *hdrs_len,
							  const char **body, size_t *body_len);

/*
 * Field iterator over a header block (or a DSN field block): returns the
 * name (trimmed, a space before the colon is allowed) and the raw value
 * span including continuation lines.  Lines that are not fields are
 * skipped; *blank_before tells that an empty line preceded the field.
 */
typedef struct bounce_field_iter
{
	const char *buf;
	size_t		len;
	size_t		pos;
	/* the field bounce_field_next() last found: name, raw (folded) value */
	const char *name;
	size_t		name_len;
	const char *value;
	size_t		value_len;
	bool		blank;			/* a blank line came before it */
} bounce_field_iter;

extern void bounce_field_iter_init(bounce_field_iter *it, const char *buf, size_t len);
extern bool bounce_field_next(bounce_field_iter *it);

/*
 * Unfold a raw field value into out (room for len bytes): line ends and
 * the white space around them become one space, ends are trimmed.
 * Returns the length written.
 */
extern size_t bounce_unfold(const char *raw, size_t len, char *out);

/*
 * First field 'name' (case-insensitive) of a header block, unfolded and
 * NUL-terminated in the arena; NULL when absent or the arena is full.
 */
extern char *bounce_header_get(const char *hdrs, size_t len, const char *name,
							   bounce_arena *arena, size_t *out_len);

/*
 * A parameter of a structured value such as Content-Type ("boundary",
 * "report-type"), unquoted, copied into out (cap bytes, NUL-terminated).
 * False when absent.
 */
extern bool bounce_header_param(const char *value, size_t len, const char *param,
								char *out, size_t cap);

/* Transfer decoders: write into out (room for len bytes), return length. */
extern size_t bounce_base64_decode(const char *in, size_t len, char *out);
extern size_t bounce_qp_decode(const char *in, size_t len, char *out);

/*
 * Decode the RFC 2047 encoded words ("=?charset?B?...?=", "?Q?") of a header
 * value into out (room for len bytes); other text is copied as it is and
 * the bytes keep their charset.  Returns the length written.
 */
extern size_t bounce_decode_words(const char *in, size_t len, char *out);

/*
 * Walk the MIME tree of a message, calling cb for every leaf part with its
 * body decoded.  message/rfc822 parts are leaves (the returned original is
 * not searched for reports).  Never fails.
 */
extern void bounce_mime_walk(const char *msg, size_t len, bounce_arena *arena,
							 bounce_mime_cb cb, void *ctx);

/* ASCII case-insensitive helpers shared by the DSN reader. */
extern bool bounce_ieq(const char *a, size_t alen, const char *b);

/* True when the field the iterator last found is named name (any case). */
static inline bool
bounce_field_is(const bounce_field_iter *it, const char *name)
{
	return bounce_ieq(it->name, it->name_len, name);
}
extern bool bounce_istarts(const char *a, size_t alen, const char *prefix);
extern const char *bounce_memifind(const char *hay, size_t hlen, const char *needle);

#endif							/* BOUNCE_MIME_H */
