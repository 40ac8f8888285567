#!/usr/bin/env python3
"""sampler.py DST OUT: ask the kernel of this network namespace for the
route to DST (RTM_GETROUTE, what "ip route get" asks) in a tight loop,
about every millisecond, until SIGTERM.

Every change of the answer is written to OUT as it happens, one line:
"MS gw ADDRESS" (a route via that gateway), "MS dev IFINDEX" (through an
interface), "MS noroute ERRNO" (the kernel has no route: what the
failover must never show) or "MS other TYPE" (blackhole, unreachable),
MS being the wall clock in milliseconds, as the interop cases' now_ms.
The namespace's link events are read between lookups: "MS link IFNAME
up|down" when an interface gains or loses carrier (IFF_LOWER_UP), so a
case can tell the kernel's own delay in reporting a carrier loss (its
linkwatch batches them, up to a second) from the daemon's reaction.
At the end one line "end LOOKUPS NOROUTE" counts the lookups and those
that found no route.  It owns its netlink code: nothing of tbgpd's.
"""
import signal
import socket
import struct
import sys
import time

NLMSG_ERROR = 2
RTM_NEWROUTE = 24
RTM_GETROUTE = 26
NLM_F_REQUEST = 1
RTA_DST = 1
RTA_OIF = 4
RTA_GATEWAY = 5
RTA_MULTIPATH = 9
RTN_UNICAST = 1
RTM_NEWLINK = 16
RTMGRP_LINK = 1
IFLA_IFNAME = 3
IFF_LOWER_UP = 0x10000

stop = False


def on_term(signum, frame):
    global stop
    stop = True


def request(dst, seq):
    """RTM_GETROUTE for dst (IPv4 or IPv6)."""
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    raw = socket.inet_pton(fam, dst)
    rta = struct.pack("HH", 4 + len(raw), RTA_DST) + raw
    rtm = struct.pack("BBBBBBBBI", fam, 0, len(raw) * 8, 0, 0, 0, 0, 0, 0)
    body = rtm + rta
    hdr = struct.pack("IHHII", 16 + len(body), RTM_GETROUTE, NLM_F_REQUEST,
                      seq, 0)
    return fam, hdr + body


def attrs(buf, off, end):
    while off + 4 <= end:
        alen, atype = struct.unpack_from("HH", buf, off)
        if alen < 4 or off + alen > end:
            return
        yield atype & 0x3fff, buf[off + 4:off + alen]
        off += (alen + 3) & ~3


def answer(fam, data):
    """What one reply says, as a comparable string."""
    if len(data) < 16:
        return "other short"
    mlen, mtype = struct.unpack_from("IH", data, 0)
    if mtype == NLMSG_ERROR:
        err = -struct.unpack_from("i", data, 16)[0]
        return "noroute %d" % err
    if mtype != RTM_NEWROUTE or len(data) < 28:
        return "other msg%d" % mtype
    rtype = data[16 + 7]
    if rtype != RTN_UNICAST:
        return "other type%d" % rtype
    gw = oif = None
    for atype, val in attrs(data, 28, min(mlen, len(data))):
        if atype == RTA_GATEWAY:
            gw = socket.inet_ntop(fam, val)
        elif atype == RTA_OIF:
            oif = struct.unpack("I", val)[0]
    if gw is not None:
        return "gw " + gw
    return "dev %s" % oif


def links(ev, out, carrier):
    """Log the carrier changes among the link events waiting on ev."""
    while True:
        try:
            data = ev.recv(65536)
        except BlockingIOError:
            return
        off = 0
        while off + 16 <= len(data):
            mlen, mtype = struct.unpack_from("IH", data, off)
            if mlen < 16 or off + mlen > len(data):
                break
            if mtype == RTM_NEWLINK and mlen >= 32:
                _, _, _, idx, flags, _ = struct.unpack_from("BBHiII", data,
                                                            off + 16)
                name = str(idx)
                for atype, val in attrs(data, off + 32, off + mlen):
                    if atype == IFLA_IFNAME:
                        name = val.rstrip(b"\0").decode(errors="replace")
                up = bool(flags & IFF_LOWER_UP)
                if carrier.get(name) != up:
                    carrier[name] = up
                    out.write("%d link %s %s\n" % (int(time.time() * 1000),
                              name, "up" if up else "down"))
            off += (mlen + 3) & ~3


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: sampler.py DST OUT")
    dst, path = sys.argv[1], sys.argv[2]
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.bind((0, 0))
    ev = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    ev.bind((0, RTMGRP_LINK))
    ev.setblocking(False)
    carrier = {}
    out = open(path, "w", buffering=1)
    last = None
    lookups = noroute = 0
    seq = 0
    while not stop:
        seq += 1
        fam, req = request(dst, seq)
        s.send(req)
        what = answer(fam, s.recv(65536))
        lookups += 1
        if what.startswith("noroute"):
            noroute += 1
        if what != last:
            out.write("%d %s\n" % (int(time.time() * 1000), what))
            last = what
        links(ev, out, carrier)
        time.sleep(0.001)
    out.write("end %d %d\n" % (lookups, noroute))
    out.close()


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        sys.exit("sampler: %s" % e)
