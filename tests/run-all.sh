#!/bin/bash
#
# run-all.sh: everything CI checks, on a fresh Debian 12 as root with no
# standard input.  Installs the build and test dependencies (the five BGP
# implementations the interop suite talks to among them), then:
#   deps       apt-get install
#   autoreconf autoreconf -fi
#   plain      out-of-tree build with --enable-werror, make check
#   sanitizers out-of-tree build with --enable-sanitizers, make check
#   fuzz       libFuzzer harnesses (clang) over the UPDATE and OPEN
#              parsers, a short run from the seed corpus (tests/fuzz)
#   distcheck  make distcheck (configure flags --enable-werror)
#   lint       shellcheck of the test scripts
#   interop    tests/interop/run.sh against the sanitizer build
# Every step runs even if an earlier one failed (unless it needs that
# one); a summary follows and the exit status is non-zero if any failed.
#
# The interop suite runs tbgpd built with ASan/UBSan: real sessions with
# five other implementations reach code paths the unit suites do not, and
# a memory error there should fail CI rather than pass unnoticed.  Each
# case fails if tbgpd's log holds a sanitizer report.  INTEROP_BUILD=plain
# runs it against the plain build instead.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
B=$ROOT/_build
JOBS=${JOBS:-2}

PKGS="build-essential autoconf automake pkgconf libevent-dev libbsd-dev
check iproute2 iputils-ping python3 procps shellcheck clang libclang-rt-14-dev
bird2 frr gobgpd openbgpd exabgp"

retry() {
	local i
	for i in 1 2 3; do
		"$@" </dev/null && return 0
		echo "'$*' failed (try $i of 3)"
		sleep 10
	done
	return 1
}

step_deps() {
	if [ "$(id -u)" != 0 ]; then
		echo "not root: cannot install packages (and interop needs root)"
		return 1
	fi
	# Keep package scripts from starting bird, frr or bgpd system-wide:
	# only the daemons in the suite's own namespaces should run.
	local made_policy=0
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		made_policy=1
	fi
	# A mirror hiccup should not fail CI: try each apt step three times.
	retry apt-get update -q
	# shellcheck disable=SC2086
	retry apt-get install -y -q --no-install-recommends $PKGS
	[ "$made_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
	# OpenBGPD drops privileges to this user and chroots to its home.
	id _openbgpd >/dev/null 2>&1 ||
	    systemd-sysusers /usr/lib/sysusers.d/openbgpd.conf
	mkdir -p /run/openbgpd
	if ss -Hltn 'sport = :179' | grep -q .; then
		echo "note: something listens on port 179 in the root namespace;"
		echo "the interop cases use their own namespaces and ignore it."
	fi
}

# The README's first command builds in the source tree; the builds here
# are out of tree, which configure refuses while the tree is configured.
step_autoreconf() {
	if [ -f config.status ]; then
		make distclean >/dev/null
	fi
	autoreconf -fi
}

# build DIR CONFIGURE-FLAGS...
build() {
	local dir=$1
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	cd "$dir"
	"$ROOT/configure" "$@"
	make -j"$JOBS"
	make -j"$JOBS" check || {
		cat tests/unit/*.log 2>/dev/null | tail -n 100
		return 1
	}
	# Each Check suite's own tally ("100%: Checks: 43, Failures: 0, ...").
	grep -H '%: Checks:' tests/unit/check_*.log
}

step_plain() { build "$B/plain" --enable-werror; }

step_sanitizers() {
	ASAN_OPTIONS=detect_leaks=1 build "$B/asan" --enable-werror \
	    --enable-sanitizers
}

step_fuzz() { bash tests/fuzz/run.sh "${FUZZ_SECONDS:-30}"; }

step_distcheck() {
	cd "$B/plain"
	make -j"$JOBS" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror
}

step_lint() {
	shellcheck -x tests/run-all.sh .ci/run tests/interop/*.sh \
	    tests/fuzz/*.sh tests/bench/*.sh
}

step_interop() {
	local build=$B/asan
	[ "${INTEROP_BUILD:-asan}" = plain ] && build=$B/plain
	TBGPD_BUILD=$build INTEROP_OUT=$B/interop-out \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1 \
	    bash tests/interop/run.sh -j "${INTEROP_JOBS:-6}"
}

# A single step, in its own shell so that set -e applies inside it.
if [ "${1:-}" = --step ]; then
	"step_$2"
	exit
fi

STEPS="deps autoreconf plain sanitizers fuzz distcheck lint interop"
declare -A needs=([autoreconf]=deps [plain]=autoreconf
	[sanitizers]=autoreconf [fuzz]=autoreconf [distcheck]=plain
	[interop]=sanitizers)
[ "${INTEROP_BUILD:-asan}" = plain ] && needs[interop]=plain
declare -A status took
passed=0
failed=0
for s in $STEPS; do
	dep=${needs[$s]:-}
	if [ -n "$dep" ] && [ "${status[$dep]}" != PASS ]; then
		status[$s]="FAIL (not run: $dep failed)"
		took[$s]=0
		failed=$((failed + 1))
		continue
	fi
	echo "======== $s"
	t0=$SECONDS
	if bash "$ROOT/tests/run-all.sh" --step "$s" </dev/null; then
		status[$s]=PASS
		passed=$((passed + 1))
	else
		status[$s]=FAIL
		failed=$((failed + 1))
	fi
	took[$s]=$((SECONDS - t0))
	echo "======== $s: ${status[$s]} (${took[$s]} s)"
done

echo
echo "======== summary"
for s in $STEPS; do
	printf '%-11s %-32s %5s s\n' "$s" "${status[$s]}" "${took[$s]}"
done
echo "run-all: $passed passed, $failed failed"
[ "$failed" = 0 ]
