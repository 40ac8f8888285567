# shellcheck shell=bash
# SIDE_* are lib.sh's associative arrays (checked together through case.sh
# with shellcheck -x); alone, their uses look wrong.  "A && B || fail"
# is meant: fail when any check does.  The cases are called by name from
# case.sh.
# shellcheck disable=SC2034,SC2154,SC2015,SC2317
#
# static.sh: static routes switched by liveness (issue 17; tbgpd(8)
# STATIC ROUTES).  The gateway speaks no BGP: tbgpd runs without router
# bgp, with two static routes for the VPC 172.16.0.0/16, tunnel 1 at
# distance 10 and tunnel 2 at 20.  A route sampler (sampler.py) asks the
# host's kernel for the route to 172.16.0.1 about every millisecond for
# the whole case: it times every move and must never see "no route".
#
# static-icmp: no routing daemon at all on the gateway; both routes have
# `liveness icmp interval 100 multiplier 3` to their next hops.
#   (a) the primary is installed;
#   (b) silent tunnel: the gateway's tunnel 1 address is removed, the
#       links stay up: the route is on tunnel 2 within 1 s;
#   (c) repaired (the address back): on tunnel 1 again within 3 s;
#   (d) carrier loss (the gateway's end of tunnel 1 down): on tunnel 2 at
#       once (under 250 ms, the event's latency on a loaded machine);
#   (e) carrier back: on tunnel 1 within 3 s;
#   and show ip static says why at each step.
# static-target: the same with the probes of both routes going to a host
# behind the tunnels (172.16.0.10, on the gateway's loopback), as the
# field scripts ping.
# static-icmp also reloads a configuration that adds a route and changes
# tunnel 2's options: the kernel must hear nothing about 172.16.0.0/16
# (ip monitor), the new route must be there.
# staticbfd-bird, staticbfd-frr: tunnel 1's route tracked by BFD (100 ms
# x 3) against BIRD's `protocol bfd` or FRR's bfdd (with zebra), neither
# running BGP: BFD Up, silent tunnel -> tunnel 2 within 1 s, repaired ->
# back, the gateway's BFD stopped (SIGSTOP) -> tunnel 2 within 1 s,
# resumed -> back.

ST_PFX=172.16.0.0/16
ST_DST=172.16.0.1
ST_TARGET=172.16.0.10

st_sh() { tbgpd_sh tb "$1"; }

# st_nh INDEX KEY...: show ip static json, next hop INDEX (0: tunnel 1 at
# distance 10, 1: tunnel 2 at 20) of the VPC's prefix.
st_nh() {
	local i=$1
	shift
	st_sh 'show ip static json' 2>/dev/null |
	    json_get "$ST_PFX" nexthops "$i" "$@"
}

st_ready() { st_sh 'show ip static json' >/dev/null 2>&1; }

# st_lab: the two tunnels and the VPC's address behind the gateway; no
# daemon there (a BFD case starts one).
st_lab() {
	SIDE_IMPL[gw]=$1
	SIDE_IMPL[tb]=tbgpd
	[ "$(id -u)" = 0 ] || fail "cannot run: needs root (network namespaces)"
	command -v python3 >/dev/null ||
	    fail "cannot run: python3 missing (the route sampler)"
	[ -x "$(TBGPD_BIN)" ] || fail "cannot run: no tbgpd in $TBGPD_BUILD"
	lab_net
	ip -n "${SIDE_NS[gw]}" addr add "$ST_TARGET/32" dev lo ||
	    fail "cannot put the VPC's address on the gateway"
}

# st_start LINE...: tbgpd with these lines as its whole configuration.
st_start() {
	local conf="$OUTD/tb-tbgpd.conf"
	{
		echo "log stdout informational"
		printf '%s\n' "$@"
	} >"$conf"
	"$(TBGPD_BIN)" -n -f "$conf" >"$OUTD/tb-tbgpd-n.out" 2>&1 ||
	    fail "tbgpd -n rejects $conf: $(head -3 "$OUTD/tb-tbgpd-n.out")"
	spawn tb tbgpd "$(TBGPD_BIN)" -d -f "$conf" -s "$RUND/tb.sock"
	wait_for 20 st_ready || fail "tbgpd did not start: $(tail -n 3 \
	    "$OUTD/tb-tbgpd.log")"
	! listening tb 179 || fail "tbgpd listens on port 179 without BGP"
}

# The system's python: a wrapper (pyenv's shim) may take seconds to start.
st_python() {
	if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else
		command -v python3; fi
}

st_sampler_start() {
	spawn tb sampler "$(st_python)" "$INTEROP_DIR/sampler.py" "$ST_DST" \
	    "$OUTD/sampler.txt"
	wait_for 10 test -s "$OUTD/sampler.txt" ||
	    fail "the route sampler did not start: $(cat \
	    "$OUTD/tb-sampler.log")"
}

# st_sampler_stop: ends it; prints "LOOKUPS NOROUTE".
st_sampler_stop() {
	local pid
	pid=$(pid_of tb-sampler)
	kill -TERM "$pid" 2>/dev/null
	wait_for 5 grep -q '^end ' "$OUTD/sampler.txt" ||
	    fail "the route sampler did not end: $(cat \
	    "$OUTD/tb-sampler.log")"
	awk '$1 == "end" { print $2, $3 }' "$OUTD/sampler.txt"
}

# st_moved_at GW T0: when (ms) the sampler first saw the route via GW at
# or after T0; nothing if not yet.
st_moved_at() {
	awk -v gw="$1" -v t0="$2" '
	$1 != "end" && $1 >= t0 && $2 == "gw" && $3 == gw { print $1; exit }
	' "$OUTD/sampler.txt"
}

st_has_moved() { [ -n "$(st_moved_at "$1" "$2")" ]; }

# st_carrier_lost IFNAME T0: ms after T0 when the kernel reported that
# IFNAME lost carrier (the sampler's link events).
st_carrier_lost() {
	awk -v i="$1" -v t0="$2" '
	$1 != "end" && $1 >= t0 && $2 == "link" && $3 == i && $4 == "down" {
		print $1 - t0; found = 1; exit
	}
	END { exit !found }' "$OUTD/sampler.txt"
}

# st_moved GW T0 LIMIT WHAT: wait (5 s or 3 x LIMIT) for the route to be
# via GW after T0, fail if it took LIMIT ms or more; prints the ms.
st_moved() {
	local gw=$1 t0=$2 limit=$3 what=$4 wait at
	wait=$((limit * 3 > 5000 ? limit * 3 : 5000))
	wait_for_ms "$wait" st_has_moved "$gw" "$t0" ||
	    fail "$what: the route to $ST_DST is not via $gw within" \
	    "$wait ms: $(fib_get "$ST_DST"); tbgpd: $(st_nh 0 reason)"
	at=$(($(st_moved_at "$gw" "$t0") - t0))
	[ "$at" -lt "$limit" ] || fail "$what: the route to $ST_DST moved" \
	    "to $gw after $at ms, want under $limit ms"
	echo "$at"
}

# st_why INDEX STATE WORDS: show ip static says the next hop is STATE
# for a reason beginning with WORDS.
st_why() {
	local s r
	st_sh 'show ip static json' >"$OUTD/tb-static.json" 2>&1
	s=$(json_get "$ST_PFX" nexthops "$1" state <"$OUTD/tb-static.json")
	r=$(json_get "$ST_PFX" nexthops "$1" reason <"$OUTD/tb-static.json")
	[ "$s" = "$2" ] && [ "${r#"$3"}" != "$r" ] ||
	    fail "show ip static: next hop $1 is '$s' ($r), want '$2'" \
	    "($3...); see tb-static.json"
}

# st_text: the FRR-style listing marks tunnel $1's line selected and in
# the kernel.
st_text_selected() {
	st_sh 'show ip route static' >"$OUTD/tb-route-static.txt" 2>&1
	grep -qE "^S>\\* $ST_PFX \\[[0-9]+/0\\] via $1," \
	    "$OUTD/tb-route-static.txt" ||
	    fail "show ip route static does not show the route via $1" \
	    "selected and installed: $(cat "$OUTD/tb-route-static.txt")"
}

st_has_route() { ip -n "${SIDE_NS[tb]}" route show "$1" | grep -q .; }

# st_reload_untouched: reload with a new route and tunnel 2's
# failback-delay changed; nothing about the VPC's route may reach the
# kernel.
st_reload_untouched() {
	local conf="$OUTD/tb-tbgpd.conf" out
	spawn tb monitor ip monitor route
	pause 0.5
	sed -i "s|^\(ip route $ST_PFX $T2_GW 20 .*\)|\1 failback-delay 7|" \
	    "$conf"
	echo "ip route 10.9.0.0/16 blackhole" >>"$conf"
	out=$(st_sh reload 2>&1) || fail "reload failed: $out"
	wait_for 5 st_has_route 10.9.0.0/16 ||
	    fail "reload: 10.9.0.0/16 (added) not in the kernel"
	[ "$(st_nh 1 failbackDelay)" = 7 ] ||
	    fail "reload: tunnel 2's failback-delay not applied"
	pause 1
	kill -TERM "$(pid_of tb-monitor)"
	grep -qF 10.9.0.0/16 "$OUTD/tb-monitor.log" ||
	    fail "ip monitor did not see the added route: it saw nothing"
	! grep -F "${ST_PFX%/*}" "$OUTD/tb-monitor.log" ||
	    fail "reload touched $ST_PFX in the kernel:" \
	    "$(grep -F "${ST_PFX%/*}" "$OUTD/tb-monitor.log" | head -2)"
}

# st_acts WHAT: (b) to (e) of static-icmp; sets ST_NOTE.
st_acts() {
	local gwns=${SIDE_NS[gw]} t0 sil rep car back n kev react
	wait_for 10 fib_via "$ST_DST" "$T1_GW" ||
	    fail "kernel: $ST_DST not via tunnel 1: $(fib_get "$ST_DST")"
	st_text_selected "$T1_GW"
	st_why 0 up "ICMP: "
	st_sampler_start
	# (b) silent: the gateway's tunnel 1 address goes, links stay up.
	t0=$(now_ms)
	ip -n "$gwns" addr del "$T1_GW/30" dev "${LAB_ID}t1g" ||
	    fail "cannot remove the gateway's tunnel 1 address"
	sil=$(st_moved "$T2_GW" "$t0" 1000 "silent tunnel 1") || exit 1
	link_up "${SIDE_NS[tb]}" "${LAB_ID}t1t" ||
	    fail "tunnel 1 lost carrier: the act needs a silent tunnel"
	st_why 0 down "ICMP: "
	st_text_selected "$T2_GW"
	# (c) repaired.
	t0=$(now_ms)
	ip -n "$gwns" addr add "$T1_GW/30" dev "${LAB_ID}t1g" ||
	    fail "cannot put the gateway's tunnel 1 address back"
	rep=$(st_moved "$T1_GW" "$t0" 3000 "tunnel 1 repaired") || exit 1
	# (d) carrier loss: the kernel reports it through its linkwatch,
	# which batches link changes (up to a second after the last one of
	# any namespace); from its report tbgpd must act at once.
	t0=$(now_ms)
	ip -n "$gwns" link set "${LAB_ID}t1g" down ||
	    fail "cannot set the gateway's end of tunnel 1 down"
	car=$(st_moved "$T2_GW" "$t0" 1500 "carrier loss on tunnel 1") ||
	    exit 1
	kev=$(st_carrier_lost "${LAB_ID}t1t" "$t0") ||
	    fail "the sampler saw no carrier loss of ${LAB_ID}t1t"
	react=$((car - kev))
	[ "$react" -lt 100 ] || fail "carrier loss: the route moved $react ms" \
	    "after the kernel reported it, want under 100 ms"
	if [ "$react" -ge 0 ]; then
		react="$react ms after the kernel reported it $kev ms in"
	else
		react="the probes first: the kernel reported it $kev ms in"
	fi
	st_why 0 down "interface ${LAB_ID}t1t is "
	# (e) carrier back.
	t0=$(now_ms)
	ip -n "$gwns" link set "${LAB_ID}t1g" up ||
	    fail "cannot set the gateway's end of tunnel 1 up"
	back=$(st_moved "$T1_GW" "$t0" 3000 "tunnel 1's carrier back") ||
	    exit 1
	[ -z "${ST_RELOAD:-}" ] || st_reload_untouched
	n=$(st_sampler_stop) || exit 1
	[ "${n#* }" = 0 ] || fail "the route sampler saw no route to $ST_DST" \
	    "${n#* } times in ${n% *} lookups: $(grep noroute \
	    "$OUTD/sampler.txt" | head -3)"
	[ "${n% *}" -gt 1000 ] ||
	    fail "the route sampler made only ${n% *} lookups"
	st_text_selected "$T1_GW"
	tb_alive_static
	ST_NOTE="silent -> tunnel 2 in $sil ms, repaired -> back in $rep ms, carrier loss -> tunnel 2 in $car ms ($react), carrier back -> back in $back ms; ${n% *} lookups, none without a route"
}

tb_alive_static() {
	alive tb-tbgpd || fail "tbgpd exited: $(tail -n 3 "$(tb_log)")"
	st_ready || fail "tbgpd no longer answers its shell"
}

case_static() {
	local kind=$1 t1 t2 opts="liveness icmp interval 100 multiplier 3"
	case $kind in
	icmp) t1=$opts t2=$opts ;;
	target) t1="$opts target $ST_TARGET" t2="$opts target $ST_TARGET" ;;
	*) fail "case static-$kind: no such variant (icmp, target)" ;;
	esac
	st_lab none
	st_start "ip route $ST_PFX $T1_GW 10 $t1" "ip route $ST_PFX $T2_GW 20 $t2"
	[ "$kind" = icmp ] && ST_RELOAD=1
	st_acts
	if [ "$kind" = icmp ]; then
		PASS_NOTE="probes 100 ms x 3 to the next hops: $ST_NOTE; a reload adding a route left $ST_PFX untouched"
	else
		PASS_NOTE="probes 100 ms x 3 to $ST_TARGET behind the tunnels: $ST_NOTE"
	fi
}

# --------------------------------------------------------------- BFD

# BIRD with nothing but BFD to tbgpd's tunnel 1 address.
st_bird_bfd() {
	local conf="$OUTD/gw-bird.conf"
	cat >"$conf" <<-EOF
	router id $T1_GW;
	log stderr all;
	protocol device { }
	protocol bfd {
	  interface "${LAB_ID}t1g" {
	    min rx interval 100 ms; min tx interval 100 ms;
	    idle tx interval 1000 ms; multiplier 3;
	  };
	  neighbor $T1_TB dev "${LAB_ID}t1g";
	}
	EOF
	bird -p -c "$conf" >"$OUTD/gw-bird-p.out" 2>&1 ||
	    fail "bird rejects $conf: $(cat "$OUTD/gw-bird-p.out")"
	spawn gw bird bird -f -c "$conf" -s "$RUND/gw-bird.ctl" \
	    -P "$RUND/gw-bird.pid"
	wait_for 20 bird_ready gw || fail "bird did not start"
}

# FRR's zebra and bfdd (no bgpd) with one BFD peer, tbgpd's tunnel 1.
st_frr_bfd() {
	local d="$RUND/gw-frr"
	mkdir -p "$d"
	echo "hostname gw" >"$OUTD/gw-zebra.conf"
	cat >"$OUTD/gw-bfdd.conf" <<-EOF
	hostname gw
	log stdout debugging
	bfd
	 peer $T1_TB interface ${LAB_ID}t1g
	  receive-interval 100
	  transmit-interval 100
	  detect-multiplier 3
	 exit
	exit
	EOF
	spawn gw zebra /usr/lib/frr/zebra -u root -g frrvty \
	    -f "$OUTD/gw-zebra.conf" -i "$d/zebra.pid" --vty_socket "$d" \
	    -z "$d/zserv.api" -P 0
	wait_for 10 test -S "$d/zserv.api" || fail "zebra did not start"
	spawn gw bfdd /usr/lib/frr/bfdd -u root -g frrvty \
	    -f "$OUTD/gw-bfdd.conf" -i "$d/bfdd.pid" --vty_socket "$d" \
	    -z "$d/zserv.api" --bfdctl "$d/bfdd.sock" -P 0
	wait_for 10 test -S "$d/bfdd.vty" || fail "bfdd did not start"
	bfd_frr_tmpdirs
}

st_bfd_up() { [ "$(st_nh 0 tracking state)" = up ] && bfd_gw_is up; }

case_staticbfd() {
	local gw=$1 t0 pid sil rep stop res n
	local gwns
	case $gw in
	bird) command -v bird >/dev/null ||
		fail "cannot run: BIRD not installed (apt-get install bird2)" ;;
	frr) [ -x /usr/lib/frr/bfdd ] ||
		fail "cannot run: FRR not installed (apt-get install frr)" ;;
	*) fail "case staticbfd is written for bird and frr" ;;
	esac
	st_lab "$gw"
	gwns=${SIDE_NS[gw]}
	"st_${gw}_bfd"
	st_start "ip route $ST_PFX $T1_GW 10 bfd interval 100 min-rx 100 multiplier 3" \
	    "ip route $ST_PFX $T2_GW 20"
	wait_for 15 st_bfd_up || fail "BFD not Up within 15 s: tbgpd" \
	    "'$(st_nh 0 tracking state)', $gw '$(bfd_gw_state)'"
	wait_for 10 fib_via "$ST_DST" "$T1_GW" ||
	    fail "kernel: $ST_DST not via tunnel 1: $(fib_get "$ST_DST")"
	st_why 0 up "BFD: "
	st_sampler_start
	t0=$(now_ms)
	ip -n "$gwns" addr del "$T1_GW/30" dev "${LAB_ID}t1g" ||
	    fail "cannot remove the gateway's tunnel 1 address"
	sil=$(st_moved "$T2_GW" "$t0" 1000 "silent tunnel 1") || exit 1
	st_why 0 down "BFD: "
	t0=$(now_ms)
	ip -n "$gwns" addr add "$T1_GW/30" dev "${LAB_ID}t1g" ||
	    fail "cannot put the gateway's tunnel 1 address back"
	rep=$(st_moved "$T1_GW" "$t0" 5000 "tunnel 1 repaired") || exit 1
	pid=$(pid_of "gw-$([ "$gw" = bird ] && echo bird || echo bfdd)")
	t0=$(now_ms)
	kill -STOP "$pid" || fail "cannot stop $gw's BFD ($pid)"
	stop=$(st_moved "$T2_GW" "$t0" 1000 "$gw's BFD stopped") || exit 1
	t0=$(now_ms)
	kill -CONT "$pid"
	res=$(st_moved "$T1_GW" "$t0" 10000 "$gw's BFD resumed") || exit 1
	n=$(st_sampler_stop) || exit 1
	[ "${n#* }" = 0 ] || fail "the route sampler saw no route to $ST_DST" \
	    "${n#* } times in ${n% *} lookups"
	st_text_selected "$T1_GW"
	tb_alive_static
	PASS_NOTE="BFD 100 ms x 3 with $gw's bfd, no BGP: silent -> tunnel 2 in $sil ms, repaired -> back in $rep ms; $gw's BFD stopped -> tunnel 2 in $stop ms, resumed -> back in $res ms; ${n% *} lookups, none without a route"
}

# ------------------------------------------------------ beside BGP
#
# staticbgp-bird: the VPC lab of routes.sh (BIRD announces 172.16-19/16
# over both tunnels, tbgpd prefers tunnel 1 for 172.16) with static
# routes beside BGP:
#   172.16.0.0/16 via tunnel 2 at distance 250: a floating backup, unused
#     while BGP has the prefix; BIRD withdraws it (its static protocol
#     disabled): the static route takes over in one replace (the sampler
#     never sees no route) with protocol 196; BIRD announces it again:
#     BGP's route (distance 20) is back, protocol 186;
#   172.19.0.0/16 via tunnel 2 at distance 5: beats BGP's (via tunnel 1);
#   10.77.0.0/16 blackhole: announced by `redistribute static` (through
#     the case's route-map), seen by BIRD;
#   10.88.0.0/16 blackhole: a `network 10.88.0.0/16` whose
#     import check only a static route satisfies: announced.

st_proto_of() {
	ip -n "${SIDE_NS[tb]}" route show "$1" | sed -n 's/.* proto \([^ ]*\).*/\1/p' |
	    head -n 1
}

st_proto_is() { [ "$(st_proto_of "$1")" = "$2" ]; }

# The kernel names 196 "static" where FRR's rt_protos.d is installed.
st_static_proto() { st_proto_is "$1" static || st_proto_is "$1" 196; }

case_staticbgp() {
	local gw=$1 t0 flt back n
	[ "$gw" = bird ] || fail "case staticbgp is written for bird"
	vpc_gw_conf bird
	TB_EXTRA_CONF="ip prefix-list P77 seq 5 permit 10.77.0.0/16
route-map REDIST permit 20
 match ip address prefix-list P77
ip route $ST_PFX $T2_GW 250
ip route 172.19.0.0/16 $T2_GW 5
ip route 10.77.0.0/16 blackhole
ip route 10.88.0.0/16 blackhole
router bgp $TB_AS
 network 10.88.0.0/16"
	vpc_lab_start bird
	rib_wait 30 "$RIB_BOTH" "with both tunnels"
	wait_for 10 fib_via "$ST_DST" "$T1_GW" ||
	    fail "kernel: $ST_DST not via BGP's tunnel 1: $(fib_get "$ST_DST")"
	st_proto_is "$ST_PFX" bgp ||
	    fail "kernel: $ST_PFX is proto '$(st_proto_of "$ST_PFX")', want bgp"
	[ "$(st_sh 'show ip static json' | json_get "$ST_PFX" \
	    selectedProtocol)" = bgp ] ||
	    fail "show ip static: $ST_PFX not BGP's (floating static at 250)"
	wait_for 10 fib_via 172.19.0.1 "$T2_GW" ||
	    fail "kernel: 172.19.0.1 not via the static route (distance 5" \
	    "beats BGP's 20): $(fib_get 172.19.0.1)"
	st_static_proto 172.19.0.0/16 || fail "kernel: 172.19.0.0/16 is" \
	    "proto '$(st_proto_of 172.19.0.0/16)', want static (196)"
	st_sh "show bgp ipv4 unicast 172.19.0.0/16" >"$OUTD/tb-bgp-172.19.txt" 2>&1
	grep -qF "Kernel: a static route is installed instead" \
	    "$OUTD/tb-bgp-172.19.txt" || fail "show bgp ipv4 unicast" \
	    "172.19.0.0/16 does not say the static route won: $(grep Kernel \
	    "$OUTD/tb-bgp-172.19.txt")"
	wait_for 15 gw_has 10.77.0.0/16 >/dev/null ||
	    fail "bird never got 10.77.0.0/16 (redistribute static)"
	wait_for 15 gw_has 10.88.0.0/16 >/dev/null || fail "bird never got" \
	    "10.88.0.0/16 (network, import check met by a static route)"
	st_sampler_start
	t0=$(now_ms)
	bird_cli gw "disable vpc" >/dev/null ||
	    fail "cannot disable bird's static protocol"
	flt=$(st_moved "$T2_GW" "$t0" 3000 "BGP withdrew $ST_PFX") || exit 1
	st_static_proto "$ST_PFX" || fail "kernel: $ST_PFX is proto" \
	    "'$(st_proto_of "$ST_PFX")' on the floating static route"
	t0=$(now_ms)
	bird_cli gw "enable vpc" >/dev/null ||
	    fail "cannot enable bird's static protocol"
	back=$(st_moved "$T1_GW" "$t0" 5000 "BGP announced $ST_PFX again") ||
	    exit 1
	wait_for 5 st_proto_is "$ST_PFX" bgp ||
	    fail "kernel: $ST_PFX is proto '$(st_proto_of "$ST_PFX")' once BGP is back"
	n=$(st_sampler_stop) || exit 1
	[ "${n#* }" = 0 ] || fail "the route sampler saw no route to $ST_DST" \
	    "${n#* } times in ${n% *} lookups"
	tb_alive
	PASS_NOTE="floating static (250) under BGP: unused while BGP has $ST_PFX, took over in $flt ms when BGP withdrew it (proto bgp -> static, no lookup without a route in ${n% *}), BGP back in $back ms; static at 5 beat BGP for 172.19.0.0/16; redistribute static and a network met by a static route reached bird"
}
