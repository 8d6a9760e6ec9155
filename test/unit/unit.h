/*
 * unit.h - the tiny TAP-like harness of the core's unit tests.
 *
 * CHECK(cond, fmt, ...) prints "ok N - desc" or "not ok N - desc"; main()
 * in unit_main.c prints "# N passed, M failed" and exits 1 on failure.
 */
#ifndef BOUNCE_UNIT_H
#define BOUNCE_UNIT_H

#include <stdio.h>
#include <string.h>

extern int	unit_passed;
extern int	unit_failed;

/* Report one assertion, numbered. */
#define CHECK(cond, ...) \
	do { \
		int			unit_ok_ = (cond) ? 1 : 0; \
		printf("%s %d - ", unit_ok_ ? "ok" : "not ok", unit_passed + unit_failed + 1); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		if (unit_ok_) \
			unit_passed++; \
		else \
		{ \
			unit_failed++; \
			printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		} \
	} while (0)

/* Printable copy of s (escapes, cut at 80 bytes); a few rotating buffers. */
extern const char *esc(const char *s, size_t len);
#define ESC(s) esc((s), strlen(s))

/* Test groups, one per file. */
extern void test_reply(void);
extern void test_classify(void);
extern void test_phrases(void);
extern void run_address_tests(void);
extern void run_policy_tests(void);

#endif							/* BOUNCE_UNIT_H */
