#!/usr/bin/env bash
# Builds the Debian package from a copy of the tracked (committed or staged)
# files, runs lintian (no errors allowed), unpacks it into a throwaway root
# and checks the file list against .ci/deb-files and that the unpacked okdf
# runs.
# Usage: tools/deb-check.sh   (from anywhere inside the repository)
set -euo pipefail
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src" "$work/root"
git -C "$repo" ls-files -z --cached |
	(cd "$repo" && tar --null -T - -cf -) | tar -xf - -C "$work/src"
(cd "$work/src" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) ||
	{ tail -40 "$work/build.log"; echo "dpkg-buildpackage failed"; exit 1; }
deb=$(ls "$work"/okdf_*_*.deb)
echo "built $(basename "$deb")"
lintian --fail-on error --info "$work"/okdf_*.changes ||
	{ echo "lintian reports errors"; exit 1; }
dpkg -x "$deb" "$work/root"
(cd "$work/root" && find . -type f -o -type l | LC_ALL=C sort) >"$work/files"
if ! diff -u "$repo/.ci/deb-files" "$work/files"; then
	echo "the package's file list differs from .ci/deb-files"; exit 1
fi
echo "file list as expected ($(wc -l <"$work/files") files)"
root=$work/root
"$root/usr/bin/okdf" --version | head -1 | grep -qx "okdf $(dpkg-deb -f "$deb" Version)" ||
	{ echo "okdf --version does not name the package version"; exit 1; }
"$root/usr/bin/okdf" --db "$work/t.db" --data-dir "$root/usr/share/okdf" phases --json | jq -e '.phases | length == 11' >/dev/null ||
	{ echo "the unpacked okdf cannot read its phases"; exit 1; }
"$root/usr/bin/okdf-sim" --help >/dev/null
echo "deb-check: 1 passed, 0 failed"
