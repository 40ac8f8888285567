#!/bin/bash
#
# liveness-soak.sh: no false failover.  Issue 7's target: a healthy tunnel
# under steady traffic, probed every 100 ms, must not flap for 10 minutes.
#
# The two-tunnel lab of failover.sh: a gateway namespace where BIRD 2
# plays the AWS gateway (AS 64512, timers 10/30) and a host namespace with
# tbgpd (AS 65000).  Tunnel 1 is 169.254.116.208/30 (gateway .209, host
# .210), tunnel 2 169.254.214.96/30 (gateway .97, host .98), each a veth
# pair.  The gateway announces 172.16.0.0/16 preferred over tunnel 1 and
# 172.17.0.0/16 preferred over tunnel 2 (the other copy prepended three
# times), so that traffic to 172.16.0.1 uses tunnel 1 and traffic to
# 172.17.0.1 tunnel 2, both by the routes tbgpd put in the kernel.
#
# Every liveness mechanism runs at once on both neighbors: ICMP probes
# every 100 ms (multiplier 3), BFD with BIRD at 100 ms (multiplier 3),
# fast keepalives with TCP_USER_TIMEOUT 3000 ms.  For -D seconds a UDP
# sender in the host's namespace sends -r Mbit/s, half to each address,
# to a receiver in the gateway's namespace that counts what arrives and on
# which tunnel, and a 10 Hz ping on each tunnel measures the RTT under
# that load.  A route monitor in the host's namespace records every change
# of the two routes.  At the end the script counts every flap it can see
# (session resets, liveness downs, BFD downs on either side, probe
# transitions, route changes, traffic on the wrong tunnel) and exits 1 if
# there was any.  -x checks the checks: tunnel 1 goes silent for 2 s
# halfway through.  See README.md in this directory.
#
# Root is needed (namespaces).  Everything started is stopped on exit.

set -u
# The system's python3, not a version manager's shim (see tests/interop/lib.sh).
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

TBGPD_BUILD=$(cd "${TBGPD_BUILD:-./_build/plain}" 2>/dev/null && pwd) ||
    TBGPD_BUILD=${TBGPD_BUILD:-./_build/plain}

DURATION=600
RATE=30
RATE_MAX=200
KEEP=0
FAULT=0
TIMEOUT=60
PKTLEN=1200
UDP_PORT=9000

GW_AS=64512
HOST_AS=65000
T1_GW=169.254.116.209
T1_H=169.254.116.210
T2_GW=169.254.214.97
T2_H=169.254.214.98
NET1=172.16.0.0/16
NET2=172.17.0.0/16
DST1=172.16.0.1
DST2=172.17.0.1

NS_G=soak-$$-gw
NS_H=soak-$$-h
IF_T1G=soak$$t1g
IF_T1H=soak$$t1h
IF_T2G=soak$$t2g
IF_T2H=soak$$t2h
WORK=""
NETNS_UP=0
GW_PID=""
TBGPD_PID=""
RECV_PID=""
SEND_PID=""
MON_PID=""
PING1_PID=""
PING2_PID=""

FLAPS=0
FAILED=""

usage() {
	cat >&2 <<EOF
usage: liveness-soak.sh [-kx] [-D SECONDS] [-r MBITS] [-t SECONDS]
  -D  how long the soak runs (default 600)
  -r  UDP traffic in Mbit/s, half over each tunnel (default 30, at most
      $RATE_MAX: the sender and receiver are python and share the CPUs
      with the daemons)
  -k  keep the logs and configurations (directory printed)
  -t  give up on the sessions coming up after this many seconds (default 60)
  -x  self-test: make tunnel 1 silent for 2 s halfway through; the
      verdict must then be FLAPS
env: TBGPD_BUILD (default ./_build/plain) holds bgpd/tbgpd and
     vtysh-lite/tbgpsh.
EOF
	exit 2
}

say() { printf 'soak: %s\n' "$*" >&2; }
die() {
	say "error: $*"
	exit 1
}

# ------------------------------------------------------------ clean-up

# stop_pid PID [TENTHS] [SIGNAL]: SIGNAL (default TERM), SIGKILL after
# TENTHS tenths of a second (default 50).
stop_pid() {
	local pid=$1 n=${2:-50} sig=${3:-TERM} i=0
	[ -n "$pid" ] || return 0
	kill "-$sig" "$pid" 2>/dev/null || return 0
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
	stop_pid "$SEND_PID"
	stop_pid "$PING1_PID"
	stop_pid "$PING2_PID"
	stop_pid "$MON_PID"
	stop_pid "$RECV_PID"
	stop_pid "$TBGPD_PID"
	stop_pid "$GW_PID"
	SEND_PID="" PING1_PID="" PING2_PID="" MON_PID="" RECV_PID=""
	TBGPD_PID="" GW_PID=""
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
	command -v python3 >/dev/null || die "python3 is needed"
	command -v ping >/dev/null || die "ping (iputils-ping) is needed"
	if ! dpkg -l bird2 2>/dev/null | grep -q '^ii' ||
	    ! command -v birdc >/dev/null; then
		die "BIRD 2 is not installed (apt-get install bird2)"
	fi
	if [ ! -x "$TBGPD_BUILD/bgpd/tbgpd" ] ||
	    [ ! -x "$TBGPD_BUILD/vtysh-lite/tbgpsh" ]; then
		die "tbgpd is not built in $TBGPD_BUILD (set TBGPD_BUILD)"
	fi
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

# As in failover.sh, the veth ends get interface indexes of their own
# (11/12 on the host, 21/22 on the gateway); the receiver tells the
# tunnels apart by 21 and 22.  The gateway holds the two destinations on
# its loopback, so that the traffic ends in a socket there.
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
	ip -n "$NS_G" addr add "$DST1/32" dev lo
	ip -n "$NS_G" addr add "$DST2/32" dev lo
	for ifn in "$IF_T1G" "$IF_T2G"; do ip -n "$NS_G" link set "$ifn" up; done
	for ifn in "$IF_T1H" "$IF_T2H"; do ip -n "$NS_H" link set "$ifn" up; done
	wait_for 50 ip netns exec "$NS_H" ping -c1 -W1 "$T1_GW" ||
	    die "tunnel 1 does not pass traffic"
	wait_for 50 ip netns exec "$NS_H" ping -c1 -W1 "$T2_GW" ||
	    die "tunnel 2 does not pass traffic"
}

# ------------------------------------------------------------ the gateway

# BIRD as the AWS gateway, with BFD on both sessions (which AWS does not
# have; BIRD does, and it is the far end tbgpd's BFD must agree with).
# Each prefix is preferred over one tunnel: the other copy is prepended.
gw_conf() {
	cat <<EOF
router id $T1_GW;
log "$WORK/gw-bird.log" all;
debug protocols { states, events };
timeformat protocol iso long ms;
timeformat base iso long ms;
timeformat log iso long ms;
protocol device { }
protocol static vpc {
	ipv4;
	route $NET1 blackhole;
	route $NET2 blackhole;
}
protocol bfd {
	interface "*" {
		min rx interval 100 ms;
		min tx interval 100 ms;
		multiplier 3;
	};
}
template bgp aws {
	hold time 30;
	keepalive time 10;
	connect delay time 1;
	connect retry time 5;
	error wait time 1, 2;
	bfd on;
}
protocol bgp t1 from aws {
	local $T1_GW as $GW_AS;
	neighbor $T1_H as $HOST_AS;
	passive on;
	ipv4 {
		import none;
		export filter {
			if source != RTS_STATIC then reject;
			if net = $NET2 then {
				bgp_path.prepend($GW_AS);
				bgp_path.prepend($GW_AS);
				bgp_path.prepend($GW_AS);
			}
			accept;
		};
	};
}
protocol bgp t2 from aws {
	local $T2_GW as $GW_AS;
	neighbor $T2_H as $HOST_AS;
	ipv4 {
		import none;
		export filter {
			if source != RTS_STATIC then reject;
			if net = $NET1 then {
				bgp_path.prepend($GW_AS);
				bgp_path.prepend($GW_AS);
				bgp_path.prepend($GW_AS);
			}
			accept;
		};
	};
}
EOF
}

birdc_gw() { timeout 10 birdc -s "$WORK/gw-bird.ctl" "$@"; }

gw_start() {
	gw_conf >"$WORK/gw-bird.conf"
	bird -p -c "$WORK/gw-bird.conf" >"$WORK/gw-bird-p.out" 2>&1 ||
	    die "the gateway's BIRD rejects its configuration: $(cat "$WORK/gw-bird-p.out")"
	ip netns exec "$NS_G" bird -f -c "$WORK/gw-bird.conf" \
	    -s "$WORK/gw-bird.ctl" -P "$WORK/gw-bird.pid" \
	    >>"$WORK/gw-bird.out" 2>&1 &
	GW_PID=$!
	wait_for 100 birdc_gw show status ||
	    die "the gateway's BIRD does not answer"
}

# gw_bgp_state t1|t2: BIRD's state of that session ("Established").
gw_bgp_state() {
	birdc_gw show protocols "$1" 2>/dev/null |
	    awk -v p="$1" '$1 == p { print $NF }'
}

# gw_bfd_state ADDR: BIRD's state of the BFD session with ADDR ("Up").
gw_bfd_state() {
	birdc_gw show bfd sessions 2>/dev/null |
	    awk -v a="$1" '$1 == a { print $3 }'
}

# ------------------------------------------------------------ tbgpd

tbgpd_conf() {
	local gw src
	echo "log file $WORK/tbgpd-ts.log informational"
	echo "router bgp $HOST_AS"
	echo " bgp router-id $T1_H"
	echo " no bgp ebgp-requires-policy"
	for gw in "$T1_GW" "$T2_GW"; do
		src=$T1_H
		[ "$gw" = "$T2_GW" ] && src=$T2_H
		cat <<EOF
 neighbor $gw remote-as $GW_AS
 neighbor $gw timers 10 30
 neighbor $gw update-source $src
 neighbor $gw liveness icmp interval 100 multiplier 3
 neighbor $gw bfd interval 100 min-rx 100 multiplier 3
 neighbor $gw liveness tcp timeout 3000
EOF
	done
	echo " neighbor $T2_GW passive"
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
	TBGPD_PID=$!
	wait_for 100 tbgpsh 'show bgp summary json' ||
	    die "tbgpd does not answer on its control socket"
}

# nbr_json ADDR: "show bgp neighbors ADDR json" flattened to KEY=VALUE
# lines (nested keys joined with dots), for the fields the soak reads.
nbr_json() {
	tbgpsh "show bgp neighbors $1 json" 2>/dev/null | python3 -c '
import json, sys
try:
    doc = json.load(sys.stdin)
except Exception:
    sys.exit(1)
nbr = doc.get(sys.argv[1], doc)
def walk(prefix, v):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(prefix + k + ".", x)
    elif not isinstance(v, list):
        print(prefix[:-1] + "=" + str(v))
walk("", nbr)' "$1"
}

# field FILE KEY: KEY's value from nbr_json's output in FILE.
field() { sed -n "s/^$2=//p" "$1" | head -n 1; }

# nbr_ready ADDR: Established, the ICMP probe up, BFD Up, on both sides.
nbr_ready() {
	local f=$WORK/ready.json
	nbr_json "$1" >"$f" || return 1
	[ "$(field "$f" bgpState)" = Established ] &&
	    [ "$(field "$f" liveness.icmpState)" = up ] &&
	    [ "$(field "$f" peerBfdInfo.status)" = Up ] &&
	    [ "$(gw_bfd_state "$(nbr_local "$1")")" = Up ]
}

# nbr_local ADDR: our end of ADDR's tunnel, what BIRD calls the session.
nbr_local() { if [ "$1" = "$T1_GW" ]; then echo "$T1_H"; else echo "$T2_H"; fi; }

all_ready() {
	nbr_ready "$T1_GW" && nbr_ready "$T2_GW" &&
	    [ "$(gw_bgp_state t1)" = Established ] &&
	    [ "$(gw_bgp_state t2)" = Established ] &&
	    via "$DST1" "$T1_GW" && via "$DST2" "$T2_GW"
}

# via DST GW: the host's kernel sends DST via GW.
via() { ip -n "$NS_H" route get "$1" 2>/dev/null | grep -q " via $2 "; }

# ------------------------------------------------------------ traffic

# The receiver, in the gateway's namespace: one socket per destination,
# IP_PKTINFO for the interface each datagram came in on.  On SIGTERM it
# prints "DST IFINDEX PACKETS BYTES" lines and exits.
RECEIVER='
import select, signal, socket, struct, sys
PKTINFO = getattr(socket, "IP_PKTINFO", 8)
port, dsts = int(sys.argv[1]), sys.argv[2:]
done = []
signal.signal(signal.SIGTERM, lambda s, f: done.append(1))
socks = {}
for d in dsts:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(socket.IPPROTO_IP, PKTINFO, 1)
    s.bind((d, port))
    s.setblocking(False)
    socks[s] = d
count = {}
print("ready", flush=True)
while not done:
    try:
        r, _, _ = select.select(list(socks), [], [], 0.5)
    except InterruptedError:
        continue
    for s in r:
        while True:
            try:
                data, anc, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(12))
            except (BlockingIOError, InterruptedError):
                break
            ifx = 0
            for lvl, typ, cd in anc:
                if lvl == socket.IPPROTO_IP and typ == PKTINFO:
                    ifx = struct.unpack("i", cd[:4])[0]
            k = (socks[s], ifx)
            n = count.get(k, (0, 0))
            count[k] = (n[0] + 1, n[1] + len(data))
for (d, ifx), (p, b) in sorted(count.items()):
    print(d, ifx, p, b)
'

# The sender, in the host's namespace: RATE Mbit/s of IP (payload plus 28
# octets of headers), split evenly over the destinations, paced every
# 2 ms, for SECONDS.  Prints "DST PACKETS BYTES ERRORS" lines and
# "elapsed S mbits R".
SENDER='
import signal, socket, sys, time
rate, secs, size, port = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
dsts = sys.argv[5:]
done = []
signal.signal(signal.SIGTERM, lambda s, f: done.append(1))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = bytes(size)
pps = rate * 1e6 / 8 / (size + 28)
sent = {d: [0, 0, 0] for d in dsts}
t0 = time.monotonic()
total = 0
while not done:
    now = time.monotonic()
    if now - t0 >= secs:
        break
    due = int((now - t0) * pps) - total
    for _ in range(due):
        d = dsts[total % len(dsts)]
        total += 1
        try:
            s.sendto(payload, (d, port))
            sent[d][0] += 1
            sent[d][1] += size
        except OSError:
            sent[d][2] += 1
    time.sleep(0.002)
el = time.monotonic() - t0
for d in dsts:
    print(d, *sent[d])
nbytes = sum(v[1] + 28 * v[0] for v in sent.values())
print("elapsed %.1f mbits %.2f" % (el, nbytes * 8 / el / 1e6 if el > 0 else 0))
'

recv_start() {
	ip netns exec "$NS_G" python3 -c "$RECEIVER" "$UDP_PORT" \
	    "$DST1" "$DST2" >"$WORK/recv.out" 2>"$WORK/recv.err" &
	RECV_PID=$!
	wait_for 50 grep -q ready "$WORK/recv.out" ||
	    die "the UDP receiver does not start: $(cat "$WORK/recv.err")"
}

traffic_start() {
	ip -n "$NS_H" monitor route >"$WORK/routes.mon" 2>&1 &
	MON_PID=$!
	ip netns exec "$NS_H" python3 -c "$SENDER" "$RATE" "$DURATION" \
	    "$PKTLEN" "$UDP_PORT" "$DST1" "$DST2" \
	    >"$WORK/send.out" 2>"$WORK/send.err" &
	SEND_PID=$!
	ip netns exec "$NS_H" ping -q -n -i 0.1 -w "$DURATION" \
	    -I "$IF_T1H" "$T1_GW" >"$WORK/ping1.out" 2>&1 &
	PING1_PID=$!
	ip netns exec "$NS_H" ping -q -n -i 0.1 -w "$DURATION" \
	    -I "$IF_T2H" "$T2_GW" >"$WORK/ping2.out" 2>&1 &
	PING2_PID=$!
}

# wait_done PID: wait for a process that ends by itself.
wait_done() { [ -n "$1" ] && wait "$1" 2>/dev/null; }

traffic_stop() {
	wait_done "$SEND_PID"
	SEND_PID=""
	wait_done "$PING1_PID"
	wait_done "$PING2_PID"
	PING1_PID="" PING2_PID=""
	sleep 1
	stop_pid "$RECV_PID"
	stop_pid "$MON_PID"
	RECV_PID="" MON_PID=""
}

# ------------------------------------------------------------ the soak

# One line per poll to poll.log; a progress line every 60 s.
soak() {
	local t0 now el next=60 a st
	t0=$(date +%s)
	: >"$WORK/poll.log"
	while kill -0 "$SEND_PID" 2>/dev/null; do
		sleep 10
		now=$(date +%s)
		el=$((now - t0))
		st=""
		for a in "$T1_GW" "$T2_GW"; do
			nbr_json "$a" >"$WORK/poll.json"
			st+=" $a $(field "$WORK/poll.json" bgpState)"
			st+=" icmp=$(field "$WORK/poll.json" liveness.icmpState)"
			st+=" bfd=$(field "$WORK/poll.json" peerBfdInfo.status)"
			st+=" rtt_us=$(field "$WORK/poll.json" liveness.icmpRttUsec)"
		done
		echo "$el s:$st" >>"$WORK/poll.log"
		if [ "$FAULT" = 1 ] && [ "$el" -ge $((DURATION / 2)) ]; then
			fault
			FAULT=2
		fi
		if [ "$el" -ge "$next" ] && [ "$el" -lt "$DURATION" ]; then
			say "$el s of $DURATION, load $(loadavg)"
			next=$((next + 60))
		fi
	done
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# fault: with -x, the check of the checks: tunnel 1 goes silent for 2 s
# (the gateway's address removed, links up), which every detector here
# must report.
fault() {
	say "-x: tunnel 1 silent for 2 s (the gateway's $T1_GW removed)"
	ip -n "$NS_G" addr del "$T1_GW/30" dev "$IF_T1G"
	sleep 2
	ip -n "$NS_G" addr add "$T1_GW/30" dev "$IF_T1G"
}

# ------------------------------------------------------------ report

# flap WHAT COUNT: a failed check when COUNT is not 0.
flap() {
	if [ "$2" != 0 ]; then
		FLAPS=$((FLAPS + 1))
		FAILED+="${FAILED:+, }$2 $1"
	fi
}

# logcount FILE PATTERN: lines of FILE matching PATTERN (extended).
logcount() { grep -cE -- "$2" "$1" 2>/dev/null; }

# report_nbr N GW LOCAL: tunnel N's neighbor GW, our end LOCAL.
report_nbr() {
	local t=$1 a=$2 l=$3 f=$WORK/nbr$1.json est drop downs bfd_up bfd_down tr why
	nbr_json "$a" >"$f"
	est=$(field "$f" connectionsEstablished)
	drop=$(field "$f" connectionsDropped)
	downs=$(field "$f" liveness.downs)
	echo "tunnel $t, neighbor $a:"
	echo "  session: $(field "$f" bgpState), established ${est:-?} time(s)," \
	    "dropped ${drop:-?} (must be 0)"
	echo "  liveness: downs ${downs:-?} (must be 0)," \
	    "ICMP probe $(field "$f" liveness.icmpState)," \
	    "last RTT $(field "$f" liveness.icmpRttUsec) us"
	why=$(field "$f" liveness.lastDownReason)
	[ -z "$why" ] || echo "  last liveness down: $why"
	tbgpsh "show bgp neighbors $a" 2>/dev/null |
	    grep -E '^ *(state (init|up|down) |status |Liveness|BFD:|Last liveness)' |
	    sed 's/^ */  shown: /'
	# tbgpd logs every probe transition, and BFD ups and downs.
	tr=$(logcount "$WORK/tbgpd-ts.log" "probe to $a: [a-z]+ -> [a-z]+:")
	bfd_up=$(logcount "$WORK/tbgpd-ts.log" "bfd $a: session up")
	bfd_down=$(logcount "$WORK/tbgpd-ts.log" "bfd $a: session down")
	echo "  ICMP probe transitions: $tr (the first, init -> up, expected)"
	echo "  BFD: status $(field "$f" peerBfdInfo.status)," \
	    "remote $(field "$f" peerBfdInfo.remoteStatus);" \
	    "tbgpd logged $bfd_up up, $bfd_down down;" \
	    "BIRD says $(gw_bfd_state "$l")"
	flap "session resets on tunnel $t" "${drop:-1}"
	[ "${est:-0}" -le 1 ] || flap "extra Established on tunnel $t" $((est - 1))
	flap "liveness downs on tunnel $t" "${downs:-1}"
	[ "$tr" -le 1 ] || flap "probe transitions on tunnel $t" $((tr - 1))
	flap "tbgpd BFD downs on tunnel $t" "$bfd_down"
	[ "$bfd_up" -le 1 ] || flap "tbgpd BFD ups on tunnel $t" $((bfd_up - 1))
	[ "$(gw_bfd_state "$l")" = Up ] || flap "BIRD BFD not Up on tunnel $t" 1
}

# What BIRD logged after the soak started (by "timeformat log iso long
# ms").  With "debug protocols { states, events }" its BGP and BFD
# protocols say nothing while all is well (no packet tracing), so every
# line of t1, t2 or bfd1 is an event: a BFD session changing state, a BGP
# session closing or changing state, an error.
report_gw() {
	local since=$1 n
	awk -v s="$since" '$1 " " $2 >= s' "$WORK/gw-bird.log" |
	    grep -E ' (t1|t2|bfd1): ' >"$WORK/gw-events.log"
	n=$(wc -l <"$WORK/gw-events.log")
	echo "gateway (BIRD): t1 $(gw_bgp_state t1), t2 $(gw_bgp_state t2);" \
	    "BGP and BFD events logged during the soak: $n"
	head -n 10 "$WORK/gw-events.log" | sed 's/^/  log: /'
	birdc_gw show bfd sessions 2>/dev/null | sed -n '3,$s/^/  /p'
	flap "BIRD BGP/BFD events" "$n"
}

# The 10 s polls: each must have found both sessions Established, both
# probes up and both BFD sessions Up.
report_polls() {
	local n bad
	n=$(wc -l <"$WORK/poll.log")
	bad=$(grep -cvE "^[0-9]+ s: $T1_GW Established icmp=up bfd=Up rtt_us=[0-9]+ $T2_GW Established icmp=up bfd=Up rtt_us=[0-9]+\$" "$WORK/poll.log")
	echo "polls of tbgpd every 10 s: $n, with anything not up: $bad"
	flap "polls with something down" "$bad"
}

report_routes() {
	local n
	n=$(grep -cE "($NET1|$NET2)" "$WORK/routes.mon")
	echo "route changes of $NET1/$NET2 in the host during the soak: $n"
	flap "route changes" "$n"
}

# "DST PACKETS BYTES ERRORS" from the sender, "DST IFINDEX PACKETS BYTES"
# from the receiver: per destination, sent, received on the right tunnel
# (1: 21, 2: 22), on any other interface, and lost.
report_traffic() {
	local d ifx right s sb se r rb lost
	for d in "$DST1:21" "$DST2:22"; do
		IFS=: read -r d right <<<"$d"
		read -r _ s sb se < <(grep "^$d " "$WORK/send.out")
		r=$(awk -v d="$d" -v i="$right" '$1 == d && $2 == i { print $3 }' "$WORK/recv.out")
		rb=$(awk -v d="$d" -v i="$right" '$1 == d && $2 == i { print $4 }' "$WORK/recv.out")
		ifx=$(awk -v d="$d" -v i="$right" '$1 == d && $2 != i { n += $3 } END { print n + 0 }' "$WORK/recv.out")
		lost=$(( ${s:-0} - ${r:-0} - ifx ))
		echo "traffic to $d: sent ${s:-?} (${sb:-?} B, ${se:-?} send errors)," \
		    "received ${r:-0} (${rb:-0} B) on its tunnel, $ifx elsewhere," \
		    "lost $lost ($(awk -v l="$lost" -v s="${s:-0}" \
		    'BEGIN { printf "%.3f", (s > 0 ? 100 * l / s : 0) }')%)"
		flap "datagrams to $d on the wrong tunnel" "$ifx"
	done
	echo "sender: $(grep '^elapsed' "$WORK/send.out")" \
	    "(elapsed s, Mbit/s of IP achieved)"
}

report_ping() {
	local n f
	for n in 1 2; do
		f=$WORK/ping$n.out
		echo "ping tunnel $n (10 Hz): $(grep 'packets transmitted' "$f");" \
		    "$(grep -E '^(rtt|round-trip)' "$f" | sed 's/ = /: /')"
	done
}

report() {
	local since=$1 mbits
	echo
	echo "Liveness soak: $DURATION s, both tunnels healthy, tbgpd with ICMP" \
	    "probes 100 ms x3, BFD 100 ms x3 (BIRD as the gateway), TCP" \
	    "timeout 3000 ms, on both neighbors"
	echo "load average (1/5/15 min) at start $LOAD0, at end $(loadavg)," \
	    "on $(nproc) CPUs"
	report_nbr 1 "$T1_GW" "$T1_H"
	report_nbr 2 "$T2_GW" "$T2_H"
	report_gw "$since"
	report_polls
	report_routes
	report_traffic
	report_ping
	mbits=$(sed -n 's/^elapsed .* mbits //p' "$WORK/send.out")
	if [ "$FLAPS" = 0 ]; then
		echo "verdict: zero flaps in $DURATION s at ${mbits:-?} Mbit/s"
		return 0
	fi
	echo "verdict: FLAPPED in $DURATION s at ${mbits:-?} Mbit/s ($FLAPS checks failed): $FAILED"
	return 1
}

# ------------------------------------------------------------ main

main() {
	local opt since i
	while getopts kxD:r:t:h opt; do
		case $opt in
		k) KEEP=1 ;;
		x) FAULT=1 ;;
		D) DURATION=$OPTARG ;;
		r) RATE=$OPTARG ;;
		t) TIMEOUT=$OPTARG ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -eq 0 ] || usage
	case $DURATION in '' | *[!0-9]* | 0) usage ;; esac
	case $TIMEOUT in '' | *[!0-9]* | 0) usage ;; esac
	case $RATE in '' | *[!0-9]* | 0) usage ;; esac
	[ "$RATE" -le "$RATE_MAX" ] || usage
	check_tools
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	WORK=$(mktemp -d /tmp/bench-soak.XXXXXX)
	net_up
	gw_start
	tbgpd_start
	say "waiting for both sessions, probes and BFD sessions to be up"
	for i in $(seq $((TIMEOUT * 2))); do
		all_ready && break
		[ "$i" = $((TIMEOUT * 2)) ] &&
		    die "not everything up after $TIMEOUT s (see $WORK, with -k)"
		sleep 0.5
	done
	recv_start
	LOAD0=$(loadavg)
	since=$(date '+%Y-%m-%d %H:%M:%S.%3N')
	say "$DURATION s at $RATE Mbit/s, load $LOAD0"
	traffic_start
	soak
	traffic_stop
	report "$since"
}

LOAD0=""
main "$@"
