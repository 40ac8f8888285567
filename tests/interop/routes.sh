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

# GoBGP's adj-in of neighbor ADDR in JSON: attributes by type code
# (2 AS_PATH, 4 MED, 8 COMMUNITIES as 32-bit numbers).
gw_attrs_gobgp() {
	gobgp_cli gw neighbor "$1" adj-in 10.0.0.0/16 -j |
	    tee "$OUTD/gw-gobgp-adjin-$1.json" | python3 -c '
import json, sys
try:
    paths = json.load(sys.stdin)["10.0.0.0/16"]
except Exception:
    sys.exit(0)
for p in paths:
    path, med, comm = [], "", []
    for a in p.get("attrs", []):
        if a.get("type") == 2:
            for seg in a.get("as_paths", []):
                path += [str(x) for x in seg.get("asns", [])]
        elif a.get("type") == 4:
            med = str(a.get("metric", ""))
        elif a.get("type") == 8:
            comm = ["%d:%d" % (c >> 16, c & 0xffff)
                    for c in a.get("communities", [])]
    print("path=%s;med=%s;comm=%s" % (" ".join(path), med, " ".join(comm)))
'
}

# bgpctl's JSON view of what neighbor ADDR sent (Adj-RIB-In).
gw_attrs_openbgpd() {
	openbgpd_cli gw -j show rib in neighbor "$1" detail 10.0.0.0/16 |
	    tee "$OUTD/gw-openbgpd-rib-$1.json" | python3 -c '
import json, sys
try:
    rib = json.load(sys.stdin)["rib"]
except Exception:
    sys.exit(0)
for r in rib:
    comm = []
    for c in r.get("communities", []):
        comm.append(c if isinstance(c, str) else "%s" % c)
    med = r.get("metric", r.get("med", ""))
    print("path=%s;med=%s;comm=%s" % (r.get("aspath", ""),
          "" if med in ("", 0) else med, " ".join(comm)))
'
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
	gobgp) gobgp_cli gw global rib 10.99.0.0/16 | grep -F 10.99.0.0 ;;
	openbgpd) openbgpd_cli gw show rib 10.99.0.0/16 | grep -F 10.99.0.0 ;;
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

# gw_session down|up: the gateway shuts or reopens tunnel 1's session.
gw_session() {
	local addr=$T1_TB
	case ${SIDE_IMPL[gw]} in
	bird) bird_cli gw "$([ "$1" = down ] && echo disable ||
	    echo enable) n$(nbr_index gw "$addr")" >/dev/null ;;
	frr) timeout 10 vtysh --vty_socket "$RUND/gw-frr" -d bgpd \
	    -c 'configure terminal' -c "router bgp $GW_AS" \
	    -c "$([ "$1" = down ] && echo "" || echo "no ")neighbor $addr shutdown" \
	    >/dev/null 2>&1 ;;
	gobgp) gobgp_cli gw neighbor "$addr" "$([ "$1" = down ] &&
	    echo disable || echo enable)" >/dev/null ;;
	openbgpd) openbgpd_cli gw neighbor "$addr" "$1" >/dev/null ;;
	esac
}

# GoBGP and OpenBGPD announce the same four prefixes.  GoBGP's global RIB
# gives every neighbor the same attributes, so only tbgpd's own inbound
# policy (LOCAL_PREF 50 on tunnel 2 for 172.19) tells the tunnels apart:
# every other prefix ties down to the peer address, with both paths
# multipath.  OpenBGPD's outbound filters reproduce the BIRD/FRR table.
RIB_SAME="172.16.0.0/16 $T1_GW 2
172.17.0.0/16 $T1_GW 2
172.18.0.0/16 $T1_GW 2
172.19.0.0/16 $T1_GW 1"

gobgp_vpc_announce() {
	local p a
	for p in "172.16.0.0/16 med 10" "172.17.0.0/16 med 200" \
	    "172.18.0.0/16 community 64512:100" "172.19.0.0/16"; do
		read -ra a <<<"$p"
		gobgp_cli gw global rib add "${a[@]}" -a ipv4 ||
		    fail "gobgp global rib add $p failed"
	done
}

openbgpd_vpc_conf() {
	cat >"$RUND/gw-openbgpd-global" <<-EOF
	network 172.16.0.0/16
	network 172.17.0.0/16
	network 172.18.0.0/16 set community 64512:100
	network 172.19.0.0/16
	EOF
	cat >"$RUND/gw.extra" <<-EOF
	match to $T1_TB prefix 172.17.0.0/16 set med 200
	match to $T1_TB prefix 172.19.0.0/16 set prepend-self 2
	match to $T2_TB prefix 172.16.0.0/16 set prepend-self 2
	match to $T2_TB prefix 172.17.0.0/16 set med 50
	EOF
}

# tb_path_attrs PREFIX: tbgpd's paths for PREFIX, "PEER med=M comm=C"
# lines sorted, from 'show bgp ipv4 unicast PREFIX json'.
tb_path_attrs() {
	tbgpd_sh tb "show bgp ipv4 unicast $1 json" 2>/dev/null | python3 -c '
import json, sys
try:
    paths = json.load(sys.stdin)["paths"]
except Exception:
    sys.exit(1)
for p in sorted(paths, key=lambda p: p["peer"]["peerId"]):
    print("%s med=%s comm=%s" % (p["peer"]["peerId"], p.get("metric", ""),
          p.get("community", {}).get("string", "")))
'
}

# check_tb_attrs PREFIX WANT: tbgpd holds PREFIX with exactly WANT.
check_tb_attrs() {
	local got
	got=$(tb_path_attrs "$1" | tr '\n' ';')
	[ "$got" = "$2" ] ||
	    fail "tbgpd has $1 as [$got], want [$2] (the gateway's attributes)"
}

# gw_withdraw PREFIX: the gateway stops announcing PREFIX (both tunnels).
gw_withdraw() {
	case ${SIDE_IMPL[gw]} in
	gobgp) gobgp_cli gw global rib del "$1" -a ipv4 ;;
	openbgpd) openbgpd_cli gw network delete "$1" >/dev/null ;;
	esac || fail "${SIDE_IMPL[gw]} could not withdraw $1"
}

# rib_withdraw_check: 172.18.0.0/16 withdrawn by the gateway leaves
# tbgpd's Loc-RIB, the other prefixes stay.
rib_withdraw_check() {
	local want
	want=$(grep -v '^172\.18\.' <<<"$1")
	gw_withdraw 172.18.0.0/16
	wait_for 10 rib_is "$want" ||
	    fail "172.18.0.0/16 withdrawn by ${SIDE_IMPL[gw]}: tbgpd Loc-RIB" \
	    "is [$(rib_table | tr '\n' ';')], want [$(tr '\n' ';' <<<"$want")]"
}

case_rib() {
	local gw=$1 t0 ms want=$RIB_BOTH note
	case $gw in
	bird) bird_vpc_static >"$RUND/gw.extra"
		bird_vpc_export 1 >"$RUND/gw-bird-export-$T1_TB"
		bird_vpc_export 2 >"$RUND/gw-bird-export-$T2_TB" ;;
	frr) frr_vpc_conf >"$RUND/gw.extra" ;;
	gobgp) want=$RIB_SAME ;;
	openbgpd) openbgpd_vpc_conf ;;
	exabgp) rib_malformed; return ;;
	*) fail "case rib has no announcements for $gw" ;;
	esac
	tb_route_policy >"$RUND/tb.extra"
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	add_nbr gw "$T2_TB" "$T2_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T2_GW" "$T2_TB" "$GW_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	lab_net_hook=rib_kernel_route
	lab_start "$gw"
	[ "$gw" = gobgp ] && gobgp_vpc_announce
	wait_for 60 both_up || fail "sessions not Established within 60 s"
	rib_wait 30 "$want" "with both tunnels"
	note="4 best paths by AS_PATH, MED, peer address (multipath 2), LOCAL_PREF"
	case $gw in
	gobgp) check_tb_attrs 172.17.0.0/16 \
		"$T1_GW med=200 comm=;$T2_GW med=200 comm=;"
		check_tb_attrs 172.18.0.0/16 \
		"$T1_GW med= comm=64512:100;$T2_GW med= comm=64512:100;"
		note="equal paths: best by peer address, multipath 2; LOCAL_PREF; MED and community as sent" ;;
	openbgpd) check_tb_attrs 172.17.0.0/16 \
		"$T1_GW med=200 comm=;$T2_GW med=50 comm=;" ;;
	esac
	check_gw_view
	gw_session down
	t0=$(date +%s%N)
	wait_for 10 rib_is "$RIB_T2_ONLY" ||
	    fail "tunnel 1 shut: Loc-RIB did not move to tunnel 2: [$(rib_table |
	    tr '\n' ';')]"
	ms=$((($(date +%s%N) - t0) / 1000000))
	gw_session up
	rib_wait 60 "$want" "after tunnel 1 came back"
	note="$note; $gw saw prepend/MED/community; t1 shut: all on t2 within ${ms} ms, back after"
	case $gw in
	gobgp | openbgpd) rib_withdraw_check "$want"
		note="$note; withdraw of 172.18 seen" ;;
	esac
	tb_alive
	PASS_NOTE=$note
}

# The import check needs a kernel route for 10.0.0.0/16 in tbgpd's
# namespace, there before tbgpd starts.
rib_kernel_route() {
	[ "$1" = on ] || return 0
	ip -n "${SIDE_NS[tb]}" route add blackhole 10.0.0.0/16 ||
	    fail "cannot add the kernel route for the import check"
}
