/*
 * compat.h - version shims for the glue layer (PostgreSQL 13 to 17).
 *
 * ereturn() (soft input errors) arrived in PostgreSQL 16; before that an
 * input function can only throw, so the shim turns it into ereport(ERROR).
 */
#ifndef BOUNCE_COMPAT_H
#define BOUNCE_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 160000
#define ereturn(context, dummy_value, ...) \
	do { \
		(void) (context); \
		ereport(ERROR, __VA_ARGS__); \
		return dummy_value; \
	} while (0)
#endif

#endif							/* BOUNCE_COMPAT_H */
