#include "okdf/core/brief.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "okdf/core/phase_record.h"
#include "okdf/store/audit.h"
#include "okdf/store/brief.h"
#include "okdf/store/db.h"
#include "okdf/store/phases.h"

int brief_file_sha256(const char *path, char out[65], okdf_err *e)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. Only a regular
	 * file of bounded size is a brief: /dev/zero would be read forever. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return okdf_err_set(e, OKDF_EINPUT, "%s: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return okdf_err_set(e, OKDF_EINPUT, "%s: not a regular file", path);
	}
	if (sb.st_size > BRIEF_MAX_BYTES) {
		close(fd);
		return okdf_err_set(e, OKDF_EINPUT, "%s: larger than %d MB, the most a brief may be",
			path, BRIEF_MAX_BYTES >> 20);
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return okdf_err_set(e, OKDF_EFAIL, "%s: %s", path, strerror(errno));
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		fclose(f);
		return okdf_err_set(e, OKDF_EFAIL, "cannot start SHA-256");
	}
	unsigned char buf[16384];
	size_t n, total = 0;
	int rc = OKDF_OK;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		total += n;
		if (total > BRIEF_MAX_BYTES) { /* it grew while read */
			rc = okdf_err_set(e, OKDF_EINPUT, "%s: larger than %d MB, the most a brief may be",
				path, BRIEF_MAX_BYTES >> 20);
			break;
		}
		if (EVP_DigestUpdate(md, buf, n) != 1) {
			rc = okdf_err_set(e, OKDF_EFAIL, "%s: SHA-256 failed", path);
			break;
		}
	}
	if (!rc && ferror(f))
		rc = okdf_err_set(e, OKDF_EINPUT, "%s: read error (is it a directory?)", path);
	if (!rc && total == 0)
		rc = okdf_err_set(e, OKDF_EINPUT, "%s: the brief is empty", path);
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!rc && EVP_DigestFinal_ex(md, digest, &len) != 1)
		rc = okdf_err_set(e, OKDF_EFAIL, "%s: SHA-256 failed", path);
	EVP_MD_CTX_free(md);
	fclose(f);
	if (rc)
		return rc;
	for (unsigned int i = 0; i < len && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	return OKDF_OK;
}

/* Re-approval of one phase built on the brief. */
static int reapprove(okdf_db *db, const phase_def *p, const okdf_operator *op, long long now,
	brief_registration *out, okdf_err *e)
{
	static const char why[] = "brand brief changed";
	phase_progress_row pr;
	int rc = phase_progress_get(db, p->id, &pr, e);
	free(pr.override_reason);
	if (rc)
		return rc;
	if (pr.completed) {
		if ((rc = phase_reopen(db, p, why, op, now, e)))
			return rc;
		if (out->n_reopened < sizeof out->reopened / sizeof out->reopened[0])
			out->reopened[out->n_reopened++] = p->number;
	}
	signoff_row *rows;
	int n;
	if ((rc = phase_signoffs_get(db, p->id, &rows, &n, e)))
		return rc;
	if (n) {
		char detail[512];
		size_t len = (size_t)snprintf(detail, sizeof detail, "%s; withdrawn:", why);
		for (int i = 0; i < n && len < sizeof detail; i++)
			len += (size_t)snprintf(detail + len, sizeof detail - len, " %s",
				rows[i].signoff_id);
		char target[32];
		snprintf(target, sizeof target, "phase:%d", p->number);
		rc = phase_signoffs_delete(db, p->id, e);
		if (!rc)
			rc = audit_append(db, op, now, "phase.signoff.withdraw", target, detail, e);
		if (!rc && out->n_withdrawn < sizeof out->withdrawn / sizeof out->withdrawn[0])
			out->withdrawn[out->n_withdrawn++] = p->number;
	}
	signoff_rows_free(rows, n);
	return rc;
}

int brief_register(okdf_db *db, const phase_catalog *cat, const char *path,
	const okdf_operator *op, long long now, brief_registration *out, okdf_err *e)
{
	memset(out, 0, sizeof *out);
	char *abs = realpath(path, NULL);
	if (!abs)
		return okdf_err_set(e, OKDF_EINPUT, "%s: %s", path, strerror(errno));
	int w = snprintf(out->path, sizeof out->path, "%s", abs);
	free(abs);
	if (w < 0 || (size_t)w >= sizeof out->path)
		return okdf_err_set(e, OKDF_EINPUT, "%s: path too long", path);
	int rc = brief_file_sha256(out->path, out->sha256, e);
	if (rc)
		return rc;

	if ((rc = db_begin(db, e)))
		return rc;
	brief_row old;
	int found;
	rc = brief_row_get(db, &old, &found, e);
	if (!rc && found) {
		memcpy(out->old_sha256, old.sha256, sizeof out->old_sha256);
		out->changed = strcmp(old.sha256, out->sha256) != 0;
	}
	if (!rc)
		rc = brief_row_put(db, out->path, out->sha256, now, op->name, e);
	if (!rc) {
		char detail[4096 + 160];
		if (out->changed)
			snprintf(detail, sizeof detail, "%s sha256 %s (was %s)", out->path, out->sha256,
				out->old_sha256);
		else
			snprintf(detail, sizeof detail, "%s sha256 %s%s", out->path, out->sha256,
				found ? " (unchanged)" : "");
		rc = audit_append(db, op, now, "brief.register", "brief", detail, e);
	}
	for (size_t i = 0; i < cat->n && !rc && out->changed; i++)
		if (cat->phases[i].reopens_on_brief_change)
			rc = reapprove(db, &cat->phases[i], op, now, out, e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, e);
}
