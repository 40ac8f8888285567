#!/bin/sh
# run.sh [SECONDS]: build the libFuzzer targets with clang out of tree and
# run each on a copy of its seed corpus for SECONDS (default 30).
# Exits non-zero if a target fails to build, crashes, leaks or trips a
# sanitizer.  FUZZ_BUILD overrides the build directory (default
# _build/fuzz under the source tree); FUZZ_TARGETS the targets run
# (default "open update").
# Needs the Debian packages clang and libclang-rt-14-dev (libFuzzer).
set -eu

secs=${1:-30}
case $secs in
''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-$top/_build/fuzz}
targets=${FUZZ_TARGETS:-open update}
cc=${CC:-clang}
san='-fsanitize=address,undefined -fno-sanitize-recover=undefined'
cflags="-fsanitize=fuzzer-no-link $san -g -O1 -DTB_POOL_MALLOC"

if ! command -v "$cc" >/dev/null 2>&1; then
	echo "run.sh: $cc not found (apt-get install -y clang" \
	    "libclang-rt-14-dev)" >&2
	exit 1
fi

mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ]; then
	echo "== configure in $build (CC=$cc)"
	"$top/configure" CC="$cc" CFLAGS="$cflags" >configure.log 2>&1 || {
		tail -20 configure.log >&2
		exit 1
	}
fi
echo "== make lib/libtb.a bgpd/libbgpd.a"
make -j2 lib/libtb.a bgpd/libbgpd.a >make.log 2>&1 || {
	tail -30 make.log >&2
	exit 1
}
libs=$(pkg-config --libs libevent libbsd-overlay)

status=0
for t in $targets; do
	echo "== build fuzz_$t"
	# shellcheck disable=SC2086 # flags are lists of words
	"$cc" -fsanitize=fuzzer $san -g -O1 -I. -I"$top/lib" \
	    -I"$top/bgpd" "$top/tests/fuzz/fuzz_$t.c" bgpd/libbgpd.a \
	    lib/libtb.a $libs -o "fuzz_$t"
	rm -rf "corpus-$t" "crash-$t"
	cp -R "$top/tests/fuzz/corpus/$t" "corpus-$t"
	mkdir -p "crash-$t"
	echo "== run fuzz_$t for ${secs}s on $(find "corpus-$t" -type f |
	    wc -l) seeds"
	if ./"fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
	    -artifact_prefix="crash-$t/" -max_len=65536 "corpus-$t" \
	    >"fuzz_$t.log" 2>&1; then
		grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)' \
		    "fuzz_$t.log" || true
		echo "== fuzz_$t: ok, corpus now $(find "corpus-$t" -type f |
		    wc -l) inputs"
	else
		tail -40 "fuzz_$t.log"
		echo "== fuzz_$t: FAILED; reproducer(s) in $build/crash-$t:"
		ls "crash-$t"
		status=1
	fi
done
exit $status
