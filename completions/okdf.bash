# bash completion for okdf                                  -*- shell-script -*-
# Commands, subcommands, options, phase ids, windows, escalation kinds and,
# from the database the command line names, escalation ids.

_okdf_phases='1 2 3 4 5 6 7 8 9 10 11 brand store warehouse email cs_agent content creative paid feedback escalation autonomous'
_okdf_windows='today 7d 30d 90d all'
_okdf_kinds='crisis.negative_review crisis.recall crisis.policy_violation budget.scale budget.new_market budget.new_product brand.positioning anomaly.refund_spike anomaly.revenue_drop anomaly.sync_down agent.approval'

# Escalation ids of the unresolved escalations, read with the same --db/--config.
_okdf_ids()
{
	"${_okdf_global[@]}" inbox --state unresolved 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }'
}

_okdf()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i cmd='' cmdi=0 w
	_okdf_global=("${COMP_WORDS[0]}")
	COMPREPLY=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--db | --config | --data-dir | --theme)
			_okdf_global+=("$w" "${COMP_WORDS[i + 1]}")
			((i++)) ;;
		-*) ;;
		*) cmd=$w cmdi=$i; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		case $prev in
		--db | --config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
		--data-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
		--theme) COMPREPLY=($(compgen -W 'default light mono high-contrast' -f -- "$cur")); return ;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--db --config --data-dir --theme --ascii --help --version' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" --help 2>/dev/null |
				sed -n '/^commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p')" -- "$cur"))
		fi
		return
	fi

	local sub=${COMP_WORDS[cmdi + 1]} nargs=$((COMP_CWORD - cmdi))
	case $prev in
	--window) COMPREPLY=($(compgen -W "$_okdf_windows" -- "$cur")); return ;;
	--state) COMPREPLY=($(compgen -W 'open acknowledged snoozed resolved active unresolved all' -- "$cur")); return ;;
	--format)
		if [[ $cmd == export ]]; then COMPREPLY=($(compgen -W 'csv json' -- "$cur")); else COMPREPLY=($(compgen -W 'md html' -- "$cur")); fi
		return ;;
	--severity) COMPREPLY=($(compgen -W 'critical high normal' -- "$cur")); return ;;
	--from) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--note | --override | --target | --date | --product | --now | --week) return ;;
	esac

	local words='' opts='--help'
	case $cmd in
	audit) opts+=' --target --json' ;;
	inbox)
		opts+=' --json --state'
		((nargs == 1)) && words='show'
		[[ $sub == show && nargs -eq 2 ]] && words=$(_okdf_ids) ;;
	ack | resolve | snooze | decide)
		((nargs == 1)) && words=$(_okdf_ids)
		case $cmd in
		resolve) opts+=' --note' ;;
		snooze) ((nargs == 2)) && words='30m 4h 2d' ;;
		decide) opts+=' --note'; ((nargs == 2)) && words='approve reject keep revert' ;;
		esac ;;
	escalate) opts+=' --severity --note'; ((nargs == 1)) && words=$_okdf_kinds ;;
	rules) opts+=' --json'; ((nargs == 1)) && words='run' ;;
	actions) ((nargs == 1)) && words='run' ;;
	phases) opts+=' --json' ;;
	phase)
		((nargs == 1)) && words='show signoff complete reopen'
		((nargs == 2)) && words=$_okdf_phases
		case $sub in
		show) opts+=' --json' ;;
		signoff) opts+=' --note' ;;
		complete) opts+=' --override' ;;
		esac ;;
	brief)
		((nargs == 1)) && words='register show'
		[[ $sub == register && nargs -eq 2 ]] && { COMPREPLY=($(compgen -f -- "$cur")); return; }
		[[ $sub == show ]] && opts+=' --json' ;;
	review)
		((nargs == 1)) && words='add list show'
		case $sub in
		add) opts+=' --note --report --week' ;;
		list) opts+=' --json' ;;
		esac ;;
	export) opts+=' --window --format --now' ;;
	report) opts+=' --week --format --now' ;;
	settings) opts+=' --json' ;;
	set) ((nargs == 1)) && words='budget_cap_minor target_roas rules.enabled.crisis rules.enabled.budget rules.enabled.brand' ;;
	metrics) opts+=' --window --now --json' ;;
	hours)
		((nargs == 1)) && words='add list rm'
		case $sub in
		add) opts+=' --date --note' ;;
		list) opts+=' --window --json' ;;
		esac ;;
	idea)
		((nargs == 1)) && words='add link list'
		case $sub in
		add) opts+=' --date --product' ;;
		list) opts+=' --json' ;;
		esac ;;
	sync) opts+=' --once' ;;
	doctor) opts+=' --json --offline' ;;
	health) opts+=' --json' ;;
	init) opts+=' --from --force --no-doctor' ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
	fi
}
complete -F _okdf okdf
