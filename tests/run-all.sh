#!/bin/bash
#
# run-all.sh: everything CI checks, on a fresh Debian 12 as root with no
# standard input.  Installs the build and test dependencies (the five BGP
# implementations the interop suite talks to among them, and the
# observers' tools: Prometheus with promtool, pmacct's pmbmpd, bgpdump),
# then:
#   deps       apt-get install
#   autoreconf autoreconf -fi
#   plain      out-of-tree build with --enable-werror, make check
#   sanitizers out-of-tree build with --enable-sanitizers, make check
#   shell      tbgpsh driven in tmux as a person would (tests/shell/tmux.sh)
#              against the sanitizer build: abbreviations, TAB, `?`,
#              history, error markers, -c and its exit status
#   fuzz       libFuzzer harnesses (clang) over the UPDATE and OPEN
#              parsers, a short run from the seed corpus (tests/fuzz)
#   distcheck  make distcheck (configure flags --enable-werror)
#   install    make install DESTDIR=..., every file where it belongs, the
#              installed systemd unit through systemd-analyze verify, the
#              logrotate snippet through logrotate -d, and make uninstall
#              leaving no file behind
#   lint       shellcheck of the test scripts; mandoc -T lint and groff
#              -ww of the manual pages
#   layers     tests/layers.py on the plain build: no bgpd/ file includes
#              or calls a file of a higher layer of doc/architecture.md,
#              and no files use each other in a circle
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
# The system's programs before a version manager's shims (pyenv's python3
# costs a second of CPU per call on a loaded machine; the tests call it
# often, and every package the steps install lives in /usr).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
B=$ROOT/_build
JOBS=${JOBS:-2}

PKGS="build-essential autoconf automake pkgconf libevent-dev libbsd-dev
libedit-dev check iproute2 iputils-ping python3 procps shellcheck tmux clang
mandoc groff-base logrotate
libclang-rt-14-dev
bird2 frr gobgpd openbgpd exabgp systemd
prometheus pmacct bgpdump"

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

step_shell() {
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    bash tests/shell/tmux.sh "$B/asan"
}

step_fuzz() { bash tests/fuzz/run.sh "${FUZZ_SECONDS:-30}"; }

step_distcheck() {
	cd "$B/plain"
	make -j"$JOBS" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror
}

# make VAR: a variable of the configured Makefile, fully expanded.
make_var() {
	# shellcheck disable=SC2016 # $($*) is make's, not the shell's
	make --no-print-directory -s -f Makefile -f - "print-$1" \
	    <<<'print-%: ; @echo $($*)'
}

# The files make install must put in DESTDIR: programs, man pages, the
# unit, the sysusers.d entry, and every example of the source tree.
install_expect() {
	local f
	echo "$(make_var sbindir)/tbgpd"
	echo "$(make_var bindir)/tbgpsh"
	echo "$(make_var mandir)/man8/tbgpd.8"
	echo "$(make_var mandir)/man5/tbgpd.conf.5"
	echo "$(make_var mandir)/man1/tbgpsh.1"
	echo "$(make_var systemdsystemunitdir)/tbgpd.service"
	echo "$(make_var sysusersdir)/tbgpd.conf"
	echo "$(make_var logrotatedir)/tbgpd"
	(cd "$ROOT/examples" && find . -type f) | while read -r f; do
		echo "$(make_var docdir)/examples/${f#./}"
	done
}

# systemd-analyze verify on the installed unit, its program path taken
# inside DESTDIR (the unit names the final one) and its man pages looked
# up there.  Warnings count: verify exits 0 on an unknown key.
install_verify() {
	local dest=$1 sbindir unitdir out man='' rc=0
	sbindir=$(make_var sbindir)
	unitdir=$(make_var systemdsystemunitdir)
	grep -qx "ExecStart=$sbindir/tbgpd -d -f /etc/tbgpd/tbgpd.conf" \
	    "$dest$unitdir/tbgpd.service" || {
		echo "unit: ExecStart does not name $sbindir/tbgpd"
		return 1
	}
	mkdir -p "$dest/verify"
	sed "s|$sbindir/|$dest$sbindir/|" "$dest$unitdir/tbgpd.service" \
	    >"$dest/verify/tbgpd.service"
	# Documentation= is checked with man(1) where it is installed; the
	# pages' presence is checked above either way.
	command -v man >/dev/null || man=--man=no
	out=$(MANPATH=$dest$(make_var mandir) systemd-analyze verify \
	    ${man:+"$man"} "$dest/verify/tbgpd.service" 2>&1) || rc=$?
	echo "systemd-analyze verify: exit $rc${out:+, said:}"
	[ -z "$out" ] || echo "$out"
	rm -rf "$dest/verify"
	[ "$rc" = 0 ] && [ -z "$out" ]
}

# logrotate -d (parse, rotate nothing) on the installed snippet: it must
# read cleanly and name tbgpd's log directory and SIGUSR1.
logrotate_verify() {
	local f out rc=0
	f=$1$(make_var logrotatedir)/tbgpd
	if ! command -v logrotate >/dev/null; then
		echo "logrotate not found: the deps step installs it"
		return 1
	fi
	out=$(logrotate -d -s /dev/null "$f" 2>&1) || rc=$?
	if [ "$rc" != 0 ] || grep -qi '^error' <<<"$out"; then
		echo "logrotate -d $f: exit $rc"
		echo "$out"
		return 1
	fi
	if ! grep -q '^/var/log/tbgpd/\*\.log' "$f" || ! grep -q 'USR1' "$f"
	then
		echo "$f: does not rotate /var/log/tbgpd/*.log with SIGUSR1"
		return 1
	fi
	echo "logrotate -d: the snippet reads cleanly"
}

step_install() {
	local dest f missing=0 left
	if ! command -v systemd-analyze >/dev/null; then
		echo "systemd-analyze not found: the deps step installs systemd"
		return 1
	fi
	dest=$(mktemp -d /tmp/tbgpd-install.XXXXXX)
	# shellcheck disable=SC2064 # dest is fixed from here on
	trap "rm -rf '$dest'" EXIT
	cd "$B/plain"
	make -s install DESTDIR="$dest" >/dev/null
	while read -r f; do
		[ -f "$dest$f" ] || { echo "missing: $f"; missing=1; }
	done < <(install_expect)
	[ "$missing" = 0 ] || return 1
	echo "installed: $(find "$dest" -type f | wc -l) files"
	"$dest$(make_var sbindir)/tbgpd" -V
	install_verify "$dest" || return 1
	logrotate_verify "$dest" || return 1
	make -s uninstall DESTDIR="$dest" >/dev/null
	left=$(find "$dest" ! -type d)
	if [ -n "$left" ]; then
		echo "make uninstall left:"
		echo "$left"
		return 1
	fi
}

step_lint() {
	local m out rc=0
	shellcheck -x tests/run-all.sh .ci/run tests/interop/*.sh \
	    tests/fuzz/*.sh tests/bench/*.sh tests/shell/*.sh || rc=1
	# The manual pages: no mandoc warning (style notes allowed), and
	# nothing from groff with every warning on.
	for m in doc/*.[158]; do
		mandoc -T lint -W warning "$m" || rc=1
		out=$(groff -man -ww -z "$m" 2>&1)
		[ -z "$out" ] || { echo "$m: $out"; rc=1; }
	done
	return $rc
}

step_layers() { python3 tests/layers.py "$B/plain"; }

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

STEPS="deps autoreconf plain sanitizers shell fuzz distcheck install lint layers
interop"
declare -A needs=([autoreconf]=deps [plain]=autoreconf
	[sanitizers]=autoreconf [shell]=sanitizers [fuzz]=autoreconf
	[distcheck]=plain
	[install]=plain [layers]=plain [interop]=sanitizers)
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
