/* Who is at the keyboard: login name and SSH client address. */
#ifndef OKDF_CORE_OPERATOR_H
#define OKDF_CORE_OPERATOR_H

typedef struct okdf_operator {
	char name[64];   /* login name */
	char client[64]; /* client address from SSH_CONNECTION, or "" */
} okdf_operator;

/* Fills op from OKDF_OPERATOR (tests), else the login name, and SSH_CONNECTION. */
void operator_current(okdf_operator *op);

#endif
