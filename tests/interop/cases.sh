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

POSITIVE_IMPLS="bird frr gobgp openbgpd exabgp"

case_list() {
	local i
	for i in $POSITIVE_IMPLS; do echo "up-$i"; done
	for i in $POSITIVE_IMPLS; do echo "md5-$i"; done
	echo badas-bird badas-frr badas-openbgpd
	echo badmd5-bird badmd5-gobgp
	echo holdtime-bird holdtime-gobgp
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
