#include "okdf/core/operator.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void operator_current(okdf_operator *op)
{
	memset(op, 0, sizeof *op);
	const char *name = getenv("OKDF_OPERATOR");
	if (!name || !name[0]) {
		struct passwd *pw = getpwuid(geteuid());
		name = pw ? pw->pw_name : NULL;
	}
	if (!name || !name[0])
		name = getenv("USER");
	snprintf(op->name, sizeof op->name, "%s", name && name[0] ? name : "unknown");

	/* SSH_CONNECTION is "client_ip client_port server_ip server_port". */
	const char *ssh = getenv("SSH_CONNECTION");
	if (ssh) {
		size_t n = strcspn(ssh, " ");
		if (n >= sizeof op->client)
			n = sizeof op->client - 1;
		memcpy(op->client, ssh, n);
		op->client[n] = '\0';
	}
}
