#!/usr/bin/env bash
# Shell completion: bash completes commands, subcommands, phase ids, windows,
# escalation ids from the database, and offers exactly the options each
# command's --help names; fish completes the same from its own script; the
# zsh function parses.
set -euo pipefail
: "${OKDF:?}" "${OKDF_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" && ln -s "$OKDF" "$tmp/bin/okdf"
export PATH=$tmp/bin:$PATH OKDF_NOW=2026-11-20T12:00:00Z OKDF_OPERATOR=ana
comp=$OKDF_SRC/completions
fails=0 passes=0
ok() { echo "ok - $1"; passes=$((passes + 1)); }
bad() { echo "not ok - $1"; fails=$((fails + 1)); }

# bash_complete WORD...: what bash offers for the last word.
bash_complete() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _okdf
		((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}"' _ "$comp/okdf.bash" "$@" | sort -u
}
has() { # has NAME WANTED OUTPUT
	grep -qxF -- "$2" <<<"$3" && ok "$1" || bad "$1: '$2' not in [$(tr '\n' ' ' <<<"$3")]"
}

okdf --db "$tmp/db" escalate crisis.recall "Recall" --note t >/dev/null
okdf --db "$tmp/db" escalate brand.positioning "Brand" --note t >/dev/null

check_eq() { [[ "$2" == "$3" ]] && ok "$1" || bad "$1: expected '$2', got '$3'"; }
check_eq "bash: okdf sy -> sync" sync "$(bash_complete okdf sy)"
check_eq "bash: okdf --db X ph -> phase, phases" "phase
phases" "$(bash_complete okdf --db x ph)"
has "bash: phase show offers brand" brand "$(bash_complete okdf phase show '')"
has "bash: phase complete offers 11" 11 "$(bash_complete okdf phase complete '')"
check_eq "bash: metrics --window 3 -> 30d" 30d "$(bash_complete okdf metrics --window 3)"
check_eq "bash: ids from --db" "1
2" "$(bash_complete okdf --db "$tmp/db" ack '')"
check_eq "bash: inbox show ids" "1
2" "$(bash_complete okdf --db "$tmp/db" inbox show '')"
check_eq "bash: decide ID a" approve "$(bash_complete okdf decide 1 a)"
check_eq "bash: global --ve" --version "$(bash_complete okdf --ve)"

# Every command's options, over its subcommands, are what its --help names
# (less the global options a usage line may repeat).
globals=$(okdf --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
mapfile -t cmds < <(okdf --help | sed -n '/^commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p')
for c in "${cmds[@]}"; do
	want=$( { echo --help; okdf "$c" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' || true; } | sort -u | grep -vxF -f <(grep -vx -- --help <<<"$globals"))
	got=$( { bash_complete okdf "$c" --; for s in $(bash_complete okdf "$c" ''); do
		if [[ $s =~ ^[a-z]+$ ]]; then bash_complete okdf "$c" "$s" --; fi; done; } | sort -u)
	check_eq "bash: options of $c" "$want" "$got"
done

# fish
if command -v fish >/dev/null; then
	fish_complete() { fish -c "source $comp/okdf.fish; complete -C '$1'" | cut -f1 | sort -u; }
	has "fish: okdf sy -> sync" sync "$(fish_complete 'okdf sy')"
	has "fish: phase show offers brand" brand "$(fish_complete 'okdf phase show ')"
	check_eq "fish: ids from --db" "1
2" "$(fish_complete "okdf --db $tmp/db ack ")"
else
	bad "fish not installed"
fi
if command -v zsh >/dev/null; then
	zsh -n "$comp/_okdf" && ok "zsh: _okdf parses" || bad "zsh: _okdf does not parse"
else
	bad "zsh not installed"
fi
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
