/* A GraphQL document reader just deep enough for the simulator: it builds the
 * tree of selected fields with their arguments, and prices it the way
 * Shopify does (requested cost up front, actual cost from what was returned).
 * It is not a validator: unknown syntax is skipped, not rejected, and named
 * fragment spreads are not followed. */
#ifndef OKDF_SIM_GRAPHQL_SCAN_H
#define OKDF_SIM_GRAPHQL_SCAN_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define GQL_MAX_FIELDS 512

struct gql_field {
	char name[48];
	const char *args; /* argument text inside the query, not NUL-terminated */
	size_t args_len;
	long first;       /* the `first` argument; -1 when absent */
	int child, next;  /* first child and next sibling; -1 when none */
	bool has_selection;
};

struct gql_document {
	struct gql_field fields[GQL_MAX_FIELDS];
	int n_fields;
	int root; /* first root field, -1 when none */
};

/* Scans query text (which must outlive doc); variables resolve `first`.
 * Returns 0, or -1 when the text has no selection set. */
int gql_scan(const char *query, const cJSON *variables, struct gql_document *doc);

/* Value of one argument as text: literal strings unquoted, enums and numbers
 * as written, $variables looked up (strings, numbers and booleans). Returns
 * false when the argument is absent or null. */
bool gql_arg(const struct gql_field *f, const char *name, const cJSON *variables, char *out,
	     size_t size);

/* Shopify's pricing: objects 1, scalars 0, connections 2 + first x node.
 * The requested cost assumes every connection is full; the actual cost
 * counts what `data` holds. */
double gql_requested_cost(const struct gql_document *doc);
double gql_actual_cost(const struct gql_document *doc, const cJSON *data);

/* Requested cost of one node of connection field f (1 + its selection). */
double gql_node_requested_cost(const struct gql_document *doc, int f);
/* True when any selection asks for `edges`. */
bool gql_uses_edges(const struct gql_document *doc);

/* Adds `edges` beside `nodes` in every connection whose selection asks for
 * edges and lacks them (the simulator builds nodes lists). 0 or -1. */
int gql_add_edges(const struct gql_document *doc, cJSON *data);

#endif
