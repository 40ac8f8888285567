#!/bin/bash
#
# rib-load.sh: how fast and how compactly a BGP daemon takes a full table.
#
# One run loads N IPv4 prefixes (default 1,000,000, 8 per UPDATE, every
# UPDATE its own attribute set) from bgpinject into BIRD 2 and then into
# tbgpd, on this machine, and prints for each: the seconds from the
# session's Established to the daemon reporting all N routes in its RIB,
# routes per second, the growth of the daemon's resident memory, bytes
# per route, and the tbgpd/BIRD ratios.  See README.md in this directory.
#
# Network: two namespaces joined by one veth pair, addressed like an AWS
# tunnel: the injector plays the cloud gateway (AS 64512, 169.254.116.209)
# in bench-PID-i, the daemon under test (AS 65000, 169.254.116.210) runs
# in bench-PID-d.  Neither daemon exports anything: the routes stay in
# the RIB, so the kernel's FIB is not part of the measurement.
#
# Root is needed (namespaces).  Everything started is stopped on exit.

set -u
# The system's python3, not a version manager's shim (see tests/interop/lib.sh).
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

TBGPD_BUILD=$(cd "${TBGPD_BUILD:-./_build/plain}" 2>/dev/null && pwd) ||
    TBGPD_BUILD=${TBGPD_BUILD:-./_build/plain}
INJECT=${BGPINJECT:-$TBGPD_BUILD/tests/bench/bgpinject}

N=1000000
KEEP=0
TIMEOUT=120
IMPLS="bird tbgpd"

INJ_ADDR=169.254.116.209
DUT_ADDR=169.254.116.210
INJ_AS=64512
DUT_AS=65000

NS_D=bench-$$-d
NS_I=bench-$$-i
IF_D=bench$$d
IF_I=bench$$i
WORK=""
NETNS_UP=0
DAEMON_PID=""
INJ_PID=""
POLL_PID=""

declare -A R_STATUS R_SECS R_SEND R_RSS0 R_RSS1 R_SHOW R_LINES R_RSS2

usage() {
	cat >&2 <<EOF
usage: rib-load.sh [-k] [-n PREFIXES] [-t SECONDS] [-m "bird tbgpd"]
  -n  prefixes to load (default 1000000)
  -k  keep the logs and configurations (their directory is printed)
  -t  give up on a daemon after this many seconds (default 120)
  -m  which daemons, in order (default "bird tbgpd")
env: TBGPD_BUILD (default ./_build/plain) holds bgpd/tbgpd,
     vtysh-lite/tbgpsh and tests/bench/bgpinject; BGPINJECT overrides the
     injector's path.
EOF
	exit 2
}

say() { printf 'rib-load: %s\n' "$*" >&2; }
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
	# Quiet: bash would report the SIGKILLed job on stderr.
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
	stop_pid "$INJ_PID"
	stop_pid "$DAEMON_PID"
	INJ_PID=""
	DAEMON_PID=""
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

check_tools() {
	[ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
	command -v python3 >/dev/null || die "python3 is needed"
	[ -x "$INJECT" ] || die "no injector at $INJECT (make in $TBGPD_BUILD)"
	case " $IMPLS " in *" bird "*)
		if ! dpkg -l bird2 2>/dev/null | grep -q '^ii' ||
		    ! command -v birdc >/dev/null; then
			die "BIRD 2 is not installed (apt-get install bird2)"
		fi ;;
	esac
	case " $IMPLS " in *" tbgpd "*)
		if [ ! -x "$TBGPD_BUILD/bgpd/tbgpd" ] ||
		    [ ! -x "$TBGPD_BUILD/vtysh-lite/tbgpsh" ]; then
			die "tbgpd is not built in $TBGPD_BUILD (set TBGPD_BUILD)"
		fi ;;
	esac
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

# rss_kb PID: resident memory of the process, in kB (VmRSS).
rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# ------------------------------------------------------------ BIRD

bird_conf() {
	cat <<EOF
router id $DUT_ADDR;
log "$WORK/bird.log" { info, warning, error, fatal };
protocol device { }
# Present, as on a real router, but it neither imports nor exports.
protocol kernel {
	ipv4 { import none; export none; };
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

# What the poll asks BIRD.  "show route count" walks the whole table in
# BIRD's only thread (about 0.25 s at 1M routes on a small VM), so asking
# it every 20 ms would slow down the very load being measured; the
# protocol's counters ("Routes: N imported", BGP routes accepted into the
# table, like tbgpd's pfxRcd) cost nothing.  The table itself is counted
# once at the end (bird_final).  BIRD_POLL=route polls the table instead.
bird_count_cmd() {
	if [ "${BIRD_POLL:-proto}" = route ]; then
		COUNT_CMD=(birdc -s "$WORK/bird.ctl" show route count)
	else
		COUNT_CMD=(birdc -s "$WORK/bird.ctl" show protocols all inj)
	fi
}

# The routes in BIRD's table: "N of N routes for N networks in table ...".
bird_final() {
	birdc -s "$WORK/bird.ctl" show route count |
	    awk '/ routes for .* table master4/ { print $1; exit }'
}

# The whole table as an operator would print it.
bird_show() { birdc -s "$WORK/bird.ctl" show route; }

# ------------------------------------------------------------ tbgpd

tbgpd_conf() {
	cat <<EOF
router bgp $DUT_AS
 bgp router-id $DUT_ADDR
 no bgp ebgp-requires-policy
 no fib install
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
	    -f "$WORK/tbgpd.conf" -s "$WORK/tbgpd.sock" \
	    >"$WORK/tbgpd.log" 2>&1 &
	DAEMON_PID=$!
}

tbgpd_ready() {
	"$TBGPD_BUILD/vtysh-lite/tbgpsh" -s "$WORK/tbgpd.sock" \
	    -c 'show bgp summary json'
}

# tbgpd's own count is the one polled.
tbgpd_final() {
	tbgpd_ready | python3 -c '
import json, sys
doc = json.load(sys.stdin)
print(doc.get("ipv4Unicast", doc)["peers"][sys.argv[1]]["pfxRcd"])' \
	    "$INJ_ADDR"
}

tbgpd_show() {
	"$TBGPD_BUILD/vtysh-lite/tbgpsh" -s "$WORK/tbgpd.sock" -c 'show ip bgp'
}

tbgpd_count_cmd() {
	COUNT_CMD=("$TBGPD_BUILD/vtysh-lite/tbgpsh" -s "$WORK/tbgpd.sock"
	    -c 'show bgp summary json')
}

# ------------------------------------------------------------ measuring

# poll_count IMPL TARGET TIMEOUT INJ_PID CMD...: run CMD every 20 ms until
# the daemon reports TARGET routes.  Prints one line, "ok EPOCH COUNT"
# (EPOCH: wall clock of the first answer with TARGET), or "timeout LAST"
# or "injector-exited LAST", LAST being the last count read ("-" if none).
# It execs python3: call it in a background job (run_impl does).
poll_count() {
	exec python3 - "$@" <<'EOF'
import json, os, re, subprocess, sys, time

impl, target, limit, inj = sys.argv[1], int(sys.argv[2]), \
    float(sys.argv[3]), int(sys.argv[4])
cmd = sys.argv[5:]
addr = os.environ["INJ_ADDR"]

def count(out):
    if impl == "bird":
        m = re.search(r"^\s*Routes:\s+(\d+) imported", out, re.M) or \
            re.search(r"^\s*(\d+) of \d+ routes", out, re.M)
        return int(m.group(1)) if m else None
    doc = json.loads(out)
    # pfxRcd lives under the address family ("ipv4Unicast"), or at the
    # top for a single-family summary.
    fam = doc.get("ipv4Unicast", doc)
    peer = fam.get("peers", {}).get(addr)
    return int(peer["pfxRcd"]) if peer and "pfxRcd" in peer else None

def alive(pid):
    try:
        os.kill(pid, 0)
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False

start, last = time.monotonic(), "-"
while True:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True,
                             timeout=10).stdout
        n = count(out)
    except (subprocess.TimeoutExpired, ValueError, KeyError, TypeError):
        n = None
    if n is not None:
        last = n
        if n >= target:
            print("ok %.6f %d" % (time.time(), n))
            break
    if time.monotonic() - start > limit:
        print("timeout %s" % last)
        break
    if not alive(inj):
        print("injector-exited %s" % last)
        break
    time.sleep(0.02)
EOF
}

# show_table IMPL PID: print the whole table through the daemon's own
# command line client, counting lines; the seconds, the lines and the
# daemon's resident memory after it go to R_SHOW, R_LINES and R_RSS2.
show_table() {
	local impl=$1 t0 t1 lines
	t0=$EPOCHREALTIME
	lines=$("${impl}_show" 2>/dev/null | wc -l)
	t1=$EPOCHREALTIME
	R_SHOW[$impl]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	R_LINES[$impl]=$lines
	R_RSS2[$impl]=$(rss_kb "$2")
	say "$impl: the table printed in ${R_SHOW[$impl]} s, $lines lines"
}

# run_impl IMPL: load the table into one daemon and record the results.
run_impl() {
	local impl=$1 res est status when final pid_d
	R_STATUS[$impl]="not run"
	"${impl}_start"
	wait_for 100 "${impl}_ready" ||
	    die "$impl does not answer on its control socket (see -k logs)"
	pid_d=$DAEMON_PID
	sleep 1		# let start-up allocations settle
	R_RSS0[$impl]=$(rss_kb "$pid_d")
	say "$impl: started (pid $pid_d, RSS ${R_RSS0[$impl]} kB); injecting $N prefixes"
	ip netns exec "$NS_I" "$INJECT" -a "$INJ_AS" -r "$DUT_AS" \
	    -i "$INJ_ADDR" -c "$DUT_ADDR" -n "$N" \
	    2>"$WORK/$impl-inject.log" &
	INJ_PID=$!
	"${impl}_count_cmd"
	# In the background: "wait" returns at once on a signal, so an
	# interrupted run cleans up now, not when the poll times out.
	INJ_ADDR=$INJ_ADDR poll_count "$impl" "$N" "$TIMEOUT" "$INJ_PID" \
	    "${COUNT_CMD[@]}" >"$WORK/$impl-poll.out" &
	POLL_PID=$!
	wait "$POLL_PID"
	POLL_PID=""
	res=$(cat "$WORK/$impl-poll.out")
	R_RSS1[$impl]=$(rss_kb "$pid_d")
	final=$("${impl}_final" 2>/dev/null)
	est=$(sed -n 's/^bgpinject: established at \([0-9.]*\).*/\1/p' \
	    "$WORK/$impl-inject.log")
	R_SEND[$impl]=$(sed -n 's/^bgpinject: announced .* written in \([0-9.]*\) s.*/\1/p' \
	    "$WORK/$impl-inject.log")
	read -r status when _ <<<"$res"
	case $status in
	ok)
		if [ -z "$est" ]; then
			R_STATUS[$impl]="no Established line from the injector"
		elif [ "$final" != "$N" ]; then
			R_STATUS[$impl]="counted ${final:-nothing} routes in the table, not $N"
		else
			R_STATUS[$impl]=ok
			R_SECS[$impl]=$(awk -v a="$est" -v b="$when" \
			    'BEGIN { printf "%.3f", b - a }')
			show_table "$impl" "$pid_d"
		fi ;;
	timeout)
		R_STATUS[$impl]="NOT CONVERGED: $when of $N routes after ${TIMEOUT} s"
		if [ "$when" = 0 ] && grep -q 'End-of-RIB sent' \
		    "$WORK/$impl-inject.log"; then
			R_STATUS[$impl]+=" (all sent, none counted: does this $impl keep received routes yet?)"
		fi ;;
	*)
		R_STATUS[$impl]="NOT CONVERGED: injector exited ($(tail -1 "$WORK/$impl-inject.log")); last count $when" ;;
	esac
	say "$impl: ${R_STATUS[$impl]}"
	stop_pid "$INJ_PID"
	INJ_PID=""
	stop_pid "$DAEMON_PID" 600 "$impl"
	DAEMON_PID=""
}

# ------------------------------------------------------------ report

# mb KB: kilobytes as megabytes (MiB).
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

print_row() {
	local impl=$1 d
	if [ "${R_STATUS[$impl]}" != ok ]; then
		printf '%-8s %s\n' "$impl" "${R_STATUS[$impl]}"
		return
	fi
	d=$((R_RSS1[$impl] - R_RSS0[$impl]))
	awk -v i="$impl" -v s="${R_SECS[$impl]}" -v n="$N" -v d="$d" \
	    -v r0="${R_RSS0[$impl]}" -v r1="${R_RSS1[$impl]}" \
	    -v snd="${R_SEND[$impl]:--}" 'BEGIN {
		printf("%-8s %8.3f %10.0f %8s %9.1f %9.1f %9.1f %9.1f\n", i, s,
		    (s > 0 ? n / s : 0), snd, r0 / 1024, r1 / 1024, d / 1024,
		    d * 1024 / n)
	}'
}

print_ratio() {
	local t=tbgpd b=bird
	if [ "${R_STATUS[$t]:-}" != ok ] || [ "${R_STATUS[$b]:-}" != ok ]; then
		echo "tbgpd/BIRD: no ratio (both must converge; see above)"
		return
	fi
	awk -v ts="${R_SECS[$t]}" -v bs="${R_SECS[$b]}" \
	    -v tm="$((R_RSS1[$t] - R_RSS0[$t]))" \
	    -v bm="$((R_RSS1[$b] - R_RSS0[$b]))" 'BEGIN {
		printf("tbgpd/BIRD: time %.2fx, memory %s\n", ts / bs,
		    (bm > 0 ? sprintf("%.2fx", tm / bm) : "n/a (BIRD grew 0)"))
	}'
}

report() {
	local impl
	echo
	echo "RIB load: $N IPv4 prefixes, 8 per UPDATE, one attribute set per UPDATE"
	echo "seconds: session Established -> all $N routes reported by the daemon"
	echo "send s: the injector's time to write everything (socket accepted)"
	printf '%-8s %8s %10s %8s %9s %9s %9s %9s\n' impl seconds routes/s \
	    "send s" "RSS0 MB" "RSS1 MB" "dRSS MB" "B/route"
	for impl in $IMPLS; do
		print_row "$impl"
	done
	case " $IMPLS " in *" bird "*)
		case " $IMPLS " in *" tbgpd "*) print_ratio ;; esac ;;
	esac
	echo
	echo "The table printed: birdc show route / tbgpsh -c 'show ip bgp', lines counted"
	printf '%-8s %8s %9s %9s\n' impl seconds lines "RSS MB"
	for impl in $IMPLS; do
		[ -n "${R_SHOW[$impl]:-}" ] || continue
		printf '%-8s %8s %9s %9s\n' "$impl" "${R_SHOW[$impl]}" \
		    "${R_LINES[$impl]}" "$(mb "${R_RSS2[$impl]}")"
	done
	if [ -n "${R_SHOW[tbgpd]:-}" ] && [ -n "${R_SHOW[bird]:-}" ]; then
		awk -v t="${R_SHOW[tbgpd]}" -v b="${R_SHOW[bird]}" \
		    'BEGIN { printf("tbgpd/BIRD: printing %.2fx\n", t / b) }'
	fi
}

# ------------------------------------------------------------ main

main() {
	local opt impl
	while getopts kn:t:m:h opt; do
		case $opt in
		k) KEEP=1 ;;
		n) N=$OPTARG ;;
		t) TIMEOUT=$OPTARG ;;
		m) IMPLS=$OPTARG ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -eq 0 ] || usage
	case $N in '' | *[!0-9]*) usage ;; esac
	case $TIMEOUT in '' | *[!0-9]*) usage ;; esac
	for impl in $IMPLS; do
		case $impl in bird | tbgpd) ;; *) die "unknown daemon $impl" ;; esac
	done
	check_tools
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	WORK=$(mktemp -d /tmp/bench-rib.XXXXXX)
	net_up
	for impl in $IMPLS; do
		run_impl "$impl"
	done
	report
}

main "$@"
