#!/bin/bash
#
# restart.sh: a daemon restart under load, tbgpd and BIRD 2 side by side.
#
# The daemon under test holds N IPv4 prefixes (default 1,000,000, from
# bgpinject playing the cloud gateway) installed in its kernel.  It is then
# stopped (SIGTERM, or SIGKILL with -s KILL) and started again with
# graceful restart (tbgpd: bgp graceful-restart; BIRD: graceful restart on
# its BGP and kernel protocols, persist, started again with -R), and the
# gateway sends the table again.  Printed per daemon:
#   seconds   from the new daemon's start to every route in its RIB and the
#             restart over (tbgpd: its "every neighbor's table is in" line;
#             BIRD: its route count at N and the kernel's too)
#   kernel    route changes the kernel reported in its own namespace from
#             the stop to the end (ip monitor: routes added, replaced or
#             deleted by anyone); a restart that adopts what it finds
#             writes close to nothing
#   samples   a 5 ms sampler asking the kernel for the route to one of the
#             prefixes (grsample.py): samples taken and lost
#   drops     times the gateway's session dropped during the restart (a
#             daemon that stops answering for longer than the hold time,
#             90 s); the gateway then connects and sends everything again
# and the tbgpd/BIRD ratios.  tbgpd also reports its own count of kernel
# requests (show bgp memory).  Root is needed (namespaces).
set -u
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TBGPD_BUILD=$(cd "${TBGPD_BUILD:-./_build/plain}" 2>/dev/null && pwd) ||
    TBGPD_BUILD=${TBGPD_BUILD:-./_build/plain}
INJECT=${BGPINJECT:-$TBGPD_BUILD/tests/bench/bgpinject}
SAMPLER=$here/../interop/grsample.py

N=1000000
SIG=TERM
KEEP=0
TIMEOUT=300
IMPLS="bird tbgpd"
INJ_ADDR=169.254.116.209
DUT_ADDR=169.254.116.210
INJ_AS=64512
DUT_AS=65000
PROBE=10.0.0.1		# in the first /24 bgpinject announces

P=${INTEROP_PREFIX:-bench}-$$
NS_D=$P-d
NS_I=$P-i
IF_D=rs$$d
IF_I=rs$$i
WORK=""
NETNS_UP=0
DAEMON_PID=""
INJ_PID=""
MON_PID=""
SMP_PID=""

declare -A R_STATUS R_SECS R_KADD R_KDEL R_SAMPLES R_LOST R_REQ R_DROPS

usage() {
	cat >&2 <<EOF
usage: restart.sh [-k] [-n PREFIXES] [-s TERM|KILL] [-t SECONDS] [-m "bird tbgpd"]
  -n  prefixes (default 1000000)     -s  how the daemon is stopped (TERM)
  -k  keep the logs                  -t  give up after this many seconds (300)
  -m  which daemons (default "bird tbgpd")
env: TBGPD_BUILD (default ./_build/plain), BGPINJECT, INTEROP_PREFIX
EOF
	exit 2
}

say() { printf 'restart: %s\n' "$*" >&2; }
die() {
	say "error: $*"
	exit 1
}

stop_pid() {
	local pid=$1 i=0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	{
		while kill -0 "$pid" && [ "$i" -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$pid"
		wait "$pid"
	} 2>/dev/null
	return 0
}

# Everything left in our namespaces (a daemon that forked, a monitor).
ns_kill() {
	local pid
	for pid in $(ip netns pids "$1" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null
	done
}

cleanup() {
	[ -n "$WORK" ] && touch "$WORK/stop"
	stop_pid "$SMP_PID"
	stop_pid "$MON_PID"
	stop_pid "$INJ_PID"
	stop_pid "$DAEMON_PID"
	if [ "$NETNS_UP" = 1 ]; then
		ns_kill "$NS_D"
		ns_kill "$NS_I"
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

wait_for() {
	local n=$1 i
	shift
	for i in $(seq "$n"); do
		"$@" >/dev/null 2>&1 && return 0
		[ "$i" -lt "$n" ] && sleep 0.1
	done
	return 1
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

# The daemon's routes in its kernel (tbgpd: proto bgp, BIRD: proto bird).
kernel_count() {
	ip -n "$NS_D" -4 route show proto "$1" 2>/dev/null | wc -l
}

# ------------------------------------------------------------ BIRD

bird_conf() {
	cat <<EOF
router id $DUT_ADDR;
log "$WORK/bird.log" { info, warning, error, fatal };
protocol device { }
protocol kernel {
	ipv4 { import none; export all; };
	persist;
	graceful restart on;
}
protocol bgp inj {
	local $DUT_ADDR as $DUT_AS;
	neighbor $INJ_ADDR as $INJ_AS;
	passive on;
	hold time 90;
	graceful restart on;
	ipv4 { import all; export none; };
}
EOF
}

bird_start() {
	[ -f "$WORK/bird.conf" ] || bird_conf >"$WORK/bird.conf"
	ip netns exec "$NS_D" bird -f "$@" -c "$WORK/bird.conf" \
	    -s "$WORK/bird.ctl" -P "$WORK/bird.pid" >>"$WORK/bird.out" 2>&1 &
	DAEMON_PID=$!
}
bird_restart() { bird_start -R; }
bird_ready() { birdc -s "$WORK/bird.ctl" show status; }
bird_proto() { echo bird; }
bird_rib() {
	birdc -s "$WORK/bird.ctl" show route count |
	    awk '/ routes for .* table master4/ { print $1; exit }'
}
# BIRD's recovery is over when the kernel protocol synced: the table
# is whole and the kernel holds every route again.
bird_done() {
	[ "$(bird_rib)" = "$N" ] && ! birdc -s "$WORK/bird.ctl" show status |
	    grep -qi 'graceful restart recovery'
}
bird_req() { echo -; }

# ------------------------------------------------------------ tbgpd

tbgpd_conf() {
	cat <<EOF
router bgp $DUT_AS
 bgp router-id $DUT_ADDR
 bgp graceful-restart
 no bgp ebgp-requires-policy
 neighbor $INJ_ADDR remote-as $INJ_AS
 neighbor $INJ_ADDR timers 30 90
 neighbor $INJ_ADDR update-source $DUT_ADDR
 neighbor $INJ_ADDR passive
EOF
}

tbgpd_start() {
	[ -f "$WORK/tbgpd.conf" ] || tbgpd_conf >"$WORK/tbgpd.conf"
	ip netns exec "$NS_D" "$TBGPD_BUILD/bgpd/tbgpd" -d \
	    -f "$WORK/tbgpd.conf" -s "$WORK/tbgpd.sock" \
	    >>"$WORK/tbgpd.log" 2>&1 &
	DAEMON_PID=$!
}
tbgpd_restart() {
	: >"$WORK/tbgpd.log.2"
	mv "$WORK/tbgpd.log" "$WORK/tbgpd.log.1"
	tbgpd_start
}
tbgpsh() { "$TBGPD_BUILD/vtysh-lite/tbgpsh" -s "$WORK/tbgpd.sock" "$@"; }
tbgpd_ready() { tbgpsh -c 'show bgp summary json'; }
tbgpd_proto() { echo bgp; }
tbgpd_rib() {
	tbgpsh -c 'show bgp memory json' | python3 -c '
import json, sys; print(json.load(sys.stdin)["ribEntriesIpv4"])'
}
tbgpd_done() {
	grep -q "restart: every neighbor's table is in" "$WORK/tbgpd.log" &&
	    [ "$(tbgpd_rib)" = "$N" ]
}
tbgpd_req() {
	tbgpsh -c 'show bgp memory json' | python3 -c '
import json, sys; print(json.load(sys.stdin)["fibRequests"])'
}

# ------------------------------------------------------------ one daemon

inject() {
	ip netns exec "$NS_I" "$INJECT" -a "$INJ_AS" -r "$DUT_AS" \
	    -i "$INJ_ADDR" -c "$DUT_ADDR" -n "$N" 2>>"$WORK/$1-inject.log" &
	INJ_PID=$!
}

# wait_done IMPL: poll IMPL_done every 0.1 s up to TIMEOUT seconds.  The
# gateway sends its table again whenever its session drops (a daemon busy
# for longer than the hold time).
wait_done() {
	local end=$((SECONDS + TIMEOUT))
	while ! "${1}_done" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$end" ] || return 1
		if ! kill -0 "$INJ_PID" 2>/dev/null; then
			say "$1: the gateway's session dropped; it connects again"
			R_DROPS[$1]=$((${R_DROPS[$1]:-0} + 1))
			inject "$1"
		fi
		sleep 0.1
	done
}

loaded() {
	[ "$("${1}_rib" 2>/dev/null)" = "$N" ] &&
	    [ "$(kernel_count "$("${1}_proto")")" -ge "$N" ]
}

run_impl() {
	local impl=$1 i t0 t1 kout
	R_STATUS[$impl]="not run"
	rm -f "$WORK/stop"
	"${impl}_start"
	wait_for 100 "${impl}_ready" || die "$impl does not start"
	inject "$impl"
	i=$((SECONDS + TIMEOUT))
	while ! loaded "$impl"; do
		if [ "$SECONDS" -gt "$i" ]; then
			R_STATUS[$impl]="the table did not load within $TIMEOUT s"
			return
		fi
		sleep 0.5
	done
	say "$impl: $N routes in the RIB and the kernel; restarting by SIG$SIG"
	kout="$WORK/$impl-monitor.txt"
	ip netns exec "$NS_D" ip -4 monitor route >"$kout" 2>&1 &
	MON_PID=$!
	ip netns exec "$NS_D" python3 "$SAMPLER" "$PROBE" "$INJ_ADDR" 5 \
	    "$WORK/stop" >"$WORK/$impl-sample.txt" 2>&1 &
	SMP_PID=$!
	sleep 1
	kill "-$SIG" "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	wait "$INJ_PID" 2>/dev/null
	t0=$EPOCHREALTIME
	"${impl}_restart"
	wait_for 100 "${impl}_ready" || die "$impl does not start again"
	inject "$impl"
	if ! wait_done "$impl"; then
		R_STATUS[$impl]="restart not over within $TIMEOUT s"
	else
		t1=$EPOCHREALTIME
		R_STATUS[$impl]=ok
		R_SECS[$impl]=$(awk -v a="$t0" -v b="$t1" \
		    'BEGIN { printf "%.3f", b - a }')
	fi
	sleep 2			# late kernel writes are counted too
	touch "$WORK/stop"
	wait "$SMP_PID" 2>/dev/null
	SMP_PID=""
	stop_pid "$MON_PID"
	MON_PID=""
	R_KDEL[$impl]=$(grep -c '^Deleted' "$kout")
	R_KADD[$impl]=$(grep -vc '^Deleted' "$kout")
	local smp lst
	read -r _ smp _ lst _ <"$WORK/$impl-sample.txt"
	R_SAMPLES[$impl]=$smp
	R_LOST[$impl]=$lst
	R_REQ[$impl]=$("${impl}_req" 2>/dev/null)
	say "$impl: ${R_STATUS[$impl]} ${R_SECS[$impl]:-} s, kernel" \
	    "+${R_KADD[$impl]} -${R_KDEL[$impl]}, samples" \
	    "${R_LOST[$impl]}/${R_SAMPLES[$impl]} lost"
	stop_pid "$INJ_PID"
	INJ_PID=""
	stop_pid "$DAEMON_PID"
	DAEMON_PID=""
	ns_kill "$NS_D"
	ip -n "$NS_D" -4 route flush proto "$("${impl}_proto")" 2>/dev/null
}

report() {
	local impl
	echo
	echo "Restart under load: $N IPv4 prefixes in the RIB and the kernel, SIG$SIG, graceful restart"
	printf '%-8s %9s %10s %10s %9s %6s %9s %6s\n' impl seconds "kernel+" \
	    "kernel-" samples lost "requests" drops
	for impl in $IMPLS; do
		if [ "${R_STATUS[$impl]}" != ok ]; then
			printf '%-8s %s\n' "$impl" "${R_STATUS[$impl]}"
			continue
		fi
		printf '%-8s %9s %10s %10s %9s %6s %9s %6s\n' "$impl" \
		    "${R_SECS[$impl]}" "${R_KADD[$impl]}" "${R_KDEL[$impl]}" \
		    "${R_SAMPLES[$impl]}" "${R_LOST[$impl]}" "${R_REQ[$impl]}" \
		    "${R_DROPS[$impl]:-0}"
	done
	if [ "${R_STATUS[tbgpd]:-}" = ok ] && [ "${R_STATUS[bird]:-}" = ok ]; then
		awk -v t="${R_SECS[tbgpd]}" -v b="${R_SECS[bird]}" \
		    'BEGIN { printf("tbgpd/BIRD: restart time %.2fx\n", t / b) }'
	fi
}

while getopts "kn:s:t:m:h" opt; do
	case $opt in
	k) KEEP=1 ;;
	n) N=$OPTARG ;;
	s) SIG=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	m) IMPLS=$OPTARG ;;
	*) usage ;;
	esac
done
case $SIG in TERM | KILL) ;; *) usage ;; esac
[ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
[ -x "$INJECT" ] || die "no injector at $INJECT (make in $TBGPD_BUILD)"
WORK=$(mktemp -d "/tmp/$P.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT TERM
net_up
for impl in $IMPLS; do
	run_impl "$impl"
done
report
