# shellcheck shell=bash
# SIDE_* are lib.sh's associative arrays (checked together through case.sh
# with shellcheck -x); alone, their uses look wrong.
# shellcheck disable=SC2034,SC2154
#
# cases.sh: the interop cases.  A case is a function case_KIND taking the
# gateway implementation; case_list names every case as KIND-IMPL.  The
# "tb" side is tbgpd unless INTEROP_LOCAL names another implementation
# (used to check the framework itself, e.g. INTEROP_LOCAL=frr).
#
# Positive cases (up, md5): the gateway is passive on tunnel 1 so tbgpd
# connects there, tbgpd is passive on tunnel 2 so the gateway connects;
# both sessions must come up, be seen Established on both sides and stay up
# past two hold times without flapping.
# Negative cases (badas, badmd5, holdtime) run on tunnel 1 only.  In badas
# the gateway is passive, so every attempt is tbgpd's and its retries can
# be timed; in badmd5 and holdtime both sides connect.
# Cloud timers (timers): GCP's 20/60 on tunnel 1 and Azure's 60/180 on
# tunnel 2, as both sides are configured; both must negotiate exactly that.
# Collision (collide): both sides connect on tunnel 1 while its frames are
# silently dropped, so both attempts are in flight when it heals; one
# session must survive on both sides, Established exactly once.
# Robustness (hostile-MODE: badpeer.py as the gateway), IPv6 transport
# (v6), GTSM (gtsm, gtsmbad), ebgp-multihop (multihop) and a silent
# gateway (silent) are described where they are defined, below.

POSITIVE_IMPLS="bird frr gobgp openbgpd exabgp"
# badpeer.py modes, one robustness case each (hostile-MODE).
HOSTILE_MODES="garbage badlen badtype version hold1 badid midopen notify"

case_list() {
	local i
	for i in $POSITIVE_IMPLS; do echo "up-$i"; done
	for i in $POSITIVE_IMPLS; do echo "md5-$i"; done
	echo badas-bird badas-frr badas-openbgpd
	echo badmd5-bird badmd5-gobgp
	echo holdtime-bird holdtime-gobgp
	for i in $HOSTILE_MODES; do echo "hostile-$i"; done
	echo v6-bird v6-frr
	echo gtsm-frr gtsmbad-frr multihop-frr silent-bird
	echo timers-bird timers-frr collide-bird collide-frr
	echo rib-bird rib-frr rib-gobgp rib-openbgpd rib-exabgp maxpfx-bird
	echo refresh-frr v6rib-bird linkdown-bird stale-bird maxout-bird
	echo lpref-bird nhunreach-bird
	echo fastka-bird fastka-frr icmp-bird bfd-bird bfd-frr
	echo reload-bird reload-frr
	echo logs-bird
	echo static-icmp static-target staticbfd-bird staticbfd-frr staticbgp-bird
	echo grtb-bird grtb-frr grtb-gobgp grhelp-bird grhelp-frr grhelp-gobgp
	echo metrics-bird mrt-frr
}

# pause SECONDS: sleep that a TERM from the runner's timeout interrupts
# at once (bash runs traps only between foreground commands).
pause() {
	sleep "$1" &
	wait $!
}

# lab_start GW_IMPL: network, then the gateway, then the tbgpd side.  The
# gateway is started first and must listen before tbgpd starts, so that
# tbgpd's first connection on tunnel 1 finds it.
lab_start() {
	local why
	SIDE_IMPL[gw]=$1
	SIDE_IMPL[tb]=${INTEROP_LOCAL:-tbgpd}
	for why in "$(impl_missing "${SIDE_IMPL[gw]}")" \
	    "$(impl_missing "${SIDE_IMPL[tb]}")"; do
		[ -z "$why" ] || fail "cannot run: $why"
	done
	[ "$(id -u)" = 0 ] || fail "cannot run: needs root (network namespaces)"
	lab_net
	[ -z "${lab_net_hook:-}" ] || "$lab_net_hook" on
	impl_call start gw
	wait_for 20 impl_call ready gw ||
	    fail "${SIDE_IMPL[gw]} did not start (see gw-${SIDE_IMPL[gw]}.log)"
	wait_for 10 listening gw 179 ||
	    fail "${SIDE_IMPL[gw]} does not listen on port 179"
	impl_call start tb
	wait_for 20 impl_call ready tb ||
	    fail "${SIDE_IMPL[tb]} did not start or does not answer its shell"
}

# is_up SIDE ADDR
is_up() { [ "$(impl_call state "$1" "$2")" = Established ]; }

both_up() {
	is_up tb "$T1_GW" && is_up tb "$T2_GW" &&
	    is_up gw "$T1_TB" && is_up gw "$T2_TB"
}

# tb_alive: the tbgpd side still runs and answers its shell.
tb_alive() {
	alive "tb-${SIDE_IMPL[tb]}" ||
	    fail "${SIDE_IMPL[tb]} exited: $(tail -n 3 "$OUTD/tb-${SIDE_IMPL[tb]}.log")"
	impl_call ready tb || fail "${SIDE_IMPL[tb]} no longer answers its shell"
}

tb_log() { echo "$OUTD/tb-${SIDE_IMPL[tb]}.log"; }

# check_stable: after two hold times, every session is still up on both
# sides, has been up for at least that long and came up exactly once.
check_stable() {
	local a s up n
	for a in "$T1_GW" "$T2_GW"; do
		s=$(impl_call state tb "$a")
		[ "$s" = Established ] || fail "tb: $a went $s"
		if impl_has uptime_ms tb; then
			up=$(impl_call uptime_ms tb "$a")
			[ "${up:-0}" -ge $((2 * AWS_HOLD * 1000)) ] ||
			    fail "tb: $a up only ${up:-?} ms (flapped?)"
		fi
		if impl_has established tb; then
			n=$(impl_call established tb "$a")
			[ "$n" = 1 ] || fail "tb: $a came up $n times"
		fi
	done
	for a in "$T1_TB" "$T2_TB"; do
		s=$(impl_call state gw "$a")
		[ "$s" = Established ] || fail "gw ${SIDE_IMPL[gw]}: $a went $s"
		if impl_has established gw; then
			n=$(impl_call established gw "$a")
			[ "$n" = 1 ] || fail "gw: $a came up $n times"
		fi
	done
}

# check_direction ADDR WHO: the session with ADDR was opened by WHO (tb:
# its remote port is 179; gw: its local port is 179), as tbgpd reports.
check_direction() {
	local port key
	impl_has neighbor tb || return 0
	key=portForeign
	[ "$2" = gw ] && key=portLocal
	port=$(impl_call neighbor tb "$1" "$key") ||
	    fail "tb: no $key for $1 in 'show bgp neighbors $1 json'"
	[ "$port" = 179 ] || fail "tb: session with $1 was not opened by $2" \
	    "(its $key is $port)"
}

# session_case PASSWORD GW_IMPL
session_case() {
	local pw=$1 gwpassive=1
	shift
	PASS_NOTE=""
	# OpenBGPD 7.7 on Linux puts no MD5 key on its listening socket (fixed
	# in openbgpd-portable 8.x): with a password it must connect itself,
	# and on tunnel 1 both sides then try to connect.
	if [ "$pw" != - ] && [ "$1" = openbgpd ]; then
		gwpassive=0
		PASS_NOTE=" (on t1 openbgpd connects too: its listener lacks MD5)"
	fi
	# gateway: passive on tunnel 1, connects on tunnel 2
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" "$gwpassive" "$pw" "$AWS_HOLD" \
	    "$AWS_KA"
	add_nbr gw "$T2_TB" "$T2_GW" "$TB_AS" 0 "$pw" "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 "$pw" "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T2_GW" "$T2_TB" "$GW_AS" 1 "$pw" "$AWS_HOLD" "$AWS_KA"
	lab_start "$1"
	wait_for 60 both_up || fail "not Established within 60 s: tb t1=$(
	    impl_call state tb "$T1_GW") t2=$(impl_call state tb "$T2_GW"); gw t1=$(
	    impl_call state gw "$T1_TB") t2=$(impl_call state gw "$T2_TB")"
	say "both sessions Established; holding for two hold times"
	pause $((2 * AWS_HOLD + 3))
	tb_alive
	check_stable
	[ "$gwpassive" = 0 ] || check_direction "$T1_GW" tb
	check_direction "$T2_GW" gw
	PASS_NOTE="t2 opened by the gateway, both up > $((2 * AWS_HOLD)) s on both sides$PASS_NOTE"
	[ "$gwpassive" = 0 ] || PASS_NOTE="t1 opened by tbgpd, $PASS_NOTE"
}

case_up() { session_case - "$1"; }
case_md5() { session_case "tbi-Md5-s3cret" "$1"; }

# never_up SECONDS: the tunnel-1 session must not come up for that long.
never_up() {
	local end=$((SECONDS + $1))
	while [ "$SECONDS" -lt "$end" ]; do
		is_up tb "$T1_GW" && fail "tb: session came up"
		is_up gw "$T1_TB" && fail "gw: session came up"
		pause 1
	done
}

# peer_saw SUBSTRING: the gateway's view of the last error mentions it,
# where the gateway tells.
peer_saw() {
	local e
	e=$(impl_call lasterr gw "$T1_TB")
	# GoBGP tells only that a NOTIFICATION arrived.
	[ "${SIDE_IMPL[gw]}" = gobgp ] && set -- "NOTIFICATION"
	grep -qEi "$1" <<<"$e" ||
	    fail "gw ${SIDE_IMPL[gw]} last error is '$e', expected '$1'"
}

# notifs_sent: NOTIFICATIONs the tbgpd side sent on tunnel 1.
notifs_sent() {
	impl_call neighbor tb "$T1_GW" messageStats |
	    json_get notificationsSent
}

# watch_retries SECONDS: sample notifs_sent once a second; print the
# seconds (since the start) at which it grew.
watch_retries() {
	local end=$((SECONDS + $1)) t0=$SECONDS last=0 n
	while [ "$SECONDS" -lt "$end" ]; do
		n=$(notifs_sent) || n=$last
		[ "$n" -gt "$last" ] && echo $((SECONDS - t0))
		last=$n
		is_up tb "$T1_GW" && fail "tb: session came up"
		pause 1
	done
}

# Wrong AS: tbgpd expects 64512, the gateway is 64513 and passive, so
# every attempt is tbgpd's.  tbgpd must answer the OPEN with NOTIFICATION
# 2/2 (RFC 4271 6.2), keep running, retry with growing intervals, and not
# flood its log.  Gateways that hold a peer down after an error (BIRD's
# error wait, OpenBGPD's idle hold) refuse some of tbgpd's attempts, so
# growth is judged only when at least four NOTIFICATIONs were sent.
case_badas() {
	local n times="" gaps=""
	SIDE_AS[gw]=$((GW_AS + 1))
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	lab_start "$1"
	if impl_has neighbor tb; then
		times=$(watch_retries 45 | tr '\n' ' ')
	else
		never_up 45
	fi
	grep -qi "Bad Peer AS" "$(tb_log)" ||
	    fail "tbgpd logged no Bad Peer AS NOTIFICATION in 45 s"
	tb_alive
	peer_saw "bad peer as|AS unacceptable"
	if impl_has neighbor tb; then
		gaps=$(awk '{ for (i = 2; i <= NF; i++) printf "%d ", $i - $(i-1) }' \
		    <<<"$times")
		n=$(wc -w <<<"$times")
		# Attempts the gateway turned away count as retries too.
		impl_has refused gw &&
		    n=$((n + $(impl_call refused gw "$T1_TB")))
		[ "$n" -ge 2 ] ||
		    fail "tbgpd tried $n times in 45 s (2/2 at s: $times): no retry"
		[ "$n" -le 15 ] || fail "tbgpd sent 2/2 $n times in 45 s: no backoff"
		[ "$(wc -w <<<"$times")" -lt 4 ] ||
		    awk '{ exit !($NF >= 3 && $NF > $1) }' <<<"$gaps" ||
		    fail "retry intervals do not grow: $gaps s"
	fi
	grep -ci "Bad Peer AS" "$(tb_log)" | awk '{ exit !($1 <= 12) }' ||
	    fail "tbgpd logged Bad Peer AS more than 12 times in 45 s"
	PASS_NOTE="2/2 sent at s ${times:-?}(${n} tries), peer saw it"
}

# Wrong MD5 key: nothing ever comes up, tbgpd keeps running.
case_badmd5() {
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 0 tbi-gw-key "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 tbi-tb-key "$AWS_HOLD" "$AWS_KA"
	lab_start "$1"
	never_up 25
	tb_alive
	PASS_NOTE="no session in 25 s, daemon alive"
}

# The gateway offers hold time 9 while tbgpd requires at least 20: tbgpd
# must refuse with NOTIFICATION 2/6 (RFC 4271 6.2).
case_holdtime() {
	SIDE_MINHOLD[tb]=20
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 0 - 9 3
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	lab_start "$1"
	wait_for 40 grep -qi "Unacceptable Hold Time" "$(tb_log)" ||
	    fail "tbgpd logged no Unacceptable Hold Time within 40 s"
	never_up 10
	tb_alive
	peer_saw "hold"
	PASS_NOTE="2/6 sent, daemon alive"
}

# ------------------------------------------------------------ robustness
#
# hostile-MODE: badpeer.py plays the gateway on tunnel 1 and misbehaves
# (MODE) on each of four connections tbgpd makes to it.  tbgpd must
# answer each one with the NOTIFICATION RFC 4271 6 prescribes (or none
# when the peer only closes or sends its own), back off between attempts
# (1 s doubling, jittered to 75-100 %), log the reason at info once
# however many attempts fail for it, and keep running.

# hostile_expect MODE: "CODE SUBCODE DATAHEX" of the NOTIFICATION tbgpd
# must send (DATAHEX "-" for none), or "none"; then the words its log
# line names the error with.
hostile_expect() {
	case $1 in
	garbage) echo "1 1 - Connection Not Synchronized" ;;
	badlen) echo "1 2 1388 Bad Message Length" ;;
	badtype) echo "1 3 09 Bad Message Type" ;;
	version) echo "2 1 0004 Unsupported Version Number" ;;
	hold1) echo "2 6 - Unacceptable Hold Time" ;;
	badid) echo "2 3 - Bad BGP Identifier" ;;
	midopen) echo "none - - connection closed by peer" ;;
	notify) echo "none - - received NOTIFICATION 6/2 Cease/Administrative Shutdown" ;;
	*) return 1 ;;
	esac
}

# hostile_verdict FILE CODE SUB DATA: check badpeer's JSON; print the
# connection times.
hostile_verdict() {
	python3 - "$@" <<'PY'
import json, sys
path, code, sub, data = sys.argv[1:5]
line = [l for l in open(path, errors="replace") if l.startswith("{")]
if not line:
    sys.exit("badpeer printed no JSON")
conns = json.loads(line[-1])["connections"]
want = None if code == "none" else [int(code), int(sub),
                                    "" if data == "-" else data]
if len(conns) < 4:
    sys.exit("only %d connections from tbgpd" % len(conns))
for i, c in enumerate(conns):
    if "error" in c:
        sys.exit("connection %d: %s" % (i + 1, c["error"]))
    if c["notification"] != want:
        sys.exit("connection %d: tbgpd sent %s, expected %s" %
                 (i + 1, c["notification"], want))
t = [c["t"] for c in conns]
gaps = [b - a for a, b in zip(t, t[1:])]
for a, b in zip(gaps, gaps[1:]):
    if b < 0.7 * a:
        sys.exit("backoff shrinks: gaps %s s" % gaps)
if gaps[2] <= gaps[0]:
    sys.exit("backoff does not grow: gaps %s s" % gaps)
print(" ".join("%.1f" % x for x in t))
PY
}

# no_raw_ctl: stdin holds no control byte but tab and newline.
no_raw_ctl() {
	! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')"
}

# The RFC 9003 text arrives with ESC, BEL and invalid UTF-8: the log and
# the JSON show it escaped, never raw.
hostile_notify_checks() {
	local j r
	no_raw_ctl <"$(tb_log)" || fail "raw control bytes in tbgpd's log"
	grep -qF 'maint\x1b[2J\x07' "$(tb_log)" ||
	    fail "shutdown text not shown escaped in the log"
	j=$(tbgpd_sh tb "show bgp neighbors $T1_GW json") ||
	    fail "no neighbor JSON"
	no_raw_ctl <<<"$j" || fail "raw control bytes in the neighbor JSON"
	r=$(json_get "$T1_GW" lastNotificationReason <<<"$j") ||
	    fail "no lastNotificationReason in the neighbor JSON"
	case $r in
	*'maint\x1b[2J\x07'*) ;;
	*) fail "lastNotificationReason is '$r'" ;;
	esac
}

case_hostile() {
	local mode=$1 code sub data words times n stats key
	read -r code sub data words <<<"$(hostile_expect "$mode")" ||
	    fail "no such badpeer mode: $mode"
	[ -n "$code" ] || fail "no such badpeer mode: $mode"
	SIDE_IMPL[gw]=badpeer
	SIDE_IMPL[tb]=tbgpd
	[ "$(id -u)" = 0 ] || fail "cannot run: needs root (network namespaces)"
	[ -z "$(impl_missing tbgpd)" ] || fail "cannot run: $(impl_missing tbgpd)"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	lab_net
	spawn gw badpeer python3 "$INTEROP_DIR/badpeer.py" --mode "$mode" \
	    --listen "$T1_GW" --connections 4 --timeout 25
	wait_for 10 listening gw 179 || fail "badpeer does not listen"
	impl_call start tb
	wait_for 28 eval '! alive gw-badpeer' || fail "badpeer still running"
	times=$(hostile_verdict "$OUTD/gw-badpeer.log" "$code" "$sub" \
	    "$data") || fail "$(tail -n 1 "$OUTD/gw-badpeer.log" | cut -c1-300)"
	tb_alive
	stats=$(tbgpd_neighbor tb "$T1_GW" messageStats) ||
	    fail "no 'show bgp neighbors $T1_GW json'"
	key=notificationsSent
	[ "$code" = none ] && key=notificationsRecv
	[ "$mode" = midopen ] || {
		n=$(json_get "$key" <<<"$stats")
		[ "${n:-0}" -ge 4 ] || fail "$key is ${n:-?}, expected >= 4"
	}
	[ "$code" = none ] ||
	    grep -qE "sent NOTIFICATION $code/$sub [^/]*/$words" "$(tb_log)" ||
	    fail "no 'sent NOTIFICATION $code/$sub .../$words' logged"
	n=$(grep -cF "$words" "$(tb_log)")
	[ "$n" = 1 ] || fail "'$words' logged $n times in 4 attempts"
	[ "$mode" = notify ] && hostile_notify_checks
	PASS_NOTE="connections at s $times, logged once, daemon alive"
}

# ------------------------------------------------------------------ IPv6
#
# v6-IMPL: the session runs over IPv6 on tunnel 1 (an AWS-style IPv6
# inside CIDR, a /126), the gateway passive; IPv6 unicast is negotiated
# and the session is seen Established on both sides.

V6_GW=fd00:116::1
V6_TB=fd00:116::2

# lab_v6: IPv6 addresses on tunnel 1, usable at once (no DAD wait).
lab_v6() {
	nsx gw ip addr add "$V6_GW/126" dev "${LAB_ID}t1g" nodad
	nsx tb ip addr add "$V6_TB/126" dev "${LAB_ID}t1t" nodad
	wait_for 10 nsx tb ping -6 -c1 -W1 "$V6_GW" >/dev/null ||
	    fail "IPv6 on tunnel 1 does not pass traffic"
}

# The gateway's side of the IPv6 session, in its own language.
v6_gw_extra() {
	case $1 in
	bird)
		cat <<-EOF
		protocol bgp v6 {
		  local $V6_GW as $GW_AS;
		  neighbor $V6_TB as $TB_AS;
		  hold time $AWS_HOLD; keepalive time $AWS_KA;
		  connect delay time 1; passive on;
		  ipv6 { import all; export none; };
		}
		EOF
		;;
	frr)
		cat <<-EOF
		 neighbor $V6_TB remote-as $TB_AS
		 neighbor $V6_TB timers $AWS_KA $AWS_HOLD
		 neighbor $V6_TB update-source $V6_GW
		 neighbor $V6_TB disable-connected-check
		 neighbor $V6_TB passive
		 address-family ipv6 unicast
		  neighbor $V6_TB activate
		 exit-address-family
		EOF
		;;
	esac
}

# v6_gw_state IMPL: the gateway's view of the IPv6 session.
v6_gw_state() {
	case $1 in
	bird) bird_cli gw 'show protocols all v6' 2>/dev/null |
	    sed -n 's/^ *BGP state: *//p' ;;
	frr) frr_state gw "$V6_TB" ;;
	esac
}

v6_up() {
	[ "$(tbgpd_neighbor tb "$V6_GW" bgpState)" = Established ] &&
	    [ "$(v6_gw_state "$1")" = Established ]
}

case_v6() {
	local gw=$1 caps
	v6_gw_extra "$gw" >"$RUND/gw.extra"
	cat >"$RUND/tb.extra" <<-EOF
	 neighbor $V6_GW remote-as $GW_AS
	 neighbor $V6_GW timers $AWS_KA $AWS_HOLD
	 neighbor $V6_GW update-source $V6_TB
	 address-family ipv6 unicast
	  neighbor $V6_GW activate
	 exit-address-family
	EOF
	SIDE_IMPL[gw]=$gw
	SIDE_IMPL[tb]=tbgpd
	lab_start_with lab_v6 "$gw"
	wait_for 40 v6_up "$gw" || fail "IPv6 session not Established in 40 s:" \
	    "tb $(tbgpd_neighbor tb "$V6_GW" bgpState), gw $(v6_gw_state "$gw")"
	caps=$(tbgpd_sh tb "show bgp neighbors $V6_GW json")
	json_get "$V6_GW" neighborCapabilities multiprotocolExtensions \
	    ipv6Unicast advertisedAndReceived <<<"$caps" >/dev/null ||
	    fail "IPv6 unicast not negotiated with $V6_GW: $(json_get "$V6_GW" \
	    neighborCapabilities <<<"$caps")"
	[ "$(json_get "$V6_GW" portForeign <<<"$caps")" = 179 ] ||
	    fail "the IPv6 session was not opened by tbgpd"
	tb_alive
	PASS_NOTE="IPv6 session $V6_TB - $V6_GW Established on both sides"
}

# lab_start_with NET_FN GW_IMPL: lab_start with NET_FN (more addresses,
# routes) run on the network before either daemon starts.
lab_start_with() {
	local why net=$1
	shift
	for why in "$(impl_missing "$1")" "$(impl_missing tbgpd)"; do
		[ -z "$why" ] || fail "cannot run: $why"
	done
	[ "$(id -u)" = 0 ] || fail "cannot run: needs root (network namespaces)"
	lab_net
	"$net"
	impl_call start gw
	wait_for 20 impl_call ready gw || fail "$1 did not start"
	wait_for 10 listening gw 179 || fail "$1 does not listen on port 179"
	impl_call start tb
	wait_for 20 impl_call ready tb || fail "tbgpd did not start"
}

# ------------------------------------------------------------------ GTSM
#
# gtsm-frr: both sides use RFC 5082 GTSM (send TTL 255, accept only 255)
# and come up.  gtsmbad-frr: only tbgpd does; FRR sends with TTL 1, so
# tbgpd's kernel drops FRR's segments and the session never comes up.
# multihop-frr: ebgp-multihop with update-source on both sides.

# gtsm_lab GW_PASSIVE TB_PASSIVE TB_LINES GW_LINES: tunnel 1 only, with
# extra per-neighbor lines on each side.
gtsm_lab() {
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" "$1" - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" "$2" - "$AWS_HOLD" "$AWS_KA"
	printf '%s\n' "$3" >"$RUND/tb.extra"
	printf '%s\n' "$4" >"$RUND/gw.extra"
	lab_start "${SIDE_IMPL[gw]}"
}

t1_up() { is_up tb "$T1_GW" && is_up gw "$T1_TB"; }

case_gtsm() {
	SIDE_IMPL[gw]=$1
	gtsm_lab 1 0 " neighbor $T1_GW ttl-security hops 1" \
	    " neighbor $T1_TB ttl-security hops 1"
	wait_for 30 t1_up || fail "not Established with GTSM in 30 s: tb" \
	    "$(impl_call state tb "$T1_GW"), gw $(impl_call state gw "$T1_TB")"
	tb_alive
	PASS_NOTE="Established with ttl-security hops 1 on both sides"
}

case_gtsmbad() {
	SIDE_IMPL[gw]=$1
	local n
	# Both sides connect, and FRR's higher identifier would make tbgpd
	# keep FRR's connection in a collision (RFC 4271 6.8): a TTL-1
	# segment that slipped through would show.
	SIDE_ID[gw]=192.0.2.250
	gtsm_lab 0 0 " neighbor $T1_GW ttl-security hops 1" ""
	never_up 20
	tb_alive
	n=$(tbgpd_neighbor tb "$T1_GW" messageStats | json_get opensRecv) ||
	    fail "no messageStats for $T1_GW"
	[ "$n" = 0 ] || fail "tbgpd received $n OPEN(s) sent with TTL 1"
	# The SYN's TTL is checked before anything is read, and said once.
	n=$(grep -c 'connection refused: TTL 1 below the GTSM minimum 255' \
	    "$(tb_log)")
	[ "$n" = 1 ] || fail "GTSM refusal logged $n times, want once"
	PASS_NOTE="no session in 20 s (peer TTL 1 < 255, refused at accept), daemon alive"
}

# Loopback addresses reached over tunnel 1, as a multihop session between
# router loopbacks would be.
LO_GW=10.255.0.1
LO_TB=10.255.0.2

lab_loopbacks() {
	nsx gw ip addr add "$LO_GW/32" dev lo
	nsx tb ip addr add "$LO_TB/32" dev lo
	nsx gw ip route add "$LO_TB/32" via "$T1_TB"
	nsx tb ip route add "$LO_GW/32" via "$T1_GW"
	wait_for 10 nsx tb ping -c1 -W1 -I "$LO_TB" "$LO_GW" >/dev/null ||
	    fail "loopbacks do not reach each other"
}

# The session runs between the loopbacks: FRR accepts only a connection
# from $LO_TB, so tbgpd must bind its update-source.
case_multihop() {
	local port
	SIDE_IMPL[gw]=$1
	SIDE_IMPL[tb]=tbgpd
	add_nbr gw "$LO_TB" "$LO_GW" "$TB_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$LO_GW" "$LO_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	echo " neighbor $LO_GW ebgp-multihop 2" >"$RUND/tb.extra"
	echo " neighbor $LO_TB ebgp-multihop 2" >"$RUND/gw.extra"
	lab_start_with lab_loopbacks "$1"
	wait_for 30 lo_up || fail "not Established with ebgp-multihop in" \
	    "30 s: tb $(impl_call state tb "$LO_GW"), gw $(impl_call state gw "$LO_TB")"
	[ "$(tbgpd_neighbor tb "$LO_GW" hostLocal)" = "$LO_TB" ] ||
	    fail "tbgpd's end is not its update-source $LO_TB"
	port=$(tbgpd_neighbor tb "$LO_GW" portForeign)
	[ "$port" = 179 ] || fail "session not opened by tbgpd (port $port)"
	tb_alive
	PASS_NOTE="Established between loopbacks, ebgp-multihop 2, update-source"
}

lo_up() { is_up tb "$LO_GW" && is_up gw "$LO_TB"; }

# silent-IMPL: the keys differ and only tbgpd connects, so the gateway's
# kernel drops every SYN without a word (RFC 2385 3).  With a 5 s connect
# retry, tbgpd must say once that its attempts get no answer and hint at
# the likely causes, however many attempts time out.
case_silent() {
	local n w="no answer after 5 s (tunnel down or TCP MD5 key mismatch?)"
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 1 rob-gw-key "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 rob-tb-key "$AWS_HOLD" "$AWS_KA"
	echo " neighbor $T1_GW timers connect 5" >"$RUND/tb.extra"
	lab_start "$1"
	never_up 17
	tb_alive
	n=$(grep -cF "connect to $T1_GW port 179: $w" "$(tb_log)")
	[ "$n" = 1 ] || fail "'$w' logged $n times in 17 s (3 attempts)"
	PASS_NOTE="'$w' logged once, daemon alive"
}

# gw_timers SIDE ADDR: "HOLD KEEPALIVE" in seconds as the gateway
# negotiated them, read from its own CLI.
gw_timers() {
	local h k
	case ${SIDE_IMPL[gw]} in
	bird)
		h=$(bird_show gw "$1" | sed -n 's|^ *Hold timer: *[0-9.]*/||p')
		k=$(bird_show gw "$1" | sed -n 's|^ *Keepalive timer: *[0-9.]*/||p')
		;;
	frr)
		h=$(($(frr_neighbor gw "$1" bgpTimerHoldTimeMsecs) / 1000))
		k=$(($(frr_neighbor gw "$1" bgpTimerKeepAliveIntervalMsecs) / 1000))
		;;
	esac
	echo "$h $k"
}

# tb_timers ADDR: the same as tbgpd reports it.
tb_timers() {
	local h k
	h=$(impl_call neighbor tb "$1" bgpTimerHoldTimeMsecs) || return 1
	k=$(impl_call neighbor tb "$1" bgpTimerKeepAliveIntervalMsecs) ||
	    return 1
	echo "$((h / 1000)) $((k / 1000))"
}

case_timers() {
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 0 - 60 20
	add_nbr gw "$T2_TB" "$T2_GW" "$TB_AS" 0 - 180 60
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - 60 20
	add_nbr tb "$T2_GW" "$T2_TB" "$GW_AS" 0 - 180 60
	lab_start "$1"
	wait_for 60 both_up || fail "not Established within 60 s"
	local want a got
	for want in "$T1_GW 60 20" "$T2_GW 180 60"; do
		a=${want%% *}
		got=$(tb_timers "$a") || fail "tb: no timers for $a"
		[ "$a $got" = "$want" ] ||
		    fail "tb: $a negotiated '$got', want '${want#* }'"
	done
	for want in "$T1_TB 60 20" "$T2_TB 180 60"; do
		a=${want%% *}
		got=$(gw_timers "$a")
		[ "$a $got" = "$want" ] ||
		    fail "gw: $a negotiated '$got', want '${want#* }'"
	done
	PASS_NOTE="GCP 20/60 and Azure 60/180 negotiated as configured on both sides"
}

# mute_arp on|off: make tunnel 1 drop every frame silently in both
# directions (permanent neighbor entries with a MAC nobody has), or undo
# it.  Connection attempts then hang in SYN-SENT instead of failing, so
# both sides' attempts are in flight together when it is undone.
mute_arp() {
	local side addr dev
	for side in gw tb; do
		addr=$T1_TB dev=${LAB_ID}t1g
		[ "$side" = tb ] && addr=$T1_GW dev=${LAB_ID}t1t
		if [ "$1" = on ]; then
			nsx "$side" ip neigh replace "$addr" dev "$dev" \
			    lladdr 02:00:5e:00:de:ad nud permanent
		else
			nsx "$side" ip neigh del "$addr" dev "$dev"
		fi
	done
}

case_collide() {
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	lab_net_hook=mute_arp
	lab_start "$1"
	# Both sides now have a connection attempt in SYN-SENT; let the
	# retransmitted SYNs cross.
	pause 3
	mute_arp off
	wait_for 60 is_up tb "$T1_GW" || fail "tb: not Established in 60 s"
	wait_for 20 is_up gw "$T1_TB" || fail "gw: not Established in 20 s"
	# Long enough for the losing connection to be torn down and for any
	# flap it causes to show.
	pause 15
	tb_alive
	if ! is_up tb "$T1_GW" || ! is_up gw "$T1_TB"; then
		fail "session did not survive the collision"
	fi
	[ "$(impl_call established tb "$T1_GW")" = 1 ] ||
	    fail "tb: came up more than once"
	if impl_has established gw; then
		[ "$(impl_call established gw "$T1_TB")" = 1 ] ||
		    fail "gw: came up more than once"
	fi
	# Which side drops its own attempt depends on whose retransmitted SYN
	# lands first; say which one did.
	PASS_NOTE="both sides connecting at once: one session, Established once on both"
	if grep -q 'connection collision' "$(tb_log)"; then
		PASS_NOTE="$PASS_NOTE (tbgpd dropped a duplicate)"
	else
		PASS_NOTE="$PASS_NOTE (the gateway dropped its attempt)"
	fi
}
