#!/bin/bash
#
# failover.sh: how fast the kernel's route follows a dying and a returning
# tunnel.
#
# The two-tunnel topology of an AWS site-to-site VPN: a gateway namespace
# where BIRD 2 plays the AWS gateway (AS 64512, timers 10/30) and
# announces 172.16.0.0/16 over both tunnels, tunnel 2's copy prepended
# three times, and a host namespace with the daemon under test (AS 65000)
# that puts the best route into the kernel.  Tunnel 1 is
# 169.254.116.208/30 (gateway .209, host .210), tunnel 2
# 169.254.214.96/30 (gateway .97, host .98), each a veth pair.
#
# For each daemon (tbgpd; BIRD 2 with "check link" and a kernel protocol
# exporting its best routes; the kernel alone as the floor), R times:
#   failover: the gateway's end of tunnel 1 is set down (the host's end
#     loses carrier) until the host's "ip route get 172.16.0.1" answers
#     via tunnel 2;
#   failback: the gateway's end is set up again until the answer is via
#     tunnel 1, which includes reconnecting the session; the part after
#     the session became Established is given too.
# fibwatch, built with tbgpd, does the timing (see fibwatch.c).  The
# script prints min/median/max per daemon and the tbgpd/BIRD ratios.
# See README.md in this directory.
#
# Root is needed (namespaces).  Everything started is stopped on exit.

set -u
# The system's python3, not a version manager's shim (see tests/interop/lib.sh).
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

TBGPD_BUILD=$(cd "${TBGPD_BUILD:-./_build/plain}" 2>/dev/null && pwd) ||
    TBGPD_BUILD=${TBGPD_BUILD:-./_build/plain}
FIBWATCH=${FIBWATCH:-$TBGPD_BUILD/tests/bench/fibwatch}

R=10
KEEP=0
TIMEOUT=120
IMPLS="kernel bird tbgpd"
SETTLE=1
SAME=0

GW_AS=64512
HOST_AS=65000
T1_GW=169.254.116.209
T1_H=169.254.116.210
T2_GW=169.254.214.97
T2_H=169.254.214.98
DST=172.16.0.1
VPC=172.16.0.0/16

NS_G=fob-$$-gw
NS_H=fob-$$-h
IF_T1G=fob$$t1g
IF_T1H=fob$$t1h
IF_T2G=fob$$t2g
IF_T2H=fob$$t2h
WORK=""
NETNS_UP=0
GW_PID=""
DAEMON_PID=""
FW_PID=""

# Per daemon: space-separated lists, one number per repetition.
declare -A R_DOWN R_DCARR R_UP R_EST R_GAP R_STATUS

usage() {
	cat >&2 <<EOF
usage: failover.sh [-kS] [-r REPEATS] [-t SECONDS] [-m "kernel bird tbgpd"]
  -r  measurements per daemon (default 10)
  -S  one daemon (and gateway) for all of a daemon's measurements, instead
      of fresh ones for each
  -k  keep the logs, configurations and timelines (directory printed)
  -t  give up on one failover or failback after this many seconds
      (default 120)
  -m  which daemons, in order (default "kernel bird tbgpd")
env: TBGPD_BUILD (default ./_build/plain) holds bgpd/tbgpd,
     vtysh-lite/tbgpsh and tests/bench/fibwatch; FIBWATCH overrides
     fibwatch's path.
EOF
	exit 2
}

say() { printf 'failover: %s\n' "$*" >&2; }
die() {
	say "error: $*"
	exit 1
}

# ------------------------------------------------------------ clean-up

# stop_pid PID [TENTHS]: SIGTERM, SIGKILL after TENTHS tenths (default 50).
stop_pid() {
	local pid=$1 n=${2:-50} i=0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	{
		while kill -0 "$pid" && [ "$i" -lt "$n" ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -0 "$pid" && kill -KILL "$pid"
		wait "$pid"
	} 2>/dev/null
	return 0
}

cleanup() {
	stop_pid "$FW_PID"
	stop_pid "$DAEMON_PID"
	stop_pid "$GW_PID"
	FW_PID="" DAEMON_PID="" GW_PID=""
	if [ "$NETNS_UP" = 1 ]; then
		ip netns del "$NS_G" 2>/dev/null
		ip netns del "$NS_H" 2>/dev/null
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
	[ -x "$FIBWATCH" ] || die "no fibwatch at $FIBWATCH (make in $TBGPD_BUILD)"
	command -v python3 >/dev/null || die "python3 is needed"
	# The gateway is always BIRD.
	if ! dpkg -l bird2 2>/dev/null | grep -q '^ii' ||
	    ! command -v birdc >/dev/null; then
		die "BIRD 2 is not installed (apt-get install bird2)"
	fi
	case " $IMPLS " in *" tbgpd "*)
		if [ ! -x "$TBGPD_BUILD/bgpd/tbgpd" ] ||
		    [ ! -x "$TBGPD_BUILD/vtysh-lite/tbgpsh" ]; then
			die "tbgpd is not built in $TBGPD_BUILD (set TBGPD_BUILD)"
		fi ;;
	esac
}

# The veth ends get interface indexes of their own (11/12 on the host,
# 21/22 on the gateway).  Created plainly in two fresh namespaces, both
# ends of a pair would have the same index, and the kernel then treats a
# carrier loss as a non-urgent link event that it may hold back for up to
# a second after any other link event on the machine (linkwatch).  Real
# tunnel interfaces (vti, xfrm) have a lower device and are reported at
# once, as the veths are with distinct indexes.
net_up() {
	ip netns add "$NS_H" || die "cannot create namespace $NS_H"
	NETNS_UP=1
	ip netns add "$NS_G" || die "cannot create namespace $NS_G"
	ip -n "$NS_H" link set lo up
	ip -n "$NS_G" link set lo up
	ip link add "$IF_T1H" netns "$NS_H" index 11 type veth \
	    peer name "$IF_T1G" netns "$NS_G" index 21 ||
	    die "cannot create the veth pair of tunnel 1"
	ip link add "$IF_T2H" netns "$NS_H" index 12 type veth \
	    peer name "$IF_T2G" netns "$NS_G" index 22 ||
	    die "cannot create the veth pair of tunnel 2"
	ip -n "$NS_G" addr add "$T1_GW/30" dev "$IF_T1G"
	ip -n "$NS_H" addr add "$T1_H/30" dev "$IF_T1H"
	ip -n "$NS_G" addr add "$T2_GW/30" dev "$IF_T2G"
	ip -n "$NS_H" addr add "$T2_H/30" dev "$IF_T2H"
	for ifn in "$IF_T1G" "$IF_T2G"; do ip -n "$NS_G" link set "$ifn" up; done
	for ifn in "$IF_T1H" "$IF_T2H"; do ip -n "$NS_H" link set "$ifn" up; done
	wait_for 50 ip netns exec "$NS_H" ping -c1 -W1 "$T1_GW" ||
	    die "tunnel 1 does not pass traffic"
	wait_for 50 ip netns exec "$NS_H" ping -c1 -W1 "$T2_GW" ||
	    die "tunnel 2 does not pass traffic"
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

now() { date +%s.%N; }

# lookup: what the host's kernel answers for the destination.
lookup() { ip -n "$NS_H" route get "$DST" 2>&1 | head -n 1; }
via() { lookup | grep -q " via $1 "; }

# ------------------------------------------------------------ the gateway

# BIRD as the AWS gateway: passive on tunnel 1 (the host connects, so
# failback measures how fast the host's daemon reconnects, not the
# gateway's retry timer), active on tunnel 2.  Short connect delay and
# error wait so that the gateway never makes the host wait.
gw_conf() {
	cat <<EOF
router id $T1_GW;
log "$WORK/gw-bird.log" all;
debug protocols { states, events };
timeformat protocol iso long ms;
protocol device { }
protocol static vpc {
	ipv4;
	route $VPC blackhole;
}
template bgp aws {
	hold time 30;
	keepalive time 10;
	connect delay time 1;
	connect retry time 5;
	error wait time 1, 2;
}
protocol bgp t1 from aws {
	local $T1_GW as $GW_AS;
	neighbor $T1_H as $HOST_AS;
	passive on;
	ipv4 { import none; export where source = RTS_STATIC; };
}
protocol bgp t2 from aws {
	local $T2_GW as $GW_AS;
	neighbor $T2_H as $HOST_AS;
	ipv4 {
		import none;
		export filter {
			if source != RTS_STATIC then reject;
			bgp_path.prepend($GW_AS);
			bgp_path.prepend($GW_AS);
			bgp_path.prepend($GW_AS);
			accept;
		};
	};
}
EOF
}

gw_start() {
	gw_conf >"$WORK/gw-bird.conf"
	bird -p -c "$WORK/gw-bird.conf" >"$WORK/gw-bird-p.out" 2>&1 ||
	    die "the gateway's BIRD rejects its configuration: $(cat "$WORK/gw-bird-p.out")"
	ip netns exec "$NS_G" bird -f -c "$WORK/gw-bird.conf" \
	    -s "$WORK/gw-bird.ctl" -P "$WORK/gw-bird.pid" \
	    >>"$WORK/gw-bird.out" 2>&1 &
	GW_PID=$!
	wait_for 100 birdc -s "$WORK/gw-bird.ctl" show status ||
	    die "the gateway's BIRD does not answer"
}

# ------------------------------------------------------------ BIRD (host)

# What a BIRD user sets up for fast failover: "check link" on the BGP
# protocols (the session drops when its interface loses carrier) and a
# kernel protocol exporting the best routes.  Everything else default.
bird_conf() {
	cat <<EOF
router id $T1_H;
log "$WORK/bird.log" all;
debug protocols { states, events };
timeformat protocol iso long ms;
protocol device { }
protocol kernel {
	ipv4 { import none; export all; };
}
template bgp aws {
	hold time 30;
	keepalive time 10;
	check link on;
	ipv4 { import all; export none; };
}
protocol bgp t1 from aws {
	local $T1_H as $HOST_AS;
	neighbor $T1_GW as $GW_AS;
}
protocol bgp t2 from aws {
	local $T2_H as $HOST_AS;
	neighbor $T2_GW as $GW_AS;
	passive on;
}
EOF
}

bird_start() {
	bird_conf >"$WORK/bird.conf"
	bird -p -c "$WORK/bird.conf" >"$WORK/bird-p.out" 2>&1 ||
	    die "bird rejects its configuration: $(cat "$WORK/bird-p.out")"
	ip netns exec "$NS_H" bird -f -c "$WORK/bird.conf" \
	    -s "$WORK/bird.ctl" -P "$WORK/bird.pid" >>"$WORK/bird.out" 2>&1 &
	DAEMON_PID=$!
	wait_for 100 birdc -s "$WORK/bird.ctl" show status ||
	    die "bird does not answer on its control socket"
}

# bird_state t1|t2: "Established" when up.
bird_state() {
	birdc -s "$WORK/bird.ctl" show protocols "$1" 2>/dev/null |
	    awk -v p="$1" '$1 == p { print $NF }'
}

bird_up() { [ "$(bird_state t1)" = Established ] && [ "$(bird_state t2)" = Established ]; }

# bird_est_time: when tunnel 1's session last changed state (to
# Established), on the wall clock, from "timeformat protocol iso long ms".
bird_est_time() {
	local d t
	read -r d t < <(birdc -s "$WORK/bird.ctl" show protocols t1 |
	    awk '$1 == "t1" { print $5, $6 }')
	[ -n "$t" ] && date -d "$d $t" +%s.%N
}

bird_stop() { stop_pid "$DAEMON_PID" 100; DAEMON_PID=""; }

# ------------------------------------------------------------ tbgpd

tbgpd_conf() {
	cat <<EOF
log file $WORK/tbgpd-ts.log informational
router bgp $HOST_AS
 bgp router-id $T1_H
 no bgp ebgp-requires-policy
 neighbor $T1_GW remote-as $GW_AS
 neighbor $T1_GW timers 10 30
 neighbor $T1_GW update-source $T1_H
 neighbor $T2_GW remote-as $GW_AS
 neighbor $T2_GW timers 10 30
 neighbor $T2_GW update-source $T2_H
 neighbor $T2_GW passive
EOF
}

tbgpsh() { timeout 10 "$TBGPD_BUILD/vtysh-lite/tbgpsh" -s "$WORK/tbgpd.sock" -c "$1"; }

tbgpd_start() {
	tbgpd_conf >"$WORK/tbgpd.conf"
	"$TBGPD_BUILD/bgpd/tbgpd" -n -f "$WORK/tbgpd.conf" \
	    >"$WORK/tbgpd-n.out" 2>&1 ||
	    die "tbgpd rejects its configuration: $(cat "$WORK/tbgpd-n.out")"
	ip netns exec "$NS_H" "$TBGPD_BUILD/bgpd/tbgpd" -d \
	    -f "$WORK/tbgpd.conf" -s "$WORK/tbgpd.sock" \
	    >>"$WORK/tbgpd.log" 2>&1 &
	DAEMON_PID=$!
	wait_for 100 tbgpsh 'show bgp summary json' ||
	    die "tbgpd does not answer on its control socket"
}

# tbgpd_peer ADDR FIELD: one field of the summary's peer.
tbgpd_peer() {
	tbgpsh 'show bgp summary json' 2>/dev/null | python3 -c '
import json, sys
try:
    doc = json.load(sys.stdin)
    print(doc.get("ipv4Unicast", doc)["peers"][sys.argv[1]][sys.argv[2]])
except Exception:
    sys.exit(1)' "$1" "$2"
}

tbgpd_up() {
	[ "$(tbgpd_peer "$T1_GW" state)" = Established ] &&
	    [ "$(tbgpd_peer "$T2_GW" state)" = Established ]
}

# tbgpd_est_time: the wall clock when tunnel 1's session last came up,
# from the log file's millisecond timestamps (the summary's uptime is not
# precise enough: it gave times after the route had moved).
tbgpd_est_time() {
	local d t
	read -r d t _ < <(grep "neighbor $T1_GW: Established" \
	    "$WORK/tbgpd-ts.log" | tail -n 1)
	[ -n "$t" ] && date -d "$d $t" +%s.%N
}

tbgpd_stop() { stop_pid "$DAEMON_PID" 100; DAEMON_PID=""; }

# ------------------------------------------------------------ the kernel

# The floor: two static routes, tunnel 2's with the higher metric, and
# ignore_routes_with_linkdown so that the kernel itself stops using a
# next hop without carrier.  No session, no daemon.
kernel_start() {
	ip netns exec "$NS_H" sysctl -qw \
	    net.ipv4.conf.all.ignore_routes_with_linkdown=1 ||
	    die "cannot set ignore_routes_with_linkdown"
	if ! ip -n "$NS_H" route add "$VPC" via "$T1_GW" metric 10 ||
	    ! ip -n "$NS_H" route add "$VPC" via "$T2_GW" metric 20; then
		die "cannot add the static routes"
	fi
}
kernel_up() { return 0; }
kernel_est_time() { return 1; }
kernel_stop() {
	ip -n "$NS_H" route flush "$VPC" 2>/dev/null
	ip netns exec "$NS_H" sysctl -qw \
	    net.ipv4.conf.all.ignore_routes_with_linkdown=0
}

# ------------------------------------------------------------ measuring

# start_state IMPL GW: the route is via GW and (for the daemons) both
# sessions are up, or tunnel 2's alone when GW is tunnel 2's.  Waits up
# to the timeout, then lets things settle.
start_state() {
	local impl=$1 gw=$2 i n=$((TIMEOUT * 10))
	for i in $(seq "$n"); do
		if via "$gw"; then
			if [ "$gw" = "$T2_GW" ] || "${impl}_up"; then
				sleep "$SETTLE"
				via "$gw" && return 0
			fi
		fi
		sleep 0.1
	done
	return 1
}

# watch IMPL WHAT STATE GW N: one fibwatch run; its line goes to
# $WORK/IMPL-WHAT-N.out, its timeline to .log.  In the background, so
# that a signal interrupts the wait at once.
watch() {
	local impl=$1 what=$2 state=$3 gw=$4 n=$5
	ip netns exec "$NS_H" "$FIBWATCH" -N "/run/netns/$NS_G" \
	    -l "$IF_T1G" -s "$state" -d "$DST" -w "$gw" \
	    -T $((TIMEOUT * 1000)) >"$WORK/$impl-$what-$n.out" \
	    2>"$WORK/$impl-$what-$n.log" &
	FW_PID=$!
	wait "$FW_PID"
	local rc=$?
	FW_PID=""
	return $rc
}

# field FILE NAME: NAME=VALUE from fibwatch's line.
field() { tr ' ' '\n' <"$1" | sed -n "s/^$2=//p"; }

# us_to_ms US: microseconds as milliseconds with two decimals.
us_to_ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

measure_down() {
	local impl=$1 n=$2 f="$WORK/$1-down-$2.out" e c
	start_state "$impl" "$T1_GW" ||
	    { R_STATUS[$impl]="route not via tunnel 1 with both sessions up ($(lookup))"; return 1; }
	if ! watch "$impl" down down "$T2_GW" "$n"; then
		R_STATUS[$impl]="failover $n: $(tail -n 1 "$WORK/$impl-down-$n.log")"
		return 1
	fi
	e=$(field "$f" elapsed_us)
	c=$(field "$f" carrier_us)
	R_DOWN[$impl]+=" $(us_to_ms "$e")"
	# From the host seeing the carrier loss to the route: the daemon's
	# share (the link event read by fibwatch, same resolution).
	[ "${c:--1}" -ge 0 ] && R_DCARR[$impl]+=" $(us_to_ms $((e - c)))"
	R_GAP[$impl]=$((${R_GAP[$impl]:-0} + $(field "$f" noroute)))
}

measure_up() {
	local impl=$1 n=$2 f="$WORK/$1-up-$2.out" e t0 est
	start_state "$impl" "$T2_GW" ||
	    { R_STATUS[$impl]="route not via tunnel 2 after failover ($(lookup))"; return 1; }
	if ! watch "$impl" up up "$T1_GW" "$n"; then
		R_STATUS[$impl]="failback $n: $(tail -n 1 "$WORK/$impl-up-$n.log")"
		return 1
	fi
	e=$(field "$f" elapsed_us)
	t0=$(field "$f" t0_real)
	R_UP[$impl]+=" $(us_to_ms "$e")"
	R_GAP[$impl]=$((${R_GAP[$impl]:-0} + $(field "$f" noroute)))
	est=$("${impl}_est_time") || return 0
	R_EST[$impl]+=" $(awk -v t="$t0" -v e="$e" -v s="$est" \
	    'BEGIN { printf "%.2f", (t + e / 1e6 - s) * 1000 }')"
}

# impl_up IMPL: the gateway (for a daemon) and IMPL started.
impl_up() {
	[ "$1" = kernel ] || gw_start
	"${1}_start"
}

impl_down() {
	"${1}_stop"
	stop_pid "$GW_PID"
	GW_PID=""
}

# run_impl IMPL: R failovers and failbacks.  By default every repetition
# has a gateway and a daemon of its own, so that each is a first failure
# (backoffs that grow with repeated failures, BIRD's error wait doubling
# from 60 s, do not pile up); with -S one daemon takes them all.
run_impl() {
	local impl=$1 n rc=0
	R_STATUS[$impl]=ok
	say "$impl: $R failovers and failbacks"
	[ "$SAME" = 1 ] && impl_up "$impl"
	for n in $(seq "$R"); do
		[ "$SAME" = 1 ] || impl_up "$impl"
		measure_down "$impl" "$n" && measure_up "$impl" "$n"
		rc=$?
		[ "$SAME" = 1 ] || impl_down "$impl"
		[ "$rc" = 0 ] || break
	done
	[ "$SAME" = 1 ] && impl_down "$impl"
	if [ "${R_STATUS[$impl]}" != ok ]; then
		say "$impl: ${R_STATUS[$impl]}"
		# Leave tunnel 1 up for whoever comes next.
		ip -n "$NS_G" link set "$IF_T1G" up
	fi
}

# ------------------------------------------------------------ report

# stats LIST: "min median max" of the numbers, or "- - -".
stats() {
	# shellcheck disable=SC2086
	printf '%s\n' $1 | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "- - -"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%s %.2f %s\n", v[1], m, v[NR]
		}'
}

# shellcheck disable=SC2086
count() { set -- $1; echo $#; }

print_row() {
	local impl=$1 what=$2 list=$3 s
	s=$(stats "$list")
	# shellcheck disable=SC2086
	printf '%-8s %-22s %4s %10s %10s %10s\n' "$impl" "$what" \
	    "$(count "$list")" $s
}

median() { stats "$1" | awk '{ print $2 }'; }

ratio() {
	local what=$1 t b
	t=$(median "${2:-}")
	b=$(median "${3:-}")
	case "$t$b" in *-*) echo "tbgpd/BIRD $what: no ratio (missing)"; return ;; esac
	awk -v t="$t" -v b="$b" -v w="$what" 'BEGIN {
		printf "tbgpd/BIRD %s: %s\n", w,
		    (b > 0 ? sprintf("%.3gx", t / b) : "n/a") }'
}

report() {
	local impl
	echo
	echo "Failover: $R times per daemon, carrier loss on tunnel 1 (gateway end set down/up)," \
	    "$([ "$SAME" = 1 ] && echo "one daemon for all" || echo "a fresh daemon each time")"
	echo "ms: from the netlink request to the first 'ip route get $DST' via the other tunnel"
	printf '%-8s %-22s %4s %10s %10s %10s\n' impl measurement n \
	    "min ms" "median ms" "max ms"
	for impl in $IMPLS; do
		print_row "$impl" "failover" "${R_DOWN[$impl]:-}"
		print_row "$impl" "  after host carrier" "${R_DCARR[$impl]:-}"
		print_row "$impl" "failback" "${R_UP[$impl]:-}"
		[ "$impl" = kernel ] ||
		    print_row "$impl" "  after Established" "${R_EST[$impl]:-}"
		echo "$impl: lookups answering no route: ${R_GAP[$impl]:-0};" \
		    "${R_STATUS[$impl]}"
	done
	case " $IMPLS " in *" bird "*)
		case " $IMPLS " in *" tbgpd "*)
			ratio failover "${R_DOWN[tbgpd]:-}" "${R_DOWN[bird]:-}"
			ratio failback "${R_UP[tbgpd]:-}" "${R_UP[bird]:-}"
			ratio "Established->route" "${R_EST[tbgpd]:-}" \
			    "${R_EST[bird]:-}" ;;
		esac ;;
	esac
}

# ------------------------------------------------------------ main

main() {
	local opt impl
	while getopts kSr:t:m:h opt; do
		case $opt in
		k) KEEP=1 ;;
		S) SAME=1 ;;
		r) R=$OPTARG ;;
		t) TIMEOUT=$OPTARG ;;
		m) IMPLS=$OPTARG ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -eq 0 ] || usage
	case $R in '' | *[!0-9]* | 0) usage ;; esac
	case $TIMEOUT in '' | *[!0-9]* | 0) usage ;; esac
	for impl in $IMPLS; do
		case $impl in kernel | bird | tbgpd) ;; *) die "unknown daemon $impl" ;; esac
	done
	check_tools
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	WORK=$(mktemp -d /tmp/bench-failover.XXXXXX)
	net_up
	for impl in $IMPLS; do
		run_impl "$impl"
	done
	report
}

main "$@"
