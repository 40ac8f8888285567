#!/bin/bash
#
# lab.sh [up|demo|down|status]: the two-tunnel lab to play with by hand.
# A gateway namespace where BIRD 2 plays the AWS VPN gateway (AS 64512,
# keepalive 10, hold 30) and a host namespace running tbgpd (AS 65000),
# joined by the two AWS tunnels:
#
#   tunnel 1  169.254.116.208/30   gateway .209   tbgpd .210   (primary)
#   tunnel 2  169.254.214.96/30    gateway .97    tbgpd .98    (backup)
#
# Routes flow as in the rib-* interop cases (routes.sh): the gateway
# announces four VPC prefixes over both tunnels, tunnel 2's prepended,
# tbgpd applies its route-maps, installs the best paths in the kernel and
# announces 10.0.0.0/16 back.  tbgpd also probes both gateways with ICMP
# (`liveness icmp interval 200 multiplier 3`), so a tunnel that dies
# without a link event is noticed in well under a second.
#
#   (none)  if the lab is down: "up", then "demo"; if it is up: "down".
#           The README's first command: run it once to see failover, run
#           it again to clean up.
#   up      build the lab (or report the running one), wait until both
#           sessions are Established, show the summary and routes.
#   demo    on the lab (built first if needed): show 172.16.0.0/16 on
#           tunnel 1, take tunnel 1 away twice (carrier loss, then a
#           silent death), each time show the route on tunnel 2 with the
#           time it took, repair it and show the route back on tunnel 1.
#   down    remove the lab.      status   show whether it is up.
#
# LAB_GW=frr|gobgp|openbgpd|exabgp plays the gateway with another
# implementation (the demo needs bird or frr, which announce the VPC
# routes); TBGPD_BUILD as for run.sh; INTEROP_PREFIX names the namespaces.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/interop/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/interop/impl.sh
. "$here/impl.sh"
# shellcheck source=tests/interop/cases.sh
. "$here/cases.sh"
# shellcheck source=tests/interop/routes.sh
. "$here/routes.sh"

LAB_RUN=/tmp/$INTEROP_PREFIX-lab.run
LAB_OUT=${INTEROP_OUT:-$here/out}/lab
# ICMP probes on both tunnels: 3 echo requests unanswered at 200 ms
# intervals close the session (about 0.6 s), 3 replies in a row open it.
LAB_PROBE="interval 200 multiplier 3"
# What the demo follows: one address of the VPC's 172.16.0.0/16.
LAB_DST=172.16.0.1
# The longest a step of the demo may take before it is called a failure.
LAB_DOWN_MAX_MS=5000
LAB_BACK_MAX_MS=20000

lab_is_up() {
	ip netns list 2>/dev/null | grep -q "^$INTEROP_PREFIX-lab-tb\\b"
}

lab_down() {
	LAB_ID=lab
	lab_names lab
	RUND=$LAB_RUN
	lab_destroy
	echo "lab is down (namespaces ${SIDE_NS[gw]} and ${SIDE_NS[tb]} removed)"
}

# lab_attach: the variables of the running lab, for a later invocation.
lab_attach() {
	LAB_ID=lab
	lab_names lab
	RUND=$LAB_RUN
	OUTD=$LAB_OUT
	SIDE_IMPL[tb]=tbgpd
	SIDE_IMPL[gw]=$(cat "$LAB_RUN/gw.impl" 2>/dev/null || echo bird)
}

# lab_tb_policy: tbgpd's configuration beyond the neighbor lines: the
# probes first (router bgp statements), then the route policy of the
# rib-* cases, whose router bgp statements come first too.
lab_tb_policy() {
	echo " neighbor $T1_GW liveness icmp $LAB_PROBE"
	echo " neighbor $T2_GW liveness icmp $LAB_PROBE"
	tb_route_policy
}

lab_summary() {
	echo "---- tbgpsh -c 'show bgp summary'"
	tbgpsh -s "$LAB_RUN/tb.sock" -c 'show bgp summary'
	echo "---- tbgpsh -c 'show bgp ipv4 unicast'"
	tbgpsh -s "$LAB_RUN/tb.sock" -c 'show bgp ipv4 unicast'
}

# lab_gw_cli: how to talk to the gateway by hand.
lab_gw_cli() {
	case $(cat "$LAB_RUN/gw.impl") in
	bird) echo "birdc -s $LAB_RUN/gw-bird.ctl show protocols" ;;
	*) echo "see its configuration and log in $LAB_OUT" ;;
	esac
}

lab_help() {
	cat <<EOT
---- The lab is up.
Namespaces ${SIDE_NS[gw]} (gateway: $(cat "$LAB_RUN/gw.impl"), AS $GW_AS) and
${SIDE_NS[tb]} (tbgpd, AS $TB_AS); logs and configurations in $LAB_OUT.
  tbgpd's shell:  ip netns exec ${SIDE_NS[tb]} $TBGPD_BUILD/vtysh-lite/tbgpsh -s $LAB_RUN/tb.sock
                  (try: show bgp summary, show bgp neighbors $T1_GW,
                   show bgp ipv4 unicast 172.16.0.0/16, show ip route bgp)
  host shell:     ip netns exec ${SIDE_NS[tb]} bash
  gateway:        $(lab_gw_cli)
  break tunnel 1: ip -n ${SIDE_NS[gw]} link set ${LAB_ID}t1g down     (carrier loss)
                  ip -n ${SIDE_NS[gw]} addr del $T1_GW/30 dev ${LAB_ID}t1g   (silent)
  tear down:      run the same command again, or $0 down
EOT
}

lab_up() {
	local t0
	lab_names lab
	if lab_is_up; then
		echo "lab is already up"
		lab_summary
		lab_help
		return
	fi
	# Leftovers of a half-built lab go first.
	lab_down >/dev/null
	lab_init lab "$LAB_OUT" "$LAB_RUN"
	# A failure on the way up leaves nothing behind.
	trap 'lab_destroy' EXIT
	trap 'exit 1' INT TERM
	echo "== building the lab: ${LAB_GW:-bird} plays the AWS gateway (AS $GW_AS," \
	    "timers $AWS_KA/$AWS_HOLD), tbgpd AS $TB_AS"
	# tbgpd and the gateway both connect on both tunnels (neither is
	# passive), as with AWS, where either side may open the session.
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr gw "$T2_TB" "$T2_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T2_GW" "$T2_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	echo "${LAB_GW:-bird}" >"$LAB_RUN/gw.impl"
	lab_tb_policy >"$RUND/tb.extra"
	lab_net_hook=rib_kernel_route
	vpc_gw_conf "${LAB_GW:-bird}"
	t0=$(now_ms)
	lab_start "${LAB_GW:-bird}"
	wait_for 60 both_up || fail "sessions not Established within 60 s"
	case ${LAB_GW:-bird} in
	bird | frr) rib_wait 30 "$RIB_BOTH" "with both tunnels" ;;
	esac
	trap - EXIT INT TERM
	echo "   lab built, both sessions Established and routes in after" \
	    "$(($(now_ms) - t0)) ms"
	lab_summary
}

# ---------------------------------------------------------------- demo

# lab_route_is GW: the host's kernel sends LAB_DST via GW.
lab_route_is() { fib_via "$LAB_DST" "$1"; }

# lab_time GW LIMIT_MS T0: poll the kernel (no sleep between lookups, so
# the time is good to a millisecond or two) until LAB_DST goes via GW;
# print the milliseconds since T0, or fail after LIMIT_MS.
lab_time() {
	local gw=$1 limit=$2 t0=$3 now
	while :; do
		now=$(now_ms)
		lab_route_is "$gw" && break
		[ $((now - t0)) -lt "$limit" ] || return 1
		[ $((now - t0)) -lt 3000 ] || sleep 0.02
	done
	echo $((now - t0))
}

# lab_show_route: what the kernel and tbgpd say about 172.16.0.0/16.
lab_show_route() {
	echo "   \$ ip route get $LAB_DST"
	echo "   $(fib_get "$LAB_DST")"
	echo "   \$ tbgpsh -c 'show ip route bgp'   (172.16.0.0/16)"
	# The prefix's line and any further next-hop lines under it.
	tbgpd_sh tb 'show ip route bgp' |
	    awk '/ 172\.16\.0\.0\/16 / { p = 1; print "   " $0; next }
		p && /^ / { print "   " $0; next } { p = 0 }'
}

# lab_reason: tbgpd's last log line saying why tunnel 1's session went.
lab_reason() {
	grep -F "neighbor $T1_GW: down: " "$(tb_log)" | tail -n 1 |
	    sed 's/^/   tbgpd: /'
}

# lab_downs: how many times tbgpd logged tunnel 1's session going down.
lab_downs() { grep -cF "neighbor $T1_GW: down: " "$(tb_log)"; }

lab_downs_above() { [ "$(lab_downs)" -gt "$1" ]; }

# lab_act TITLE BREAK_CMD REPAIR_CMD: one failure and its repair, timed.
lab_act() {
	local title=$1 brk=$2 fix=$3 t0 ms n
	n=$(lab_downs)
	echo
	echo "== $title"
	echo "   \$ $brk"
	t0=$(now_ms)
	eval "$brk" || fail "cannot break tunnel 1: $brk"
	ms=$(lab_time "$T2_GW" "$LAB_DOWN_MAX_MS" "$t0") ||
	    fail "$LAB_DST not via tunnel 2 within $LAB_DOWN_MAX_MS ms:" \
	    "$(fib_get "$LAB_DST")"
	echo "   -> on the backup (tunnel 2) after $ms ms" \
	    "(the hold timer alone: up to $AWS_HOLD s)"
	lab_show_route
	# The line is written in the event-loop turn that moved the route;
	# the log file may lag a little.
	wait_for_ms 2000 lab_downs_above "$n" && lab_reason
	echo "   \$ $fix"
	t0=$(now_ms)
	eval "$fix" || fail "cannot repair tunnel 1: $fix"
	ms=$(lab_time "$T1_GW" "$LAB_BACK_MAX_MS" "$t0") ||
	    fail "$LAB_DST not back via tunnel 1 within $LAB_BACK_MAX_MS ms:" \
	    "$(fib_get "$LAB_DST")"
	echo "   -> back on the primary (tunnel 1) after $ms ms" \
	    "(session re-established, routes re-learnt)"
	echo "   $(fib_get "$LAB_DST")"
}

lab_demo() {
	local gwns=${SIDE_NS[gw]}
	case ${SIDE_IMPL[gw]} in
	bird | frr) ;;
	*) echo "the demo needs LAB_GW=bird or frr (${SIDE_IMPL[gw]} announces" \
		"no VPC routes)" >&2
		return 1 ;;
	esac
	wait_for 30 both_up || fail "the lab's sessions are not Established"
	wait_for 10 lab_route_is "$T1_GW" ||
	    fail "$LAB_DST is not via tunnel 1: $(fib_get "$LAB_DST")"
	echo
	echo "== 172.16.0.0/16 on the primary (tunnel 1, $T1_GW); times below run"
	echo "   from the command to 'ip route get' showing the new tunnel (polled,"
	echo "   a lookup takes about 2 ms)"
	lab_show_route
	lab_act "act 1, carrier loss: the gateway's end of tunnel 1 goes down" \
	    "ip -n $gwns link set ${LAB_ID}t1g down" \
	    "ip -n $gwns link set ${LAB_ID}t1g up"
	wait_for 30 both_up || fail "sessions not both up again after act 1"
	lab_act "act 2, silent death: the gateway's tunnel 1 address goes, links stay up" \
	    "ip -n $gwns addr del $T1_GW/30 dev ${LAB_ID}t1g" \
	    "ip -n $gwns addr add $T1_GW/30 dev ${LAB_ID}t1g"
	wait_for 30 both_up || fail "sessions not both up again after act 2"
	echo
}

# lab_toggle: the README's first command.
lab_toggle() {
	if lab_is_up; then
		lab_down
		return
	fi
	lab_up
	lab_attach
	# A failing step (fail exits) leaves the lab up for a look.
	(lab_demo) || echo "the demo failed; the lab stays up for a look"
	lab_help
}

case ${1:-} in
"") lab_toggle ;;
up) lab_up && lab_help ;;
demo)
	lab_is_up || lab_up
	lab_attach
	lab_demo
	lab_help
	;;
down) lab_down ;;
status)
	if lab_is_up; then
		tbgpsh -s "$LAB_RUN/tb.sock" -c 'show bgp summary'
	else
		echo "lab is down"
		exit 1
	fi
	;;
*)
	echo "usage: $0 [up|demo|down|status]" >&2
	exit 2
	;;
esac
