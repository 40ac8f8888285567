# shellcheck shell=bash
# SIDE_* are lib.sh's associative arrays (checked together through case.sh
# with shellcheck -x); alone, their uses look wrong.
# shellcheck disable=SC2034,SC2154
#
# liveness.sh: interop cases about noticing a silently dead tunnel (the
# liveness issue; tbgpd(8) LIVENESS).  They run on the two-tunnel lab of
# routes.sh (hold time 30, AWS timers 10/30) and reuse its helpers.
#
# fastka-IMPL: tbgpd has `neighbor <tunnel 1 gw> liveness tcp timeout
# 1500` (KEEPALIVEs every second, TCP_USER_TIMEOUT 1.5 s).  A healthy
# session must stay up with it for 10 s (no false alarm) while KEEPALIVEs
# go out every second though the negotiated interval is 10 s.  Then the
# gateway's tunnel 1 address is removed: the links stay up, no link event
# comes, the tunnel is just silent.  The kernel route for 172.16.0.1 must
# move to tunnel 2 in under 4 s (the hold timer would take 30 s), tbgpd
# must log the liveness reason once and show it in `show bgp neighbors`;
# with the address back, the session must come back by itself and the
# route return to tunnel 1 within 10 s.

FASTKA_TIMEOUT=1500
FASTKA_REASON="liveness: TCP_USER_TIMEOUT $FASTKA_TIMEOUT ms: no acknowledgement from the peer"

# fastka_policy: tb_route_policy with the liveness line first (its first
# lines are router bgp statements; the route-maps come last).
# vpc_lab_start writes tb.extra from tb_route_policy and offers no other
# hook for tbgpd's configuration, so this case wraps it in its own shell.
fastka_wrap_policy() {
	eval "fastka_base_policy() $(declare -f tb_route_policy | tail -n +2)"
	tb_route_policy() {
		echo " neighbor $T1_GW liveness tcp timeout $FASTKA_TIMEOUT"
		fastka_base_policy
	}
}

fastka_nbr() { tbgpd_neighbor tb "$T1_GW" "$@"; }

fastka_live() { fastka_nbr liveness | json_get "$@"; }

# fastka_healthy: 10 s with liveness on and nothing wrong: the session is
# not reset, and KEEPALIVEs went out about once a second.
fastka_healthy() {
	local n0 k0 u0 n1 k1 u1
	[ "$(fastka_live tcpArmed)" = True ] ||
	    fail "show bgp neighbors $T1_GW: liveness tcp not armed:" \
	    "$(fastka_nbr liveness)"
	n0=$(fastka_nbr connectionsEstablished)
	k0=$(fastka_nbr messageStats | json_get keepalivesSent)
	u0=$(tbgpd_uptime_ms tb "$T1_GW")
	pause 10
	n1=$(fastka_nbr connectionsEstablished)
	k1=$(fastka_nbr messageStats | json_get keepalivesSent)
	u1=$(tbgpd_uptime_ms tb "$T1_GW")
	is_up tb "$T1_GW" && [ "$n1" = "$n0" ] && [ "$u1" -ge $((u0 + 9000)) ] ||
	    fail "false alarm: healthy session with liveness tcp was reset" \
	    "(established $n0 -> $n1, uptime $u0 -> $u1 ms)"
	[ $((k1 - k0)) -ge 8 ] || fail "liveness tcp: $((k1 - k0)) KEEPALIVEs" \
	    "in 10 s, want one a second (negotiated interval is 10 s)"
	FASTKA_KA=$((k1 - k0))
}

# fastka_reason_shown: the log line (once) and show bgp neighbors.
fastka_reason_shown() {
	local n s
	n=$(grep -cF "neighbor $T1_GW: down: $FASTKA_REASON" "$(tb_log)")
	[ "$n" = 1 ] || fail "tbgpd logged '$FASTKA_REASON' $n times, want once"
	s=$(fastka_live lastDownReason)
	[ "$s" = "$FASTKA_REASON" ] ||
	    fail "show bgp neighbors json: liveness.lastDownReason is '$s'"
	tbgpd_sh tb "show bgp neighbors $T1_GW json" \
	    >"$OUTD/tb-neighbor-down.json" 2>&1
	tbgpd_sh tb "show bgp neighbors $T1_GW" >"$OUTD/tb-neighbor-down.txt" 2>&1
	grep -qF "Last liveness down: " "$OUTD/tb-neighbor-down.txt" ||
	    fail "show bgp neighbors $T1_GW (text) does not show the reason"
}

# link_up NS IF: the interface still has carrier.
link_up() {
	ip -n "$1" link show "$2" | grep -q 'LOWER_UP'
}

case_fastka() {
	local gw=$1 t0 fib_ms back_ms gwns=${SIDE_NS[gw]}
	case $gw in
	bird | frr) vpc_gw_conf "$gw" ;;
	*) fail "case fastka is written for bird and frr" ;;
	esac
	fastka_wrap_policy
	vpc_lab_start "$gw"
	rib_wait 30 "$RIB_BOTH" "with both tunnels"
	wait_for 10 fib_via 172.16.0.1 "$T1_GW" ||
	    fail "kernel: 172.16.0.1 not via tunnel 1: $(fib_get 172.16.0.1)"
	fastka_healthy
	# Silence: the gateway's end loses its address, the links stay up.
	t0=$(now_ms)
	ip -n "$gwns" addr del "$T1_GW/30" dev "${LAB_ID}t1g" ||
	    fail "cannot remove the gateway's tunnel 1 address"
	wait_for_ms 4000 fib_via 172.16.0.1 "$T2_GW" ||
	    fail "kernel: 172.16.0.1 not via tunnel 2 within 4 s of the" \
	    "tunnel going silent: $(fib_get 172.16.0.1)"
	fib_ms=$(($(now_ms) - t0))
	# The Loc-RIB moved in the same turn; reading it takes a while.
	rib_is "$RIB_T2_ONLY" ||
	    fail "Loc-RIB not on tunnel 2: [$(rib_table | tr '\n' ';')]"
	link_up "${SIDE_NS[tb]}" "${LAB_ID}t1t" ||
	    fail "tunnel 1 lost carrier: the case needs a silent tunnel"
	fastka_reason_shown
	# The tunnel works again: no link event, tbgpd must retry by itself.
	t0=$(now_ms)
	ip -n "$gwns" addr add "$T1_GW/30" dev "${LAB_ID}t1g" ||
	    fail "cannot put the gateway's tunnel 1 address back"
	wait_for_ms 10000 fib_via 172.16.0.1 "$T1_GW" ||
	    fail "kernel: 172.16.0.1 not back on tunnel 1 within 10 s:" \
	    "$(fib_get 172.16.0.1); tbgpd: $(fastka_nbr bgpState)," \
	    "$(fastka_nbr lastResetDueTo)"
	back_ms=$(($(now_ms) - t0))
	rib_wait 5 "$RIB_BOTH" "after tunnel 1 came back"
	[ "$(fastka_live fastReconnect)" = False ] ||
	    fail "liveness.fastReconnect still on once Established"
	tb_alive
	PASS_NOTE="silent tunnel (address removed, links up): kernel route on tunnel 2 in ${fib_ms} ms (hold time 30 s); back on tunnel 1 in ${back_ms} ms; healthy 10 s with ${FASTKA_KA} KEEPALIVEs, no reset"
}
