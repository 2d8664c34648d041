/* placeholder */
typedef int okdf_placeholder_agents;
