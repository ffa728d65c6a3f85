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

enum ub_source {
	UB_SRC_CARD,
	UB_SRC_PUSH,
	UB_SRC_FACTORY,
	UB_SRC_IMPORT,
	UB_SRC_DEVICE,
	UB_SRC_KINDS
};

/* The name of kind k as stored: a card's is the prefix of its sources
 * ("iccid:"), the device's is NULL (no source). */
const char *ub_source_name(enum ub_source k);

/* Kind k as a message says who wrote something ("a card", "the device"). */
const char *ub_source_what(enum ub_source k);

/* The kind of source (NULL, "" or a name of no kind: the device).
 * Returns true when source names a writer as a user gives it: push,
 * factory, import, or a card as "iccid:" and its ICCID (1 to 20 digits
 * and F, as EF_ICCID holds them), which stands for all the card's
 * sources. */
bool ub_source_parse(const char *source, enum ub_source *kind);

#endif
