# fish completion for okdf: commands, subcommands, options, phase ids,
# windows, escalation kinds and the ids of unresolved escalations.

function __okdf_commands
    okdf --help 2>/dev/null | sed -n '/^commands:/,/^$/s/^  \([a-z-]*\) *\(.*\)/\1\t\2/p'
end

function __okdf_ids
    set -l args
    set -l tokens (commandline -opc)
    set -l i 2
    while test $i -lt (count $tokens)
        switch $tokens[$i]
            case --db --config
                set args $args $tokens[$i] $tokens[(math $i + 1)]
        end
        set i (math $i + 1)
    end
    okdf $args inbox --state unresolved 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }'
end

# An escalation id goes after ack, resolve, snooze, decide and inbox show.
function __okdf_wants_id
    __fish_seen_subcommand_from ack resolve snooze decide; and return 0
    __fish_seen_subcommand_from inbox; and __fish_seen_subcommand_from show
end

set -l phases 1 2 3 4 5 6 7 8 9 10 11 brand store warehouse email cs_agent content creative paid feedback escalation autonomous
set -l windows today 7d 30d 90d all
set -l kinds crisis.negative_review crisis.recall crisis.policy_violation budget.scale budget.new_market budget.new_product brand.positioning anomaly.refund_spike anomaly.revenue_drop anomaly.sync_down agent.approval

complete -c okdf -f
complete -c okdf -n __fish_use_subcommand -l db -r -F -d 'database'
complete -c okdf -n __fish_use_subcommand -l config -r -F -d 'configuration file'
complete -c okdf -n __fish_use_subcommand -l data-dir -r -a '(__fish_complete_directories)' -d 'data directory'
complete -c okdf -n __fish_use_subcommand -l theme -x -a 'default light mono high-contrast' -d 'colour theme'
complete -c okdf -n __fish_use_subcommand -l ascii -d 'ASCII lines and sparklines'
complete -c okdf -n __fish_use_subcommand -l version -d 'print the versions'
complete -c okdf -l help -d 'usage'
complete -c okdf -n __fish_use_subcommand -a '(__okdf_commands)'

complete -c okdf -n '__fish_seen_subcommand_from audit' -l target -x -d 'audit target'
complete -c okdf -n '__fish_seen_subcommand_from audit settings' -l json -d 'JSON output'
complete -c okdf -n '__fish_seen_subcommand_from brief; and __fish_seen_subcommand_from show' -l json -d 'JSON output'
complete -c okdf -n '__fish_seen_subcommand_from idea; and __fish_seen_subcommand_from list' -l json -d 'JSON output'
complete -c okdf -n '__fish_seen_subcommand_from inbox' -l json -d 'JSON output'
complete -c okdf -n '__fish_seen_subcommand_from inbox' -l state -x -a 'open acknowledged snoozed resolved active unresolved all'
complete -c okdf -n '__fish_seen_subcommand_from inbox; and not __fish_seen_subcommand_from show' -a show
complete -c okdf -n __okdf_wants_id -a '(__okdf_ids)'
complete -c okdf -n '__fish_seen_subcommand_from resolve decide' -l note -x -d 'decision note'
complete -c okdf -n '__fish_seen_subcommand_from decide' -a 'approve reject keep revert'
complete -c okdf -n '__fish_seen_subcommand_from escalate' -a "$kinds"
complete -c okdf -n '__fish_seen_subcommand_from escalate' -l severity -x -a 'critical high normal'
complete -c okdf -n '__fish_seen_subcommand_from escalate' -l note -x
complete -c okdf -n '__fish_seen_subcommand_from rules actions' -a run
complete -c okdf -n '__fish_seen_subcommand_from rules phases' -l json -d 'JSON output'
complete -c okdf -n '__fish_seen_subcommand_from phase; and not __fish_seen_subcommand_from show signoff complete reopen' -a 'show signoff complete reopen'
complete -c okdf -n '__fish_seen_subcommand_from signoff complete reopen' -a "$phases"
complete -c okdf -n '__fish_seen_subcommand_from phase; and __fish_seen_subcommand_from show' -a "$phases"
complete -c okdf -n '__fish_seen_subcommand_from phase; and __fish_seen_subcommand_from show' -l json
complete -c okdf -n '__fish_seen_subcommand_from signoff' -l note -x
complete -c okdf -n '__fish_seen_subcommand_from complete' -l override -x -d 'reason'
complete -c okdf -n '__fish_seen_subcommand_from brief; and not __fish_seen_subcommand_from register show' -a 'register show'
complete -c okdf -n '__fish_seen_subcommand_from register' -F
complete -c okdf -n '__fish_seen_subcommand_from review; and not __fish_seen_subcommand_from add list show' -a 'add list show'
complete -c okdf -n '__fish_seen_subcommand_from review' -l note -x
complete -c okdf -n '__fish_seen_subcommand_from review' -l report -d 'attach the weekly report'
complete -c okdf -n '__fish_seen_subcommand_from review report' -l week -x -d 'ISO week YYYY-Www'
complete -c okdf -n '__fish_seen_subcommand_from review; and __fish_seen_subcommand_from list' -l json
complete -c okdf -n '__fish_seen_subcommand_from export' -l window -x -a "$windows"
complete -c okdf -n '__fish_seen_subcommand_from export' -l format -x -a 'csv json'
complete -c okdf -n '__fish_seen_subcommand_from report' -l format -x -a 'md html'
complete -c okdf -n '__fish_seen_subcommand_from export report' -l now -x
complete -c okdf -n '__fish_seen_subcommand_from set' -a 'budget_cap_minor target_roas rules.enabled.crisis rules.enabled.budget rules.enabled.brand'
complete -c okdf -n '__fish_seen_subcommand_from metrics hours' -l window -x -a "$windows"
complete -c okdf -n '__fish_seen_subcommand_from metrics' -l now -x
complete -c okdf -n '__fish_seen_subcommand_from metrics' -l json -d 'JSON output'
complete -c okdf -n '__fish_seen_subcommand_from hours; and not __fish_seen_subcommand_from add list rm' -a 'add list rm'
complete -c okdf -n '__fish_seen_subcommand_from hours; and __fish_seen_subcommand_from list' -l json -d 'JSON output'
complete -c okdf -n '__fish_seen_subcommand_from idea; and not __fish_seen_subcommand_from add link list' -a 'add link list'
complete -c okdf -n '__fish_seen_subcommand_from hours idea' -l date -x -d 'shop day YYYY-MM-DD'
complete -c okdf -n '__fish_seen_subcommand_from hours' -l note -x
complete -c okdf -n '__fish_seen_subcommand_from idea' -l product -x -d 'product id'
complete -c okdf -n '__fish_seen_subcommand_from sync' -l once -d 'one pass, then exit'
complete -c okdf -n '__fish_seen_subcommand_from doctor health' -l json -d 'JSON output'
complete -c okdf -n '__fish_seen_subcommand_from init' -l from -r -F -d 'settings file'
complete -c okdf -n '__fish_seen_subcommand_from init' -l force -d 'replace an existing config'
complete -c okdf -n '__fish_seen_subcommand_from init' -l no-doctor -d 'skip okdf doctor'
complete -c okdf -n '__fish_seen_subcommand_from doctor' -l offline -d 'skip the live service checks'
