#!/bin/bash
#
# lab.sh up|down|status: the two-tunnel lab to play with by hand.  A
# gateway namespace where BIRD 2 plays the AWS VPN gateway (AS 64512,
# keepalive 10, hold 30) and a host namespace running tbgpd (AS 65000),
# joined by the two AWS tunnels:
#
#   tunnel 1  169.254.116.208/30   gateway .209   tbgpd .210
#   tunnel 2  169.254.214.96/30    gateway .97    tbgpd .98
#
# "up" builds it (or reports the running one), waits until both sessions
# are Established and shows tbgpd's summary and routes; "down" removes it.
# With BIRD (the default) or FRR as the gateway, routes flow as in the
# rib-* interop cases (routes.sh): the gateway announces four VPC
# prefixes over both tunnels, tbgpd applies its route-maps and announces
# 10.0.0.0/16 back, prepended on tunnel 2.  Both can
# be run any number of times.  LAB_GW=frr|gobgp|openbgpd|exabgp plays the
# gateway with another implementation; TBGPD_BUILD as for run.sh.
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

lab_is_up() {
	ip netns list 2>/dev/null | grep -q "^$INTEROP_PREFIX-lab-tb\\b"
}

lab_down() {
	LAB_ID=lab
	lab_names lab
	RUND=$LAB_RUN
	lab_destroy
	echo "lab is down"
}

lab_summary() {
	echo "---- tbgpsh -c 'show bgp summary'"
	tbgpsh -s "$LAB_RUN/tb.sock" -c 'show bgp summary'
	echo "---- tbgpsh -c 'show bgp ipv4 unicast'"
	tbgpsh -s "$LAB_RUN/tb.sock" -c 'show bgp ipv4 unicast'
	cat <<EOT
----
The lab is up.  Namespaces: ${SIDE_NS[gw]} (gateway: $(cat "$LAB_RUN/gw.impl"), AS $GW_AS)
and ${SIDE_NS[tb]} (tbgpd, AS $TB_AS); logs and configurations in $LAB_OUT.
  tbgpd's shell:     ip netns exec ${SIDE_NS[tb]} $TBGPD_BUILD/vtysh-lite/tbgpsh -s $LAB_RUN/tb.sock
  a shell on the host: ip netns exec ${SIDE_NS[tb]} bash
  the gateway:       birdc -s $LAB_RUN/gw-bird.ctl show protocols all   (BIRD)
  tear down:         $0 down
EOT
}

lab_up() {
	lab_names lab
	if lab_is_up; then
		echo "lab is already up"
		lab_summary
		return
	fi
	# Leftovers of a half-built lab go first.
	lab_down >/dev/null
	lab_init lab "$LAB_OUT" "$LAB_RUN"
	# A failure on the way up leaves nothing behind.
	trap 'lab_destroy' EXIT
	trap 'exit 1' INT TERM
	# tbgpd and the gateway both connect on both tunnels (neither is
	# passive), as with AWS, where either side may open the session.
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr gw "$T2_TB" "$T2_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T2_GW" "$T2_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	echo "${LAB_GW:-bird}" >"$LAB_RUN/gw.impl"
	tb_route_policy >"$RUND/tb.extra"
	lab_net_hook=rib_kernel_route
	vpc_gw_conf "${LAB_GW:-bird}"
	lab_start "${LAB_GW:-bird}"
	wait_for 60 both_up || fail "sessions not Established within 60 s"
	case ${LAB_GW:-bird} in
	bird | frr) rib_wait 30 "$RIB_BOTH" "with both tunnels" ;;
	esac
	trap - EXIT INT TERM
	lab_summary
}

case ${1:-} in
up) lab_up ;;
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
	echo "usage: $0 up|down|status" >&2
	exit 2
	;;
esac
