/* The writers of tree data: every node's provenance (the store's source
 * column, the record of a card's digest, `tree forget --source`) is one of
 * these, spelled as this table spells it, once:
 *
 *   iccid:<ICCID>        a card's DM or CP bootstrap object; a card's other
 *                        objects add "/<object>" ("iccid:<ICCID>/lwm2m")
 *   push                 a pushed bootstrap (WAP Push, SMS)
 *   factory              the factory image (`tree import --source factory`)
 *   import               the owner's import (`tree import`)
 *   (none)               the device's own nodes
 *
 * Which may replace which is the table of src/tree/apply.c. */
#ifndef UB_SOURCE_H
#define UB_SOURCE_H

#include <stdbool.h>

#include "tree.h" /* enum ub_source, ub_source_name, ub_source_parse: public */

/* Kind k as a message says who wrote something ("a card", "the device"). */
const char *ub_source_what(enum ub_source k);

#endif
