# shellcheck shell=bash
# SIDE_* are lib.sh's associative arrays (checked together through case.sh
# with shellcheck -x); alone, their uses look wrong.
# shellcheck disable=SC2034,SC2154
#
# routes.sh: interop cases about routes (the RIB issue).  The gateway
# announces four VPC prefixes over both tunnels with attributes chosen so
# that each is decided by a different step of the decision process:
#
#   prefix           tunnel 1 (.209)         tunnel 2 (.97)        best
#   172.16.0.0/16    AS_PATH 64512           64512 64512 64512     t1 (AS_PATH)
#   172.17.0.0/16    MED 200                 MED 50                t2 (MED)
#   172.18.0.0/16    community 64512:100     the same              t1 (peer
#                    (equal: maximum-paths 2 makes both multipath;  address)
#                    bgp bestpath compare-routerid skips "oldest path",
#                    which would otherwise keep whichever came first)
#   172.19.0.0/16    64512 64512 64512       64512, but tbgpd's     t1 (LOCAL_PREF)
#                                            inbound policy sets
#                                            local-preference 50
#
# tbgpd originates 10.0.0.0/16 (the kernel has a route for it: the import
# check passes) and 10.99.0.0/16 (no kernel route: never announced), with
# community 65000:1 on tunnel 1 and AS_PATH prepended twice plus MED 200
# on tunnel 2; the gateway's own CLI must show exactly that.  Then the
# gateway shuts tunnel 1's session: every best path moves to tunnel 2 at
# once; it comes back when the session does.

VPC_PREFIXES="172.16.0.0/16 172.17.0.0/16 172.18.0.0/16 172.19.0.0/16"

# What tbgpd's Loc-RIB must hold, "PREFIX BEST_NEXTHOP MULTIPATH_COUNT".
RIB_BOTH="172.16.0.0/16 $T1_GW 1
172.17.0.0/16 $T2_GW 1
172.18.0.0/16 $T1_GW 2
172.19.0.0/16 $T1_GW 1"
RIB_T2_ONLY="172.16.0.0/16 $T2_GW 1
172.17.0.0/16 $T2_GW 1
172.18.0.0/16 $T2_GW 1
172.19.0.0/16 $T2_GW 1"

# tb_route_policy: tbgpd's policy and origination (appended to router bgp).
tb_route_policy() {
	cat <<-EOF
	 bgp bestpath compare-routerid
	 maximum-paths 2
	 network 10.0.0.0/16
	 network 10.99.0.0/16
	 neighbor $T1_GW route-map IN1 in
	 neighbor $T1_GW route-map OUT1 out
	 neighbor $T2_GW route-map IN2 in
	 neighbor $T2_GW route-map OUT2 out
	ip prefix-list P19 seq 5 permit 172.19.0.0/16
	route-map IN1 permit 10
	route-map IN2 permit 10
	 match ip address prefix-list P19
	 set local-preference 50
	route-map IN2 permit 20
	route-map OUT1 permit 10
	 set community 65000:1
	route-map OUT2 permit 10
	 set as-path prepend 65000 65000
	 set metric 200
	EOF
}

# rib_table: tbgpd's Loc-RIB as "PREFIX BEST_NEXTHOP MULTIPATH_COUNT"
# lines, sorted, from 'show bgp ipv4 unicast json' (FRR's keys).
rib_table() {
	tbgpd_sh tb 'show bgp ipv4 unicast json' 2>/dev/null | python3 -c '
import json, sys
try:
    routes = json.load(sys.stdin)["routes"]
except Exception:
    sys.exit(1)
for pfx in sorted(routes):
    paths = routes[pfx]
    best = [p for p in paths if p.get("bestpath")]
    if not best:
        continue
    mp = [p for p in paths if p.get("multipath") or p.get("bestpath")]
    nh = best[0]["nexthops"][0]["ip"]
    print(pfx, nh, len(mp))
'
}

# rib_is EXPECTED: the VPC part of the Loc-RIB is exactly EXPECTED.
rib_is() {
	local got
	got=$(rib_table | grep -E '^172\.1[6-9]\.') || return 1
	[ "$got" = "$1" ]
}

# rib_wait SECONDS EXPECTED WHAT
rib_wait() {
	wait_for "$1" rib_is "$2" ||
	    fail "tbgpd Loc-RIB $3 is not as expected: got [$(rib_table |
	    tr '\n' ';')] want [$(tr '\n' ';' <<<"$2")]"
}

# gw_attrs ADDR: what the gateway received from tbgpd neighbor ADDR for
# 10.0.0.0/16, as "path=...;med=...;comm=..." (empty if nothing).
gw_attrs() { "gw_attrs_${SIDE_IMPL[gw]}" "$1"; }

gw_attrs_bird() {
	local n
	n=$(nbr_index gw "$1")
	bird_cli gw "show route all 10.0.0.0/16 protocol n$n" | awk '
	/BGP.as_path:/ { sub(/.*BGP.as_path: */, ""); path = $0 }
	/BGP.med:/ { med = $2 }
	/BGP.community:/ { sub(/.*BGP.community: */, ""); comm = $0 }
	END { if (path != "") printf "path=%s;med=%s;comm=%s\n", path, med, comm }'
}

gw_attrs_frr() {
	frr_cli gw 'show bgp ipv4 unicast 10.0.0.0/16 json' | python3 -c '
import json, sys
addr = sys.argv[1]
try:
    paths = json.load(sys.stdin)["paths"]
except Exception:
    sys.exit(0)
for p in paths:
    if p.get("peer", {}).get("peerId") != addr:
        continue
    print("path=%s;med=%s;comm=%s" % (p["aspath"]["string"],
          p.get("metric", ""), p.get("community", {}).get("string", "")))
' "$1"
}

# check_gw_view: the gateway saw tbgpd's policy on each tunnel, and
# nothing of the network that failed the import check.
check_gw_view() {
	local a1 a2 want1 want2
	case ${SIDE_IMPL[gw]} in
	bird) want1="path=65000;med=;comm=(65000,1)"
		want2="path=65000 65000 65000;med=200;comm=" ;;
	*) want1="path=65000;med=;comm=65000:1"
		want2="path=65000 65000 65000;med=200;comm=" ;;
	esac
	wait_for 20 gw_attrs_are "$T1_TB" "$want1" ||
	    fail "gw ${SIDE_IMPL[gw]} got 10.0.0.0/16 from t1 as '$(gw_attrs \
	    "$T1_TB")', expected '$want1'"
	a2=$(gw_attrs "$T2_TB")
	[ "$a2" = "$want2" ] || fail "gw ${SIDE_IMPL[gw]} got 10.0.0.0/16 " \
	    "from t2 as '$a2', expected '$want2'"
	a1=$(gw_has_99)
	[ -z "$a1" ] || fail "gw got 10.99.0.0/16 though the kernel has no" \
	    "route for it (import check): $a1"
}

# gw_attrs_are ADDR WANT
gw_attrs_are() { [ "$(gw_attrs "$1")" = "$2" ]; }

gw_has_99() {
	case ${SIDE_IMPL[gw]} in
	bird) bird_cli gw 'show route 10.99.0.0/16' | grep -F 10.99.0.0 ;;
	frr) frr_cli gw 'show bgp ipv4 unicast 10.99.0.0/16 json' |
	    json_get paths 0 ;;
	esac
}

# --- the gateways' announcements ---

bird_vpc_static() {
	echo "protocol static vpc {"
	echo "  ipv4;"
	for p in $VPC_PREFIXES; do echo "  route $p blackhole;"; done
	echo "}"
}

# bird_vpc_export T: the export filter body for tunnel T (1 or 2).
bird_vpc_export() {
	echo "    if source != RTS_STATIC then reject;"
	if [ "$1" = 1 ]; then
		echo "    if net = 172.17.0.0/16 then bgp_med = 200;"
		echo "    if net = 172.19.0.0/16 then { bgp_path.prepend(64512); bgp_path.prepend(64512); }"
	else
		echo "    if net = 172.16.0.0/16 then { bgp_path.prepend(64512); bgp_path.prepend(64512); }"
		echo "    if net = 172.17.0.0/16 then bgp_med = 50;"
	fi
	echo "    if net = 172.18.0.0/16 then bgp_community.add((64512,100));"
	echo "    accept;"
}

frr_vpc_conf() {
	cat <<-EOF
	 no bgp network import-check
	 address-family ipv4 unicast
	  network 172.16.0.0/16
	  network 172.17.0.0/16
	  network 172.18.0.0/16
	  network 172.19.0.0/16
	  neighbor $T1_TB route-map GW1 out
	  neighbor $T2_TB route-map GW2 out
	 exit-address-family
	ip prefix-list G16 seq 5 permit 172.16.0.0/16
	ip prefix-list G17 seq 5 permit 172.17.0.0/16
	ip prefix-list G18 seq 5 permit 172.18.0.0/16
	ip prefix-list G19 seq 5 permit 172.19.0.0/16
	route-map GW1 permit 10
	 match ip address prefix-list G16
	route-map GW1 permit 20
	 match ip address prefix-list G17
	 set metric 200
	route-map GW1 permit 30
	 match ip address prefix-list G18
	 set community 64512:100
	route-map GW1 permit 40
	 match ip address prefix-list G19
	 set as-path prepend 64512 64512
	route-map GW2 permit 10
	 match ip address prefix-list G16
	 set as-path prepend 64512 64512
	route-map GW2 permit 20
	 match ip address prefix-list G17
	 set metric 50
	route-map GW2 permit 30
	 match ip address prefix-list G18
	 set community 64512:100
	route-map GW2 permit 40
	 match ip address prefix-list G19
	EOF
}

# gw_session T1|T2 down|up: the gateway shuts or reopens tunnel 1's session.
gw_session() {
	local addr=$T1_TB
	case ${SIDE_IMPL[gw]} in
	bird) bird_cli gw "$([ "$1" = down ] && echo disable ||
	    echo enable) n$(nbr_index gw "$addr")" >/dev/null ;;
	frr) timeout 10 vtysh --vty_socket "$RUND/gw-frr" -d bgpd \
	    -c 'configure terminal' -c "router bgp $GW_AS" \
	    -c "$([ "$1" = down ] && echo "" || echo "no ")neighbor $addr shutdown" \
	    >/dev/null 2>&1 ;;
	esac
}

case_rib() {
	local gw=$1 t0 ms
	case $gw in
	bird) bird_vpc_static >"$RUND/gw.extra"
		bird_vpc_export 1 >"$RUND/gw-bird-export-$T1_TB"
		bird_vpc_export 2 >"$RUND/gw-bird-export-$T2_TB" ;;
	frr) frr_vpc_conf >"$RUND/gw.extra" ;;
	*) fail "case rib has no announcements for $gw" ;;
	esac
	tb_route_policy >"$RUND/tb.extra"
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	add_nbr gw "$T2_TB" "$T2_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T2_GW" "$T2_TB" "$GW_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	lab_net_hook=rib_kernel_route
	lab_start "$gw"
	wait_for 60 both_up || fail "sessions not Established within 60 s"
	rib_wait 30 "$RIB_BOTH" "with both tunnels"
	check_gw_view
	gw_session down
	t0=$(date +%s%N)
	wait_for 10 rib_is "$RIB_T2_ONLY" ||
	    fail "tunnel 1 shut: Loc-RIB did not move to tunnel 2: [$(rib_table |
	    tr '\n' ';')]"
	ms=$((($(date +%s%N) - t0) / 1000000))
	gw_session up
	rib_wait 60 "$RIB_BOTH" "after tunnel 1 came back"
	tb_alive
	PASS_NOTE="4 best paths by AS_PATH, MED, peer address (multipath 2), LOCAL_PREF; $gw saw prepend/MED/community; t1 shut: all on t2 within ${ms} ms, back after"
}

# The import check needs a kernel route for 10.0.0.0/16 in tbgpd's
# namespace, there before tbgpd starts.
rib_kernel_route() {
	[ "$1" = on ] || return 0
	ip -n "${SIDE_NS[tb]}" route add blackhole 10.0.0.0/16 ||
	    fail "cannot add the kernel route for the import check"
}
