# shellcheck shell=bash
# SIDE_* are lib.sh's associative arrays (checked together through case.sh
# with shellcheck -x); alone, their uses look wrong.  "A && B || fail"
# is meant: fail when any check does.
# shellcheck disable=SC2034,SC2154,SC2015
#
# reload.sh: live reload (`reload` in tbgpsh, SIGHUP).  The routes lab of
# routes.sh (two tunnels, tbgpd's policy IN1/IN2/OUT1/OUT2) is started,
# then tbgpd's configuration file is edited and reloaded, one change at a
# time, and each time what tbgpd and the gateway see is checked:
#
#   1. a description: both sessions stay up (uptime not reset, still
#      Established once);
#   2. OUT1's community and OUT2's prepend: the gateway receives the new
#      attributes, no session reset;
#   3. IN2's local-preference 50 -> 200 (no soft-reconfiguration
#      inbound: ROUTE-REFRESH): 172.19.0.0/16 moves to tunnel 2;
#   4. a configuration with an error, and one changing fib table: the
#      shell shows why, exits non-zero, nothing changes;
#   5. SIGHUP does what reload does (OUT1's community back);
#   6. tunnel 1's timers: only that session restarts (Cease/6), with the
#      new hold time;
#   7. tunnel 2's neighbor removed: the gateway is told Cease/Peer
#      De-configured, its routes go; put back, it comes up again.

RL_CONF=""
RL_OUT=""
RL_GW_SAW=""

# rl_edit SED-SCRIPT: edit tbgpd's running configuration file in place.
rl_edit() { sed -i "$1" "$RL_CONF" || fail "cannot edit $RL_CONF"; }

# rl_reload: `reload` in the shell; its output in RL_OUT, its status
# returned.
rl_reload() {
	local rc
	RL_OUT=$(tbgpd_sh tb reload 2>&1)
	rc=$?
	printf '%s\n' "---- reload (status $rc)" "$RL_OUT" >>"$OUTD/reload.txt"
	return $rc
}

# rl_said TEXT: the last reload's output has TEXT.
rl_said() {
	grep -qF -- "$1" <<<"$RL_OUT" ||
	    fail "reload did not say '$1': [$(tr '\n' ';' <<<"$RL_OUT")]"
}

rl_uptime() { tbgpd_uptime_ms tb "$1"; }

# rl_kept ADDR WHAT BEFORE_MS N: the session is up, came up N times in
# all, and its uptime went on from BEFORE_MS (a reset would start it
# again from 0; the uptime counts whole seconds).
rl_kept() {
	local now n
	is_up tb "$1" || fail "$1 is $(impl_call state tb "$1") after $2"
	now=$(rl_uptime "$1")
	[ -n "$now" ] && [ "$now" -ge "$3" ] && [ "$now" -ge 1000 ] ||
	    fail "$1's uptime reset by $2: ${3} ms before, ${now} ms after"
	n=$(tbgpd_established tb "$1")
	[ "$n" = "$4" ] || fail "$1 Established $n times after $2, want $4"
}

# rl_marks: both uptimes now, as "T1_MS T2_MS".
rl_marks() { echo "$(rl_uptime "$T1_GW") $(rl_uptime "$T2_GW")"; }

rl_rib_lpref200="172.16.0.0/16 $T1_GW 1
172.17.0.0/16 $T2_GW 1
172.18.0.0/16 $T1_GW 2
172.19.0.0/16 $T2_GW 1"
rl_rib_t1only="172.16.0.0/16 $T1_GW 1
172.17.0.0/16 $T1_GW 1
172.18.0.0/16 $T1_GW 1
172.19.0.0/16 $T1_GW 1"

rl_comm() {
	case ${SIDE_IMPL[gw]} in
	bird) echo "($1)" | tr : , ;;
	*) echo "$1" ;;
	esac
}

# Step 1: an unrelated edit.
rl_step_descr() {
	local m
	read -r -a m <<<"$(rl_marks)"
	rl_edit "/^ neighbor $T1_GW remote-as/a\\ neighbor $T1_GW description reload test"
	rl_reload || fail "reload of a description failed: $RL_OUT"
	rl_said "neighbor $T1_GW: kept (applied: description)"
	rl_said "neighbor $T2_GW: kept"
	rl_kept "$T1_GW" "a description" "${m[0]}" 1
	rl_kept "$T2_GW" "a description" "${m[1]}" 1
	tbgpd_sh tb 'show running-config' | grep -qF \
	    "neighbor $T1_GW description reload test" ||
	    fail "show running-config lacks the new description"
}

# Step 2: outbound route-maps.
rl_step_out() {
	local m want1 want2
	read -r -a m <<<"$(rl_marks)"
	rl_edit "s/^ set community 65000:1$/ set community 65000:2/;
	    s/^ set as-path prepend 65000 65000$/ set as-path prepend 65000/"
	rl_reload || fail "reload of route-map out edits failed: $RL_OUT"
	rl_said "neighbor $T1_GW: policy changed (outbound): soft reconfiguration"
	rl_said "neighbor $T2_GW: policy changed (outbound): soft reconfiguration"
	want1="path=65000;med=;comm=$(rl_comm 65000:2)"
	want2="path=65000 65000;med=200;comm="
	wait_for 15 gw_attrs_are "$T1_TB" "$want1" ||
	    fail "gw got 10.0.0.0/16 from t1 as '$(gw_attrs "$T1_TB")'" \
	    "after the OUT1 edit, want '$want1'"
	wait_for 15 gw_attrs_are "$T2_TB" "$want2" ||
	    fail "gw got 10.0.0.0/16 from t2 as '$(gw_attrs "$T2_TB")'" \
	    "after the OUT2 edit, want '$want2'"
	rl_kept "$T1_GW" "a route-map out edit" "${m[0]}" 1
	rl_kept "$T2_GW" "a route-map out edit" "${m[1]}" 1
}

# Step 3: inbound route-map.
rl_step_in() {
	local m
	read -r -a m <<<"$(rl_marks)"
	rl_edit "s/^ set local-preference 50$/ set local-preference 200/"
	rl_reload || fail "reload of a route-map in edit failed: $RL_OUT"
	rl_said "neighbor $T2_GW: policy changed (inbound): soft reconfiguration"
	rl_said "neighbor $T1_GW: kept"
	rib_wait 15 "$rl_rib_lpref200" "after IN2's local-preference 200"
	rl_kept "$T1_GW" "a route-map in edit" "${m[0]}" 1
	rl_kept "$T2_GW" "a route-map in edit" "${m[1]}" 1
}

# Step 4: refused configurations leave everything as it was.
rl_step_refused() {
	local m before after
	read -r -a m <<<"$(rl_marks)"
	before=$(tbgpd_sh tb 'show running-config')
	cp "$RL_CONF" "$RUND/tb-good.conf"
	rl_edit "/^router bgp/a\\ neighbor 169.254.1.1 remote-as banana"
	rl_reload && fail "a configuration with an error was accepted: $RL_OUT"
	rl_said "not loaded: 1 error"
	rl_said "$(basename "$RL_CONF"):2:"
	cp "$RUND/tb-good.conf" "$RL_CONF"
	rl_edit "/^router bgp/a\\ fib table 100"
	rl_reload && fail "a fib table change was accepted: $RL_OUT"
	rl_said "fib table cannot change without a restart of tbgpd"
	cp "$RUND/tb-good.conf" "$RL_CONF"
	after=$(tbgpd_sh tb 'show running-config')
	[ "$before" = "$after" ] ||
	    fail "a refused reload changed the running configuration"
	rib_is "$rl_rib_lpref200" || fail "a refused reload changed the RIB"
	rl_kept "$T1_GW" "a refused reload" "${m[0]}" 1
	rl_kept "$T2_GW" "a refused reload" "${m[1]}" 1
}

rl_logged() { [ "$(grep -c "reload: .* applied:" "$(tb_log)")" -ge "$1" ]; }

# Step 5: SIGHUP.
rl_step_sighup() {
	local m want1 n
	read -r -a m <<<"$(rl_marks)"
	n=$(grep -c "reload: .* applied:" "$(tb_log)")
	rl_edit "s/^ set community 65000:2$/ set community 65000:1/"
	kill -HUP "$(pid_of tb-tbgpd)" || fail "cannot send SIGHUP"
	wait_for 10 rl_logged $((n + 1)) || fail "no reload logged after SIGHUP"
	grep -qF "neighbor $T1_GW (reload test): reload: policy changed (outbound)" \
	    "$(tb_log)" || fail "SIGHUP: no soft reconfiguration logged for t1"
	want1="path=65000;med=;comm=$(rl_comm 65000:1)"
	wait_for 15 gw_attrs_are "$T1_TB" "$want1" ||
	    fail "after SIGHUP gw got 10.0.0.0/16 from t1 as" \
	    "'$(gw_attrs "$T1_TB")', want '$want1'"
	rl_kept "$T1_GW" "SIGHUP" "${m[0]}" 1
	rl_kept "$T2_GW" "SIGHUP" "${m[1]}" 1
}

rl_hold_is() { [ "$(tbgpd_neighbor tb "$T1_GW" bgpTimerHoldTimeMsecs)" = "$1" ]; }

# Step 6: a session setting resets that session only.
rl_step_timers() {
	local m
	read -r -a m <<<"$(rl_marks)"
	rl_edit "s/^ neighbor $T1_GW timers $AWS_KA $AWS_HOLD$/ neighbor $T1_GW timers 5 15/"
	rl_reload || fail "reload of timers failed: $RL_OUT"
	rl_said "neighbor $T1_GW: reset: timers changed"
	wait_for 30 is_up tb "$T1_GW" || fail "t1 not back after its reset"
	wait_for 10 rl_hold_is 15000 ||
	    fail "t1's hold time is $(tbgpd_neighbor tb "$T1_GW" \
	    bgpTimerHoldTimeMsecs) ms after the reset, want 15000"
	[ "$(tbgpd_established tb "$T1_GW")" = 2 ] ||
	    fail "t1 Established $(tbgpd_established tb "$T1_GW") times, want 2"
	rl_kept "$T2_GW" "t1's timers" "${m[1]}" 1
	wait_for 10 rl_gw_saw "$T1_TB" "configuration change" ||
	    fail "gw was not told Cease/Other Configuration Change:" \
	    "[$(rl_gw_rcvd "$T1_TB" | tr '\n' ';')]"
}

# rl_gw_rcvd ADDR: the NOTIFICATIONs the gateway received from tbgpd on
# ADDR, one a line.  BIRD forgets its "Last error" once the session is up
# again, FRR's JSON shows the last reset only: their logs keep them all.
rl_gw_rcvd() {
	case ${SIDE_IMPL[gw]} in
	bird) grep -E "n$(nbr_index gw "$1"): Received: " \
	    "$OUTD/gw-bird.log" | sed 's/.*Received: //' ;;
	# FRR tags a NOTIFICATION that came wrapped in a Hard Reset (RFC
	# 8538, sent when both sides do graceful restart's N bit).
	frr) grep -E "NOTIFICATION(\(Hard Reset\))?: received from neighbor ${1//./\\.} " \
	    "$OUTD/gw-frr.log" |
	    sed 's/.*neighbor [^ ]* //; s/ [0-9]* bytes.*//' ;;
	esac
}

# rl_gw_saw ADDR REGEX: one of them matches.
rl_gw_saw() { rl_gw_rcvd "$1" | grep -qiE "$2"; }

# Step 7: a neighbor removed, then put back.
rl_step_remove() {
	local m
	read -r -a m <<<"$(rl_marks)"
	cp "$RL_CONF" "$RUND/tb-all.conf"
	rl_edit "/neighbor $T2_GW /d"
	rl_reload || fail "reload without t2 failed: $RL_OUT"
	rl_said "neighbor $T2_GW: removed (Cease/Peer De-configured)"
	wait_for 10 rl_gw_saw "$T2_TB" "de-?configured|unconfigured" ||
	    fail "gw was not told Cease/Peer De-configured:" \
	    "[$(rl_gw_rcvd "$T2_TB" | tr '\n' ';')]"
	RL_GW_SAW=$(rl_gw_rcvd "$T2_TB" | grep -iE "de-?configured" | tail -n 1)
	rib_wait 15 "$rl_rib_t1only" "after t2 was removed"
	rl_kept "$T1_GW" "t2's removal" "${m[0]}" 2
	tbgpd_state tb "$T2_GW" >/dev/null &&
	    fail "t2 still in show bgp summary after its removal"
	cp "$RUND/tb-all.conf" "$RL_CONF"
	rl_reload || fail "reload with t2 back failed: $RL_OUT"
	rl_said "neighbor $T2_GW: new"
	wait_for 40 both_up || fail "t2 did not come back after it was added"
	rib_wait 15 "$rl_rib_lpref200" "with t2 back"
}

rl_t1_admin() { [ "$(tbgpd_summary_peer tb "$T1_GW" peerState)" = Admin ]; }

# Step 8: neighbor shutdown from the shell holds through clear bgp and a
# reload; no neighbor shutdown starts the session again.
rl_step_shell() {
	local m out
	read -r -a m <<<"$(rl_marks)"
	tbgpd_sh tb "neighbor $T1_GW shutdown" >/dev/null ||
	    fail "'neighbor $T1_GW shutdown' failed"
	wait_for 10 rl_t1_admin || fail "t1 is $(tbgpd_state tb "$T1_GW")," \
	    "peerState $(tbgpd_summary_peer tb "$T1_GW" peerState)" \
	    "after neighbor shutdown, want Admin"
	wait_for 10 rl_gw_saw "$T1_TB" "shut ?down" ||
	    fail "gw was not told Cease/Administrative Shutdown:" \
	    "[$(rl_gw_rcvd "$T1_TB" | tr '\n' ';')]"
	tbgpd_sh tb 'show running-config' |
	    grep -qx " neighbor $T1_GW shutdown" ||
	    fail "show running-config lacks the shell's neighbor shutdown"
	out=$(tbgpd_sh tb "clear bgp $T1_GW" 2>&1)
	grep -qF "is shut down: no neighbor $T1_GW shutdown starts it" \
	    <<<"$out" || fail "clear bgp of a shut-down neighbor said [$out]"
	rl_reload || fail "reload with t1 shut down failed: $RL_OUT"
	rl_said "neighbor $T1_GW: kept (shut down from the shell)"
	sleep 3
	rl_t1_admin || fail "t1 is $(tbgpd_state tb "$T1_GW") after clear" \
	    "bgp and a reload, want still shut down"
	rl_kept "$T2_GW" "t1's shutdown" "${m[1]}" 1
	tbgpd_sh tb "no neighbor $T1_GW shutdown" >/dev/null ||
	    fail "'no neighbor $T1_GW shutdown' failed"
	wait_for 30 is_up tb "$T1_GW" || fail "t1 not back after no neighbor shutdown"
	tbgpd_sh tb 'show running-config' |
	    grep -qx " neighbor $T1_GW shutdown" &&
	    fail "show running-config still shows the neighbor shut down"
	rib_wait 15 "$rl_rib_lpref200" "with t1 started again"
}

case_reload() {
	local gw=$1
	case $gw in
	bird | frr) vpc_gw_conf "$gw" ;;
	*) fail "case reload is written for bird and frr" ;;
	esac
	vpc_lab_start "$gw"
	RL_CONF="$OUTD/tb-tbgpd.conf"
	rib_wait 30 "$RIB_BOTH" "with both tunnels"
	check_gw_view
	rl_step_descr
	rl_step_out
	rl_step_in
	rl_step_refused
	rl_step_sighup
	rl_step_timers
	rl_step_remove
	rl_step_shell
	tb_alive
	PASS_NOTE="description kept both sessions; OUT1/OUT2 edits reached $gw and IN2's local-preference moved 172.19 to t2 without a reset; error and fib table refused (status 1, nothing changed); SIGHUP = reload; t1 timers reset t1 only (hold 15 s); t2 removed: $gw saw '$RL_GW_SAW', put back: up again; t1 shut down from the shell stayed down through clear bgp and reload, no neighbor shutdown brought it back"
}
