#!/bin/bash
#
# fib-load.sh: how fast a BGP daemon gets a full table into the kernel.
#
# One run puts N IPv4 routes (default 1,000,000) into kernel table 100
# three ways, on this machine, in the same namespace: the kernel's own
# floor (fibload writing the routes in large netlink batches, acknowledged
# asynchronously), then BIRD 2 and tbgpd, each fed the same prefixes by
# bgpinject over a BGP session.  For each it prints the seconds until all
# N routes were in the table and the ratios tbgpd/kernel, BIRD/kernel and
# tbgpd/BIRD (issue 4's target: tbgpd within 1.25x of the kernel).  See
# README.md in this directory.
#
# Network: as rib-load.sh, two namespaces joined by one veth pair
# addressed like an AWS tunnel: bgpinject plays the cloud gateway
# (AS 64512, 169.254.116.209) in fibb-PID-i, the daemon under test
# (AS 65000, 169.254.116.210) and the kernel table it fills are in
# fibb-PID-d.  The routes point at the gateway, directly connected.
#
# Root is needed (namespaces, routes).  Everything started is stopped and
# the namespaces deleted on exit.

set -u
# The system's python3, not a version manager's shim (see tests/interop/lib.sh).
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

TBGPD_BUILD=$(cd "${TBGPD_BUILD:-./_build/plain}" 2>/dev/null && pwd) ||
    TBGPD_BUILD=${TBGPD_BUILD:-./_build/plain}
INJECT=${BGPINJECT:-$TBGPD_BUILD/tests/bench/bgpinject}
FIBLOAD=${FIBLOAD:-$TBGPD_BUILD/tests/bench/fibload}

N=1000000
KEEP=0
TIMEOUT=120
IMPLS="kernel bird tbgpd"
RIBPOLL=1
TABLE=100

INJ_ADDR=169.254.116.209
DUT_ADDR=169.254.116.210
INJ_AS=64512
DUT_AS=65000

NS_D=fibb-$$-d
NS_I=fibb-$$-i
IF_D=fibb$$d
IF_I=fibb$$i
WORK=""
NETNS_UP=0
DAEMON_PID=""
INJ_PID=""
COUNT_PID=""
POLL_PID=""

# Protocol numbers the routes carry in the kernel (rtnetlink rtm_protocol):
# fibload's floor uses "static", BIRD "bird", tbgpd "bgp".
declare -A PROTO=([kernel]=4 [bird]=12 [tbgpd]=186)
KRES=""
GONE=""
LOAD0=""
declare -A R_STATUS R_SECS R_FIRST R_RIB R_SEND R_NOTE R_USR R_SYS

usage() {
	cat >&2 <<EOF
usage: fib-load.sh [-kR] [-n ROUTES] [-t SECONDS] [-m "kernel bird tbgpd"]
  -n  routes to load (default 1000000)
  -k  keep the logs and configurations (their directory is printed)
  -t  give up on a daemon after this many seconds (default 120)
  -m  what to run, in order (default "kernel bird tbgpd")
  -R  do not poll the daemons' RIB counts (FIB time only)
env: TBGPD_BUILD (default ./_build/plain) holds bgpd/tbgpd,
     vtysh-lite/tbgpsh, tests/bench/bgpinject and tests/bench/fibload;
     BGPINJECT and FIBLOAD override those two.
EOF
	exit 2
}

say() { printf 'fib-load: %s\n' "$*" >&2; }
die() {
	say "error: $*"
	exit 1
}

# ------------------------------------------------------------ clean-up

# stop_pid PID [TENTHS [NAME]]: SIGTERM, then SIGKILL after TENTHS tenths
# of a second (default 50).  With NAME, say how long the exit took when it
# was slow, or that it had to be killed.
stop_pid() {
	local pid=$1 n=${2:-50} name=${3:-} i=0 killed=0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	{
		while kill -0 "$pid" && [ "$i" -lt "$n" ]; do
			sleep 0.1
			i=$((i + 1))
		done
		if kill -0 "$pid"; then
			kill -KILL "$pid"
			killed=1
		fi
		wait "$pid"
	} 2>/dev/null
	[ -n "$name" ] || return 0
	if [ "$killed" = 1 ]; then
		say "$name: still running $((n / 10)) s after SIGTERM, killed"
	elif [ "$i" -gt 10 ]; then
		say "$name: took about $((i / 10)) s to exit after SIGTERM"
	fi
	return 0
}

cleanup() {
	stop_pid "$POLL_PID"
	stop_pid "$COUNT_PID"
	stop_pid "$DAEMON_PID"
	stop_pid "$INJ_PID"
	POLL_PID="" COUNT_PID="" DAEMON_PID="" INJ_PID=""
	if [ "$NETNS_UP" = 1 ]; then
		ip netns del "$NS_I" 2>/dev/null
		ip netns del "$NS_D" 2>/dev/null
	fi
	[ -z "$WORK" ] && return
	if [ "$KEEP" = 1 ]; then
		say "logs kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}

# ------------------------------------------------------------ setup

has_impl() { case " $IMPLS " in *" $1 "*) return 0 ;; esac; return 1; }

check_tools() {
	[ "$(id -u)" = 0 ] || die "must run as root (network namespaces, routes)"
	command -v ip >/dev/null || die "iproute2 (ip) is needed"
	[ -x "$FIBLOAD" ] || die "no fibload at $FIBLOAD (make in $TBGPD_BUILD)"
	if has_impl bird || has_impl tbgpd; then
		[ -x "$INJECT" ] ||
		    die "no injector at $INJECT (make in $TBGPD_BUILD)"
		[ "$RIBPOLL" = 0 ] || command -v python3 >/dev/null ||
		    die "python3 is needed for the RIB poll (or give -R)"
	fi
	if has_impl bird && { ! dpkg -l bird2 2>/dev/null | grep -q '^ii' ||
	    ! command -v birdc >/dev/null; }; then
		die "BIRD 2 is not installed (apt-get install bird2)"
	fi
	if has_impl tbgpd && { [ ! -x "$TBGPD_BUILD/bgpd/tbgpd" ] ||
	    [ ! -x "$TBGPD_BUILD/vtysh-lite/tbgpsh" ]; }; then
		die "tbgpd is not built in $TBGPD_BUILD (set TBGPD_BUILD)"
	fi
}

net_up() {
	ip netns add "$NS_D" || die "cannot create namespace $NS_D"
	NETNS_UP=1
	ip netns add "$NS_I" || die "cannot create namespace $NS_I"
	ip -n "$NS_D" link set lo up
	ip -n "$NS_I" link set lo up
	ip link add "$IF_D" netns "$NS_D" type veth \
	    peer name "$IF_I" netns "$NS_I" || die "cannot create veth pair"
	ip -n "$NS_D" addr add "$DUT_ADDR/30" dev "$IF_D"
	ip -n "$NS_I" addr add "$INJ_ADDR/30" dev "$IF_I"
	ip -n "$NS_D" link set "$IF_D" up
	ip -n "$NS_I" link set "$IF_I" up
	wait_for 50 ip netns exec "$NS_I" ping -c1 -W1 "$DUT_ADDR" ||
	    die "the veth pair does not pass traffic"
}

# wait_for TENTHS CMD...: retry CMD every 0.1 s.
wait_for() {
	local n=$1 i
	shift
	for i in $(seq "$n"); do
		"$@" >/dev/null 2>&1 && return 0
		[ "$i" -lt "$n" ] && sleep 0.1
	done
	return 1
}

# Not for a background job: $! must be the program, not a subshell.
in_dut() { ip netns exec "$NS_D" "$@"; }

# flush_table WHY: empty the benchmark's table; say what was left.
flush_table() {
	local left
	left=$(in_dut "$FIBLOAD" flush -t "$TABLE" 2>>"$WORK/flush.log") ||
	    die "cannot flush table $TABLE (see $WORK/flush.log with -k)"
	[ "${left:-0}" = 0 ] || say "$1: $left routes were left in table $TABLE; removed"
}

# ------------------------------------------------------------ BIRD

bird_conf() {
	cat <<EOF
router id $DUT_ADDR;
log "$WORK/bird.log" { info, warning, error, fatal };
protocol device { }
# Everything BGP selects goes to kernel table $TABLE.
protocol kernel {
	kernel table $TABLE;
	ipv4 { import none; export all; };
}
protocol bgp inj {
	local $DUT_ADDR as $DUT_AS;
	neighbor $INJ_ADDR as $INJ_AS;
	passive on;
	hold time 90;
	ipv4 { import all; export none; };
}
EOF
}

bird_start() {
	bird_conf >"$WORK/bird.conf"
	bird -p -c "$WORK/bird.conf" >"$WORK/bird-p.out" 2>&1 ||
	    die "bird rejects its configuration: $(cat "$WORK/bird-p.out")"
	ip netns exec "$NS_D" bird -f -c "$WORK/bird.conf" \
	    -s "$WORK/bird.ctl" -P "$WORK/bird.pid" >"$WORK/bird.out" 2>&1 &
	DAEMON_PID=$!
}

bird_ready() { birdc -s "$WORK/bird.ctl" show status; }

# The protocol counter costs BIRD nothing (see rib-load.sh).
bird_rib_cmd() { RIB_CMD=(birdc -s "$WORK/bird.ctl" show protocols all inj); }

# ------------------------------------------------------------ tbgpd

tbgpd_conf() {
	cat <<EOF
router bgp $DUT_AS
 bgp router-id $DUT_ADDR
 no bgp ebgp-requires-policy
 fib table $TABLE
 neighbor $INJ_ADDR remote-as $INJ_AS
 neighbor $INJ_ADDR timers 30 90
 neighbor $INJ_ADDR update-source $DUT_ADDR
 neighbor $INJ_ADDR passive
EOF
}

tbgpd_start() {
	tbgpd_conf >"$WORK/tbgpd.conf"
	"$TBGPD_BUILD/bgpd/tbgpd" -n -f "$WORK/tbgpd.conf" \
	    >"$WORK/tbgpd-n.out" 2>&1 ||
	    die "tbgpd rejects its configuration: $(cat "$WORK/tbgpd-n.out")"
	ip netns exec "$NS_D" "$TBGPD_BUILD/bgpd/tbgpd" -d \
	    -f "$WORK/tbgpd.conf" -s "$WORK/tbgpd.sock" >"$WORK/tbgpd.log" 2>&1 &
	DAEMON_PID=$!
}

tbgpd_ready() {
	"$TBGPD_BUILD/vtysh-lite/tbgpsh" -s "$WORK/tbgpd.sock" \
	    -c 'show bgp summary json'
}

tbgpd_rib_cmd() {
	RIB_CMD=("$TBGPD_BUILD/vtysh-lite/tbgpsh" -s "$WORK/tbgpd.sock"
	    -c 'show bgp summary json')
}

# ------------------------------------------------------------ measuring

# cpu_ticks PID: "user system" CPU time of the process so far, in clock
# ticks (/proc/PID/stat fields 14 and 15, counted after the ")" that
# ends the command name).
cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12, $13 }'
}

# cpu_used IMPL BEFORE AFTER: the daemon's user and system seconds
# between two cpu_ticks samples, into R_USR and R_SYS.
cpu_used() {
	local hz u0 s0 u1 s1
	hz=$(getconf CLK_TCK)
	read -r u0 s0 <<<"$2"
	read -r u1 s1 <<<"$3"
	[ -n "${u0:-}" ] && [ -n "${u1:-}" ] || return 0
	R_USR[$1]=$(awk -v a="$u0" -v b="$u1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
	R_SYS[$1]=$(awk -v a="$s0" -v b="$s1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
}

# rib_poll IMPL TARGET TIMEOUT CMD...: run CMD every 50 ms until the
# daemon reports TARGET routes received; prints "ok EPOCH" or
# "timeout LAST".  It execs python3: run it in the background.
rib_poll() {
	exec python3 - "$@" <<'EOF'
import json, os, re, subprocess, sys, time

impl, target, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
cmd, addr = sys.argv[4:], os.environ["INJ_ADDR"]

def count(out):
    if impl == "bird":
        m = re.search(r"^\s*Routes:\s+(\d+) imported", out, re.M)
        return int(m.group(1)) if m else None
    fam = json.loads(out)
    fam = fam.get("ipv4Unicast", fam)
    peer = fam.get("peers", {}).get(addr)
    return int(peer["pfxRcd"]) if peer and "pfxRcd" in peer else None

start, last = time.monotonic(), "-"
while time.monotonic() - start < limit:
    try:
        n = count(subprocess.run(cmd, capture_output=True, text=True,
                                 timeout=10).stdout)
    except (subprocess.TimeoutExpired, ValueError, KeyError, TypeError):
        n = None
    if n is not None:
        last = n
        if n >= target:
            print("ok %.6f" % time.time())
            sys.exit(0)
    time.sleep(0.05)
print("timeout %s" % last)
EOF
}

# count_start IMPL: the kernel-side stopwatch, listening before the load.
count_start() {
	ip netns exec "$NS_D" "$FIBLOAD" count -n "$N" -p "${PROTO[$1]}" \
	    -t "$TABLE" -T "$TIMEOUT" >"$WORK/$1-count.out" 2>"$WORK/$1-count.log" &
	COUNT_PID=$!
	wait_for 100 grep -q '^ready' "$WORK/$1-count.out" ||
	    die "fibload count does not start: $(cat "$WORK/$1-count.log")"
}

# count_wait IMPL: wait for the count to end; KRES is its line,
# "status first-epoch nth-epoch present events dups dels overflows how".
# Not in a $(...): a subshell cannot wait for the count.
count_wait() {
	wait "$COUNT_PID"
	COUNT_PID=""
	KRES=$(sed -n '2p' "$WORK/$1-count.out")
}

# alive PID: the process runs (a zombie does not).
alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ]
}

# watch_count IMPL: count_wait, but stop the count as soon as the
# injector or the daemon is gone: no more routes would come.  GONE says
# which.
watch_count() {
	GONE=""
	while alive "$COUNT_PID"; do
		if ! alive "$INJ_PID"; then
			GONE="the injector exited: $(tail -1 "$WORK/$1-inject.log")"
		elif ! alive "$DAEMON_PID"; then
			GONE="$1 exited (see its log with -k)"
		fi
		[ -z "$GONE" ] || { stop_pid "$COUNT_PID"; break; }
		sleep 0.1
	done
	count_wait "$1"
}

# note_count IMPL RESULT: what the count saw that the table hides.
note_count() {
	local impl=$1 events dups dels ovf how
	read -r _ _ _ _ events dups dels ovf how <<<"$2"
	[ "${dups:-0}" = 0 ] || R_NOTE[$impl]+=" ${dups} NEWROUTE events for routes already present;"
	[ "${dels:-0}" = 0 ] || R_NOTE[$impl]+=" ${dels} deletes;"
	[ "${ovf:-0}" = 0 ] || R_NOTE[$impl]+=" event socket overflowed ${ovf}x, table dumped;"
	[ "${how:-event}" = event ] || R_NOTE[$impl]+=" Nth route seen by a dump: time is an upper bound;"
	: "$events"
}

run_kernel() {
	local res status secs failed held usr sys
	R_STATUS[kernel]="not run"
	count_start kernel
	res=$(in_dut "$FIBLOAD" floor -n "$N" -t "$TABLE" -g "$INJ_ADDR" \
	    -d "$IF_D" 2>"$WORK/kernel-floor.log")
	read -r status secs failed held usr sys <<<"$res"
	# Not all routes went in: the count would wait for its timeout.
	[ "$status" = ok ] || stop_pid "$COUNT_PID"
	count_wait kernel
	if [ "$status" = ok ]; then
		R_STATUS[kernel]=ok
		R_SECS[kernel]=$secs
		R_USR[kernel]=$usr
		R_SYS[kernel]=$sys
		note_count kernel "$KRES"
	else
		R_STATUS[kernel]="FAILED: ${failed:-?} requests refused, ${held:-?} of $N in the table ($(tail -1 "$WORK/kernel-floor.log"))"
	fi
	say "kernel: ${R_STATUS[kernel]} ($(sed -n 1p "$WORK/kernel-floor.log" | sed 's/^fibload: //'))"
}

# daemon_result IMPL KRES RIB: turn the count's and the poll's lines and
# the injector's log into R_*.
daemon_result() {
	local impl=$1 est status first nth present rib
	read -r status first nth present _ <<<"$2"
	est=$(sed -n 's/^bgpinject: established at \([0-9.]*\).*/\1/p' \
	    "$WORK/$impl-inject.log")
	R_SEND[$impl]=$(sed -n 's/^bgpinject: announced .* written in \([0-9.]*\) s.*/\1/p' \
	    "$WORK/$impl-inject.log")
	if [ -z "$est" ]; then
		R_STATUS[$impl]="no session: $(tail -1 "$WORK/$impl-inject.log" |
		    grep . || echo "the injector exited without a word")"
	elif [ "$status" != ok ] && [ -n "$GONE" ]; then
		R_STATUS[$impl]="NOT CONVERGED: ${present:-0} of $N routes in table $TABLE when $GONE"
	elif [ "$status" != ok ]; then
		R_STATUS[$impl]="NOT CONVERGED: ${present:-0} of $N routes in table $TABLE after ${TIMEOUT} s"
	else
		R_STATUS[$impl]=ok
		R_SECS[$impl]=$(awk -v a="$est" -v b="$nth" 'BEGIN { printf "%.3f", b - a }')
		R_FIRST[$impl]=$(awk -v a="$est" -v b="$first" 'BEGIN { printf "%.3f", b - a }')
		note_count "$impl" "$2"
	fi
	read -r status rib <<<"$3"
	if [ "$status" = ok ] && [ -n "$est" ]; then
		R_RIB[$impl]=$(awk -v a="$est" -v b="$rib" 'BEGIN { printf "%.3f", b - a }')
	fi
}

# run_daemon IMPL: load the table through one daemon.
run_daemon() {
	local impl=$1 rib="" cpu0
	R_STATUS[$impl]="not run"
	"${impl}_start"
	wait_for 100 "${impl}_ready" ||
	    die "$impl does not answer on its control socket (see -k logs)"
	sleep 1
	count_start "$impl"
	say "$impl: started (pid $DAEMON_PID); injecting $N prefixes"
	cpu0=$(cpu_ticks "$DAEMON_PID")
	ip netns exec "$NS_I" "$INJECT" -a "$INJ_AS" -r "$DUT_AS" \
	    -i "$INJ_ADDR" -c "$DUT_ADDR" -n "$N" \
	    2>"$WORK/$impl-inject.log" &
	INJ_PID=$!
	if [ "$RIBPOLL" = 1 ]; then
		"${impl}_rib_cmd"
		INJ_ADDR=$INJ_ADDR rib_poll "$impl" "$N" "$TIMEOUT" \
		    "${RIB_CMD[@]}" >"$WORK/$impl-rib.out" &
		POLL_PID=$!
	fi
	watch_count "$impl"
	cpu_used "$impl" "$cpu0" "$(cpu_ticks "$DAEMON_PID")"
	if [ -n "$POLL_PID" ]; then
		# The FIB is complete: the RIB is too, or will never be.
		[ -n "$GONE" ] || wait_for 50 grep -q . "$WORK/$impl-rib.out"
		stop_pid "$POLL_PID"
		POLL_PID=""
		rib=$(cat "$WORK/$impl-rib.out")
	fi
	daemon_result "$impl" "$KRES" "$rib"
	say "$impl: ${R_STATUS[$impl]}"
	stop_pid "$DAEMON_PID" 600 "$impl"
	stop_pid "$INJ_PID"
	DAEMON_PID="" INJ_PID=""
	flush_table "$impl after exit"
}

# ------------------------------------------------------------ report

print_row() {
	local impl=$1
	if [ "${R_STATUS[$impl]}" != ok ]; then
		printf '%-8s %s\n' "$impl" "${R_STATUS[$impl]}"
		return
	fi
	awk -v i="$impl" -v s="${R_SECS[$impl]}" -v n="$N" \
	    -v f="${R_FIRST[$impl]:--}" -v r="${R_RIB[$impl]:--}" \
	    -v snd="${R_SEND[$impl]:--}" -v u="${R_USR[$impl]:--}" \
	    -v y="${R_SYS[$impl]:--}" 'BEGIN {
		printf("%-8s %8.3f %10.0f %8s %8s %8s %6s %6s\n", i, s,
		    (s > 0 ? n / s : 0), f, r, snd, u, y)
	}'
	[ -z "${R_NOTE[$impl]:-}" ] || printf '         note:%s\n' "${R_NOTE[$impl]}"
}

# cpu_ratio A B LABEL: the same for usr + sys CPU seconds, which a
# machine busy with other work changes less than it changes wall time.
cpu_ratio() {
	if [ -z "${R_SYS[$1]:-}" ] || [ -z "${R_SYS[$2]:-}" ] ||
	    [ "${R_STATUS[$1]:-}" != ok ] || [ "${R_STATUS[$2]:-}" != ok ]; then
		printf '%s n/a' "$3"
		return
	fi
	awk -v a="${R_USR[$1]}" -v b="${R_SYS[$1]}" -v c="${R_USR[$2]}" \
	    -v d="${R_SYS[$2]}" -v l="$3" 'BEGIN {
		printf "%s %s", l, (c + d > 0 ? sprintf("%.2fx", (a + b) / (c + d)) : "n/a")
	}'
}

# ratio A B LABEL: "LABEL N.NNx" of the two times, or "LABEL n/a".
ratio() {
	if [ "${R_STATUS[$1]:-}" != ok ] || [ "${R_STATUS[$2]:-}" != ok ]; then
		printf '%s n/a' "$3"
		return
	fi
	awk -v a="${R_SECS[$1]}" -v b="${R_SECS[$2]}" -v l="$3" \
	    'BEGIN { printf "%s %.2fx", l, a / b }'
}

verdict() {
	if [ "${R_STATUS[tbgpd]:-}" != ok ] || [ "${R_STATUS[kernel]:-}" != ok ]; then
		echo "target (tbgpd within 1.25x of the kernel): not measured"
		return
	fi
	awk -v t="${R_SECS[tbgpd]}" -v k="${R_SECS[kernel]}" 'BEGIN {
		printf("target (tbgpd within 1.25x of the kernel, %.3f s): %s\n",
		    1.25 * k, t <= 1.25 * k ? "met" : "NOT met")
	}'
}

report() {
	local impl
	echo
	echo "FIB load: $N IPv4 routes into kernel table $TABLE, via $INJ_ADDR on a veth"
	echo "kernel: fibload, 128 KiB netlink batches, ACK per batch: first request -> last answer"
	echo "daemons: session Established (first UPDATE byte) -> Nth route in the table"
	echo "first s: -> first route in the table; RIB s: -> all N counted by the daemon"
	echo "send s: the injector's time to write everything (socket accepted)"
	echo "usr s, sys s: CPU the loader (fibload or the daemon) used meanwhile"
	printf '%-8s %8s %10s %8s %8s %8s %6s %6s\n' impl seconds routes/s \
	    "first s" "RIB s" "send s" "usr s" "sys s"
	for impl in $IMPLS; do
		print_row "$impl"
	done
	echo "ratios: $(ratio tbgpd kernel tbgpd/kernel)," \
	    "$(ratio bird kernel BIRD/kernel), $(ratio tbgpd bird tbgpd/BIRD)"
	echo "CPU (usr+sys) ratios: $(cpu_ratio tbgpd kernel tbgpd/kernel)," \
	    "$(cpu_ratio bird kernel BIRD/kernel)," \
	    "$(cpu_ratio tbgpd bird tbgpd/BIRD)"
	echo "load average (1 min) at start $LOAD0, at end $(cut -d' ' -f1 /proc/loadavg), on $(nproc) CPUs"
	verdict
}

# ------------------------------------------------------------ main

main() {
	local opt impl
	while getopts kn:t:m:Rh opt; do
		case $opt in
		k) KEEP=1 ;;
		n) N=$OPTARG ;;
		t) TIMEOUT=$OPTARG ;;
		m) IMPLS=$OPTARG ;;
		R) RIBPOLL=0 ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -eq 0 ] || usage
	case $N in '' | 0 | *[!0-9]*) usage ;; esac
	case $TIMEOUT in '' | 0 | *[!0-9]*) usage ;; esac
	for impl in $IMPLS; do
		case $impl in kernel | bird | tbgpd) ;;
		*) die "unknown implementation $impl (kernel, bird, tbgpd)" ;;
		esac
	done
	check_tools
	LOAD0=$(cut -d' ' -f1 /proc/loadavg)
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	WORK=$(mktemp -d /tmp/bench-fib.XXXXXX)
	net_up
	flush_table "start"
	for impl in $IMPLS; do
		if [ "$impl" = kernel ]; then
			run_kernel
		else
			run_daemon "$impl"
		fi
	done
	report
}

main "$@"
