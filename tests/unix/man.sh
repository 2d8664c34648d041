#!/usr/bin/env bash
# The manual pages build, and okdf(1) names every command of okdf's dispatch
# table (as `okdf --help` lists it) and every option each command's --help
# names; okdf.ini(5) names every key config.c accepts.
set -euo pipefail
: "${OKDF:?}" "${OKDF_SRC:?}" "${MAN_DIR:?}"
fails=0 passes=0
ok() { echo "ok - $1"; passes=$((passes + 1)); }
bad() { echo "not ok - $1"; fails=$((fails + 1)); }
for page in okdf.1 okdf-sim.1 okdf.ini.5; do
	f=$MAN_DIR/$page
	if [ -s "$f" ] && grep -q '^\.TH' "$f"; then ok "$page built"; else bad "$page missing"; fi
done
man1=$MAN_DIR/okdf.1
# The command list of `okdf --help`: indented "  name  summary" lines.
mapfile -t cmds < <("$OKDF" --help | sed -n '/^commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p')
[ "${#cmds[@]}" -gt 10 ] && ok "okdf --help lists ${#cmds[@]} commands" || bad "command list"
for c in "${cmds[@]}"; do
	grep -q "^\\\\fB$c[\\\\ ]" "$man1" && ok "okdf(1) has $c" || bad "okdf(1) lacks command $c"
	for o in $("$OKDF" "$c" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -qF -- "\\fB$o\\fR" "$man1" && ok "okdf(1) has $c $o" || bad "okdf(1) lacks $c option $o"
	done
done
for o in $("$OKDF" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	grep -qF -- "\\fB$o\\fR" "$man1" && ok "okdf(1) has global $o" || bad "okdf(1) lacks global $o"
done
# okdf-sim's options, from its usage.
for o in $("$OKDF_SIM" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	grep -qF -- "\\fB$o\\fR" "$MAN_DIR/okdf-sim.1" && ok "okdf-sim(1) has $o" || bad "okdf-sim(1) lacks $o"
done
# Every config key: STR/INT/I64("section", "key", ...) and URL (base_url).
for k in $(grep -oE '^\s*(STR|INT|I64)\("[a-z_]+", "[a-z_]+"' "$OKDF_SRC/src/core/config.c" |
	sed 's/.*"\([a-z_]*\)"$/\1/' | sort -u) base_url; do
	grep -qF -- "\\fB$k\\fR" "$MAN_DIR/okdf.ini.5" && ok "okdf.ini(5) has $k" || bad "okdf.ini(5) lacks $k"
done
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
