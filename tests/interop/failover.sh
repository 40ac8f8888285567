# shellcheck shell=bash
# SIDE_* are lib.sh's associative arrays (checked together through case.sh
# with shellcheck -x); alone, their uses look wrong.
# shellcheck disable=SC2034,SC2154
#
# failover.sh: interop cases about which tunnel the kernel route to the
# other cloud's VPC (172.16.0.0/16) takes, decided by tbgpd's own policy
# or by its next-hop resolution rather than by the gateway's prepending
# (that one is linkdown-bird, in routes.sh, whose helpers these reuse).
#
# lpref-IMPL: the gateway announces 172.16.0.0/16 over both tunnels with
# equal attributes; tbgpd's inbound route-map gives tunnel 1's path
# LOCAL_PREF 200, so it wins at the LOCAL_PREF step (without it the tie
# would go to the peer address or, after a failback, to the older path:
# tunnel 2's, so the return to tunnel 1 also shows the LOCAL_PREF).
# tbgpd announces 10.0.0.0/16 on both tunnels, prepended three times on
# tunnel 2, and the gateway must hold it so.  Carrier loss on tunnel 1
# moves the kernel route to tunnel 2 within 2 s; the link coming back
# moves it back.
#
# nhunreach-IMPL: the gateway announces 172.16.0.0/16 on tunnel 1 with a
# third-party NEXT_HOP (169.254.99.1) on no connected prefix of tbgpd's
# host, and on tunnel 2 with its own address, prepended twice.  Tunnel
# 1's path must stay in the RIB but not be eligible (RFC 4271 9.1.2.1),
# so the kernel route is via tunnel 2; an address on tbgpd's tunnel-1
# interface covering the next hop makes it eligible and best within 2 s,
# and removing that address puts the route back on tunnel 2 within 2 s,
# with the session itself untouched.

FO_PFX=172.16.0.0/16
FO_DST=172.16.0.1
# The third-party next hop, and the prefix that makes it connected.
FO_NH=169.254.99.1
FO_NH_GW=169.254.99.1/30
FO_NH_TB=169.254.99.2/30

# fo_paths PREFIX: tbgpd's paths for PREFIX, sorted by peer, as
# "PEER nh=IP best=0|1 valid=0|1 acc=0|1 lp=N lost=REASON" lines (lp and
# lost empty when absent), from 'show bgp ipv4 unicast PREFIX json'.
fo_paths() {
	tbgpd_sh tb "show bgp ipv4 unicast $1 json" 2>/dev/null | python3 -c '
import json, sys
try:
    paths = json.load(sys.stdin)["paths"]
except Exception:
    sys.exit(1)
for p in sorted(paths, key=lambda p: p["peer"]["peerId"]):
    nh = (p.get("nexthops") or [{}])[0]
    print("%s nh=%s best=%d valid=%d acc=%d lp=%s lost=%s" % (
          p["peer"]["peerId"], nh.get("ip", ""),
          p.get("bestpath", {}).get("overall") is True,
          p.get("valid") is True, nh.get("accessible") is True,
          p.get("locPrf", ""), p.get("lostReason", "")))
'
}

# fo_snap NAME: keep tbgpd's view of $FO_PFX and the kernel's route in
# $OUTD/tb-NAME.txt (what each step saw, for the report).
fo_snap() {
	{
		tbgpd_sh tb "show bgp ipv4 unicast $FO_PFX json"
		fo_paths "$FO_PFX"
		ip -n "${SIDE_NS[tb]}" route show "$FO_PFX"
		tbgpd_sh tb "show bgp nexthop json"
	} >"$OUTD/tb-$1.txt" 2>&1
}

# fo_path PEER: tbgpd's path for $FO_PFX from PEER (fo_paths' line).
fo_path() { fo_paths "$FO_PFX" | awk -v a="$1" '$1 == a'; }

# fo_path_has PEER PATTERN...: that path's line matches every
# (grep -E) PATTERN.
fo_path_has() {
	local line p
	line=$(fo_path "$1") || return 1
	[ -n "$line" ] || return 1
	shift
	for p in "$@"; do
		grep -qE -- "$p" <<<"$line" || return 1
	done
}

fo_npaths_is() { [ "$(fo_paths "$FO_PFX" | grep -c .)" = "$1" ]; }

# fo_all_paths: tbgpd's paths on one line, for failure reasons.
fo_all_paths() { fo_paths "$FO_PFX" | tr '\n' ';'; }

# fo_kernel_route on|off: the import check's kernel route for the network
# tbgpd announces, and the gateway's end of the third-party next hop's
# prefix (so the route via it forwards once tbgpd's host has its half).
fo_kernel_route() {
	[ "$1" = on ] || return 0
	ip -n "${SIDE_NS[tb]}" route add blackhole 10.0.0.0/16 ||
	    fail "cannot add the kernel route for the import check"
	ip -n "${SIDE_NS[gw]}" addr add "$FO_NH_GW" dev "${LAB_ID}t1g" ||
	    fail "cannot add $FO_NH_GW to the gateway's tunnel 1"
}

# fo_lab_start IMPL: both tunnels as vpc_lab_start has them (the gateway
# passive on tunnel 1, tbgpd on tunnel 2), with the policy already in
# $RUND/tb.extra; returns once both sessions are Established.
fo_lab_start() {
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	add_nbr gw "$T2_TB" "$T2_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T2_GW" "$T2_TB" "$GW_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	lab_net_hook=fo_kernel_route
	lab_start "$1"
	wait_for 60 both_up || fail "sessions not Established within 60 s"
}

# fo_bird_gw EXPORT1 EXPORT2: BIRD announces $FO_PFX (a static
# blackhole) with EXPORT1 / EXPORT2 as the statements of tunnel 1's and
# tunnel 2's export filters before accept.
fo_bird_gw() {
	printf 'protocol static vpc {\n  ipv4;\n  route %s blackhole;\n}\n' \
	    "$FO_PFX" >"$RUND/gw.extra"
	printf '    if source != RTS_STATIC then reject;\n%s    accept;\n' \
	    "$1" >"$RUND/gw-bird-export-$T1_TB"
	printf '    if source != RTS_STATIC then reject;\n%s    accept;\n' \
	    "$2" >"$RUND/gw-bird-export-$T2_TB"
}

# ------------------------------------------------------------ lpref

lpref_tb_policy() {
	cat <<-EOF
	 network 10.0.0.0/16
	 neighbor $T1_GW route-map PRIMARY-IN in
	 neighbor $T1_GW route-map PRIMARY-OUT out
	 neighbor $T2_GW route-map BACKUP-IN in
	 neighbor $T2_GW route-map BACKUP-OUT out
	route-map PRIMARY-IN permit 10
	 set local-preference 200
	route-map BACKUP-IN permit 10
	route-map PRIMARY-OUT permit 10
	route-map BACKUP-OUT permit 10
	 set as-path prepend 65000 65000 65000
	EOF
}

# lpref_decided: tunnel 1's path is best with LOCAL_PREF 200, tunnel 2's
# (same AS_PATH) lost to it at the LOCAL_PREF step.
lpref_decided() {
	fo_path_has "$T1_GW" "nh=$T1_GW " ' best=1 ' ' lp=200 ' &&
	    fo_path_has "$T2_GW" "nh=$T2_GW " ' best=0 ' ' lost=.*LOCAL_PREF'
}

# lpref_check_gw: the gateway holds 10.0.0.0/16 from both tunnels, with
# tbgpd's prepend on tunnel 2 only.
lpref_check_gw() {
	local want1="path=65000;med=;comm=" a2
	local want2="path=65000 65000 65000 65000;med=;comm="
	wait_for 20 gw_attrs_are "$T1_TB" "$want1" ||
	    fail "gw got 10.0.0.0/16 from t1 as '$(gw_attrs "$T1_TB")'," \
	    "expected '$want1'"
	wait_for 10 gw_attrs_are "$T2_TB" "$want2" ||
	    fail "gw got 10.0.0.0/16 from t2 as '$(gw_attrs "$T2_TB")'," \
	    "expected '$want2' (route-map out prepend)"
	a2=$(gw_has 10.0.0.0/16) ||
	    fail "gw has no best route to 10.0.0.0/16"
	grep -q "\[n$(nbr_index gw "$T1_TB") " <<<"$a2" ||
	    fail "gw's best route to 10.0.0.0/16 is not from t1 (n$(nbr_index \
	    gw "$T1_TB")): $a2"
}

# tb_syn_sent: tbgpd has a connection to tunnel 1's gateway in flight.
tb_syn_sent() {
	nsx tb ss -Htn state syn-sent dst "$T1_GW" 2>/dev/null | grep -q .
}

case_lpref() {
	local gw=$1 t0 down_ms back_ms syn
	[ "$gw" = bird ] || fail "case lpref is written for bird only"
	fo_bird_gw "" ""
	lpref_tb_policy >"$RUND/tb.extra"
	fo_lab_start "$gw"
	wait_for 30 fo_npaths_is 2 ||
	    fail "tbgpd does not hold $FO_PFX from both tunnels: [$(fo_all_paths)]"
	# The gateway sends the same attributes on both tunnels.
	fo_path_has "$T2_GW" ' lp=(100)? ' ||
	    fail "tunnel 2's path has a LOCAL_PREF set: [$(fo_all_paths)]"
	wait_for 10 lpref_decided ||
	    fail "tunnel 1's path not best by LOCAL_PREF 200: [$(fo_all_paths)]"
	wait_for 10 fib_via "$FO_DST" "$T1_GW" ||
	    fail "kernel: $FO_DST not via tunnel 1: $(fib_get "$FO_DST")"
	fo_snap lpref-both
	lpref_check_gw
	t0=$(now_ms)
	ip -n "${SIDE_NS[gw]}" link set "${LAB_ID}t1g" down ||
	    fail "cannot set tunnel 1 down"
	wait_for_ms 2000 fib_via "$FO_DST" "$T2_GW" ||
	    fail "kernel: $FO_DST not via tunnel 2 within 2 s of carrier" \
	    "loss: $(fib_get "$FO_DST")"
	down_ms=$(($(now_ms) - t0))
	wait_for_ms 2000 fo_path_has "$T2_GW" ' best=1 ' ||
	    fail "tunnel 1 lost carrier: tunnel 2's path not best:" \
	    "[$(fo_all_paths)]"
	fo_npaths_is 1 ||
	    fail "tunnel 1 lost carrier, its path stayed: [$(fo_all_paths)]"
	fo_snap lpref-t1down
	# A tunnel down for longer than tbgpd's first restart delay (1 s):
	# tbgpd may try to connect meanwhile, and the link coming up must
	# then still bring the session back (the note says which happened;
	# not trying while the link is down is fine too).
	syn="no connect attempt while down"
	wait_for_ms 3000 tb_syn_sent && syn="a connect in flight at link up"
	t0=$(now_ms)
	ip -n "${SIDE_NS[gw]}" link set "${LAB_ID}t1g" up ||
	    fail "cannot set tunnel 1 up"
	wait_for_ms 40000 fib_via "$FO_DST" "$T1_GW" ||
	    fail "kernel: $FO_DST not back on tunnel 1 within 40 s:" \
	    "$(fib_get "$FO_DST") [$(fo_all_paths)]"
	back_ms=$(($(now_ms) - t0))
	# Tunnel 2's path is now the older one: only LOCAL_PREF beats it.
	lpref_decided ||
	    fail "after failback not best by LOCAL_PREF: [$(fo_all_paths)]"
	fo_snap lpref-t1back
	lpref_check_gw
	tb_alive
	PASS_NOTE="best by LOCAL_PREF 200 (route-map in) via t1, t2's path lost on LOCAL_PREF; gw got 10.0.0.0/16 on both, prepended on t2; carrier loss: kernel on t2 in ${down_ms} ms; link up (${syn}): back on t1 in ${back_ms} ms"
}

# --------------------------------------------------------- nhunreach

# nh_t1_ineligible: tunnel 1's path is there, with the third-party next
# hop, not valid, not accessible, and lost for that reason; tunnel 2's is
# best.
nh_t1_ineligible() {
	fo_path_has "$T1_GW" "nh=$FO_NH " ' best=0 ' ' valid=0 ' ' acc=0 ' \
	    ' lost=.*next hop unreachable' &&
	    fo_path_has "$T2_GW" "nh=$T2_GW " ' best=1 ' ' valid=1 '
}

# nh_t1_best: tunnel 1's path is eligible and best, tunnel 2's lost on
# AS_PATH length.
nh_t1_best() {
	fo_path_has "$T1_GW" "nh=$FO_NH " ' best=1 ' ' valid=1 ' ' acc=1 ' &&
	    fo_path_has "$T2_GW" ' best=0 ' ' lost=.*AS_PATH'
}

# nh_t1_is_up: tunnel 1's session is Established and came up once.
nh_t1_is_up() {
	is_up tb "$T1_GW" || fail "tunnel 1's session went down:" \
	    "$(impl_call state tb "$T1_GW") ($(impl_call lasterr tb "$T1_GW"))"
	[ "$(tbgpd_established tb "$T1_GW")" = 1 ] ||
	    fail "tunnel 1's session came up $(tbgpd_established tb \
	    "$T1_GW") times, want once"
}

# nh_state: what 'show bgp nexthop json' says of $FO_NH, as
# "VALID/RESOLUTION/INTERFACE" (e.g. "false/connected/").
nh_state() {
	tbgpd_sh tb 'show bgp nexthop json' 2>/dev/null | python3 -c '
import json, sys
try:
    n = json.load(sys.stdin)["ipv4"][sys.argv[1]]
except Exception:
    sys.exit(1)
print("%s/%s/%s" % (str(n.get("valid")).lower(), n.get("resolution", ""),
      n.get("interfaceName", "")))
' "$FO_NH"
}

# nh_state_is WANT
nh_state_is() { [ "$(nh_state)" = "$1" ]; }

# BIRD keeps a next hop its export filter sets, even towards an eBGP
# neighbor (only an unset or inherited one becomes "next hop self").
nh_gw_conf() {
	case $1 in
	bird) fo_bird_gw "    bgp_next_hop = $FO_NH;
" "    bgp_path.prepend($GW_AS); bgp_path.prepend($GW_AS);
" ;;
	*) fail "case nhunreach is written for bird only" ;;
	esac
}

case_nhunreach() {
	local gw=$1 t0 up_ms down_ms
	nh_gw_conf "$gw"
	cat >"$RUND/tb.extra" <<-EOF
	 neighbor $T1_GW route-map IN in
	 neighbor $T2_GW route-map IN in
	route-map IN permit 10
	EOF
	fo_lab_start "$gw"
	wait_for 30 fo_npaths_is 2 ||
	    fail "tbgpd does not hold $FO_PFX from both tunnels: [$(fo_all_paths)]"
	fo_path_has "$T1_GW" "nh=$FO_NH " ||
	    fail "the gateway did not send next hop $FO_NH on t1: [$(fo_all_paths)]"
	wait_for 10 nh_t1_ineligible ||
	    fail "next hop $FO_NH (not connected) did not make t1's path" \
	    "ineligible: [$(fo_all_paths)]"
	wait_for 10 fib_via "$FO_DST" "$T2_GW" ||
	    fail "kernel: $FO_DST not via tunnel 2: $(fib_get "$FO_DST")"
	fo_snap nh-unreach
	nh_state_is "false/connected/" || fail "show bgp nexthop: $FO_NH is" \
	    "'$(nh_state)', want 'false/connected/' (unreachable)"
	t0=$(now_ms)
	ip -n "${SIDE_NS[tb]}" addr add "$FO_NH_TB" dev "${LAB_ID}t1t" ||
	    fail "cannot add $FO_NH_TB to tbgpd's tunnel 1"
	wait_for_ms 2000 fib_via "$FO_DST" "$FO_NH" ||
	    fail "next hop $FO_NH made connected: kernel not via it within" \
	    "2 s: $(fib_get "$FO_DST") [$(fo_all_paths)]"
	up_ms=$(($(now_ms) - t0))
	wait_for_ms 2000 nh_t1_best ||
	    fail "next hop $FO_NH connected: t1's path not eligible and best:" \
	    "[$(fo_all_paths)]"
	fo_snap nh-connected
	nh_state_is "true/connected/${LAB_ID}t1t" || fail "show bgp nexthop:" \
	    "$FO_NH is '$(nh_state)', want 'true/connected/${LAB_ID}t1t'"
	grep -q "next hop $FO_NH is reachable (${LAB_ID}t1t)" "$(tb_log)" ||
	    fail "tbgpd did not log 'next hop $FO_NH is reachable" \
	    "(${LAB_ID}t1t)'"
	t0=$(now_ms)
	ip -n "${SIDE_NS[tb]}" addr del "$FO_NH_TB" dev "${LAB_ID}t1t" ||
	    fail "cannot remove $FO_NH_TB from tbgpd's tunnel 1"
	wait_for_ms 2000 fib_via "$FO_DST" "$T2_GW" ||
	    fail "next hop $FO_NH unreachable again: kernel not on tunnel 2" \
	    "within 2 s: $(fib_get "$FO_DST") [$(fo_all_paths)]"
	down_ms=$(($(now_ms) - t0))
	wait_for_ms 2000 nh_t1_ineligible ||
	    fail "next hop $FO_NH unreachable again: t1's path still" \
	    "eligible: [$(fo_all_paths)]"
	fo_snap nh-unreach-again
	nh_state_is "false/connected/" || fail "show bgp nexthop: $FO_NH is" \
	    "'$(nh_state)' after the address went, want 'false/connected/'"
	grep -q "next hop $FO_NH is unreachable" "$(tb_log)" ||
	    fail "tbgpd did not log 'next hop $FO_NH is unreachable'"
	nh_t1_is_up
	tb_alive
	PASS_NOTE="t1's path via third-party $FO_NH kept but ineligible (next hop unreachable), kernel via t2; $FO_NH_TB added: kernel via $FO_NH in ${up_ms} ms; removed: back on t2 in ${down_ms} ms; t1 session up throughout"
}
