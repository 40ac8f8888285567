# shellcheck shell=bash
# SIDE_* are lib.sh's associative arrays (checked together through case.sh
# with shellcheck -x); alone, their uses look wrong.  "A && B || fail"
# is meant: fail when any check does.
# shellcheck disable=SC2034,SC2154,SC2015
#
# ops.sh: running tbgpd as an operator does (issue 12).
#
# logs-bird: the routes lab of routes.sh with `log file`, then
#   1. mv of the log file and SIGUSR1: a new file of the old name gets
#      the next line, the moved one nothing more;
#   2. contrib/logrotate.d/tbgpd run by logrotate itself (paths pointed
#      into the lab): rotated, the daemon told, the new file written;
#   3. stray signals (SIGUSR2, SIGALRM, ... a real-time signal): each
#      logged or ignored, the daemon runs on;
#   4. a log file that cannot be written (/dev/full): reported once on
#      stderr, routing goes on;
#   5. the log file's directory removed: SIGUSR1 says it cannot reopen,
#      once the directory is back SIGUSR1 writes there again;
# and through all of it both sessions stay up (Established once, on both
# sides), the Loc-RIB and the gateway's view of our prefix unchanged.

# ops_logged FILE TEXT: FILE has a line with TEXT.
ops_logged() { [ -f "$1" ] && grep -qF -- "$2" "$1"; }

# ops_count FILE TEXT
ops_count() { grep -cF -- "$2" "$1" 2>/dev/null || true; }

# ops_steady WHAT: both sessions up since the start, the RIB as built,
# the gateway still has our prefix.
ops_steady() {
	local a
	for a in "$T1_GW" "$T2_GW"; do
		is_up tb "$a" || fail "after $1: $a is $(impl_call state tb "$a")"
		[ "$(tbgpd_established tb "$a")" = 1 ] ||
		    fail "after $1: $a came up again (flapped)"
	done
	is_up gw "$T1_TB" && is_up gw "$T2_TB" ||
	    fail "after $1: the gateway lost a session"
	rib_is "$RIB_BOTH" || fail "after $1: Loc-RIB changed: [$(rib_table |
	    tr '\n' ';')]"
	gw_has 10.0.0.0/16 >/dev/null || fail "after $1: the gateway lost 10.0.0.0/16"
	tb_alive
}

ops_step_usr1() {
	local logd=$1 pid=$2
	mv "$logd/tbgpd.log" "$logd/tbgpd.log.moved" || fail "cannot mv the log"
	kill -USR1 "$pid" || fail "cannot send SIGUSR1"
	wait_for 5 ops_logged "$logd/tbgpd.log" \
	    "SIGUSR1: log file $logd/tbgpd.log reopened" ||
	    fail "SIGUSR1 after mv: no new log file with the reopen line"
	tbgpd_sh tb reload >/dev/null || fail "reload failed"
	wait_for 5 ops_logged "$logd/tbgpd.log" "reload: " ||
	    fail "the reload's lines did not reach the new log file"
	ops_logged "$logd/tbgpd.log.moved" "reopened" &&
	    fail "the moved log file got lines after the mv"
	ops_steady "SIGUSR1"
}

# The installed snippet as it is, its paths pointed into the lab; the
# unit name is one that is never active, so the pidfile branch signals.
ops_step_logrotate() {
	local logd=$1 pid=$2 conf=$RUND/lr.conf
	command -v logrotate >/dev/null ||
	    fail "cannot run: logrotate not installed (apt-get install logrotate)"
	echo "$pid" >"$RUND/tb.pid"
	sed -e "s|/var/log/tbgpd|$logd|" -e "s|/run/tbgpd/tbgpd.pid|$RUND/tb.pid|" \
	    -e "s|tbgpd.service|$INTEROP_PREFIX-none.service|g" \
	    "$REPO_ROOT/contrib/logrotate.d/tbgpd" >"$conf"
	chmod 644 "$conf"
	logrotate -f -s "$RUND/lr.state" "$conf" >"$OUTD/logrotate.out" 2>&1 ||
	    fail "logrotate failed: $(head -3 "$OUTD/logrotate.out")"
	[ -f "$logd/tbgpd.log.1" ] || fail "logrotate did not rotate tbgpd.log"
	wait_for 5 ops_logged "$logd/tbgpd.log" "SIGUSR1: log file" ||
	    fail "after logrotate the new tbgpd.log got no line"
	# The rotated file is step 1's new file: its one reopen line only.
	[ "$(ops_count "$logd/tbgpd.log.1" "reopened")" = 1 ] ||
	    fail "the rotated file got lines after the rotation"
	ops_steady "logrotate"
}

ops_step_signals() {
	local pid=$1 s n
	n=$(ops_count "$(tb_log)" ", ignored")
	for s in USR2 ALRM IO PROF VTALRM PWR XCPU XFSZ PIPE RTMIN+3 RTMAX; do
		kill -s "$s" "$pid" 2>/dev/null || kill "-$s" "$pid" ||
		    fail "cannot send SIG$s"
		pause 0.2
		alive tb-tbgpd || fail "tbgpd died of SIG$s"
	done
	wait_for 5 ops_logged "$(tb_log)" "received SIGXCPU" ||
	    fail "SIGXCPU not logged"
	[ "$(ops_count "$(tb_log)" ", ignored")" -eq $((n + 7)) ] ||
	    fail "want 7 'ignored' lines for USR2 ALRM IO PROF VTALRM PWR XCPU," \
	    "got $(($(ops_count "$(tb_log)" ", ignored") - n))"
	ops_steady "stray signals"
}

ops_step_full() {
	local i
	rl_edit "s|^log file .*|log file /dev/full|"
	tbgpd_sh tb reload >/dev/null || fail "reload to log file /dev/full failed"
	for i in 1 2 3; do
		tbgpd_sh tb reload >/dev/null || fail "reload $i failed"
	done
	[ "$(ops_count "$(tb_log)" "log file /dev/full: cannot write: No space left on device")" = 1 ] ||
	    fail "a full log file was not reported exactly once on stderr"
	ops_steady "a full log file"
}

ops_step_rmdir() {
	local logd=$1 pid=$2
	mkdir -p "$logd/sub"
	rl_edit "s|^log file .*|log file $logd/sub/tbgpd.log|"
	tbgpd_sh tb reload >/dev/null || fail "reload to $logd/sub failed"
	wait_for 5 ops_logged "$logd/sub/tbgpd.log" "reload: " ||
	    fail "log file $logd/sub/tbgpd.log not written"
	rm -rf "$logd/sub"
	kill -USR1 "$pid"
	wait_for 5 ops_logged "$(tb_log)" "log file $logd/sub/tbgpd.log: cannot reopen: No such file or directory" ||
	    fail "a removed log directory was not reported on SIGUSR1"
	ops_steady "a removed log directory"
	mkdir -p "$logd/sub"
	kill -USR1 "$pid"
	wait_for 5 ops_logged "$logd/sub/tbgpd.log" "reopened" ||
	    fail "SIGUSR1 did not reopen the log file once its directory was back"
}

case_logs() {
	local gw=$1 logd pid
	[ "$gw" = bird ] || fail "case logs is written for bird"
	logd=$RUND/tblog
	mkdir -p "$logd"
	vpc_gw_conf "$gw"
	TB_EXTRA_CONF="log file $logd/tbgpd.log"
	vpc_lab_start "$gw"
	RL_CONF="$OUTD/tb-tbgpd.conf"
	rib_wait 30 "$RIB_BOTH" "with both tunnels"
	wait_for 20 gw_has 10.0.0.0/16 >/dev/null ||
	    fail "the gateway never got 10.0.0.0/16"
	pid=$(pid_of tb-tbgpd)
	ops_step_usr1 "$logd" "$pid"
	ops_step_logrotate "$logd" "$pid"
	ops_step_signals "$pid"
	ops_step_full
	ops_step_rmdir "$logd" "$pid"
	ops_steady "everything"
	PASS_NOTE="mv+SIGUSR1: new file got the next lines; logrotate with contrib's snippet: rotated, reopened; USR2 ALRM IO PROF VTALRM PWR XCPU logged, XFSZ PIPE RT ignored; /dev/full reported once; removed directory reported, reopened when back; both sessions up throughout"
}
