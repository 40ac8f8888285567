#!/usr/bin/env python3
"""A hostile BGP peer for the robustness cases of the interop suite.

It listens where tbgpd expects its gateway, lets tbgpd connect again and
again, misbehaves in one chosen way on every connection, and records what
tbgpd answered and when it came back.  It prints one JSON object:
{"mode": ..., "connections": [{"t": seconds, "notification": [code, sub,
"datahex"] or null, "closed": bool}, ...]}.

Modes (what we send after reading tbgpd's OPEN):
  garbage    19 octets whose marker is not all ones      expect 1/1
  badlen     a header claiming 5000 octets               expect 1/2 data 1388
  badtype    a header of unknown type 9                  expect 1/3 data 09
  version    an OPEN with version 5                      expect 2/1 data 0004
  hold1      an OPEN with hold time 1                    expect 2/6
  badid      an OPEN with BGP identifier 0               expect 2/3
  midopen    half an OPEN, then close                    expect nothing
  notify     a Cease/Administrative Shutdown NOTIFICATION whose RFC 9003
             length octet lies and whose text holds control bytes and
             invalid UTF-8                                expect nothing
"""
import argparse
import json
import select
import socket
import struct
import sys
import time

MARKER = b"\xff" * 16


def msg(mtype, body):
    return MARKER + struct.pack("!HB", 19 + len(body), mtype) + body


def open_body(version=4, asn=64512, hold=30, bgp_id="169.254.116.209"):
    caps = bytes([1, 4, 0, 1, 0, 1])              # MP IPv4 unicast
    caps += bytes([65, 4]) + struct.pack("!I", asn)  # 4-octet AS
    params = bytes([2, len(caps)]) + caps
    return (struct.pack("!BHH", version, asn if asn < 65536 else 23456, hold)
            + socket.inet_aton(bgp_id) + bytes([len(params)]) + params)


def hostile_shutdown():
    text = b"maint\x1b[2J\x07 \xff\xfe window"
    # The length octet claims 200 octets; only len(text) follow.
    return bytes([6, 2, 200]) + text


PAYLOADS = {
    "garbage": lambda: b"\x00" * 16 + struct.pack("!HB", 19, 4),
    "badlen": lambda: MARKER + struct.pack("!HB", 5000, 1),
    "badtype": lambda: MARKER + struct.pack("!HB", 19, 9),
    "version": lambda: msg(1, open_body(version=5)),
    "hold1": lambda: msg(1, open_body(hold=1)),
    "badid": lambda: msg(1, open_body(bgp_id="0.0.0.0")),
    "midopen": lambda: msg(1, open_body())[:25],
    "notify": lambda: msg(3, hostile_shutdown()),
}


def read_exact(sock, n, deadline):
    data = b""
    while len(data) < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            return None
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_msg(sock, deadline):
    hdr = read_exact(sock, 19, deadline)
    if hdr is None:
        return None
    length, mtype = struct.unpack("!HB", hdr[16:19])
    body = read_exact(sock, max(0, length - 19), deadline)
    return None if body is None else (mtype, body)


def serve_one(conn, mode, t0):
    rec = {"t": round(time.monotonic() - t0, 3), "notification": None,
           "closed": False}
    deadline = time.monotonic() + 10
    first = read_msg(conn, deadline)
    if first is None or first[0] != 1:
        rec["error"] = "no OPEN from tbgpd"
        return rec
    conn.sendall(PAYLOADS[mode]())
    if mode == "midopen":
        return rec
    while True:
        m = read_msg(conn, deadline)
        if m is None:
            rec["closed"] = True
            return rec
        if m[0] == 3:
            body = m[1]
            rec["notification"] = [body[0], body[1], body[2:].hex()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", default="169.254.116.209")
    ap.add_argument("--port", type=int, default=179)
    ap.add_argument("--mode", choices=sorted(PAYLOADS), required=True)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.listen, args.port))
    srv.listen(4)
    t0 = time.monotonic()
    end = t0 + args.timeout
    conns = []
    while len(conns) < args.connections and time.monotonic() < end:
        if not select.select([srv], [], [], end - time.monotonic())[0]:
            break
        conn, _ = srv.accept()
        with conn:
            conns.append(serve_one(conn, args.mode, t0))
    print(json.dumps({"mode": args.mode, "connections": conns}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
