# shellcheck shell=bash
# The variables set here are read by impl.sh and cases.sh (checked together
# through case.sh with shellcheck -x); alone, they look unused.
# shellcheck disable=SC2034
#
# lib.sh: the network-namespace lab shared by every interop case and by
# lab.sh.  A lab is two namespaces, "gw" (the cloud VPN gateway, AS 64512)
# and "tb" (the host running tbgpd, AS 65000), joined by two veth pairs
# addressed like the two tunnels of an AWS site-to-site VPN connection
# (docs: shared cloud-gateways.md):
#
#   tunnel 1  169.254.116.208/30   gateway .209   tbgpd .210
#   tunnel 2  169.254.214.96/30    gateway .97    tbgpd .98
#
# Each side is played by one implementation (impl.sh); the side's
# neighbors are lines in $RUND/SIDE.nbrs so that every implementation's
# configuration is generated from the same description.  Everything a lab
# starts is recorded so that lab_destroy (run from a trap) can stop it.

# The system's programs first: a python3 reached through a version
# manager's shim (pyenv) costs a second of CPU per call on a loaded
# machine, and the cases call it for every JSON answer they read.  The
# Debian packages the suite drives live in /usr/bin and /usr/sbin anyway.
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$INTEROP_DIR/../.." && pwd)
# Where tbgpd and tbgpsh were built (an out-of-tree build directory, or the
# source tree for an in-tree build).
TBGPD_BUILD=${TBGPD_BUILD:-${BUILD:-$REPO_ROOT}}
# Namespaces and processes of this suite carry this prefix.
INTEROP_PREFIX=${INTEROP_PREFIX:-tbi}

# Tunnel addressing (AWS inside CIDRs; the gateway takes the first host).
T1_GW=169.254.116.209
T1_TB=169.254.116.210
T2_GW=169.254.214.97
T2_TB=169.254.214.98
GW_AS=64512
TB_AS=65000
# AWS timers: keepalive 10, hold 30.
AWS_KA=10
AWS_HOLD=30

declare -A SIDE_NS SIDE_IMPL SIDE_AS SIDE_ID SIDE_MINHOLD
LAB_ID=""
OUTD=""
RUND=""

say() { printf '%s: %s\n' "${LAB_ID:-interop}" "$*" >&2; }

# fail REASON: record why the case failed and stop it (the EXIT trap
# cleans up).
fail() {
	[ -n "$OUTD" ] && printf '%s\n' "$*" >"$OUTD/reason"
	say "FAIL: $*"
	exit 1
}

# lab_names ID: the namespace names of lab ID.
lab_names() {
	SIDE_NS[gw]="$INTEROP_PREFIX-$1-gw"
	SIDE_NS[tb]="$INTEROP_PREFIX-$1-tb"
}

# lab_init ID OUTDIR [RUNDIR]: names and directories for one lab.  ID is
# short (interface names are built from it and must stay within 15
# bytes).  RUNDIR (sockets, pids) is a fresh one in /tmp unless given.
lab_init() {
	LAB_ID=$1
	OUTD=$2
	rm -rf "$OUTD"
	mkdir -p "$OUTD"
	# Unix socket paths are limited to 108 bytes: keep them in /tmp.
	if [ -n "${3:-}" ]; then
		RUND=$3
		mkdir -p "$RUND"
	else
		RUND=$(mktemp -d "/tmp/$INTEROP_PREFIX-$LAB_ID.XXXXXX")
	fi
	lab_names "$LAB_ID"
	SIDE_ID[gw]=$T1_GW
	SIDE_ID[tb]=$T1_TB
	SIDE_AS[gw]=$GW_AS
	SIDE_AS[tb]=$TB_AS
	SIDE_MINHOLD[gw]=0
	SIDE_MINHOLD[tb]=0
	: >"$RUND/gw.nbrs"
	: >"$RUND/tb.nbrs"
	: >"$RUND/pids"
	echo "$RUND" >"$OUTD/rundir"
}

# nsx SIDE CMD...: run CMD inside the side's namespace.
nsx() {
	local side=$1
	shift
	ip netns exec "${SIDE_NS[$side]}" "$@"
}

# lab_net: the two namespaces and the two tunnels.
lab_net() {
	local gw=${SIDE_NS[gw]} tb=${SIDE_NS[tb]} t
	ip netns add "$gw" || fail "cannot create namespace $gw (root needed)"
	ip netns add "$tb" || fail "cannot create namespace $tb"
	ip -n "$gw" link set lo up
	ip -n "$tb" link set lo up
	for t in 1 2; do
		# Both ends are created directly inside their namespaces, so the
		# names never meet in the root namespace; still unique per lab.
		ip link add "${LAB_ID}t${t}g" netns "$gw" type veth \
		    peer name "${LAB_ID}t${t}t" netns "$tb" ||
		    fail "cannot create veth pair for tunnel $t"
		ip -n "$gw" link set "${LAB_ID}t${t}g" up
		ip -n "$tb" link set "${LAB_ID}t${t}t" up
	done
	ip -n "$gw" addr add "$T1_GW/30" dev "${LAB_ID}t1g"
	ip -n "$tb" addr add "$T1_TB/30" dev "${LAB_ID}t1t"
	ip -n "$gw" addr add "$T2_GW/30" dev "${LAB_ID}t2g"
	ip -n "$tb" addr add "$T2_TB/30" dev "${LAB_ID}t2t"
	command -v ping >/dev/null || return 0
	wait_for 10 nsx tb ping -c1 -W1 "$T1_GW" >/dev/null ||
	    fail "tunnel 1 does not pass traffic"
	wait_for 10 nsx tb ping -c1 -W1 "$T2_GW" >/dev/null ||
	    fail "tunnel 2 does not pass traffic"
}

# add_nbr SIDE ADDR LOCAL REMOTE_AS PASSIVE(0|1) PASSWORD(-) HOLD KEEPALIVE
add_nbr() {
	local side=$1
	shift
	echo "$*" >>"$RUND/$side.nbrs"
}

# nbr_index SIDE ADDR: 1-based position of ADDR among the side's neighbors.
nbr_index() {
	awk -v a="$2" '$1 == a { print NR; exit }' "$RUND/$1.nbrs"
}

# spawn SIDE NAME CMD...: start a daemon in the side's namespace with its
# stdout and stderr in $OUTD/SIDE-NAME.log, and remember its pid.
spawn() {
	local side=$1 name=$2
	shift 2
	ip netns exec "${SIDE_NS[$side]}" "$@" \
	    >>"$OUTD/$side-$name.log" 2>&1 </dev/null &
	echo "$! $side-$name" >>"$RUND/pids"
}

# pid_of SIDE-NAME
pid_of() {
	awk -v n="$1" '$2 == n { p = $1 } END { print p }' "$RUND/pids"
}

alive() {
	local pid
	pid=$(pid_of "$1")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# kill_pid PID: TERM, then KILL after a grace period.
kill_pid() {
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.3
	done
	kill -KILL "$pid" 2>/dev/null || true
}

# lab_destroy: stop what the lab started, then anything else still running
# inside its namespaces (daemons that forked), then the namespaces.
lab_destroy() {
	local pid name ns
	[ -n "$RUND" ] || return 0
	if [ -f "$RUND/pids" ]; then
		while read -r pid name; do
			kill_pid "$pid"
		done <"$RUND/pids"
	fi
	for ns in "${SIDE_NS[gw]}" "${SIDE_NS[tb]}"; do
		[ -n "$ns" ] || continue
		ip netns list 2>/dev/null | grep -q "^$ns\\b" || continue
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill_pid "$pid"
		done
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$RUND"
	RUND=""
}

# wait_for SECONDS CMD...: poll CMD once a second until it succeeds.
wait_for() {
	local limit=$1 end
	shift
	end=$((SECONDS + limit))
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 1
	done
}

# listening SIDE PORT: something listens on TCP PORT inside the side.
listening() {
	nsx "$1" ss -Hltn "sport = :$2" 2>/dev/null | grep -q LISTEN
}

# json_get PATH...: read JSON on stdin and print the value at PATH (keys or
# list indexes); print nothing and fail if absent.
json_get() {
	python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)
    for k in sys.argv[1:]:
        v = v[int(k)] if isinstance(v, list) else v[k]
except Exception:
    sys.exit(1)
print(json.dumps(v) if isinstance(v, (dict, list)) else v)
' "$@"
}

# show_logs: the end of every log of this lab, for a failure report.
show_logs() {
	local f
	for f in "$OUTD"/*.log; do
		[ -f "$f" ] || continue
		printf '==== %s (last 40 lines)\n' "$f"
		tail -n 40 "$f"
	done
}
