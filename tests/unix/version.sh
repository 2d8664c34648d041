#!/usr/bin/env bash
# okdf --version names okdf's version and the run-time versions of ncurses,
# libcurl, SQLite and cJSON; meson passes the versions it built against, which
# the loader resolves to on the build machine.
set -euo pipefail
: "${OKDF:?}" "${WANT_OKDF:?}" "${WANT_NCURSES:?}" "${WANT_CURL:?}" "${WANT_SQLITE:?}" "${WANT_CJSON:?}"
out=$("$OKDF" --version)
fails=0
expect() { # expect LINE_NO PATTERN
	local line
	line=$(sed -n "$1p" <<<"$out")
	if [[ "$line" == $2 ]]; then echo "ok - line $1: $line"; else
		echo "not ok - line $1: expected '$2', got '$line'"; fails=$((fails + 1)); fi
}
expect 1 "okdf $WANT_OKDF"
expect 2 "ncurses $WANT_NCURSES"
expect 3 "libcurl $WANT_CURL*"
expect 4 "SQLite $WANT_SQLITE"
expect 5 "cJSON $WANT_CJSON"
[ "$(wc -l <<<"$out")" = 5 ] && echo "ok - five lines" || { echo "not ok - line count"; fails=$((fails + 1)); }
echo "$((6 - fails)) passed, $fails failed"
[ "$fails" = 0 ]
