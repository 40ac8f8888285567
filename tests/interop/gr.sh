# shellcheck shell=bash
# SIDE_* are lib.sh's associative arrays (checked together through case.sh
# with shellcheck -x); alone, their uses look wrong.
# shellcheck disable=SC2034,SC2154
#
# gr.sh: graceful restart (RFC 4724) cases, one tunnel, the gateway
# passive.  The gateway announces 172.16.0.0/16, 172.17.0.0/16 and
# 172.18.0.0/16; tbgpd announces 10.0.0.0/16.  Two samplers run through
# every restart: grsample.py asks tbgpd's kernel for the route to
# 172.16.1.1 every 5 ms (it must always go via the gateway), and a loop
# asks the gateway's CLI for 10.0.0.0/16 every 50 ms (it must always have
# it).
#
#   grtb-IMPL    tbgpd restarts (bgp graceful-restart), IMPL is the
#                helper: a SIGTERM restart, then a SIGKILL one; while
#                tbgpd is down the gateway withdraws 172.17 (then 172.18).
#                Nothing may be lost; afterwards the kernel holds exactly
#                what the gateway still announces (the withdrawn prefix
#                is gone, nothing stale is left) and tbgpd's adoption
#                wrote no route the kernel already had.
#   grhelp-IMPL  IMPL restarts (its own GR: BIRD -R, FRR, gobgpd -r after
#                SIGKILL) and tbgpd is the helper: its kernel route never
#                goes; 172.17 (not announced after the restart) is gone
#                once the gateway's End-of-RIB arrives, and no path stays
#                stale.

GR_SAMPLE_DST=172.16.1.1

gr_gw_bird() {
	cat >"$RUND/gw.extra" <<-EOF
	protocol static vpc { ipv4; route 172.16.0.0/16 blackhole; }
	protocol static vpc17 { ipv4; route 172.17.0.0/16 blackhole; }
	protocol static vpc18 { ipv4; route 172.18.0.0/16 blackhole; }
	EOF
	echo "    if source != RTS_STATIC then reject; accept;" \
	    >"$RUND/gw-bird-export-$T1_TB"
	echo "  graceful restart on;" >"$RUND/gw-bird-proto"
}

gr_gw_frr() {
	cat >"$RUND/gw.extra" <<-EOF
	 bgp graceful-restart
	 bgp graceful-restart preserve-fw-state
	 no bgp network import-check
	 address-family ipv4 unicast
	  network 172.16.0.0/16
	  network 172.17.0.0/16
	  network 172.18.0.0/16
	 exit-address-family
	EOF
}

gr_gw_gobgp() {
	cat >"$RUND/gw-gobgp-nbr" <<-EOF
	    [neighbors.afi-safis.mp-graceful-restart.config]
	      enabled = true
	  [neighbors.graceful-restart.config]
	    enabled = true
	    restart-time = 120
	EOF
}

gr_gobgp_announce() {
	local p
	for p in 172.16.0.0/16 172.17.0.0/16 172.18.0.0/16; do
		gobgp_cli gw global rib add "$p" -a ipv4 ||
		    fail "gobgp global rib add $p failed"
	done
}

# gr_gw_withdraw PREFIX: the gateway stops announcing PREFIX.
gr_gw_withdraw() {
	local p=$1
	case ${SIDE_IMPL[gw]} in
	bird) bird_cli gw "disable vpc${p:4:2}" >/dev/null ;;
	frr) timeout 10 vtysh --vty_socket "$RUND/gw-frr" -d bgpd \
	    -c 'configure terminal' -c "router bgp $GW_AS" \
	    -c 'address-family ipv4 unicast' -c "no network $p" \
	    >/dev/null 2>&1 ;;
	gobgp) gobgp_cli gw global rib del "$p" -a ipv4 ;;
	esac || fail "${SIDE_IMPL[gw]} could not withdraw $p"
}

gr_lab_start() {
	local gw=$1 tbgr=$2
	"gr_gw_$gw"
	cat >"$RUND/tb.extra" <<-EOF
	 no bgp ebgp-requires-policy
	 network 10.0.0.0/16
	${tbgr}
	EOF
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	lab_net_hook=gr_kernel_route
	lab_start "$gw"
	[ "$gw" = gobgp ] && gr_gobgp_announce
	wait_for 60 gr_up || fail "session not Established within 60 s"
	wait_for 20 gr_kernel_is "172.16.0.0/16 172.17.0.0/16 172.18.0.0/16" ||
	    fail "kernel routes not in: [$(gr_kernel)]"
	wait_for 20 gw_has 10.0.0.0/16 >/dev/null ||
	    fail "the gateway did not get 10.0.0.0/16"
}

gr_kernel_route() {
	[ "$1" = on ] || return 0
	ip -n "${SIDE_NS[tb]}" route add blackhole 10.0.0.0/16 ||
	    fail "cannot add the kernel route for the import check"
}

gr_up() { is_up tb "$T1_GW" && is_up gw "$T1_TB"; }

# gr_kernel: tbgpd's routes in its kernel, sorted, on one line.
gr_kernel() {
	ip -n "${SIDE_NS[tb]}" route show proto bgp | awk '{ print $1 }' |
	    sort | tr '\n' ' ' | sed 's/ $//'
}
gr_kernel_is() { [ "$(gr_kernel)" = "$1" ]; }

# gr_samplers_start: both samplers in the background.
gr_samplers_start() {
	rm -f "$RUND/gr.stop"
	nsx tb python3 "$INTEROP_DIR/grsample.py" "$GR_SAMPLE_DST" "$T1_GW" 5 \
	    "$RUND/gr.stop" >"$OUTD/sample-kernel.txt" 2>&1 &
	GR_KPID=$!
	gr_gw_sampler >"$OUTD/sample-gw.txt" 2>&1 &
	GR_GPID=$!
}

# gr_gw_has: the gateway's CLI shows our 10.0.0.0/16 (text, no JSON
# parser started per sample).
gr_gw_has() {
	case ${SIDE_IMPL[gw]} in
	bird) bird_cli gw "show route 10.0.0.0/16" | grep -q '^10\.0\.0\.0/16' ;;
	frr) frr_cli gw "show bgp ipv4 unicast 10.0.0.0/16" |
		grep -q 'best' ;;
	gobgp) gobgp_cli gw global rib 10.0.0.0/16 | grep -q '10\.0\.0\.0/16' ;;
	esac
}

gr_gw_sampler() {
	local n=0 lost=0 t0=$SECONDS
	while [ ! -e "$RUND/gr.stop" ]; do
		n=$((n + 1))
		if ! gr_gw_has >/dev/null 2>&1; then
			lost=$((lost + 1))
			echo "lost at $((SECONDS - t0)) s"
		fi
		sleep 0.05
	done
	echo "samples $n lost $lost in $((SECONDS - t0)) s"
}

# gr_samplers_stop: their verdicts as "K_SAMPLES K_LOST G_SAMPLES G_LOST".
gr_samplers_stop() {
	touch "$RUND/gr.stop"
	wait "$GR_KPID" "$GR_GPID"
	read -r _ GR_KN _ GR_KL _ <<<"$(tail -n 1 "$OUTD/sample-kernel.txt")"
	read -r _ GR_GN _ GR_GL _ <<<"$(tail -n 1 "$OUTD/sample-gw.txt")"
	if [ -z "$GR_KN" ] || [ -z "$GR_GN" ]; then
		fail "a sampler gave no verdict (see sample-*.txt)"
	fi
}

# gr_tb_restart SIGNAL PREFIX: stop tbgpd with SIGNAL, have the gateway
# withdraw PREFIX meanwhile, start tbgpd again and wait for its restart
# to end (every table in, the adopted routes not learnt again removed).
gr_tb_restart() {
	local sig=$1 pfx=$2 pid
	pid=$(pid_of tb-tbgpd)
	kill "-$sig" "$pid"
	wait_for 10 gr_dead "$pid" || fail "tbgpd did not exit on SIG$sig"
	gr_gw_withdraw "$pfx"
	: >"$OUTD/tb-tbgpd.log.$sig"
	cat "$OUTD/tb-tbgpd.log" >>"$OUTD/tb-tbgpd.log.$sig"
	: >"$OUTD/tb-tbgpd.log"
	impl_call start tb
	wait_for 20 impl_call ready tb || fail "tbgpd did not start again"
	wait_for 30 grep -q "restart: every neighbor's table is in" \
	    "$OUTD/tb-tbgpd.log" || fail "SIG$sig: the restart did not end: " \
	    "$(grep restart "$OUTD/tb-tbgpd.log" | tail -n 2)"
}

gr_dead() { ! kill -0 "$1" 2>/dev/null; }

# gr_fib_requests: the kernel writes of tbgpd's FIB so far.
gr_fib_requests() {
	tbgpd_sh tb 'show bgp memory json' 2>/dev/null | json_get fibRequests
}

case_grtb() {
	local gw=$1 want note req
	gr_lab_start "$gw" " bgp graceful-restart"
	gr_samplers_start
	pause 1
	gr_tb_restart TERM 172.17.0.0/16
	want="172.16.0.0/16 172.18.0.0/16"
	wait_for 10 gr_kernel_is "$want" ||
	    fail "after SIGTERM: kernel [$(gr_kernel)], want [$want]"
	req=$(gr_fib_requests)
	pause 1
	gr_tb_restart KILL 172.18.0.0/16
	want="172.16.0.0/16"
	wait_for 10 gr_kernel_is "$want" ||
	    fail "after SIGKILL: kernel [$(gr_kernel)], want [$want]"
	pause 1
	gr_samplers_stop
	[ "$GR_KL" = 0 ] || fail "kernel samples lost: $GR_KL of $GR_KN" \
	    "($(tail -n 1 "$OUTD/sample-kernel.txt"))"
	[ "$GR_GL" = 0 ] || fail "gateway samples lost: $GR_GL of $GR_GN" \
	    "($(head -n 3 "$OUTD/sample-gw.txt" | tr '\n' ' '))"
	# Adoption: one delete (the withdrawn prefix), nothing rewritten.
	[ "$req" = 1 ] || fail "SIGTERM restart wrote $req kernel requests," \
	    "want 1 (the delete of 172.17.0.0/16)"
	tb_alive
	note="SIGTERM and SIGKILL restarts: kernel 0/$GR_KN samples lost"
	note="$note (5 ms), $gw 0/$GR_GN (50 ms); withdrawn while down: gone"
	PASS_NOTE="$note; adoption wrote 1 request (the withdrawal)"
}

# gr_gw_kill: SIGKILL the gateway (no NOTIFICATION: what a crash or a
# graceful restart looks like).
gr_gw_kill() {
	local gw=${SIDE_IMPL[gw]} pid
	pid=$(pid_of "gw-$gw")
	kill -KILL "$pid"
	wait_for 10 gr_dead "$pid" || fail "$gw did not die"
}

# gr_gw_start: the gateway again, in its restart state, without
# 172.17.0.0/16.
gr_gw_start() {
	local gw=${SIDE_IMPL[gw]}
	case $gw in
	bird) sed -i '/vpc17/d' "$RUND/gw.extra"
		bird_conf gw >"$OUTD/gw-bird.conf"
		spawn gw bird bird -R -f -c "$OUTD/gw-bird.conf" \
		    -s "$RUND/gw-bird.ctl" -P "$RUND/gw-bird.pid" ;;
	frr) sed -i '/172\.17/d' "$RUND/gw.extra"
		frr_start gw ;;
	gobgp) # Its routes come from the CLI: the session waits for them
		# (admin-down), or its End-of-RIB would come before them.
		gobgp_conf gw | sed '/peer-as/a\    admin-down = true' \
		    >"$OUTD/gw-gobgp.toml"
		spawn gw gobgp gobgpd -r -f "$OUTD/gw-gobgp.toml" -t toml -p \
		    -l debug --api-hosts "$GOBGP_API" --pprof-disable
		wait_for 20 gobgp_ready gw || fail "gobgpd did not start again"
		gobgp_cli gw global rib add 172.16.0.0/16 -a ipv4
		gobgp_cli gw global rib add 172.18.0.0/16 -a ipv4
		gobgp_cli gw neighbor "$T1_TB" enable >/dev/null ;;
	esac
}

# gr_tb_stale: paths tbgpd keeps stale (JSON "stale").
gr_tb_stale() {
	tbgpd_sh tb 'show bgp ipv4 unicast json' 2>/dev/null | python3 -c '
import json, sys
r = json.load(sys.stdin)["routes"]
print(sum(1 for ps in r.values() for p in ps if p.get("stale")))'
}

case_grhelp() {
	local gw=$1 want="172.16.0.0/16 172.18.0.0/16" stale note
	gr_lab_start "$gw" ""
	gr_samplers_start
	pause 1
	gr_gw_kill
	wait_for 10 grep -q "graceful restart: its paths are kept" \
	    "$OUTD/tb-tbgpd.log" ||
	    fail "tbgpd did not keep the paths of $gw (see tb-tbgpd.log)"
	stale=$(gr_tb_stale)
	[ "${stale:-0}" = 3 ] || fail "$stale paths shown stale while $gw" \
	    "is down, want 3"
	gr_gw_start
	wait_for 60 gr_up || fail "$gw did not come back"
	wait_for 30 gr_kernel_is "$want" ||
	    fail "after $gw restarted: kernel [$(gr_kernel)], want [$want]"
	pause 1
	touch "$RUND/gr.stop"
	wait "$GR_KPID" "$GR_GPID"
	read -r _ GR_KN _ GR_KL _ <<<"$(tail -n 1 "$OUTD/sample-kernel.txt")"
	[ "$GR_KL" = 0 ] || fail "kernel samples lost: $GR_KL of $GR_KN" \
	    "($(tail -n 1 "$OUTD/sample-kernel.txt"))"
	stale=$(gr_tb_stale)
	[ "$stale" = 0 ] || fail "$stale path(s) still stale after End-of-RIB"
	tb_alive
	note="$gw SIGKILL and restart: tbgpd's kernel route 0/$GR_KN samples"
	PASS_NOTE="$note lost (5 ms); the prefix not announced again removed, nothing stale left"
}
