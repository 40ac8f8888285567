#!/bin/bash
#
# run.sh [-j N] [-t SECONDS] [-l] [CASE...]: run the interop cases (all,
# or those named) in parallel, at most N at a time (default 6), each in its
# own pair of network namespaces and bounded by a timeout.  Prints one
# line per case, "PASS name: note" or "FAIL name: reason", the logs of the
# failed ones, and a last line "N passed, N failed".  Exit status 0 only if
# every case passed.  A case that cannot run (not root, an implementation
# missing) fails and says why.
#
# Environment: TBGPD_BUILD (or BUILD) is where tbgpd was built (default:
# the source tree); INTEROP_LOCAL plays the tbgpd side with another
# implementation (checks the framework); INTEROP_OUT is where the per-case
# logs go (default tests/interop/out).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/interop/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/interop/impl.sh
. "$here/impl.sh"
# shellcheck source=tests/interop/cases.sh
. "$here/cases.sh"

jobs_max=6
case_timeout=240
list_only=0
usage() {
	echo "usage: $0 [-j N] [-t SECONDS] [-l] [CASE...]" >&2
	exit 2
}
while getopts "j:t:lh" opt; do
	case $opt in
	j) jobs_max=$OPTARG ;;
	t) case_timeout=$OPTARG ;;
	l) list_only=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))

mapfile -t all < <(case_list | tr ' ' '\n')
if [ $# -gt 0 ]; then
	cases=("$@")
else
	cases=("${all[@]}")
fi
if [ "$list_only" = 1 ]; then
	printf '%s\n' "${cases[@]}"
	exit 0
fi

out=${INTEROP_OUT:-$here/out}
export INTEROP_OUT=$out
mkdir -p "$out"

# A lab of ours left behind by a killed run would hold its names: remove
# the namespaces carrying our prefix (only those).
stale_labs() {
	local ns pid
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' |
	    grep "^$INTEROP_PREFIX-c[0-9]*-\(gw\|tb\)$"); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
}
stale_labs

# run_one NAME ID: one case under a timeout; its result file says how it
# ended (the case writes it, or this does if the case could not).
run_one() {
	local name=$1 id=$2 res="$out/$1/result"
	rm -f "$res"
	timeout -k 15 "$case_timeout" bash "$here/case.sh" "$name" "$id" \
	    >"$out/$name.stderr" 2>&1
	if [ ! -s "$res" ]; then
		mkdir -p "$out/$name"
		echo "FAIL no verdict (timed out after ${case_timeout} s?)" >"$res"
	fi
	echo "[$(date +%T)] $(cut -d' ' -f1 "$res") $name" >&2
}

# Kill the running cases (their traps clean their labs) if we are stopped.
trap 'kill $(jobs -p) 2>/dev/null; wait; exit 130' INT TERM

start=$SECONDS
i=0
for name in "${cases[@]}"; do
	i=$((i + 1))
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		wait -n
	done
	echo "[$(date +%T)] start $name" >&2
	run_one "$name" "$(printf 'c%02d' "$i")" &
done
wait

passed=0
failed=0
for name in "${cases[@]}"; do
	res=$(cat "$out/$name/result")
	if [ "${res%% *}" != PASS ]; then
		echo "==== logs of $name"
		cat "$out/$name/failure.txt" 2>/dev/null
		tail -n 20 "$out/$name.stderr"
	fi
done
for name in "${cases[@]}"; do
	res=$(cat "$out/$name/result")
	verdict=${res%% *}
	note=${res#* }
	[ "$note" = "$res" ] && note=""
	if [ "$verdict" = PASS ]; then
		passed=$((passed + 1))
	else
		verdict=FAIL
		failed=$((failed + 1))
	fi
	echo "$verdict $name: $note"
done
echo "interop suite took $((SECONDS - start)) s; logs in $out"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
