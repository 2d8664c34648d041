# Shared by the okdf-sim integration tests: start simulators on free ports,
# stop them cleanly at the end, and fail on any sanitizer report.
: "${OKDF_SIM:?OKDF_SIM must point at the okdf-sim binary}"
tmp=$(mktemp -d)
sim_pids=()
sim_names=()
CURL=(curl -sS --max-time 10)
NOW=2026-11-20T12:00:00Z

fail() { echo "FAIL: $*" >&2; exit 1; }

# start_sim NAME ARGS...: starts a simulator, sets PORT from its first line.
start_sim() {
	local name=$1; shift
	"$OKDF_SIM" --port 0 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	sim_pids+=($!)
	sim_names+=("$name")
	for _ in $(seq 100); do
		if grep -q '^okdf-sim listening on ' "$tmp/$name.out" 2>/dev/null; then
			PORT=$(sed -n '1s|^okdf-sim listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$tmp/$name.out")
			[ -n "$PORT" ] || fail "$name: bad listening line: $(head -1 "$tmp/$name.out")"
			return 0
		fi
		sleep 0.1
	done
	fail "$name did not start: $(cat "$tmp/$name.err")"
}

# stop_sims: SIGTERM must end every simulator with status 0 and no
# sanitizer output.
stop_sims() {
	local i rc
	for i in "${!sim_pids[@]}"; do
		kill -TERM "${sim_pids[$i]}" 2>/dev/null || true
		rc=0
		wait "${sim_pids[$i]}" || rc=$?
		[ "$rc" = 0 ] || fail "${sim_names[$i]} exited with $rc: $(head -c 2000 "$tmp/${sim_names[$i]}.err")"
		if grep -qE 'Sanitizer|runtime error' "$tmp/${sim_names[$i]}.err"; then
			fail "${sim_names[$i]}: $(head -c 4000 "$tmp/${sim_names[$i]}.err")"
		fi
	done
	sim_pids=()
}

cleanup_sims() {
	local pid
	for pid in "${sim_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup_sims EXIT

# shopify BASE TOKEN JSON-BODY: prints the body, leaves the status in $tmp/status.
shopify() {
	"${CURL[@]}" -o "$tmp/body" -w '%{http_code}' -X POST "$1/admin/api/2026-10/graphql.json" \
		-H "X-Shopify-Access-Token: $2" -H 'Content-Type: application/json' \
		--data-binary "$3" >"$tmp/status" || true
	cat "$tmp/body" 2>/dev/null || true
}

# jq filter turning a Shopify decimal string into minor units (2 decimals).
JQ_MINOR='def minor: split(".") as $p | ($p[0] | tonumber) * 100 + ((($p[1] // "") + "00")[0:2] | tonumber);'
