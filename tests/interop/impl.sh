# shellcheck shell=bash
#
# impl.sh: one set of functions per BGP implementation that can play a
# side of the lab: tbgpd, bird (BIRD 2), frr (FRR 8 bgpd), gobgp (GoBGP 3),
# openbgpd (OpenBGPD 7) and exabgp (ExaBGP 4).  Each one writes its own
# configuration from the side's description (SIDE_AS, SIDE_ID,
# SIDE_MINHOLD and the neighbor lines of $RUND/SIDE.nbrs) and answers:
#
#   X_start SIDE           start the daemon in the side's namespace
#   X_ready SIDE           0 once it accepts commands / listens
#   X_state SIDE ADDR      the session's FSM state; "Established" when up
#   X_lasterr SIDE ADDR    its view of the last NOTIFICATION (may be empty)
#
# tbgpd (and FRR, so the framework can be checked without tbgpd) also
# answer X_uptime_ms and X_established (times the session came up).
#
# Neighbor line: ADDR LOCAL REMOTE_AS PASSIVE(0|1) PASSWORD(- for none)
#                HOLD KEEPALIVE

# each_nbr SIDE: print the side's neighbor lines.
each_nbr() { cat "$RUND/$1.nbrs"; }

# side_extra SIDE: configuration a case adds verbatim at the end of the
# side's file ($RUND/SIDE.extra, in the implementation's own language),
# for what the neighbor lines cannot say (IPv6 families, GTSM).
side_extra() {
	[ -f "$RUND/$1.extra" ] && cat "$RUND/$1.extra"
	return 0
}

impl_call() {
	local op=$1 side=$2
	shift 2
	"${SIDE_IMPL[$side]}_$op" "$side" "$@"
}

impl_has() {
	declare -F "${SIDE_IMPL[$2]}_$1" >/dev/null
}

impl_missing() {
	case $1 in
	tbgpd) [ -x "$TBGPD_BUILD/bgpd/tbgpd" ] &&
	    [ -x "$TBGPD_BUILD/vtysh-lite/tbgpsh" ] ||
	    echo "tbgpd not built in $TBGPD_BUILD (set TBGPD_BUILD)" ;;
	bird) command -v bird >/dev/null && command -v birdc >/dev/null ||
	    echo "BIRD 2 not installed (apt-get install bird2)" ;;
	frr) [ -x /usr/lib/frr/bgpd ] && command -v vtysh >/dev/null ||
	    echo "FRR not installed (apt-get install frr)" ;;
	gobgp) command -v gobgpd >/dev/null && command -v gobgp >/dev/null ||
	    echo "GoBGP not installed (apt-get install gobgpd)" ;;
	openbgpd) [ -x /usr/sbin/bgpd ] && command -v bgpctl >/dev/null ||
	    echo "OpenBGPD not installed (apt-get install openbgpd)" ;;
	exabgp) command -v exabgp >/dev/null ||
	    echo "ExaBGP not installed (apt-get install exabgp)" ;;
	*) echo "unknown implementation $1" ;;
	esac
}

# ---------------------------------------------------------------- tbgpd

TBGPD_BIN() { echo "$TBGPD_BUILD/bgpd/tbgpd"; }
tbgpsh() { "$TBGPD_BUILD/vtysh-lite/tbgpsh" "$@"; }

tbgpd_conf() {
	local side=$1 a l as p pw h k
	echo "router bgp ${SIDE_AS[$side]}"
	echo " bgp router-id ${SIDE_ID[$side]}"
	[ "${SIDE_MINHOLD[$side]}" -gt 0 ] &&
	    echo " bgp minimum-holdtime ${SIDE_MINHOLD[$side]}"
	each_nbr "$side" | while read -r a l as p pw h k; do
		echo " neighbor $a remote-as $as"
		echo " neighbor $a timers $k $h"
		echo " neighbor $a update-source $l"
		[ "$pw" != - ] && echo " neighbor $a password $pw"
		[ "$p" = 1 ] && echo " neighbor $a passive"
	done
	side_extra "$side"
}

tbgpd_start() {
	local side=$1 conf="$OUTD/$1-tbgpd.conf"
	tbgpd_conf "$side" >"$conf"
	"$(TBGPD_BIN)" -n -f "$conf" >"$OUTD/$side-tbgpd-n.out" 2>&1 ||
	    fail "tbgpd -n rejects $conf: $(head -3 "$OUTD/$side-tbgpd-n.out")"
	spawn "$side" tbgpd "$(TBGPD_BIN)" -d -f "$conf" -s "$RUND/$side.sock"
}

tbgpd_sh() {
	timeout 10 "$TBGPD_BUILD/vtysh-lite/tbgpsh" -s "$RUND/$1.sock" -c "$2"
}

tbgpd_ready() { tbgpd_sh "$1" 'show bgp summary json' >/dev/null 2>&1; }

tbgpd_summary_peer() {
	tbgpd_sh "$1" 'show bgp summary json' 2>/dev/null |
	    json_get ipv4Unicast peers "$2" "$3"
}

tbgpd_state() { tbgpd_summary_peer "$1" "$2" state; }
tbgpd_uptime_ms() { tbgpd_summary_peer "$1" "$2" peerUptimeMsec; }

tbgpd_neighbor() {
	tbgpd_sh "$1" "show bgp neighbors $2 json" 2>/dev/null |
	    json_get "$2" "$3"
}

# Times the session reached Established: from the daemon if it counts
# them, else from its log ("neighbor X: Established").
tbgpd_established() {
	local n
	n=$(tbgpd_neighbor "$1" "$2" connectionsEstablished) && {
		echo "$n"
		return
	}
	grep -c "neighbor $2: Established" "$OUTD/$1-tbgpd.log"
}

tbgpd_lasterr() {
	tbgpd_neighbor "$1" "$2" lastNotificationReason ||
	    tbgpd_neighbor "$1" "$2" lastResetDueTo
}

# ----------------------------------------------------------------- BIRD

bird_conf() {
	local side=$1 a l as p pw h k i=0
	echo "router id ${SIDE_ID[$side]};"
	echo "log stderr all;"
	echo "debug protocols { states, events };"
	echo "protocol device { }"
	each_nbr "$side" | while read -r a l as p pw h k; do
		i=$((i + 1))
		echo "protocol bgp n$i {"
		echo "  local $l as ${SIDE_AS[$side]};"
		echo "  neighbor $a as $as;"
		echo "  hold time $h; keepalive time $k;"
		echo "  connect delay time 1; connect retry time 5;"
		echo "  error wait time 5, 30;"
		[ "$p" = 1 ] && echo "  passive on;"
		[ "$pw" != - ] && echo "  password \"$pw\";"
		# Lines a case adds to every protocol ($RUND/SIDE-bird-proto).
		[ -f "$RUND/$side-bird-proto" ] && cat "$RUND/$side-bird-proto"
		# A case may give a neighbor an export filter body
		# ($RUND/SIDE-bird-export-ADDR).
		if [ -f "$RUND/$side-bird-export-$a" ]; then
			echo "  ipv4 { import all; export filter {"
			cat "$RUND/$side-bird-export-$a"
			echo "  }; };"
		else
			echo "  ipv4 { import all; export none; };"
		fi
		echo "}"
	done
	side_extra "$side"
}

bird_start() {
	local side=$1 conf="$OUTD/$1-bird.conf"
	bird_conf "$side" >"$conf"
	bird -p -c "$conf" >"$OUTD/$side-bird-p.out" 2>&1 ||
	    fail "bird rejects $conf: $(cat "$OUTD/$side-bird-p.out")"
	spawn "$side" bird bird -f -c "$conf" -s "$RUND/$side-bird.ctl" \
	    -P "$RUND/$side-bird.pid"
}

bird_cli() { timeout 10 birdc -s "$RUND/$1-bird.ctl" "$2"; }

bird_ready() { bird_cli "$1" 'show status' >/dev/null 2>&1; }

bird_show() {
	bird_cli "$1" "show protocols all n$(nbr_index "$1" "$2")" 2>/dev/null
}

bird_state() {
	bird_show "$1" "$2" | sed -n 's/^ *BGP state: *//p'
}

bird_lasterr() {
	bird_show "$1" "$2" | sed -n 's/^ *Last error: *//p'
}

# ------------------------------------------------------------------ FRR
#
# bgpd alone, without zebra (-Z): it then knows no connected routes, so
# single-hop eBGP neighbors need disable-connected-check to be tried.

frr_conf() {
	local side=$1 a l as p pw h k
	echo "frr defaults traditional"
	echo "hostname $side"
	echo "log stdout debugging"
	echo "debug bgp neighbor-events"
	echo "router bgp ${SIDE_AS[$side]}"
	echo " bgp router-id ${SIDE_ID[$side]}"
	echo " no bgp ebgp-requires-policy"
	[ "${SIDE_MINHOLD[$side]}" -gt 0 ] &&
	    echo " bgp minimum-holdtime ${SIDE_MINHOLD[$side]}"
	each_nbr "$side" | while read -r a l as p pw h k; do
		echo " neighbor $a remote-as $as"
		echo " neighbor $a timers $k $h"
		echo " neighbor $a timers connect 5"
		echo " neighbor $a update-source $l"
		echo " neighbor $a disable-connected-check"
		[ "$pw" != - ] && echo " neighbor $a password $pw"
		[ "$p" = 1 ] && echo " neighbor $a passive"
	done
	side_extra "$side"
}

frr_start() {
	local side=$1 conf="$OUTD/$1-frr.conf"
	frr_conf "$side" >"$conf"
	mkdir -p "$RUND/$side-frr"
	spawn "$side" frr /usr/lib/frr/bgpd -Z -S -u root -g root \
	    -f "$conf" -i "$RUND/$side-frr/bgpd.pid" \
	    --vty_socket "$RUND/$side-frr" -P 0
}

frr_cli() {
	timeout 10 vtysh --vty_socket "$RUND/$1-frr" -d bgpd -c "$2" 2>/dev/null
}

frr_ready() { frr_cli "$1" 'show bgp summary json' >/dev/null; }

frr_neighbor() {
	frr_cli "$1" "show bgp neighbors $2 json" | json_get "$2" "$3"
}

frr_state() { frr_neighbor "$1" "$2" bgpState; }
frr_uptime_ms() { frr_neighbor "$1" "$2" bgpTimerUpMsec; }
frr_established() { frr_neighbor "$1" "$2" connectionsEstablished; }

# FRR's JSON often shows a later reset reason instead: read its log.
frr_lasterr() {
	grep -E "NOTIFICATION: (received from|sent to) neighbor $2 " \
	    "$OUTD/$1-frr.log" | tail -n 1
}

# ---------------------------------------------------------------- GoBGP
#
# The gRPC API listens on the namespace's own loopback, so every lab can
# use the same port.

GOBGP_API=127.0.0.1:50051

gobgp_conf() {
	local side=$1 a l as p pw h k
	echo "[global.config]"
	echo "  as = ${SIDE_AS[$side]}"
	echo "  router-id = \"${SIDE_ID[$side]}\""
	echo "  port = 179"
	each_nbr "$side" | while read -r a l as p pw h k; do
		echo "[[neighbors]]"
		echo "  [neighbors.config]"
		echo "    neighbor-address = \"$a\""
		echo "    peer-as = $as"
		[ "$pw" != - ] && echo "    auth-password = \"$pw\""
		echo "  [neighbors.timers.config]"
		echo "    hold-time = $h"
		echo "    keepalive-interval = $k"
		echo "    connect-retry = 5"
		echo "  [neighbors.transport.config]"
		echo "    local-address = \"$l\""
		[ "$p" = 1 ] && echo "    passive-mode = true"
		echo "  [[neighbors.afi-safis]]"
		echo "    [neighbors.afi-safis.config]"
		echo "      afi-safi-name = \"ipv4-unicast\""
		# Tables a case adds to every neighbor ($RUND/SIDE-gobgp-nbr).
		[ -f "$RUND/$side-gobgp-nbr" ] && cat "$RUND/$side-gobgp-nbr"
	done
	return 0
}

gobgp_start() {
	local side=$1 conf="$OUTD/$1-gobgp.toml"
	gobgp_conf "$side" >"$conf"
	spawn "$side" gobgp gobgpd -f "$conf" -t toml -p -l debug \
	    --api-hosts "$GOBGP_API" --pprof-disable
}

gobgp_cli() {
	local side=$1
	shift
	nsx "$side" timeout 10 gobgp -u "${GOBGP_API%:*}" -p "${GOBGP_API#*:}" \
	    "$@" 2>/dev/null
}

gobgp_ready() { gobgp_cli "$1" global >/dev/null; }

gobgp_state() {
	local s
	s=$(gobgp_cli "$1" neighbor "$2" -j | json_get state session_state) ||
	    return 1
	case $s in
	6 | established | ESTABLISHED) echo Established ;;
	*) echo "$s" ;;
	esac
}

# GoBGP logs no NOTIFICATION codes; its counters say one was received.
gobgp_lasterr() {
	local n
	n=$(gobgp_cli "$1" neighbor "$2" -j |
	    json_get state messages received notification) || return 0
	[ "${n:-0}" -gt 0 ] && echo "$n NOTIFICATION(s) received (code not shown)"
}

# ------------------------------------------------------------- OpenBGPD
#
# bgpd drops privileges to _openbgpd and chroots to its home, /run/openbgpd.

openbgpd_prepare() {
	id _openbgpd >/dev/null 2>&1 ||
	    systemd-sysusers /usr/lib/sysusers.d/openbgpd.conf >/dev/null 2>&1 ||
	    useradd -r -d /run/openbgpd -s /usr/sbin/nologin _openbgpd \
	    2>/dev/null || true
	mkdir -p /run/openbgpd
}

openbgpd_conf() {
	local side=$1 a l as p pw h k
	echo "AS ${SIDE_AS[$side]}"
	echo "router-id ${SIDE_ID[$side]}"
	echo "socket \"$RUND/$side-obgpd/bgpd.sock\""
	echo "connect-retry 5"
	[ "${SIDE_MINHOLD[$side]}" -gt 0 ] &&
	    echo "holdtime min ${SIDE_MINHOLD[$side]}"
	# A case may add global lines (network statements) before the
	# neighbors ($RUND/SIDE-openbgpd-global) and filter rules after the
	# allow rules (SIDE.extra, through side_extra).
	[ -f "$RUND/$side-openbgpd-global" ] &&
	    cat "$RUND/$side-openbgpd-global"
	each_nbr "$side" | while read -r a l as p pw h k; do
		echo "neighbor $a {"
		echo "  remote-as $as"
		echo "  local-address $l"
		# OpenBGPD sends keepalives every holdtime/3, as AWS does.
		echo "  holdtime $h"
		[ "$p" = 1 ] && echo "  passive"
		[ "$pw" != - ] && echo "  tcp md5sig password $pw"
		echo "}"
	done
	echo "allow from any"
	echo "allow to any"
	side_extra "$side"
}

openbgpd_start() {
	local side=$1 conf="$OUTD/$1-openbgpd.conf"
	openbgpd_prepare
	# The session engine creates the control socket after dropping
	# privileges: give it a directory of its own.
	mkdir -p "$RUND/$side-obgpd"
	chown _openbgpd "$RUND/$side-obgpd"
	chmod 711 "$RUND"
	openbgpd_conf "$side" >"$conf"
	/usr/sbin/bgpd -n -f "$conf" >"$OUTD/$side-openbgpd-n.out" 2>&1 ||
	    fail "openbgpd rejects $conf: $(head -3 "$OUTD/$side-openbgpd-n.out")"
	spawn "$side" openbgpd /usr/sbin/bgpd -d -v -f "$conf"
}

openbgpd_cli() {
	local side=$1
	shift
	timeout 10 bgpctl -s "$RUND/$side-obgpd/bgpd.sock" "$@" 2>/dev/null
}

openbgpd_ready() { openbgpd_cli "$1" show summary >/dev/null; }

openbgpd_state() {
	openbgpd_cli "$1" show neighbor "$2" |
	    sed -n 's/^ *BGP state = \([A-Za-z]*\).*/\1/p'
}

# Connections it turned away while holding the peer down after an error.
openbgpd_refused() {
	grep -c "Connection attempt from neighbor $2 while session is in state" \
	    "$OUTD/$1-openbgpd.log"
}

openbgpd_lasterr() {
	openbgpd_cli "$1" show neighbor "$2" |
	    sed -n 's/^ *Last error [a-z]*: *//p'
}

# --------------------------------------------------------------- ExaBGP
#
# No control channel (the CLI needs named pipes); the state comes from its
# log, which says "connected to peer-N with outgoing-N ..." on each OPEN
# exchange and "peer reset" or "closing connection" when it ends.

exabgp_conf() {
	local side=$1 a l as p pw h k
	# A case may add top-level sections (processes) in SIDE.extra, give
	# a neighbor its own local AS ($RUND/SIDE-exabgp-as-ADDR) and add
	# lines inside its block ($RUND/SIDE-exabgp-nbr-ADDR: static routes,
	# api).
	side_extra "$side"
	each_nbr "$side" | while read -r a l as p pw h k; do
		echo "neighbor $a {"
		echo "  router-id ${SIDE_ID[$side]};"
		echo "  local-address $l;"
		if [ -f "$RUND/$side-exabgp-as-$a" ]; then
			echo "  local-as $(cat "$RUND/$side-exabgp-as-$a");"
		else
			echo "  local-as ${SIDE_AS[$side]};"
		fi
		echo "  peer-as $as;"
		echo "  hold-time $h;"
		[ "$p" = 1 ] && echo "  passive true;"
		[ "$pw" != - ] && echo "  md5-password \"$pw\";"
		echo "  family { ipv4 unicast; }"
		[ -f "$RUND/$side-exabgp-nbr-$a" ] &&
		    cat "$RUND/$side-exabgp-nbr-$a"
		echo "}"
	done
	return 0
}

exabgp_start() {
	local side=$1 conf="$OUTD/$1-exabgp.conf" binds
	exabgp_conf "$side" >"$conf"
	binds=$(each_nbr "$side" | awk '{ printf "%s%s", s, $2; s = " " }')
	spawn "$side" exabgp env exabgp.daemon.user=root \
	    exabgp.daemon.daemonize=false exabgp.api.cli=false \
	    exabgp.log.destination=stdout exabgp.log.level=INFO \
	    exabgp.log.network=true exabgp.log.reactor=true \
	    exabgp.tcp.bind="$binds" exabgp.tcp.port=179 \
	    exabgp.daemon.pid="$RUND/$side-exabgp.pid" \
	    exabgp "$conf"
}

exabgp_ready() { listening "$1" 179; }

exabgp_state() {
	local log="$OUTD/$1-exabgp.log" last
	last=$(grep -E "peer $2 |neighbor $2 |$2" "$log" |
	    grep -iE "connected to|peer reset|closing|notification" | tail -n 1)
	case $last in
	*"connected to"*) echo Established ;;
	"") echo Idle ;;
	*) echo "Idle ($last)" ;;
	esac
}

exabgp_lasterr() {
	grep -F "$2" "$OUTD/$1-exabgp.log" | grep -iE "notification" | tail -n 1
}
