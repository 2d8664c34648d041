/* placeholder */
typedef int okdf_placeholder_email;
