#!/usr/bin/env python3
"""grsample.py DST GATEWAY PERIOD_MS STOPFILE: the kernel sampler of the
graceful restart cases (gr.sh).  Run inside the namespace of the host
under test, it asks the kernel for the route to DST (RTM_GETROUTE over
its own netlink socket, what "ip route get" asks) every PERIOD_MS until
STOPFILE exists, and prints "samples N lost M" and the times of the
first and last lost sample (seconds since start): a sample is lost when
the kernel has no route to DST or one not via GATEWAY.
"""
import ipaddress
import os
import socket
import struct
import sys
import time

NETLINK_ROUTE = 0
RTM_NEWROUTE, RTM_GETROUTE = 24, 26
NLM_F_REQUEST = 1
NLMSG_ERROR = 2
RTA_DST, RTA_GATEWAY, RTA_MULTIPATH = 1, 5, 9


def request(dst, seq):
    rtmsg = struct.pack("BBBBBBBBI", socket.AF_INET, 0, 32, 0, 0, 0, 0, 0, 0)
    rta = struct.pack("HH", 8, RTA_DST) + dst
    body = rtmsg + rta
    return struct.pack("IHHII", 16 + len(body), RTM_GETROUTE, NLM_F_REQUEST,
                       seq, 0) + body


def gateways(msg):
    """The gateways of one RTM_NEWROUTE answer."""
    out, off = [], 16 + 12
    while off + 4 <= len(msg):
        ln, typ = struct.unpack_from("HH", msg, off)
        if ln < 4:
            break
        val = msg[off + 4:off + ln]
        if typ == RTA_GATEWAY:
            out.append(socket.inet_ntoa(val[:4]))
        elif typ == RTA_MULTIPATH:
            noff = 0
            while noff + 8 <= len(val):
                nlen = struct.unpack_from("H", val, noff)[0]
                aoff = noff + 8
                while aoff + 4 <= noff + nlen:
                    aln, aty = struct.unpack_from("HH", val, aoff)
                    if aty == RTA_GATEWAY:
                        out.append(socket.inet_ntoa(val[aoff + 4:aoff + 8]))
                    aoff += (aln + 3) & ~3
                noff += max((nlen + 3) & ~3, 8)
        off += (ln + 3) & ~3
    return out


def main():
    dst = ipaddress.IPv4Address(sys.argv[1]).packed
    want, period = sys.argv[2], int(sys.argv[3]) / 1000.0
    stop = sys.argv[4]
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    s.bind((0, 0))
    n = lost = 0
    first = last = None
    t0 = time.monotonic()
    while not os.path.exists(stop):
        n += 1
        s.send(request(dst, n))
        data = s.recv(65536)
        typ = struct.unpack_from("H", data, 4)[0]
        ok = typ == RTM_NEWROUTE and want in gateways(data)
        if not ok:
            lost += 1
            t = round(time.monotonic() - t0, 3)
            first = t if first is None else first
            last = t
        time.sleep(period)
    print("samples %d lost %d first_lost %s last_lost %s" %
          (n, lost, first, last))


main()
