#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The HTTP API (--http) and the live JSON records:
#   - a real Prometheus (Debian's) scrapes /metrics on the daemon's
#     loopback and answers a query for osprey's SYN counter, per-module
#     observations and hosts per OS class through its own HTTP API
#   - /metrics parses as Prometheus text (promtool check metrics) and
#     carries every kernel and daemon counter osprey stats prints
#   - /hosts/ADDR is what `osprey lookup --json` prints; unknown host 404,
#     bad address 400, other paths 404, POST 405
#   - bounded: an idle connection is closed after the timeout; more
#     connections than the limit are not all served at once
#   - the live JSON lines are valid against the schema and name the
#     interface and the sensor (--sensor); their community_id is the
#     spec's for the flow
# Two namespaces: the client's SYNs reach the daemon's veth.
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
PY=$(command -v /usr/bin/python3 || command -v python3)
need_root http

ID=$T_ID
NS_D=ohD$ID NS_C=ohC$ID
PIN=/sys/fs/bpf/osprey-http-$ID
SRV=10.245.0.1 CLI=10.245.0.2 PORT=8084
HTTP_PORT=9100 PROM_PORT=9090

need_tools ip nsenter python3 curl
TMPD=$(mktemp -d /tmp/osprey-http.XXXXXX)
on_exit "rm -rf $TMPD"
private_osprey "$TMPD"
need_bpffs
on_exit "rm -rf $PIN"

in_d() { nsenter --net=/run/netns/$NS_D "$@"; }
get() { in_d curl -s -m 5 "$@"; }

netns_pair "$NS_D" "$NS_C" "d$ID" "c$ID" $SRV $CLI || exit 1
tcp_sink "$NS_D" $PORT

# nsenter execs osprey (and prometheus below): $! is its own pid
nsenter --net=/run/netns/$NS_D "$OSPREY" -i "d$ID" --pin-dir "$PIN" \
	--http $HTTP_PORT --json \
	--sensor "sensor-$ID" >"$TMPD/events.json" 2>"$TMPD/err" &
OPID=$!
track_pid $OPID
for n in $(seq 100); do grep -q attached "$TMPD/err" && break; sleep 0.1; done
grep -q attached "$TMPD/err" || { failm start "$(tr '\n' ' ' <"$TMPD/err")"; exit 1; }

connect() { tcp_connect "$NS_C" $SRV $PORT; }
for n in 1 2 3; do connect; done
for n in $(seq 30); do
	"$OSPREY" lookup --pin-dir "$PIN" $CLI >/dev/null 2>&1 && break
	sleep 0.1
done

# ------------------------------------------------------------------ cases
test_metrics_text() {
	local m missing name
	m=$(get "http://127.0.0.1:$HTTP_PORT/metrics")
	echo "$m" >"$TMPD/metrics.txt"
	if command -v promtool >/dev/null; then
		# promtool's lint only warns (exit 0) about style; errors fail
		if promtool check metrics <"$TMPD/metrics.txt" >"$TMPD/promtool" 2>&1; then
			pass promtool_check_metrics
		else
			failm promtool_check_metrics "$(head -3 "$TMPD/promtool" | tr '\n' ' ')"
		fi
	else
		skip promtool_check_metrics "promtool not installed"
	fi
	check_eq metrics_syn_counted 1 "$(echo "$m" | awk '$1 == "osprey_kernel_syn_total" { print ($2 >= 3) }')"
	check_eq metrics_obs_syn 1 "$(echo "$m" | awk '$1 == "osprey_observations_total{module=\"syn\"}" { print ($2 >= 3) }')"
	check_eq metrics_hosts_tracked 1 "$(echo "$m" | awk '$1 == "osprey_hosts_tracked" { print ($2 >= 2) }')"
	check_eq metrics_rb_drop_kinds 3 "$(echo "$m" | grep -c '^osprey_kernel_ringbuf_drops_total{kind=')"
	# every counter `osprey stats` shows is in /metrics under some name
	missing=""
	for name in $("$OSPREY" stats --json --pin-dir "$PIN" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
skip = {"ringbuf_drops", "ringbuf_drops_syn", "ringbuf_drops_synack",
        "ringbuf_drops_flow", "pid", "running", "state", "update_time",
        "hosts", "connections_tracked", "start_time"}
for part in ("kernel", "daemon"):
    for k in d[part]:
        if k not in skip and not k.startswith("obs_"):
            print("osprey_%s_%s_total" % (part, k))'); do
		echo "$m" | grep -q "^$name " || missing="$missing $name"
	done
	check_eq metrics_every_counter "" "$missing"
	# libmicrohttpd runs in the daemon's loop: no thread of its own
	check_eq daemon_single_thread 1 "$(ls /proc/$OPID/task | wc -l)"
	case $m in
	*'osprey_hosts_by_os_class{class="unix"}'*) pass metrics_os_classes ;;
	*) failm metrics_os_classes "no osprey_hosts_by_os_class{class=\"unix\"}" ;;
	esac
}

test_hosts_endpoint() {
	local want got
	want=$("$OSPREY" lookup --json --pin-dir "$PIN" $CLI 2>&1)
	got=$(get "http://127.0.0.1:$HTTP_PORT/hosts/$CLI")
	check_eq hosts_equals_lookup "$want" "$got"
	echo "$got" >"$TMPD/host.json"
	check_json hosts_json_schema lookup "$TMPD/host.json"
	check_eq hosts_unknown_404 404 "$(get -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$HTTP_PORT/hosts/10.245.9.9")"
	check_eq hosts_bad_addr_400 400 "$(get -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$HTTP_PORT/hosts/10.245.9")"
	check_eq other_path_404 404 "$(get -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$HTTP_PORT/")"
	check_eq post_405 405 "$(get -o /dev/null -w '%{http_code}' -X POST \
		-d x "http://127.0.0.1:$HTTP_PORT/metrics")"
}

# An idle connection is closed by the server after its timeout (5 s), and
# the connection limit (16) holds: of 40 idle connections, the daemon
# keeps at most 16 open while it still answers a scrape afterwards.
test_bounds() {
	local got
	got=$(in_d "$PY" - $HTTP_PORT <<'EOF'
import socket, sys, time
port = int(sys.argv[1])
idle = socket.create_connection(("127.0.0.1", port))
idle.settimeout(9)
t0 = time.time()
try:
    closed = idle.recv(1) == b""
except socket.timeout:
    closed = False
took = time.time() - t0
many = []
for i in range(40):
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=2)
        many.append(c)
    except OSError:
        pass
time.sleep(1.5)
alive = 0
for c in many:
    c.setblocking(False)
    try:
        alive += c.recv(1) != b""
    except BlockingIOError:
        alive += 1
    except OSError:
        pass
print("%s %s %s %d %.1f" % (closed and 3 <= took <= 8, alive <= 16, alive > 0,
                           alive, took))
EOF
)
	echo "# idle connection closed after ${got##* } s; $(echo "$got" | cut -d' ' -f4) of 40 connections kept"
	check_eq http_bounds "True True True" "$(echo "$got" | cut -d' ' -f1-3)"
	check_eq http_serves_after 200 "$(get -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$HTTP_PORT/metrics")"
}

test_prometheus() {
	local prom data n up val
	if ! command -v prometheus >/dev/null; then
		skip prometheus "prometheus not installed"
		return 0
	fi
	data=$TMPD/prom
	mkdir -p "$data"
	cat >"$TMPD/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: osprey
    static_configs:
      - targets: ['127.0.0.1:$HTTP_PORT']
EOF
	nsenter --net=/run/netns/$NS_D prometheus \
		--config.file="$TMPD/prometheus.yml" \
		--storage.tsdb.path="$data" \
		--web.listen-address="127.0.0.1:$PROM_PORT" \
		>"$TMPD/prom.log" 2>&1 &
	prom=$!
	track_pid $prom
	q() { get "http://127.0.0.1:$PROM_PORT/api/v1/query" \
		--data-urlencode "query=$1" | "$PY" -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "none")' 2>/dev/null; }
	for n in $(seq 60); do
		up=$(q 'up{job="osprey"}')
		[ "$up" = 1 ] && break
		sleep 0.5
	done
	check_eq prometheus_target_up 1 "$up"
	connect
	for n in $(seq 20); do
		val=$(q 'osprey_kernel_syn_total')
		[ "${val:-0}" -ge 4 ] 2>/dev/null && break
		sleep 0.5
	done
	echo "# prometheus: osprey_kernel_syn_total = $val"
	check_eq prometheus_query_syn 1 "$( [ "${val:-0}" -ge 4 ] 2>/dev/null && echo 1)"
	val=$(q 'sum(osprey_hosts_by_os_class)')
	check_eq prometheus_query_hosts_by_class 1 "$( [ "${val:-0}" -ge 2 ] 2>/dev/null && echo 1)"
	kill $prom
	wait $prom 2>/dev/null
	return 0
}

test_live_json() {
	local got
	check_json live_json_schema event "$TMPD/events.json"
	got=$("$PY" - "$TMPD/events.json" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ifs = sorted({r.get("iface", "-") for r in recs})
sens = sorted({r["sensor"] for r in recs})
print(len(recs) > 0, ",".join(ifs), ",".join(sens))
EOF
)
	check_eq live_json_iface_sensor "True d$ID sensor-$ID" "$got"
	if got=$("$PY" "$TOP/tests/community_id.py" "$TMPD/events.json" 2>&1)
	then
		pass live_json_community_id
	else
		failm live_json_community_id "records agreeing with the spec: $got"
	fi
}

ALL_TESTS=(metrics_text hosts_endpoint bounds prometheus live_json)
run_tests "$@"
