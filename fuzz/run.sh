#!/usr/bin/env bash
# Runs every libFuzzer harness (or those named) for SECONDS each, over its
# checked-in seeds. New interesting inputs go to a scratch corpus (pass
# --keep DIR to keep them); a crash leaves its input in BUILD/fuzz-artifacts
# (or DIR/fuzz-artifacts), prints it, and makes the script exit 1. Prints
# each harness's executions.
#   fuzz/run.sh [--build DIR] [--time SECONDS] [--keep DIR] [HARNESS...]
# CI: fuzz/run.sh --time 25. For hours: fuzz/run.sh --time 14400 --keep /var/tmp/okdf-fuzz
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build-fuzz
secs=25
keep=
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$(realpath -m "$2"); shift 2 ;;
	--time) secs=$2; shift 2 ;;
	--keep) keep=$(realpath -m "$2"); shift 2 ;;
	-h | --help) sed -n '2,7p' "$0"; exit 0 ;;
	--*) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
case $secs in '' | *[!0-9]*) echo "fuzz/run.sh: --time wants whole seconds" >&2; exit 2 ;; esac

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$src" -Dfuzz=true -Dtests=false -Dbuildtype=debugoptimized
fi
if [ $# -eq 0 ]; then
	set -- $(cd "$src/fuzz/corpus" && ls)
fi
# Only the harnesses (and what they link), not okdf and okdf-sim.
meson compile -C "$build" $(printf 'fuzz_%s ' "$@") >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
artifacts=${keep:-$build}/fuzz-artifacts
mkdir -p "$artifacts"
failed=0
for name in "$@"; do
	exe=$build/fuzz/fuzz_$name
	[ -x "$exe" ] || { echo "fuzz/run.sh: no harness $name in $build/fuzz" >&2; exit 2; }
	[ -d "$src/fuzz/corpus/$name" ] || { echo "fuzz/run.sh: no seeds in fuzz/corpus/$name" >&2; exit 2; }
	found=${keep:-$scratch}/corpus/$name
	mkdir -p "$found"
	log=$scratch/$name.log
	rc=0
	# -rss_limit_mb: ASan's shadow counts; 2 GB is libFuzzer's default.
	"$exe" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
		-artifact_prefix="$artifacts/$name-" "$found" "$src/fuzz/corpus/$name" >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ "$rc" -ne 0 ]; then
		failed=1
		echo "$name: FAILED after ${runs:-?} executions (exit $rc); input in $artifacts"
		grep -E 'ERROR|SUMMARY|runtime error|round trip|deadly signal' "$log" | head -20
		for f in "$artifacts/$name-"*; do
			[ -f "$f" ] || continue
			echo "--- $f (first 512 bytes):"
			head -c 512 "$f" | od -An -c | head -40
		done
	else
		echo "$name: ${runs:-?} executions in ${secs}s, no finding"
	fi
done
exit "$failed"
