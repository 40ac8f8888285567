#!/bin/bash
#
# tmux.sh: tbgpsh driven as a person drives it.  A tbgpd runs in a
# network namespace of its own (loopback only, port 1179, its own
# control socket in a temporary directory); tbgpsh runs in a tmux
# session on a private tmux server, and the keys are sent one line at a
# time: an abbreviated command, TAB completion, `?` help, the Up arrow,
# mistakes with their '^' marker, ^C, exit.  What the screen shows is read
# back with capture-pane and checked.  Then the one-shot mode (-c) and
# its exit status, and the history file.
#
# usage: tests/shell/tmux.sh [BUILD_DIR]
#   BUILD_DIR holds bgpd/tbgpd and vtysh-lite/tbgpsh (default: $BUILD,
#   else the source tree).  Root runs tbgpd under `unshare -n`; anyone
#   else under `unshare -rn` (a user namespace too).  Needs tmux.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(cd "${1:-${BUILD:-$ROOT}}" && pwd)
TBGPD=$BUILD/bgpd/tbgpd
TBGPSH=$BUILD/vtysh-lite/tbgpsh
# vtysh's prompt: the host name up to its first dot.
HOST=$(hostname)
PROMPT="${HOST%%.*}# "
CHECKS=0

die() {
	echo "tmux.sh: $*" >&2
	exit 1
}

command -v tmux >/dev/null ||
    die "tmux not found: install the Debian package tmux (the deps step of tests/run-all.sh does)"
command -v unshare >/dev/null || die "unshare not found (util-linux)"
if [ ! -x "$TBGPD" ] || [ ! -x "$TBGPSH" ]; then
	die "no tbgpd and tbgpsh in $BUILD: build first"
fi

TMP=$(mktemp -d /tmp/tbgpsh-tmux.XXXXXX)
SOCK=$TMP/run/tbgpd.sock
TMUX_SOCK=$TMP/tmux.sock
TBGPD_PID=""

cleanup() {
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true
	if [ -n "$TBGPD_PID" ]; then
		kill "$TBGPD_PID" 2>/dev/null || true
		wait "$TBGPD_PID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

t() { tmux -S "$TMUX_SOCK" "$@"; }
pane() { t capture-pane -p -t shell; }

fail() {
	echo "FAIL: $*" >&2
	echo "---- the screen:" >&2
	pane >&2 || true
	echo "---- tbgpd's log:" >&2
	cat "$TMP/tbgpd.log" >&2 || true
	exit 1
}

ok() {
	CHECKS=$((CHECKS + 1))
	echo "ok $CHECKS - $*"
}

# wait_for ERE: the screen shows a line matching it within 5 s.
wait_for() {
	for _ in $(seq 50); do
		pane | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	fail "the screen never showed /$1/"
}

# last_line: the screen's last non-empty line (the prompt and what is
# typed after it; tmux drops trailing blanks).
last_line() { pane | grep -v '^$' | tail -n 1; }

# expect_line TEXT: the last line becomes exactly TEXT within 5 s.
expect_line() {
	for _ in $(seq 50); do
		[ "$(last_line)" = "$1" ] && return 0
		sleep 0.1
	done
	fail "the last line is '$(last_line)', not '$1'"
}

# fresh: an empty line on a clear screen, for the next step.
fresh() {
	t send-keys -t shell C-u C-l
	t clear-history -t shell
	expect_line "${PROMPT% }"
}

start_tbgpd() {
	local un=(unshare -n)
	[ "$(id -u)" = 0 ] || un=(unshare -rn)
	mkdir -p "$TMP/run"
	cat >"$TMP/tbgpd.conf" <<-EOF
	router bgp 65000
	 bgp router-id 10.0.0.10
	 neighbor 127.0.0.2 remote-as 64512
	 neighbor 127.0.0.2 description aws-tunnel-1
	exit
	EOF
	# shellcheck disable=SC2016 # $0 and $@ are the inner shell's
	"${un[@]}" sh -c 'ip link set lo up 2>/dev/null; exec "$0" "$@"' \
	    "$TBGPD" -d -f "$TMP/tbgpd.conf" -p 1179 -s "$SOCK" \
	    >"$TMP/tbgpd.log" 2>&1 &
	TBGPD_PID=$!
	for _ in $(seq 50); do
		[ -S "$SOCK" ] && return 0
		kill -0 "$TBGPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$TMP/tbgpd.log" >&2
	die "tbgpd did not open its control socket"
}

start_shell() {
	mkdir -p "$TMP/home"
	# The shell's exit status is printed by its parent, which reaps it:
	# tmux's #{pane_dead_status} may stay empty under a sanitizer.
	t -f /dev/null new-session -d -s shell -x 120 -y 50 \
	    "env HOME='$TMP/home' TERM=screen '$TBGPSH' -s '$SOCK';
	    echo \"[tbgpsh exit status \$?]\""
	t set-option -t shell remain-on-exit on
	wait_for "^${PROMPT% }"
	ok "the prompt is '$PROMPT'"
}

# An abbreviation runs the command it abbreviates.
check_abbrev() {
	t send-keys -t shell 'sh bgp su' Enter
	wait_for '^Total number of neighbors 1$'
	pane | grep -Eq '^BGP router identifier 10\.0\.0\.10, local AS number 65000' ||
	    fail "sh bgp su: no router identifier line"
	pane | grep -Eq '^127\.0\.0\.2 +4 +64512 .*aws-tunnel-1$' ||
	    fail "sh bgp su: no line for neighbor 127.0.0.2"
	ok "'sh bgp su' runs show bgp summary"
}

check_tab() {
	fresh
	# "n" is neighbors or nexthop: TAB takes the common "ne", a second
	# TAB lists both, and one more letter makes it unique.
	t send-keys -t shell 'show bgp n' Tab
	expect_line "${PROMPT}show bgp ne"
	t send-keys -t shell Tab
	wait_for '^neighbors +nexthop$'
	t send-keys -t shell i Tab
	expect_line "${PROMPT}show bgp neighbors"
	ok "TAB: show bgp n -> ne, lists neighbors nexthop, nei -> neighbors"
	t send-keys -t shell Enter
	wait_for '^BGP neighbor is 127\.0\.0\.2, remote AS 64512'
	ok "the completed line runs"
	fresh
	t send-keys -t shell 'sh ip b' Tab
	expect_line "${PROMPT}sh ip bgp"
	ok "TAB completes an abbreviated word in place"
}

check_help() {
	fresh
	t send-keys -t shell 'show bgp ?'
	wait_for '^  summary +Summary of BGP neighbor status$'
	pane | grep -Eq '^  neighbors +Detailed information' ||
	    fail "? lacks neighbors"
	pane | grep -Eq '^  <cr>$' || fail "? lacks <cr>"
	pane | grep -Eq '^  ipv4 +' || fail "? lacks ipv4"
	expect_line "${PROMPT}show bgp"
	ok "? lists the next words with their help, the line stays"
	# The line is still there to finish, and nothing ran.
	t send-keys -t shell 'su ?'
	wait_for '^  json +JavaScript Object Notation$'
	pane | grep -q 'Total number of neighbors' &&
	    fail "? ran the command"
	expect_line "${PROMPT}show bgp su"
	t send-keys -t shell Enter
	wait_for '^Total number of neighbors 1$'
	ok "? on a partial word, then Enter runs the line"
	fresh
	t send-keys -t shell 'show bgp bogus ?'
	wait_for '^% Unknown command: show bgp bogus$'
	ok "? after an unknown word says so"
}

# expect_marker MESSAGE WORD: the error names the line with a '^' under
# WORD (its first occurrence after a blank) on the next line.
expect_marker() {
	local msg=$1 word=$2 line mark before
	wait_for "^% $msg: "
	line=$(pane | grep -E "^% $msg: " | tail -n 1)
	mark=$(pane | grep -A1 -E "^% $msg: " | tail -n 1)
	if [ -n "${mark//[ ^]/}" ] || [[ "$mark" != *^ ]]; then
		fail "no marker line under '$line'"
	fi
	before=${line%%" $word"*}
	[ "$((${#before} + 1))" = "$((${#mark} - 1))" ] ||
	    fail "marker at column $((${#mark} - 1)), '$word' at $((${#before} + 1))"
}

check_errors() {
	fresh
	t send-keys -t shell 'show bgp bogus summary' Enter
	expect_marker "Unknown command" bogus
	ok "unknown word: '^' under it"
	fresh
	t send-keys -t shell 'sh bgp i summary' Enter
	expect_marker "Ambiguous command" i
	ok "ambiguous word: '^' under it"
	fresh
	t send-keys -t shell 'show bgp ipv4' Enter
	wait_for '^% Incomplete command: show bgp ipv4$'
	ok "incomplete command"
}

check_history() {
	fresh
	t send-keys -t shell Up
	expect_line "${PROMPT}show bgp ipv4"
	t send-keys -t shell Up
	expect_line "${PROMPT}sh bgp i summary"
	ok "Up recalls the last commands"
	# ^C forgets the line and gives a new prompt.
	t send-keys -t shell C-c
	expect_line "${PROMPT% }"
	t send-keys -t shell 'show version' Enter
	wait_for '^tbgpd [0-9.]+, up '
	ok "^C drops the recalled line; the shell goes on"
}

check_exit() {
	t send-keys -t shell 'ex' Enter
	wait_for '^\[tbgpsh exit status [0-9]+\]$'
	pane | grep -q '^\[tbgpsh exit status 0\]$' ||
	    fail "'ex' did not leave the shell with status 0"
	if pane | grep -q 'Sanitizer'; then
		fail "a sanitizer report on the shell's screen"
	fi
	ok "'ex' (exit) leaves with status 0"
	local h=$TMP/home/.tbgpsh_history
	[ -f "$h" ] || fail "no $h"
	[ "$(stat -c %a "$h")" = 600 ] || fail "$h is not mode 600"
	grep -qx 'sh\\040bgp\\040su' "$h" || fail "$h lacks 'sh bgp su'"
	ok "history saved in ~/.tbgpsh_history, mode 600"
}

check_oneshot() {
	local out rc=0
	out=$("$TBGPSH" -s "$SOCK" -c 'sh bgp su' -c 'show version' \
	    2>>"$TMP/sh.err") || rc=$?
	[ "$rc" = 0 ] || fail "-c: exit status $rc for good commands"
	grep -q 'Total number of neighbors 1' <<<"$out" ||
	    fail "-c 'sh bgp su': no summary"
	rc=0
	out=$("$TBGPSH" -s "$SOCK" -c 'show bogus' -c 'show version' \
	    2>>"$TMP/sh.err") || rc=$?
	[ "$rc" = 1 ] || fail "-c: exit status $rc after an unknown command"
	grep -q '^tbgpd ' <<<"$out" || fail "-c: the command after an error did not run"
	grep -qx '                        ^' <<<"$out" ||
	    fail "-c: no marker under 'bogus'"
	ok "-c: commands in order, exit status 1 on an error, the marker"
	rc=0
	out=$(printf 'sh ver\nshow bogus\n' | "$TBGPSH" -s "$SOCK" \
	    2>>"$TMP/sh.err") || rc=$?
	[ "$rc" = 1 ] || fail "commands on stdin: status $rc after an error"
	grep -q '^tbgpd ' <<<"$out" || fail "commands on stdin: 'sh ver' did not run"
	[[ "$out" != *"$PROMPT"* ]] || fail "a prompt when stdin is no terminal"
	ok "commands on standard input: no prompt, exit status 1 on an error"
	rc=0
	"$TBGPSH" -s "$TMP/none.sock" -c 'show version' 2>>"$TMP/sh.err" ||
	    rc=$?
	[ "$rc" = 1 ] || fail "no daemon: exit status $rc"
	grep -q "cannot connect to $TMP/none.sock" "$TMP/sh.err" ||
	    fail "no daemon: not said on stderr"
	ok "no daemon: said, exit status 1"
	if grep -Eq 'Sanitizer|runtime error:' "$TMP/sh.err"; then
		cat "$TMP/sh.err" >&2
		fail "a sanitizer report from tbgpsh -c"
	fi
}

check_tbgpd_log() {
	kill "$TBGPD_PID"
	wait "$TBGPD_PID" 2>/dev/null || true
	TBGPD_PID=""
	if grep -Eq 'Sanitizer|runtime error:' "$TMP/tbgpd.log"; then
		fail "a sanitizer report in tbgpd's log"
	fi
	ok "tbgpd's log holds no sanitizer report"
}

start_tbgpd
start_shell
check_abbrev
check_tab
check_help
check_errors
check_history
check_exit
check_oneshot
check_tbgpd_log
echo "tmux.sh: all $CHECKS checks passed"
