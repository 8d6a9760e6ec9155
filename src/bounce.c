/*
 * bounce.c - the module's magic block, alone, as ip4r does: every other
 * glue file can then be read without wondering where the module starts.
 */
#include "postgres.h"
#include "compat.h"
#include "fmgr.h"

PG_MODULE_MAGIC;
