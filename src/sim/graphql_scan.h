/* A GraphQL document reader just deep enough for the simulator: it finds the
 * root fields of the operation, their arguments, and Shopify's requested
 * cost. It is not a validator; unknown syntax is skipped, not rejected. */
#ifndef OKDF_SIM_GRAPHQL_SCAN_H
#define OKDF_SIM_GRAPHQL_SCAN_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#define GQL_MAX_ROOTS 8

struct gql_root {
	char name[48];
	char args[1024];   /* raw argument text between the parentheses */
	double node_cost;  /* cost of one returned node: 1 + its object children */
	double cost;       /* requested cost of the field */
	bool is_connection;
	long first;        /* -1 when no first argument */
};

struct gql_document {
	struct gql_root roots[GQL_MAX_ROOTS];
	int n_roots;
	bool uses_edges;
};

/* Scans query text; variables resolve $names in `first`. Returns 0, or -1
 * when the text has no selection set. */
int gql_scan(const char *query, const cJSON *variables, struct gql_document *doc);

/* Value of one argument as text: literal strings unquoted, enums and numbers
 * as written, $variables looked up (strings, numbers and booleans). Returns
 * false when the argument is absent or null. */
bool gql_arg(const char *args, const char *name, const cJSON *variables, char *out, size_t size);

double gql_total_cost(const struct gql_document *doc);

#endif
