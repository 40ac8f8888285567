#!/bin/bash
#
# case.sh NAME ID: run one interop case (KIND-IMPL, see cases.sh) in its
# own lab named ID, with its logs in tests/interop/out/NAME (or
# $INTEROP_OUT/NAME).  Writes NAME's verdict to its "result" file:
# "PASS note" or "FAIL reason".  Exit status 0 on PASS.
set -uo pipefail

# shellcheck source=tests/interop/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/interop/impl.sh
. "$INTEROP_DIR/impl.sh"
# shellcheck source=tests/interop/cases.sh
. "$INTEROP_DIR/cases.sh"
# shellcheck source=tests/interop/routes.sh
. "$INTEROP_DIR/routes.sh"
# shellcheck source=tests/interop/failover.sh
. "$INTEROP_DIR/failover.sh"
# shellcheck source=tests/interop/liveness.sh
. "$INTEROP_DIR/liveness.sh"
# shellcheck source=tests/interop/reload.sh
. "$INTEROP_DIR/reload.sh"
# shellcheck source=tests/interop/ops.sh
. "$INTEROP_DIR/ops.sh"
# shellcheck source=tests/interop/static.sh
. "$INTEROP_DIR/static.sh"
# shellcheck source=tests/interop/gr.sh
. "$INTEROP_DIR/gr.sh"
# shellcheck source=tests/interop/obs.sh
. "$INTEROP_DIR/obs.sh"

name=$1
id=$2
kind=${name%%-*}
impl=${name#*-}
PASS_NOTE=""

# sanitized: the tbgpd side's log holds an ASan/UBSan/LSan report (only
# complete once the daemon has exited).
sanitized() {
	grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
	    "$OUTD"/tb-tbgpd.log 2>/dev/null
}

finish() {
	local rc=$?
	trap - EXIT INT TERM
	lab_destroy
	if sanitized; then
		echo "sanitizer report in tb-tbgpd.log: $(grep -m1 -E \
		    'ERROR: (Address|Leak)Sanitizer|runtime error:' \
		    "$OUTD/tb-tbgpd.log")" >>"$OUTD/reason"
	fi
	if [ "$rc" = 0 ] && [ ! -f "$OUTD/reason" ]; then
		echo "PASS $PASS_NOTE" >"$OUTD/result"
		exit 0
	fi
	[ -f "$OUTD/reason" ] || echo "died (status $rc)" >"$OUTD/reason"
	echo "FAIL $(head -n 1 "$OUTD/reason")" >"$OUTD/result"
	show_logs >"$OUTD/failure.txt" 2>&1
	exit 1
}

lab_init "$id" "${INTEROP_OUT:-$INTEROP_DIR/out}/$name"
trap finish EXIT
trap 'echo "timed out" >"$OUTD/reason"; exit 1' TERM
trap 'echo "interrupted" >"$OUTD/reason"; exit 1' INT
declare -F "case_$kind" >/dev/null || fail "no such case kind: $kind"
"case_$kind" "$impl"
