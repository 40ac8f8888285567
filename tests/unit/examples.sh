#!/bin/sh
# examples.sh: every examples/**/tbgpd.conf must pass "tbgpd -n" (parse
# only).  Warnings are fine (tunnel interfaces do not exist here); an
# error fails the test and its output is shown.
#
# Environment (set by "make check"): top_srcdir, top_builddir.

here=$(cd "$(dirname "$0")/../.." && pwd)
top_srcdir=${top_srcdir:-$here}
top_builddir=${top_builddir:-$here}
tbgpd=$top_builddir/bgpd/tbgpd

if [ ! -x "$tbgpd" ]; then
	echo "examples.sh: $tbgpd does not exist or is not executable;" \
	    "build it first (make)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

configs=$(find "$top_srcdir/examples" -name tbgpd.conf -type f | sort)
if [ -z "$configs" ]; then
	echo "examples.sh: no tbgpd.conf under $top_srcdir/examples" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

passed=0
failed=0
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
for conf in $configs; do
	name=${conf#"$top_srcdir"/}
	if "$tbgpd" -n -f "$conf" >"$out" 2>&1; then
		echo "PASS: $name"
		passed=$((passed + 1))
	else
		echo "FAIL: $name"
		sed 's/^/    /' "$out"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
