# shellcheck shell=bash
# SIDE_* are lib.sh's associative arrays (checked together through case.sh
# with shellcheck -x); alone, their uses look wrong.  "A && B || fail"
# is meant: fail when any check does.
# shellcheck disable=SC2034,SC2154,SC2015
#
# obs.sh: the observers (issue 15) against real tools.  Each case starts
# the routes lab of routes.sh (two tunnels, the gateway's four VPC
# prefixes) with one observer configured, then takes tunnel 1 down and
# brings it back:
#
#   metrics  Prometheus endpoint: promtool check metrics accepts every
#            scrape; tbgpd_peer_up and tbgpd_peer_prefixes_received of
#            tunnel 1 go 1/4 -> 0/0 -> 1/4; Prometheus itself scrapes
#            tbgpd; 1 MB of headers and 1,000 connections leave the
#            sessions up, memory bounded and a log line.

OBS_MPORT=9179		# tbgpd's metrics listener, in the tb namespace
OBS_PPORT=9190		# Prometheus's own, in the tb namespace

# obs_http HOST:PORT: GET /metrics there, inside the tb namespace.
obs_http() {
	nsx tb python3 -c '
import sys, urllib.request
with urllib.request.urlopen("http://%s/metrics" % sys.argv[1],
                            timeout=5) as r:
    sys.stdout.write(r.read().decode())
' "$1"
}

# obs_scrape: the exposition from the IPv4 listener.
obs_scrape() { obs_http "127.0.0.1:$OBS_MPORT"; }

# obs_value FAMILY ADDR [LABEL=VALUE]: the value of FAMILY's series for
# neighbor ADDR (and the extra label) in a fresh scrape.
obs_value() {
	obs_scrape | awk -v f="$1" -v a="peer=\"$2\"" -v x="${3:-}" '
	index($0, f "{") == 1 && index($0, a) &&
	    (x == "" || index($0, x)) { print $NF; exit }'
}

obs_peer_is() {
	[ "$(obs_value tbgpd_peer_up "$1")" = "$2" ] &&
	    [ "$(obs_value tbgpd_peer_prefixes_received "$1" \
	    'family="ipv4_unicast"')" = "$3" ]
}

# obs_promtool: the scrape passes promtool check metrics (no warnings).
obs_promtool() {
	local out
	obs_scrape >"$OUTD/scrape-$1.txt" || fail "scrape $1 failed"
	out=$(promtool check metrics <"$OUTD/scrape-$1.txt" 2>&1) ||
	    fail "promtool check metrics rejects scrape $1: $(head -3 <<<"$out")"
	[ -z "$out" ] || fail "promtool check metrics warns on scrape $1: $out"
}

# obs_lab_start GW: vpc_lab_start's lab (routes.sh) with the observer
# statements of $RUND/tb.obs added to tbgpd's configuration.
obs_lab_start() {
	vpc_gw_conf "$1"
	{ tb_route_policy; cat "$RUND/tb.obs"; } >"$RUND/tb.extra"
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	add_nbr gw "$T2_TB" "$T2_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T2_GW" "$T2_TB" "$GW_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	lab_net_hook=rib_kernel_route
	lab_start "$1"
	wait_for 60 both_up || fail "sessions not Established within 60 s"
	rib_wait 30 "$RIB_BOTH" "with both tunnels"
}

obs_rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$(pid_of tb-tbgpd)/status"; }

# obs_flood: a client sending 1 MB of headers, then one opening 1,000
# connections at once and holding them.
obs_flood() {
	nsx tb python3 - "$OBS_MPORT" <<-'PYEOF'
	import socket, sys, time
	addr = ("127.0.0.1", int(sys.argv[1]))
	s = socket.create_connection(addr)
	s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
	try:
	    for _ in range(1000):
	        s.sendall(b"X-Junk: " + b"a" * 1016 + b"\r\n")
	except OSError:
	    pass
	s.close()
	socks = []
	for _ in range(1000):
	    c = socket.socket()
	    c.setblocking(False)
	    try:
	        c.connect(addr)
	    except BlockingIOError:
	        pass
	    socks.append(c)
	time.sleep(3)
	PYEOF
}

obs_prometheus() {
	local dir=$RUND/prom
	mkdir -p "$dir/data"
	cat >"$dir/prometheus.yml" <<-EOF
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	scrape_configs:
	  - job_name: tbgpd
	    static_configs:
	      - targets: ['127.0.0.1:$OBS_MPORT']
	EOF
	spawn tb prometheus prometheus --config.file="$dir/prometheus.yml" \
	    --storage.tsdb.path="$dir/data" \
	    --web.listen-address="127.0.0.1:$OBS_PPORT"
}

# obs_prom_query EXPR: the first value Prometheus has for EXPR.
obs_prom_query() {
	nsx tb python3 -c '
import json, sys, urllib.parse, urllib.request
q = urllib.parse.urlencode({"query": sys.argv[2]})
with urllib.request.urlopen("http://127.0.0.1:%s/api/v1/query?%s" %
                            (sys.argv[1], q), timeout=5) as r:
    res = json.load(r)["data"]["result"]
print(res[0]["value"][1] if res else "")
' "$OBS_PPORT" "$1" 2>/dev/null
}

obs_prom_has() { [ "$(obs_prom_query "$1")" = "$2" ]; }

case_metrics() {
	local gw=$1 rss0 rss1 note
	command -v promtool >/dev/null ||
	    fail "cannot run: promtool missing (Debian package prometheus)"
	cat >"$RUND/tb.obs" <<-EOF
	metrics listen 127.0.0.1 port $OBS_MPORT
	metrics listen ::1 port $OBS_MPORT
	EOF
	obs_lab_start "$gw"
	obs_prometheus
	wait_for 10 obs_peer_is "$T1_GW" 1 4 ||
	    fail "tbgpd_peer_up/prefixes_received of $T1_GW are" \
	    "$(obs_value tbgpd_peer_up "$T1_GW")/$(obs_value \
	    tbgpd_peer_prefixes_received "$T1_GW"), want 1/4"
	obs_promtool up
	ip -n "${SIDE_NS[gw]}" link set "${LAB_ID}t1g" down ||
	    fail "cannot set tunnel 1 down"
	wait_for 10 obs_peer_is "$T1_GW" 0 0 ||
	    fail "tunnel 1 down: tbgpd_peer_up/prefixes_received of $T1_GW" \
	    "are $(obs_value tbgpd_peer_up "$T1_GW")/$(obs_value \
	    tbgpd_peer_prefixes_received "$T1_GW"), want 0/0"
	obs_peer_is "$T2_GW" 1 4 || fail "tunnel 2's series moved"
	obs_promtool down
	grep -q 'tbgpd_peer_last_down_info{.*reason="interface' \
	    "$OUTD/scrape-down.txt" ||
	    fail "tbgpd_peer_last_down_info does not say the interface went down"
	ip -n "${SIDE_NS[gw]}" link set "${LAB_ID}t1g" up ||
	    fail "cannot set tunnel 1 up"
	wait_for 40 obs_peer_is "$T1_GW" 1 4 ||
	    fail "tunnel 1 back: tbgpd_peer_up/prefixes_received of $T1_GW" \
	    "did not return to 1/4"
	[ "$(obs_value tbgpd_peer_established_total "$T1_GW")" = 2 ] ||
	    fail "tbgpd_peer_established_total of $T1_GW is not 2"
	obs_promtool back
	wait_for 15 obs_prom_has 'up{job="tbgpd"}' 1 ||
	    fail "Prometheus does not scrape tbgpd (up is" \
	    "'$(obs_prom_query 'up{job="tbgpd"}')')"
	wait_for 10 obs_prom_has "tbgpd_peer_up{peer=\"$T1_GW\"}" 1 ||
	    fail "Prometheus has no tbgpd_peer_up of $T1_GW"
	rss0=$(obs_rss_kb)
	obs_flood
	rss1=$(obs_rss_kb)
	[ $((rss1 - rss0)) -lt 8192 ] ||
	    fail "1,000 connections grew tbgpd by $((rss1 - rss0)) kB"
	wait_for 15 obs_promtool after ||
	    fail "no scrape after the flood"
	grep -q "metrics: 16 scrape clients connected, further connections" \
	    "$(tb_log)" || fail "no log line about the connection limit"
	grep -q "metrics: a client went without a valid request" "$(tb_log)" ||
	    fail "no log line about the oversized request"
	both_up || fail "a session went down during the flood"
	[ "$(obs_value tbgpd_peer_established_total "$T2_GW")" = 1 ] ||
	    fail "tunnel 2's session restarted"
	# A reload moves the IPv6 listener; the IPv4 one stays.
	sed -i "s/^metrics listen ::1 port $OBS_MPORT/metrics listen ::1 port $((OBS_MPORT + 2))/" \
	    "$OUTD/tb-tbgpd.conf" || fail "cannot edit tbgpd's configuration"
	tbgpd_sh tb reload >"$OUTD/reload.txt" 2>&1 ||
	    fail "reload refused: $(head -3 "$OUTD/reload.txt")"
	obs_http "[::1]:$((OBS_MPORT + 2))" >/dev/null ||
	    fail "reload: nothing serves on [::1]:$((OBS_MPORT + 2))"
	! obs_http "[::1]:$OBS_MPORT" >/dev/null 2>&1 ||
	    fail "reload: [::1]:$OBS_MPORT still serves"
	obs_promtool reloaded
	tb_alive
	note="promtool clean on 5 scrapes; a reload moved a listener; peer_up/prefixes_received 1/4 -> 0/0 -> 1/4"
	PASS_NOTE="$note; Prometheus scraped; flood: RSS +$((rss1 - rss0)) kB, sessions up"
}

# obs_bgpdump FILE: bgpdump -m of FILE, also kept in the case's logs.
obs_bgpdump() {
	bgpdump -m "$1" 2>/dev/null | tee -a "$OUTD/bgpdump.txt"
}

# obs_rib_file: the newest complete table dump.
obs_rib_file() {
	find "$RUND/mrt" -name 'rib.*' ! -name '*.part' -newer "$RUND/mrt/t0" \
	    2>/dev/null | sort | tail -n 1
}

# obs_rib_has: the newest table dump has 172.16.0.0/16 from both tunnels
# with their AS paths (tunnel 2's prepended) and 172.17.0.0/16's MED.
obs_rib_has() {
	local f out
	f=$(obs_rib_file)
	[ -n "$f" ] || return 1
	out=$(bgpdump -m "$f" 2>/dev/null) || return 1
	grep -q "^TABLE_DUMP2|[0-9]*|B|$T1_GW|$GW_AS|172.16.0.0/16|$GW_AS|IGP|$T1_GW|" <<<"$out" &&
	    grep -q "^TABLE_DUMP2|[0-9]*|B|$T2_GW|$GW_AS|172.16.0.0/16|$GW_AS $GW_AS $GW_AS|IGP|$T2_GW|" <<<"$out" &&
	    grep -q "^TABLE_DUMP2|[0-9]*|B|$T2_GW|$GW_AS|172.17.0.0/16|$GW_AS|IGP|$T2_GW|0|50|" <<<"$out" &&
	    { printf '%s\n' "== $f" "$out" >>"$OUTD/bgpdump.txt"; return 0; }
	return 1
}

obs_updates_has() {
	bgpdump -m "$RUND/mrt/updates.mrt" 2>/dev/null |
	    grep -q "^BGP4MP|[0-9]*|A|$T1_GW|$GW_AS|172.16.0.0/16|$GW_AS|IGP|$T1_GW|"
}

# obs_states N: the all-et dumps hold N state changes of tunnel 1 to
# Established and one from Established to Idle per N - 1.
obs_states() {
	local up down
	up=$(cat "$RUND"/mrt/all.* 2>/dev/null | bgpdump -m - 2>/dev/null |
	    grep -c "^BGP4MP_ET|[0-9.]*|STATE|$T1_GW|$GW_AS|.*|6$")
	down=$(cat "$RUND"/mrt/all.* 2>/dev/null | bgpdump -m - 2>/dev/null |
	    grep -c "^BGP4MP_ET|[0-9.]*|STATE|$T1_GW|$GW_AS|6|1$")
	[ "$up" = "$1" ] && [ "$down" = $(($1 - 1)) ]
}

case_mrt() {
	local gw=$1 size note
	command -v bgpdump >/dev/null ||
	    fail "cannot run: bgpdump missing (Debian package bgpdump)"
	mkdir -p "$RUND/mrt"
	touch "$RUND/mrt/t0"
	cat >"$RUND/tb.obs" <<-EOF
	dump bgp all-et $RUND/mrt/all.%Y%m%d-%H%M 1h
	dump bgp updates $RUND/mrt/updates.mrt
	dump bgp routes-mrt $RUND/mrt/rib.%Y%m%d-%H%M%S 2
	EOF
	obs_lab_start "$gw"
	wait_for 10 obs_updates_has ||
	    fail "bgpdump -m of the updates dump lacks $T1_GW's 172.16.0.0/16"
	obs_bgpdump "$RUND/mrt/updates.mrt" >/dev/null
	wait_for 10 obs_rib_has ||
	    fail "bgpdump -m of the table dump lacks the VPC routes: $(obs_rib_file)"
	ip -n "${SIDE_NS[gw]}" link set "${LAB_ID}t1g" down ||
	    fail "cannot set tunnel 1 down"
	wait_for 10 rib_is "$RIB_T2_ONLY" || fail "tunnel 1 down: RIB not on t2"
	ip -n "${SIDE_NS[gw]}" link set "${LAB_ID}t1g" up ||
	    fail "cannot set tunnel 1 up"
	wait_for 40 rib_is "$RIB_BOTH" || fail "tunnel 1 back: RIB not both"
	wait_for 5 obs_states 2 ||
	    fail "the all-et dump does not show tunnel 1 Established, Idle," \
	    "Established"
	cat "$RUND"/mrt/all.* | obs_bgpdump - | grep STATE >/dev/null
	# no dump bgp updates, by reload: the file stops.
	echo "no dump bgp updates" >>"$OUTD/tb-tbgpd.conf"
	tbgpd_sh tb reload >"$OUTD/reload.txt" 2>&1 ||
	    fail "reload refused: $(head -3 "$OUTD/reload.txt")"
	grep -q "MRT updates: no longer dumping" "$(tb_log)" ||
	    fail "no log line saying the updates dump stopped"
	size=$(stat -c %s "$RUND/mrt/updates.mrt")
	tbgpd_sh tb "clear bgp $T1_GW" >/dev/null 2>&1
	wait_for 30 rib_is "$RIB_BOTH" || fail "after clear bgp: RIB not both"
	pause 2
	[ "$(stat -c %s "$RUND/mrt/updates.mrt")" = "$size" ] ||
	    fail "the updates dump still grows after no dump bgp updates"
	tb_alive
	note="bgpdump -m: updates and table dumps show 172.16.0.0/16 with its AS paths"
	PASS_NOTE="$note; all-et has t1's Established/Idle/Established; no dump bgp updates stopped it"
}
