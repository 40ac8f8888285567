# shellcheck shell=bash
# SIDE_* are lib.sh's associative arrays (checked together through case.sh
# with shellcheck -x); alone, their uses look wrong.
# shellcheck disable=SC2034,SC2154
#
# routes.sh: interop cases about routes (the RIB issue).  The gateway
# announces four VPC prefixes over both tunnels with attributes chosen so
# that each is decided by a different step of the decision process:
#
#   prefix           tunnel 1 (.209)         tunnel 2 (.97)        best
#   172.16.0.0/16    AS_PATH 64512           64512 64512 64512     t1 (AS_PATH)
#   172.17.0.0/16    MED 200                 MED 50                t2 (MED)
#   172.18.0.0/16    community 64512:100     the same              t1 (peer
#                    (equal: maximum-paths 2 makes both multipath;  address)
#                    bgp bestpath compare-routerid skips "oldest path",
#                    which would otherwise keep whichever came first)
#   172.19.0.0/16    64512 64512 64512       64512, but tbgpd's     t1 (LOCAL_PREF)
#                                            inbound policy sets
#                                            local-preference 50
#
# tbgpd originates 10.0.0.0/16 (the kernel has a route for it: the import
# check passes) and 10.99.0.0/16 (no kernel route: never announced), with
# community 65000:1 on tunnel 1 and AS_PATH prepended twice plus MED 200
# on tunnel 2; the gateway's own CLI must show exactly that.  With
# `redistribute static`, the kernel's 10.55.0.0/16 (proto static) goes out
# too, and 10.66.0.0/16 (proto boot, a "kernel" route) does not.  Then the
# gateway shuts tunnel 1's session: every best path moves to tunnel 2 at
# once; it comes back when the session does.

VPC_PREFIXES="172.16.0.0/16 172.17.0.0/16 172.18.0.0/16 172.19.0.0/16"

# What tbgpd's Loc-RIB must hold, "PREFIX BEST_NEXTHOP MULTIPATH_COUNT".
RIB_BOTH="172.16.0.0/16 $T1_GW 1
172.17.0.0/16 $T2_GW 1
172.18.0.0/16 $T1_GW 2
172.19.0.0/16 $T1_GW 1"
RIB_T2_ONLY="172.16.0.0/16 $T2_GW 1
172.17.0.0/16 $T2_GW 1
172.18.0.0/16 $T2_GW 1
172.19.0.0/16 $T2_GW 1"

# tb_route_policy: tbgpd's policy and origination (appended to router bgp).
tb_route_policy() {
	cat <<-EOF
	 bgp bestpath compare-routerid
	 maximum-paths 2
	 network 10.0.0.0/16
	 network 10.99.0.0/16
	 redistribute static route-map REDIST
	 neighbor $T1_GW route-map IN1 in
	 neighbor $T1_GW route-map OUT1 out
	 neighbor $T2_GW route-map IN2 in
	 neighbor $T2_GW route-map OUT2 out
	ip prefix-list P19 seq 5 permit 172.19.0.0/16
	ip prefix-list P55 seq 5 permit 10.55.0.0/16
	route-map REDIST permit 10
	 match ip address prefix-list P55
	route-map IN1 permit 10
	route-map IN2 permit 10
	 match ip address prefix-list P19
	 set local-preference 50
	route-map IN2 permit 20
	route-map OUT1 permit 10
	 set community 65000:1
	route-map OUT2 permit 10
	 set as-path prepend 65000 65000
	 set metric 200
	EOF
}

# rib_table: tbgpd's Loc-RIB as "PREFIX BEST_NEXTHOP MULTIPATH_COUNT"
# lines, sorted, from 'show bgp ipv4 unicast json' (FRR's keys).
rib_table() {
	tbgpd_sh tb 'show bgp ipv4 unicast json' 2>/dev/null | python3 -c '
import json, sys
try:
    routes = json.load(sys.stdin)["routes"]
except Exception:
    sys.exit(1)
for pfx in sorted(routes):
    paths = routes[pfx]
    best = [p for p in paths if p.get("bestpath")]
    if not best:
        continue
    mp = [p for p in paths if p.get("multipath") or p.get("bestpath")]
    nh = best[0]["nexthops"][0]["ip"]
    print(pfx, nh, len(mp))
'
}

# rib_is EXPECTED: the VPC part of the Loc-RIB is exactly EXPECTED.
rib_is() {
	local got
	got=$(rib_table | grep -E '^172\.1[6-9]\.') || return 1
	[ "$got" = "$1" ]
}

# rib_wait SECONDS EXPECTED WHAT
rib_wait() {
	wait_for "$1" rib_is "$2" ||
	    fail "tbgpd Loc-RIB $3 is not as expected: got [$(rib_table |
	    tr '\n' ';')] want [$(tr '\n' ';' <<<"$2")]"
}

# gw_attrs ADDR: what the gateway received from tbgpd neighbor ADDR for
# 10.0.0.0/16, as "path=...;med=...;comm=..." (empty if nothing).
gw_attrs() { "gw_attrs_${SIDE_IMPL[gw]}" "$1"; }

gw_attrs_bird() {
	local n
	n=$(nbr_index gw "$1")
	bird_cli gw "show route all 10.0.0.0/16 protocol n$n" | awk '
	/BGP.as_path:/ { sub(/.*BGP.as_path: */, ""); path = $0 }
	/BGP.med:/ { med = $2 }
	/BGP.community:/ { sub(/.*BGP.community: */, ""); comm = $0 }
	END { if (path != "") printf "path=%s;med=%s;comm=%s\n", path, med, comm }'
}

gw_attrs_frr() {
	frr_cli gw 'show bgp ipv4 unicast 10.0.0.0/16 json' | python3 -c '
import json, sys
addr = sys.argv[1]
try:
    paths = json.load(sys.stdin)["paths"]
except Exception:
    sys.exit(0)
for p in paths:
    if p.get("peer", {}).get("peerId") != addr:
        continue
    print("path=%s;med=%s;comm=%s" % (p["aspath"]["string"],
          p.get("metric", ""), p.get("community", {}).get("string", "")))
' "$1"
}

# GoBGP's adj-in of neighbor ADDR in JSON: attributes by type code
# (2 AS_PATH, 4 MED, 8 COMMUNITIES as 32-bit numbers).
gw_attrs_gobgp() {
	gobgp_cli gw neighbor "$1" adj-in 10.0.0.0/16 -j |
	    tee "$OUTD/gw-gobgp-adjin-$1.json" | python3 -c '
import json, sys
try:
    paths = json.load(sys.stdin)["10.0.0.0/16"]
except Exception:
    sys.exit(0)
for p in paths:
    path, med, comm = [], "", []
    for a in p.get("attrs", []):
        if a.get("type") == 2:
            for seg in a.get("as_paths", []):
                path += [str(x) for x in seg.get("asns", [])]
        elif a.get("type") == 4:
            med = str(a.get("metric", ""))
        elif a.get("type") == 8:
            comm = ["%d:%d" % (c >> 16, c & 0xffff)
                    for c in a.get("communities", [])]
    print("path=%s;med=%s;comm=%s" % (" ".join(path), med, " ".join(comm)))
'
}

# bgpctl's JSON view of what neighbor ADDR sent (Adj-RIB-In).
gw_attrs_openbgpd() {
	openbgpd_cli gw -j show rib in neighbor "$1" detail 10.0.0.0/16 |
	    tee "$OUTD/gw-openbgpd-rib-$1.json" | python3 -c '
import json, sys
try:
    rib = json.load(sys.stdin)["rib"]
except Exception:
    sys.exit(0)
for r in rib:
    comm = []
    for c in r.get("communities", []):
        comm.append(c if isinstance(c, str) else "%s" % c)
    med = r.get("metric", r.get("med", ""))
    print("path=%s;med=%s;comm=%s" % (r.get("aspath", ""),
          "" if med in ("", 0) else med, " ".join(comm)))
'
}

# check_gw_view: the gateway saw tbgpd's policy on each tunnel, and
# nothing of the network that failed the import check.
check_gw_view() {
	local a1 a2 want1 want2
	case ${SIDE_IMPL[gw]} in
	bird) want1="path=65000;med=;comm=(65000,1)"
		want2="path=65000 65000 65000;med=200;comm=" ;;
	*) want1="path=65000;med=;comm=65000:1"
		want2="path=65000 65000 65000;med=200;comm=" ;;
	esac
	wait_for 20 gw_attrs_are "$T1_TB" "$want1" ||
	    fail "gw ${SIDE_IMPL[gw]} got 10.0.0.0/16 from t1 as '$(gw_attrs \
	    "$T1_TB")', expected '$want1'"
	a2=$(gw_attrs "$T2_TB")
	[ "$a2" = "$want2" ] || fail "gw ${SIDE_IMPL[gw]} got 10.0.0.0/16 " \
	    "from t2 as '$a2', expected '$want2'"
	a1=$(gw_has 10.99.0.0/16)
	[ -z "$a1" ] || fail "gw got 10.99.0.0/16 though the kernel has no" \
	    "route for it (import check): $a1"
	# redistribute static: the kernel's proto static route goes out,
	# its proto boot route (a "kernel" route) does not.
	wait_for 10 gw_has 10.55.0.0/16 >/dev/null ||
	    fail "gw did not get 10.55.0.0/16 (redistribute static)"
	a1=$(gw_has 10.66.0.0/16)
	[ -z "$a1" ] || fail "gw got 10.66.0.0/16, a proto boot route, with" \
	    "only redistribute static: $a1"
}

# gw_attrs_are ADDR WANT
gw_attrs_are() { [ "$(gw_attrs "$1")" = "$2" ]; }

# gw_has PREFIX: print the gateway's route to PREFIX; fail if it has none.
gw_has() {
	local net=${1%/*}
	case ${SIDE_IMPL[gw]} in
	bird) bird_cli gw "show route $1" | grep -F "$net" ;;
	frr) frr_cli gw "show bgp ipv4 unicast $1 json" | json_get paths 0 ;;
	gobgp) gobgp_cli gw global rib "$1" | grep -F "$net" ;;
	openbgpd) openbgpd_cli gw show rib "$1" | grep -F "$net" ;;
	*) return 1 ;;
	esac
}

# --- the gateways' announcements ---

bird_vpc_static() {
	echo "protocol static vpc {"
	echo "  ipv4;"
	for p in $VPC_PREFIXES; do echo "  route $p blackhole;"; done
	echo "}"
}

# bird_vpc_export T: the export filter body for tunnel T (1 or 2).
bird_vpc_export() {
	echo "    if source != RTS_STATIC then reject;"
	if [ "$1" = 1 ]; then
		echo "    if net = 172.17.0.0/16 then bgp_med = 200;"
		echo "    if net = 172.19.0.0/16 then { bgp_path.prepend(64512); bgp_path.prepend(64512); }"
	else
		echo "    if net = 172.16.0.0/16 then { bgp_path.prepend(64512); bgp_path.prepend(64512); }"
		echo "    if net = 172.17.0.0/16 then bgp_med = 50;"
	fi
	echo "    if net = 172.18.0.0/16 then bgp_community.add((64512,100));"
	echo "    accept;"
}

frr_vpc_conf() {
	cat <<-EOF
	 no bgp network import-check
	 address-family ipv4 unicast
	  network 172.16.0.0/16
	  network 172.17.0.0/16
	  network 172.18.0.0/16
	  network 172.19.0.0/16
	  neighbor $T1_TB route-map GW1 out
	  neighbor $T2_TB route-map GW2 out
	 exit-address-family
	ip prefix-list G16 seq 5 permit 172.16.0.0/16
	ip prefix-list G17 seq 5 permit 172.17.0.0/16
	ip prefix-list G18 seq 5 permit 172.18.0.0/16
	ip prefix-list G19 seq 5 permit 172.19.0.0/16
	route-map GW1 permit 10
	 match ip address prefix-list G16
	route-map GW1 permit 20
	 match ip address prefix-list G17
	 set metric 200
	route-map GW1 permit 30
	 match ip address prefix-list G18
	 set community 64512:100
	route-map GW1 permit 40
	 match ip address prefix-list G19
	 set as-path prepend 64512 64512
	route-map GW2 permit 10
	 match ip address prefix-list G16
	 set as-path prepend 64512 64512
	route-map GW2 permit 20
	 match ip address prefix-list G17
	 set metric 50
	route-map GW2 permit 30
	 match ip address prefix-list G18
	 set community 64512:100
	route-map GW2 permit 40
	 match ip address prefix-list G19
	EOF
}

# gw_session down|up: the gateway shuts or reopens tunnel 1's session.
gw_session() {
	local addr=$T1_TB
	case ${SIDE_IMPL[gw]} in
	bird) bird_cli gw "$([ "$1" = down ] && echo disable ||
	    echo enable) n$(nbr_index gw "$addr")" >/dev/null ;;
	frr) timeout 10 vtysh --vty_socket "$RUND/gw-frr" -d bgpd \
	    -c 'configure terminal' -c "router bgp $GW_AS" \
	    -c "$([ "$1" = down ] && echo "" || echo "no ")neighbor $addr shutdown" \
	    >/dev/null 2>&1 ;;
	gobgp) gobgp_cli gw neighbor "$addr" "$([ "$1" = down ] &&
	    echo disable || echo enable)" >/dev/null ;;
	openbgpd) openbgpd_cli gw neighbor "$addr" "$1" >/dev/null ;;
	esac
}

# GoBGP and OpenBGPD announce the same four prefixes.  GoBGP's global RIB
# gives every neighbor the same attributes, so only tbgpd's own inbound
# policy (LOCAL_PREF 50 on tunnel 2 for 172.19) tells the tunnels apart:
# every other prefix ties down to the peer address, with both paths
# multipath.  OpenBGPD's outbound filters reproduce the BIRD/FRR table.
RIB_SAME="172.16.0.0/16 $T1_GW 2
172.17.0.0/16 $T1_GW 2
172.18.0.0/16 $T1_GW 2
172.19.0.0/16 $T1_GW 1"

gobgp_vpc_announce() {
	local p a
	for p in "172.16.0.0/16 med 10" "172.17.0.0/16 med 200" \
	    "172.18.0.0/16 community 64512:100" "172.19.0.0/16"; do
		read -ra a <<<"$p"
		gobgp_cli gw global rib add "${a[@]}" -a ipv4 ||
		    fail "gobgp global rib add $p failed"
	done
}

openbgpd_vpc_conf() {
	cat >"$RUND/gw-openbgpd-global" <<-EOF
	network 172.16.0.0/16
	network 172.17.0.0/16
	network 172.18.0.0/16 set community 64512:100
	network 172.19.0.0/16
	EOF
	cat >"$RUND/gw.extra" <<-EOF
	match to $T1_TB prefix 172.17.0.0/16 set med 200
	match to $T1_TB prefix 172.19.0.0/16 set prepend-self 2
	match to $T2_TB prefix 172.16.0.0/16 set prepend-self 2
	match to $T2_TB prefix 172.17.0.0/16 set med 50
	EOF
}

# tb_path_attrs PREFIX: tbgpd's paths for PREFIX, "PEER med=M comm=C"
# lines sorted, from 'show bgp ipv4 unicast PREFIX json'.
tb_path_attrs() {
	tbgpd_sh tb "show bgp ipv4 unicast $1 json" 2>/dev/null | python3 -c '
import json, sys
try:
    paths = json.load(sys.stdin)["paths"]
except Exception:
    sys.exit(1)
for p in sorted(paths, key=lambda p: p["peer"]["peerId"]):
    print("%s med=%s comm=%s" % (p["peer"]["peerId"], p.get("metric", ""),
          p.get("community", {}).get("string", "")))
'
}

# check_tb_attrs PREFIX WANT: tbgpd holds PREFIX with exactly WANT.
check_tb_attrs() {
	local got
	got=$(tb_path_attrs "$1" | tr '\n' ';')
	[ "$got" = "$2" ] ||
	    fail "tbgpd has $1 as [$got], want [$2] (the gateway's attributes)"
}

# gw_withdraw PREFIX: the gateway stops announcing PREFIX (both tunnels).
gw_withdraw() {
	case ${SIDE_IMPL[gw]} in
	gobgp) gobgp_cli gw global rib del "$1" -a ipv4 ;;
	openbgpd) openbgpd_cli gw network delete "$1" >/dev/null ;;
	esac || fail "${SIDE_IMPL[gw]} could not withdraw $1"
}

# rib_withdraw_check: 172.18.0.0/16 withdrawn by the gateway leaves
# tbgpd's Loc-RIB, the other prefixes stay.
rib_withdraw_check() {
	local want
	want=$(grep -v '^172\.18\.' <<<"$1")
	gw_withdraw 172.18.0.0/16
	wait_for 10 rib_is "$want" ||
	    fail "172.18.0.0/16 withdrawn by ${SIDE_IMPL[gw]}: tbgpd Loc-RIB" \
	    "is [$(rib_table | tr '\n' ';')], want [$(tr '\n' ';' <<<"$want")]"
}

# vpc_gw_conf bird|frr: the gateway announces the VPC prefixes with the
# attributes of the table above.
vpc_gw_conf() {
	case $1 in
	bird) bird_vpc_static >"$RUND/gw.extra"
		bird_vpc_export 1 >"$RUND/gw-bird-export-$T1_TB"
		bird_vpc_export 2 >"$RUND/gw-bird-export-$T2_TB" ;;
	frr) frr_vpc_conf >"$RUND/gw.extra" ;;
	esac
}

# vpc_lab_start IMPL: the two-tunnel lab with tbgpd's route policy, the
# gateway passive on tunnel 1 and tbgpd passive on tunnel 2, the kernel
# routes of the import check and of redistribution; returns once both
# sessions are Established.
vpc_lab_start() {
	tb_route_policy >"$RUND/tb.extra"
	# A case may add top-level lines of its own (log file ...).
	[ -z "${TB_EXTRA_CONF:-}" ] || echo "$TB_EXTRA_CONF" >>"$RUND/tb.extra"
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	add_nbr gw "$T2_TB" "$T2_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T2_GW" "$T2_TB" "$GW_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	lab_net_hook=rib_kernel_route
	lab_start "$1"
	[ "$1" = gobgp ] && gobgp_vpc_announce
	wait_for 60 both_up || fail "sessions not Established within 60 s"
}

case_rib() {
	local gw=$1 t0 ms want=$RIB_BOTH note
	case $gw in
	bird | frr) vpc_gw_conf "$gw" ;;
	gobgp) want=$RIB_SAME ;;
	openbgpd) openbgpd_vpc_conf ;;
	exabgp) rib_malformed; return ;;
	*) fail "case rib has no announcements for $gw" ;;
	esac
	vpc_lab_start "$gw"
	rib_wait 30 "$want" "with both tunnels"
	note="4 best paths by AS_PATH, MED, peer address (multipath 2), LOCAL_PREF"
	case $gw in
	gobgp) check_tb_attrs 172.17.0.0/16 \
		"$T1_GW med=200 comm=;$T2_GW med=200 comm=;"
		check_tb_attrs 172.18.0.0/16 \
		"$T1_GW med= comm=64512:100;$T2_GW med= comm=64512:100;"
		note="equal paths: best by peer address, multipath 2; LOCAL_PREF; MED and community as sent" ;;
	openbgpd) check_tb_attrs 172.17.0.0/16 \
		"$T1_GW med=200 comm=;$T2_GW med=50 comm=;" ;;
	esac
	check_gw_view
	gw_session down
	t0=$(date +%s%N)
	wait_for 10 rib_is "$RIB_T2_ONLY" ||
	    fail "tunnel 1 shut: Loc-RIB did not move to tunnel 2: [$(rib_table |
	    tr '\n' ';')]"
	ms=$((($(date +%s%N) - t0) / 1000000))
	gw_session up
	rib_wait 60 "$want" "after tunnel 1 came back"
	note="$note; $gw saw prepend/MED/community and redistribute static; t1 shut: all on t2 within ${ms} ms, back after"
	case $gw in
	gobgp | openbgpd) rib_withdraw_check "$want"
		note="$note; withdraw of 172.18 seen" ;;
	esac
	tb_alive
	PASS_NOTE=$note
}

# The import check needs a kernel route for 10.0.0.0/16 in tbgpd's
# namespace, there before tbgpd starts.
rib_kernel_route() {
	[ "$1" = on ] || return 0
	ip -n "${SIDE_NS[tb]}" route add blackhole 10.0.0.0/16 ||
	    fail "cannot add the kernel route for the import check"
	ip -n "${SIDE_NS[tb]}" route add blackhole 10.55.0.0/16 proto static ||
	    fail "cannot add the static kernel route to redistribute"
	ip -n "${SIDE_NS[tb]}" route add blackhole 10.66.0.0/16 ||
	    fail "cannot add the boot kernel route"
}

# ------------------------------------------------------ RFC 7606 (exabgp)
#
# rib-exabgp: ExaBGP announces on tunnel 1, in separate UPDATEs,
#
#   172.16.0.0/16   nothing special                      accepted
#   172.17.0.0/16   LARGE_COMMUNITIES of 10 bytes        treat-as-withdraw
#                   (not a multiple of 12: RFC 8092 5, RFC 7606 7.)
#   172.18.0.0/16   unknown optional transitive 0xf0     accepted, passed on
#                                                        with Partial set
#                                                        (RFC 4271 5, 9.)
#   172.19.0.0/16   unknown optional non-transitive 0xf1 accepted, the
#                                                        attribute dropped
#
# Tunnel 2's ExaBGP neighbor is in AS 64513 (so tbgpd's sender-side loop
# check lets tunnel 1's routes through) and writes what it receives as
# JSON.  The session on tunnel 1 must stay up throughout: came up once.

TB_T2_AS=64513

exabgp_7606_conf() {
	local dump="$RUND/exabgp-dump.sh"
	# Not exec'd: the shell keeps ExaBGP's pipe from the helper open
	# (ExaBGP takes its end of file for the helper's death).
	printf '#!/bin/sh\ncat >>"%s"\n' "$OUTD/gw-exabgp-recv.json" >"$dump"
	chmod +x "$dump"
	cat >"$RUND/gw.extra" <<-EOF
	process dump {
	  run $dump;
	  encoder json;
	}
	EOF
	cat >"$RUND/gw-exabgp-nbr-$T1_TB" <<-EOF
	  static {
	    route 172.16.0.0/16 next-hop self;
	    route 172.17.0.0/16 next-hop self attribute [ 0x20 0xc0 0x0000fde8000000010000 ];
	    route 172.18.0.0/16 next-hop self attribute [ 0xf0 0xc0 0xdeadbeef ];
	    route 172.19.0.0/16 next-hop self attribute [ 0xf1 0x80 0x01020304 ];
	  }
	EOF
	echo "$TB_T2_AS" >"$RUND/gw-exabgp-as-$T2_TB"
	cat >"$RUND/gw-exabgp-nbr-$T2_TB" <<-EOF
	  api {
	    processes [ dump ];
	    receive { parsed; update; }
	  }
	EOF
}

# exabgp_recv: what ExaBGP's tunnel-2 neighbor holds now, from its JSON
# updates, as "PREFIX ATTRS" lines sorted (ATTRS: the generic attributes
# as "attribute-0xTYPE-0xFLAGS", or "-").
exabgp_recv() {
	python3 - "$OUTD/gw-exabgp-recv.json" <<-'PY'
	import json, re, sys
	have = {}
	try:
	    lines = open(sys.argv[1], errors="replace").read().splitlines()
	except OSError:
	    sys.exit(0)
	for line in lines:
	    try:
	        m = json.loads(line)
	    except ValueError:
	        continue
	    upd = m.get("neighbor", {}).get("message", {}).get("update")
	    if not upd:
	        continue
	    attrs = " ".join(sorted(k.lower() for k in upd.get("attribute", {})
	                            if re.match(r"attribute-0x", k, re.I))) or "-"
	    for fam in upd.get("announce", {}).get("ipv4 unicast", {}).values():
	        for n in fam:
	            have[n["nlri"] if isinstance(n, dict) else n] = attrs
	    for n in upd.get("withdraw", {}).get("ipv4 unicast", []):
	        have.pop(n["nlri"] if isinstance(n, dict) else n, None)
	for p in sorted(have):
	    print(p, have[p])
	PY
}

# tb_prefixes: the prefixes in tbgpd's IPv4 Loc-RIB, on one line.
tb_prefixes() { rib_table | awk '{ printf "%s%s", s, $1; s = " " }'; }
prefixes_are() { [ "$(tb_prefixes)" = "$1" ]; }
exabgp_recv_is() { [ "$(exabgp_recv)" = "$1" ]; }
tb_both_up() { is_up tb "$T1_GW" && is_up tb "$T2_GW"; }

rib_malformed() {
	local want="172.16.0.0/16 172.18.0.0/16 172.19.0.0/16" recv n
	local want_recv="172.16.0.0/16 -
172.18.0.0/16 attribute-0xf0-0xe0
172.19.0.0/16 -"
	exabgp_7606_conf
	echo " no bgp ebgp-requires-policy" >"$RUND/tb.extra"
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	add_nbr gw "$T2_TB" "$T2_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T2_GW" "$T2_TB" "$TB_T2_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	lab_start exabgp
	wait_for 60 tb_both_up ||
	    fail "not Established in 60 s: t1 $(impl_call state tb "$T1_GW")" \
	    "t2 $(impl_call state tb "$T2_GW")"
	wait_for 20 prefixes_are "$want" ||
	    fail "tbgpd Loc-RIB holds [$(tb_prefixes)], want [$want]" \
	    "(172.17 has a malformed LARGE_COMMUNITIES: treat-as-withdraw)"
	grep -qE 'treated as withdrawn.*LARGE_COMMUNITIES' "$(tb_log)" ||
	    fail "tbgpd logged no treat-as-withdraw naming LARGE_COMMUNITIES"
	wait_for 20 exabgp_recv_is "$want_recv" ||
	    fail "exabgp on t2 received [$(exabgp_recv | tr '\n' ';')]," \
	    "want [$(tr '\n' ';' <<<"$want_recv")] (0xf0 passed on with" \
	    "Partial, 0xf1 dropped)"
	# Long enough for a reset caused by the bad UPDATE to show.
	pause 5
	recv=$(tbgpd_sh tb "show bgp neighbors $T1_GW json")
	[ "$(json_get "$T1_GW" bgpState <<<"$recv")" = Established ] ||
	    fail "t1 session went down: $(json_get "$T1_GW" \
	    lastNotificationReason <<<"$recv")"
	n=$(json_get "$T1_GW" connectionsEstablished <<<"$recv")
	[ "$n" = 1 ] || fail "t1 session came up $n times (a reset?)"
	n=$(json_get "$T1_GW" messageStats notificationsSent <<<"$recv")
	[ "$n" = 0 ] || fail "tbgpd sent $n NOTIFICATION(s) on t1"
	tb_alive
	PASS_NOTE="bad LARGE_COMMUNITIES: treat-as-withdraw, session kept (up once); unknown 0xf0 passed on to AS $TB_T2_AS with Partial, 0xf1 dropped"
}

# ------------------------------------------------------- maximum-prefix
#
# maxpfx-IMPL: the gateway announces 5 prefixes on tunnel 1 where tbgpd
# allows 3: tbgpd must close with Cease/1 (RFC 4486 4) and, with no
# restart configured, keep the neighbor down while the gateway keeps
# trying to reconnect (tbgpd is passive there, so every attempt is the
# gateway's).

# BIRD logs every NOTIFICATION it receives; its "last error" would do
# too, but the next reconnect attempt overwrites it (with ASan's slower
# start, often before this looks).
bird_saw_maxpfx() {
	grep -qi "Received: maximum number of prefixes" "$OUTD/gw-bird.log"
}

MAXPFX_PREFIXES="172.16.0.0/16 172.17.0.0/16 172.18.0.0/16 172.19.0.0/16 172.20.0.0/16"

case_maxpfx() {
	local n end tries p
	[ "$1" = bird ] || fail "case maxpfx is written for bird only"
	{
		echo "protocol static vpc {"
		echo "  ipv4;"
		for p in $MAXPFX_PREFIXES; do echo "  route $p blackhole;"; done
		echo "}"
	} >"$RUND/gw.extra"
	printf '    if source != RTS_STATIC then reject;\n    accept;\n' \
	    >"$RUND/gw-bird-export-$T1_TB"
	printf ' no bgp ebgp-requires-policy\n neighbor %s maximum-prefix 3\n' \
	    "$T1_GW" >"$RUND/tb.extra"
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	lab_start "$1"
	wait_for 30 grep -q 'prefixes exceed maximum-prefix 3, session closed' \
	    "$(tb_log)" || fail "tbgpd did not close on maximum-prefix 3" \
	    "within 30 s (state $(impl_call state tb "$T1_GW"))"
	wait_for 5 bird_saw_maxpfx ||
	    fail "bird logged no received Maximum number of prefixes" \
	    "(its last error: '$(bird_lasterr gw "$T1_TB")')"
	n=$(tbgpd_neighbor tb "$T1_GW" messageStats | json_get notificationsSent)
	[ "${n:-0}" -ge 1 ] || fail "notificationsSent is ${n:-?}"
	tries=$(grep -c 'Connecting to' "$OUTD/gw-bird.log")
	end=$((SECONDS + 20))
	while [ "$SECONDS" -lt "$end" ]; do
		is_up tb "$T1_GW" && fail "tbgpd let the session up again"
		pause 1
	done
	tries=$(($(grep -c 'Connecting to' "$OUTD/gw-bird.log") - tries))
	[ "$tries" -ge 1 ] || fail "bird did not try to reconnect in 20 s:" \
	    "the hold-down was not tested"
	n=$(tbgpd_established tb "$T1_GW")
	[ "$n" = 1 ] || fail "session came up $n times, want once"
	tb_alive
	PASS_NOTE="Cease/1 sent (5 prefixes > 3), bird saw it; down 20 s through $tries reconnect attempt(s); daemon alive"
}

# --------------------------------------------------------- ROUTE-REFRESH
#
# refresh-frr: FRR, without soft-reconfiguration inbound, asks tbgpd for
# its routes again with ROUTE-REFRESH (RFC 2918); tbgpd sends its
# Adj-RIB-Out again (more UPDATEs), and nothing resets.

updates_sent() {
	tbgpd_neighbor tb "$T1_GW" messageStats | json_get updatesSent
}

# updates_still: the count did not move for a second.
updates_still() {
	local a
	a=$(updates_sent)
	sleep 1
	[ "$a" = "$(updates_sent)" ]
}

updates_above() { [ "$(updates_sent)" -gt "$1" ]; }

case_refresh() {
	local n0 n1 r0 u0 want="path=65000;med=;comm=65000:1"
	[ "$1" = frr ] || fail "case refresh is written for frr only"
	vpc_gw_conf frr
	vpc_lab_start frr
	wait_for 20 gw_attrs_are "$T1_TB" "$want" ||
	    fail "frr has 10.0.0.0/16 as '$(gw_attrs "$T1_TB")', want '$want'"
	# Whatever the first exchange sends is over once the count is still.
	wait_for 10 updates_still
	n0=$(updates_sent) || fail "no updatesSent for $T1_GW"
	frr_cli gw "clear bgp ipv4 unicast $T1_TB soft in" >/dev/null ||
	    fail "frr refused 'clear bgp ipv4 unicast $T1_TB soft in'"
	wait_for 10 grep -q 'ROUTE-REFRESH for IPv4 Unicast' "$(tb_log)" ||
	    fail "tbgpd logged no 'ROUTE-REFRESH for IPv4 Unicast' in 10 s"
	wait_for 10 updates_above "$n0" ||
	    fail "updatesSent stayed $n0 after the ROUTE-REFRESH"
	n1=$(updates_sent)
	pause 2
	gw_attrs_are "$T1_TB" "$want" || fail "after the refresh frr has" \
	    "10.0.0.0/16 as '$(gw_attrs "$T1_TB")', want '$want'"
	# The other way: tbgpd asks FRR for its routes again.
	r0=$(frr_refresh_rcvd) || fail "no routeRefreshRecv from frr"
	u0=$(frr_neighbor gw "$T1_TB" messageStats | json_get updatesSent) ||
	    fail "no updatesSent from frr"
	tbgpd_sh tb "clear bgp $T1_GW soft in" >/dev/null ||
	    fail "tbgpd refused 'clear bgp $T1_GW soft in'"
	wait_for 10 frr_refresh_above "$r0" ||
	    fail "frr received no ROUTE-REFRESH after tbgpd's soft in"
	wait_for 10 frr_updates_above "$u0" ||
	    fail "frr sent no UPDATE after tbgpd's ROUTE-REFRESH"
	rib_wait 10 "$RIB_BOTH" "after tbgpd's ROUTE-REFRESH"
	[ "$(tbgpd_established tb "$T1_GW")" = 1 ] || fail "tb: session reset"
	[ "$(frr_established gw "$T1_TB")" = 1 ] || fail "frr: session reset"
	tb_alive
	PASS_NOTE="ROUTE-REFRESH both ways: tbgpd answered (updatesSent $n0 -> $n1), frr answered tbgpd's soft in; routes kept, no reset"
}

# frr_refresh_rcvd: ROUTE-REFRESH messages FRR got from tbgpd on t1.
frr_refresh_rcvd() {
	frr_neighbor gw "$T1_TB" messageStats | json_get routeRefreshRecv
}

frr_refresh_above() { [ "$(frr_refresh_rcvd)" -gt "$1" ]; }

frr_updates_above() {
	[ "$(frr_neighbor gw "$T1_TB" messageStats |
	    json_get updatesSent)" -gt "$1" ]
}

# ------------------------------------------------------------ IPv6 RIB
#
# v6rib-IMPL: IPv6 sessions on both tunnels (AWS-style /126 inside
# CIDRs), IPv6 unicast only.  The gateway announces 2001:db8:100::/48 on
# both, prepended twice on tunnel 2: tbgpd's best path is tunnel 1's.
# tbgpd originates 2001:db8:10::/48 (a kernel blackhole route passes the
# import check) with a community on tunnel 1, prepend and MED on tunnel 2.

V6_T1_GW=fd00:116::1
V6_T1_TB=fd00:116::2
V6_T2_GW=fd00:214::1
V6_T2_TB=fd00:214::2

lab_v6_both() {
	nsx gw ip addr add "$V6_T1_GW/126" dev "${LAB_ID}t1g" nodad
	nsx tb ip addr add "$V6_T1_TB/126" dev "${LAB_ID}t1t" nodad
	nsx gw ip addr add "$V6_T2_GW/126" dev "${LAB_ID}t2g" nodad
	nsx tb ip addr add "$V6_T2_TB/126" dev "${LAB_ID}t2t" nodad
	nsx tb ip -6 route add blackhole 2001:db8:10::/48 ||
	    fail "cannot add the kernel route for the import check"
	wait_for 10 nsx tb ping -6 -c1 -W1 "$V6_T1_GW" >/dev/null ||
	    fail "IPv6 on tunnel 1 does not pass traffic"
	wait_for 10 nsx tb ping -6 -c1 -W1 "$V6_T2_GW" >/dev/null ||
	    fail "IPv6 on tunnel 2 does not pass traffic"
}

v6rib_bird_extra() {
	cat <<-EOF
	protocol static vpc6 {
	  ipv6;
	  route 2001:db8:100::/48 blackhole;
	}
	protocol bgp v6a {
	  local $V6_T1_GW as $GW_AS;
	  neighbor $V6_T1_TB as $TB_AS;
	  hold time $AWS_HOLD; keepalive time $AWS_KA;
	  connect delay time 1; connect retry time 5; passive on;
	  ipv6 { import all; export where source = RTS_STATIC; };
	}
	protocol bgp v6b {
	  local $V6_T2_GW as $GW_AS;
	  neighbor $V6_T2_TB as $TB_AS;
	  hold time $AWS_HOLD; keepalive time $AWS_KA;
	  connect delay time 1; connect retry time 5;
	  ipv6 { import all; export filter {
	    if source != RTS_STATIC then reject;
	    bgp_path.prepend($GW_AS); bgp_path.prepend($GW_AS);
	    accept;
	  }; };
	}
	EOF
}

v6rib_tb_extra() {
	cat <<-EOF
	 neighbor $V6_T1_GW remote-as $GW_AS
	 neighbor $V6_T1_GW timers $AWS_KA $AWS_HOLD
	 neighbor $V6_T1_GW update-source $V6_T1_TB
	 neighbor $V6_T2_GW remote-as $GW_AS
	 neighbor $V6_T2_GW timers $AWS_KA $AWS_HOLD
	 neighbor $V6_T2_GW update-source $V6_T2_TB
	 neighbor $V6_T2_GW passive
	 address-family ipv6 unicast
	  network 2001:db8:10::/48
	  neighbor $V6_T1_GW activate
	  neighbor $V6_T1_GW route-map IN6 in
	  neighbor $V6_T1_GW route-map OUT6A out
	  neighbor $V6_T2_GW activate
	  neighbor $V6_T2_GW route-map IN6 in
	  neighbor $V6_T2_GW route-map OUT6B out
	 exit-address-family
	route-map IN6 permit 10
	route-map OUT6A permit 10
	 set community 65000:6
	route-map OUT6B permit 10
	 set as-path prepend 65000 65000
	 set metric 60
	EOF
}

rib6_is() { [ "$(rib6_table)" = "$1" ]; }
gw6_attrs_are() { [ "$(gw6_attrs "$1")" = "$2" ]; }

v6_state_bird() {
	bird_cli gw "show protocols all $1" 2>/dev/null |
	    sed -n 's/^ *BGP state: *//p'
}

v6_both_up() {
	[ "$(tbgpd_neighbor tb "$V6_T1_GW" bgpState)" = Established ] &&
	    [ "$(tbgpd_neighbor tb "$V6_T2_GW" bgpState)" = Established ] &&
	    [ "$(v6_state_bird v6a)" = Established ] &&
	    [ "$(v6_state_bird v6b)" = Established ]
}

# rib6_table: tbgpd's IPv6 Loc-RIB as "PREFIX BEST_NEXTHOP BEST_PATH
# NPATHS" lines.
rib6_table() {
	tbgpd_sh tb 'show bgp ipv6 unicast json' 2>/dev/null | python3 -c '
import json, sys
try:
    routes = json.load(sys.stdin)["routes"]
except Exception:
    sys.exit(1)
for pfx in sorted(routes):
    paths = routes[pfx]
    best = [p for p in paths if p.get("bestpath")]
    if best:
        print(pfx, best[0]["nexthops"][0]["ip"],
              best[0].get("path", "").replace(" ", "_") or "-", len(paths))
'
}

# gw6_attrs PROTO: what BIRD's PROTO received for 2001:db8:10::/48.
gw6_attrs() {
	bird_cli gw "show route all 2001:db8:10::/48 protocol $1" | awk '
	/BGP.as_path:/ { sub(/.*BGP.as_path: */, ""); path = $0 }
	/BGP.med:/ { med = $2 }
	/BGP.community:/ { sub(/.*BGP.community: */, ""); comm = $0 }
	END { if (path != "") printf "path=%s;med=%s;comm=%s\n", path, med, comm }'
}

case_v6rib() {
	# tbgpd's own network is in its Loc-RIB too, with no next hop.
	local want="2001:db8:100::/48 $V6_T1_GW 64512 2
2001:db8:10::/48 :: - 1" got
	local wa="path=65000;med=;comm=(65000,6)"
	local wb="path=65000 65000 65000;med=60;comm="
	[ "$1" = bird ] || fail "case v6rib is written for bird only"
	v6rib_bird_extra >"$RUND/gw.extra"
	v6rib_tb_extra >"$RUND/tb.extra"
	SIDE_IMPL[gw]=$1
	SIDE_IMPL[tb]=tbgpd
	lab_start_with lab_v6_both "$1"
	wait_for 40 v6_both_up || fail "IPv6 sessions not Established in 40 s:" \
	    "tb $(tbgpd_neighbor tb "$V6_T1_GW" bgpState)/$(tbgpd_neighbor tb \
	    "$V6_T2_GW" bgpState), bird $(v6_state_bird v6a)/$(v6_state_bird v6b)"
	wait_for 20 rib6_is "$want" ||
	    fail "tbgpd IPv6 Loc-RIB is [$(rib6_table | tr '\n' ';')], want" \
	    "[$want] (best via tunnel 1's shorter AS_PATH)"
	wait_for 20 gw6_attrs_are v6a "$wa" ||
	    fail "bird got 2001:db8:10::/48 on t1 as '$(gw6_attrs v6a)', want '$wa'"
	got=$(gw6_attrs v6b)
	[ "$got" = "$wb" ] ||
	    fail "bird got 2001:db8:10::/48 on t2 as '$got', want '$wb'"
	tb_alive
	PASS_NOTE="best of 2 paths by AS_PATH via $V6_T1_GW; 2001:db8:10::/48 originated, bird saw community on t1, prepend+MED on t2"
}

# ------------------------------------------------------- tunnel awareness
#
# linkdown-IMPL: the gateway's end of tunnel 1 goes down, so tbgpd's end
# loses carrier.  tbgpd must close the session at once (not after the
# 30 s hold time); the kernel's route (ip route get) and the Loc-RIB must
# be on tunnel 2 within 2 s, and the multipath route must shrink to one
# next hop; when the link comes back, tbgpd reconnects at once and routes
# and paths return to tunnel 1, the multipath route to both tunnels.

now_ms() { echo $(($(date +%s%N) / 1000000)); }

case_linkdown() {
	local gw=$1 t0 down_ms back_ms s fib_ms
	[ "$gw" = bird ] || fail "case linkdown is written for bird only"
	vpc_gw_conf bird
	vpc_lab_start bird
	rib_wait 30 "$RIB_BOTH" "with both tunnels"
	wait_for 10 fib_via 172.16.0.1 "$T1_GW" ||
	    fail "kernel: 172.16.0.1 not via tunnel 1: $(fib_get 172.16.0.1)"
	fib_multipath 172.18.0.0/16 ||
	    fail "kernel: 172.18.0.0/16 is not one route over both tunnels"
	s=$(tbgpd_sh tb 'show ip route bgp json' |
	    json_get 172.16.0.0/16 0 nexthops 0 ip)
	[ "$s" = "$T1_GW" ] ||
	    fail "show ip route bgp: 172.16.0.0/16 via '$s', want $T1_GW"
	t0=$(now_ms)
	ip -n "${SIDE_NS[gw]}" link set "${LAB_ID}t1g" down ||
	    fail "cannot set tunnel 1 down"
	# The kernel drops the dead tunnel's routes itself; tbgpd must put
	# tunnel 2's in their place (ip route get is fast enough to poll).
	wait_for_ms 2000 fib_via 172.16.0.1 "$T2_GW" ||
	    fail "kernel: 172.16.0.1 not via tunnel 2 within 2 s of carrier" \
	    "loss: $(fib_get 172.16.0.1)"
	fib_ms=$(($(now_ms) - t0))
	wait_for_ms 2000 rib_is "$RIB_T2_ONLY" ||
	    fail "tunnel 1 lost carrier: Loc-RIB not on tunnel 2 within 2 s:" \
	    "[$(rib_table | tr '\n' ';')]"
	down_ms=$(($(now_ms) - t0))
	grep -q "neighbor $T1_GW: down: interface ${LAB_ID}t1t went down" \
	    "$(tb_log)" || fail "tbgpd did not log the interface as the reason"
	s=$(tbgpd_neighbor tb "$T1_GW" interface)/$(tbgpd_neighbor tb "$T1_GW" \
	    interfaceState)
	[ "$s" = "${LAB_ID}t1t/no-carrier" ] ||
	    fail "show bgp neighbors $T1_GW says interface '$s'"
	t0=$(now_ms)
	ip -n "${SIDE_NS[gw]}" link set "${LAB_ID}t1g" up ||
	    fail "cannot set tunnel 1 up"
	wait_for 40 rib_is "$RIB_BOTH" ||
	    fail "tunnel 1 back: Loc-RIB did not return within 40 s:" \
	    "[$(rib_table | tr '\n' ';')]"
	back_ms=$(($(now_ms) - t0))
	wait_for 10 fib_via 172.16.0.1 "$T1_GW" ||
	    fail "kernel: 172.16.0.1 not back on tunnel 1: $(fib_get 172.16.0.1)"
	fib_multipath 172.18.0.0/16 ||
	    fail "kernel: 172.18.0.0/16 did not grow back to both tunnels"
	# A route deleted by hand comes back (tbgpd follows route events).
	ip -n "${SIDE_NS[tb]}" route del 172.16.0.0/16 proto bgp ||
	    fail "cannot delete tbgpd's route by hand"
	wait_for_ms 2000 fib_via 172.16.0.1 "$T1_GW" ||
	    fail "kernel: 172.16.0.0/16 deleted by hand did not come back"
	grep -q "interface ${LAB_ID}t1t is up: connecting now" "$(tb_log)" ||
	    fail "tbgpd did not reconnect at once when the link came back"
	tb_alive
	# A clean exit takes tbgpd's routes out of the kernel.
	kill -TERM "$(pid_of tb-tbgpd)"
	wait_for_ms 5000 fib_count_is 0 ||
	    fail "after SIGTERM the kernel still has $(fib_count) bgp routes"
	PASS_NOTE="carrier loss: kernel route on tunnel 2 in ${fib_ms} ms, Loc-RIB in ${down_ms} ms (hold time 30 s); link back: paths on tunnel 1 again in ${back_ms} ms; multipath shrank and grew; a route deleted by hand came back; SIGTERM removed the routes"
}

# fib_get ADDR: the host's kernel route to ADDR.
fib_get() { ip -n "${SIDE_NS[tb]}" route get "$1" 2>&1 | head -n 1; }

# fib_via ADDR GW: the kernel sends ADDR via GW.
fib_via() { fib_get "$1" | grep -q " via $2 "; }

# fib_multipath PREFIX: tbgpd's route to PREFIX has both tunnels as next
# hops (protocol bgp).
fib_multipath() {
	local r
	r=$(ip -n "${SIDE_NS[tb]}" route show "$1" proto bgp)
	grep -q "nexthop via $T1_GW " <<<"$r" &&
	    grep -q "nexthop via $T2_GW " <<<"$r"
}

# wait_for_ms MS CMD...: poll CMD every 20 ms until it succeeds.
wait_for_ms() {
	local end=$(($(now_ms) + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.02
	done
}

# stale-IMPL: tbgpd is killed with SIGKILL, so its routes stay in the
# kernel; a new tbgpd whose sessions are shut must remove them at start
# (nothing wants them).  (linkdown checks that SIGTERM removes them.)
case_stale() {
	local gw=$1 n conf
	[ "$gw" = bird ] || fail "case stale is written for bird only"
	vpc_gw_conf bird
	vpc_lab_start bird
	wait_for 20 fib_count_is 4 || fail "kernel: $(fib_count) bgp routes, want 4"
	kill -KILL "$(pid_of tb-tbgpd)"
	pause 1
	[ "$(fib_count)" = 4 ] ||
	    fail "after SIGKILL the kernel has $(fib_count) bgp routes, want 4"
	# The same configuration with both sessions shut.
	conf="$OUTD/tb-tbgpd-shut.conf"
	sed 's/^\( neighbor \([0-9.]*\) remote-as [0-9]*\)$/\1\n neighbor \2 shutdown/' \
	    "$OUTD/tb-tbgpd.conf" >"$conf"
	spawn tb tbgpd2 "$(TBGPD_BIN)" -d -f "$conf" -s "$RUND/tb2.sock"
	wait_for_ms 3000 fib_count_is 0 ||
	    fail "the new tbgpd left $(fib_count) stale bgp routes"
	n=$(grep -c "shut down" "$OUTD/tb-tbgpd2.log")
	[ "$n" -ge 2 ] || fail "the new tbgpd did not start with its sessions shut"
	PASS_NOTE="4 routes left by a SIGKILLed tbgpd removed by the next one at start"
}

fib_count() { ip -n "${SIDE_NS[tb]}" route show proto bgp | grep -c '^[0-9]'; }
fib_count_is() { [ "$(fib_count)" = "$1" ]; }

# maxout-IMPL: tbgpd originates three prefixes but may send only two
# (maximum-prefix-out 2, as an AWS VGW's limit is 100): the gateway must
# hold exactly two, tbgpd must say it held one back; when one of the two
# goes (its kernel route is removed: the import check withdraws it at the
# next scan), the held-back prefix must go out in its place.
MAXOUT_NETS="10.1.0.0/16 10.2.0.0/16 10.3.0.0/16"

maxout_kernel_routes() {
	local n
	[ "$1" = on ] || return 0
	for n in $MAXOUT_NETS; do
		ip -n "${SIDE_NS[tb]}" route add blackhole "$n" ||
		    fail "cannot add the kernel route $n"
	done
}

# gw_maxout_set: which of the three the gateway has, sorted, one line.
gw_maxout_set() {
	local n
	for n in $MAXOUT_NETS; do
		gw_has "$n" >/dev/null && printf '%s ' "$n"
	done
}

gw_lacks() { ! gw_has "$1" >/dev/null; }

gw_maxout_count_is() { [ "$(wc -w <<<"$(gw_maxout_set)")" = "$1" ]; }

case_maxout() {
	local gw=$1 first second gone n
	[ "$gw" = bird ] || fail "case maxout is written for bird only"
	{
		for n in $MAXOUT_NETS; do echo " network $n"; done
		echo " neighbor $T1_GW route-map ALL in"
		echo " neighbor $T1_GW route-map ALL out"
		echo " neighbor $T1_GW maximum-prefix-out 2"
		echo "route-map ALL permit 10"
	} >"$RUND/tb.extra"
	add_nbr gw "$T1_TB" "$T1_GW" "$TB_AS" 1 - "$AWS_HOLD" "$AWS_KA"
	add_nbr tb "$T1_GW" "$T1_TB" "$GW_AS" 0 - "$AWS_HOLD" "$AWS_KA"
	lab_net_hook=maxout_kernel_routes
	lab_start "$gw"
	wait_for 60 is_up tb "$T1_GW" || fail "session not Established in 60 s"
	wait_for 20 gw_maxout_count_is 2 ||
	    fail "gw holds [$(gw_maxout_set)], want two of $MAXOUT_NETS"
	pause 2
	first=$(gw_maxout_set)
	gw_maxout_count_is 2 || fail "gw holds [$first] after 2 s, want two"
	grep -q "maximum-prefix-out 2 reached" "$(tb_log)" ||
	    fail "tbgpd did not log that it held a prefix back"
	gone=${first%% *}
	ip -n "${SIDE_NS[tb]}" route del blackhole "$gone" ||
	    fail "cannot remove the kernel route $gone"
	# The import check runs every 10 s.
	wait_for 25 gw_lacks "$gone" ||
	    fail "gw still has $gone, whose kernel route is gone"
	wait_for 10 gw_maxout_count_is 2 ||
	    fail "the held-back prefix did not go out: gw holds [$(gw_maxout_set)]"
	second=$(gw_maxout_set)
	[ "$second" != "$first" ] || fail "gw holds the same set [$second]"
	tb_alive
	PASS_NOTE="gw held [${first% }] of 3, then [${second% }] once $gone was withdrawn"
}
