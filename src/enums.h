/*
 * enums.h - between the core's C enums (class, reason, action) and the
 * OIDs of the labels of the SQL enums bounce.bounce_class, bounce_reason
 * and bounce_action.
 */
#ifndef BOUNCE_ENUMS_H
#define BOUNCE_ENUMS_H

#include "postgres.h"
#include "compat.h"

#include "core/classify.h"

extern Datum bounce_class_datum(bounce_class c);
extern Datum bounce_reason_datum(bounce_reason r);
extern Datum bounce_action_datum(bounce_action a);

/* The verdict's rule (explain()'s last column) as text of the database encoding. */
extern Datum bounce_rule_datum(const bounce_verdict *v);

/* Label OID -> C value; -1 when the OID is not a label of that enum. */
extern int	bounce_class_from_datum(Datum d);
extern int	bounce_reason_from_datum(Datum d);
extern int	bounce_action_from_datum(Datum d);

#endif							/* BOUNCE_ENUMS_H */
