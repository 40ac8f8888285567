#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets: UPDATE bodies in
corpus/update and OPEN bodies in corpus/open, one binary file each.

The seeds are valid messages of every shape tbgpd reads, plus the
malformed classes of docs/malformed-input.md (the row is in the name), so
the fuzzer starts next to each boundary.  Run from anywhere; the files are
committed, rerun after changing this script.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

O, T, P, X = 0x80, 0x40, 0x20, 0x10


def attr(flags, code, value):
    """One path attribute; extended length when the value needs it."""
    if len(value) > 255 or flags & X:
        return struct.pack("!BBH", flags | X, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def seg(stype, asns, width=4):
    fmt = "!H" if width == 2 else "!I"
    return bytes([stype, len(asns)]) + b"".join(struct.pack(fmt, a)
                                                for a in asns)


def pfx4(text):
    addr, plen = text.split("/")
    plen = int(plen)
    octets = bytes(int(x) for x in addr.split("."))
    return bytes([plen]) + octets[:(plen + 7) // 8]


def pfx6(words, plen):
    raw = b"".join(struct.pack("!H", w) for w in words).ljust(16, b"\0")
    return bytes([plen]) + raw[:(plen + 7) // 8]


def update(withdrawn=b"", attrs=b"", nlri=b""):
    return (struct.pack("!H", len(withdrawn)) + withdrawn +
            struct.pack("!H", len(attrs)) + attrs + nlri)


ORIGIN = attr(T, 1, b"\0")
ASPATH = attr(T, 2, seg(2, [64512, 65001]))
ASPATH2 = attr(T, 2, seg(2, [64512, 65001], 2))
NH = attr(T, 3, bytes([169, 254, 10, 1]))
MED = attr(O, 4, struct.pack("!I", 100))
COMM = attr(O | T, 8, struct.pack("!II", 0xfde80064, 0xffffff01))
BASE = ORIGIN + ASPATH + NH
NLRI8 = b"".join(pfx4("10.1.%d.0/24" % i) for i in range(8))
V6NH = struct.pack("!8H", 0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)
V6LL = struct.pack("!8H", 0xfe80, 0, 0, 0, 0, 0, 0, 1)
V6NLRI = pfx6([0x2001, 0xdb8, 1], 48) + pfx6([0x2001, 0xdb8, 2], 64)


def mp_reach(afi, safi, nh, nlri):
    return attr(O, 14, struct.pack("!HBB", afi, safi, len(nh)) + nh +
                b"\0" + nlri)


def mp_unreach(afi, safi, nlri):
    return attr(O, 15, struct.pack("!HB", afi, safi) + nlri)


def updates():
    u = {}
    u["valid-ipv4"] = update(attrs=BASE + MED + COMM, nlri=NLRI8)
    u["valid-as2-as4path"] = update(
        attrs=ORIGIN + attr(T, 2, seg(2, [64512, 23456], 2)) + NH +
        attr(O | T, 7, struct.pack("!HI", 23456, 0x0a000001)) +
        attr(O | T, 17, seg(2, [64512, 4200000001])) +
        attr(O | T, 18, struct.pack("!II", 4200000001, 0x0a000001)),
        nlri=pfx4("10.2.0.0/16"))
    u["valid-as2"] = update(attrs=ORIGIN + ASPATH2 + NH, nlri=NLRI8)
    u["withdraw"] = update(withdrawn=NLRI8)
    u["eor-ipv4"] = update()
    u["mp-reach-v6"] = update(attrs=ORIGIN + ASPATH +
                              mp_reach(2, 1, V6NH, V6NLRI))
    u["mp-reach-v6-ll"] = update(attrs=ORIGIN + ASPATH +
                                 mp_reach(2, 1, V6NH + V6LL, V6NLRI))
    u["mp-unreach-v6"] = update(attrs=mp_unreach(2, 1, V6NLRI))
    u["eor-ipv6"] = update(attrs=mp_unreach(2, 1, b""))
    u["communities-all"] = update(
        attrs=BASE + COMM +
        attr(O | T, 16, bytes([0, 2, 0xfd, 0xe8, 0, 0, 0, 100])) +
        attr(O | T, 32, struct.pack("!III", 65000, 1, 2)),
        nlri=pfx4("10.3.0.0/16"))
    u["row17-unknown-transitive"] = update(
        attrs=BASE + attr(O | T | P, 99, b"\xde\xad\xbe\xef") +
        attr(O, 98, b"\x01") + attr(O | T, 30, bytes(300)),
        nlri=pfx4("10.4.0.0/16"))
    # row 5: framing
    u["row5-withdrawn-past-end"] = b"\x00\x20" + pfx4("10.0.0.0/8")
    u["row5-attrlen-past-end"] = b"\x00\x00\x00\x40" + BASE
    u["row5-attr-past-block"] = update(attrs=BASE + b"\x40\x01\x05\x00",
                                       nlri=pfx4("10.0.0.0/8"))
    u["row5-short-header"] = update(attrs=BASE + b"\x40\x01",
                                    nlri=pfx4("10.0.0.0/8"))
    # row 6: zero lengths
    u["row6-zero-origin"] = update(attrs=attr(T, 1, b"") + ASPATH + NH,
                                   nlri=NLRI8)
    u["row6-zero-mp-nexthop"] = update(attrs=ORIGIN + ASPATH +
                                       mp_reach(2, 1, b"", V6NLRI))
    u["row6-no-nlri"] = update(attrs=BASE + MED)
    # row 7: missing mandatory
    u["row7-no-origin"] = update(attrs=ASPATH + NH, nlri=NLRI8)
    u["row7-only-unknown"] = update(attrs=attr(O | T, 99, b"x"),
                                    nlri=NLRI8)
    # row 8: MP attributes
    u["row8-nh-len-5"] = update(attrs=ORIGIN + ASPATH +
                                mp_reach(2, 1, V6NH[:5], V6NLRI))
    u["row8-prefix-too-long"] = update(attrs=ORIGIN + ASPATH + mp_reach(
        2, 1, V6NH, b"\x81" + bytes(17)))
    u["row8-unknown-afi"] = update(attrs=ORIGIN + ASPATH +
                                   mp_reach(25, 70, bytes(4), b"\x20abcd"))
    u["row8-ipv4-prefix-33"] = update(attrs=BASE, nlri=b"\x21" + bytes(5))
    # row 9: NEXT_HOP
    for name, nh in (("len3", b"\x0a\0\0"), ("zero", bytes(4)),
                     ("multicast", bytes([224, 0, 0, 5])),
                     ("ours", bytes([169, 254, 10, 2]))):
        u["row9-nexthop-" + name] = update(
            attrs=ORIGIN + ASPATH + attr(T, 3, nh), nlri=NLRI8)
    # row 10: corrupted optional attributes
    u["row10-comm-len5"] = update(attrs=BASE + attr(O | T, 8, bytes(5)),
                                  nlri=NLRI8)
    u["row10-ext-len12"] = update(attrs=BASE + attr(O | T, 16, bytes(12)),
                                  nlri=NLRI8)
    u["row10-large-len13"] = update(attrs=BASE + attr(O | T, 32,
                                                      bytes(13)),
                                    nlri=NLRI8)
    u["row10-tunnel-encap"] = update(attrs=BASE + attr(O | T, 23,
                                                       b"\x00\x07\x00"),
                                     nlri=NLRI8)
    u["row10-aigp"] = update(attrs=BASE + attr(O, 26, b"\x01"),
                             nlri=NLRI8)
    # row 11: flags
    u["row11-origin-optional"] = update(attrs=attr(O | T, 1, b"\0") +
                                        ASPATH + NH, nlri=NLRI8)
    u["row11-low-bits"] = update(attrs=attr(T | 0x0f, 1, b"\0") + ASPATH +
                                 NH, nlri=NLRI8)
    u["row11-extlen-short"] = update(attrs=attr(T | X, 1, b"\0") + ASPATH +
                                     NH, nlri=NLRI8)
    # row 12: duplicates
    u["row12-dup-aspath"] = update(attrs=BASE + ASPATH, nlri=NLRI8)
    u["row12-dup-mp-reach"] = update(attrs=ORIGIN + ASPATH +
                                     mp_reach(2, 1, V6NH, V6NLRI) +
                                     mp_reach(2, 1, V6NH, V6NLRI))
    # row 13: AS_PATH
    for name, value in (("seg-len0", b"\x02\x00"),
                        ("overrun", b"\x02\x03" + bytes(8)),
                        ("type9", seg(9, [64512])),
                        ("confed", seg(3, [65010]) + seg(2, [64512])),
                        ("set", seg(2, [64512]) + seg(1, [65002, 65003])),
                        ("long", b"".join(seg(2, [64512] * 255)
                                          for _ in range(5)))):
        u["row13-aspath-" + name] = update(
            attrs=ORIGIN + attr(T, 2, value) + NH, nlri=NLRI8)
    u["row13-as4path-on-as4"] = update(
        attrs=BASE + attr(O | T, 17, seg(2, [64512])), nlri=NLRI8)
    return u


def caps(*tlvs):
    return b"".join(bytes([code, len(v)]) + v for code, v in tlvs)


def open_body(capas, version=4, my_as=64512, hold=90, bgpid=0x0a000001,
              ext=False):
    param = b"\x02" + bytes([len(capas)]) + capas
    if ext:
        param = b"\x02" + struct.pack("!H", len(capas)) + capas
        return (struct.pack("!BHHIB", version, my_as, hold, bgpid, 255) +
                b"\xff" + struct.pack("!H", len(param)) + param)
    return struct.pack("!BHHIB", version, my_as, hold, bgpid,
                       len(param)) + param


MP4 = (1, struct.pack("!HBB", 1, 0, 1))
MP6 = (1, struct.pack("!HBB", 2, 0, 1))
RR = (2, b"")
AS4 = (65, struct.pack("!I", 64512))
GR = (64, struct.pack("!HHBB", 120, 1, 1, 0x80))


def opens():
    o = {}
    o["valid"] = open_body(caps(MP4, MP6, RR, AS4, GR, (70, b""),
                                (6, b"")))
    o["valid-as-trans"] = open_body(caps(MP4, (65, struct.pack(
        "!I", 4200000001))), my_as=23456)
    o["valid-ext-params"] = open_body(caps(MP4, RR, AS4), ext=True)
    o["valid-no-params"] = struct.pack("!BHHIB", 4, 64512, 90,
                                       0x0a000001, 0)
    o["row2-ext-inconsistent"] = (struct.pack("!BHHIB", 4, 64512, 90, 1,
                                              255) + b"\xff\x00\x09\x02")
    o["row2-ends-after-len"] = struct.pack("!BHHIB", 4, 64512, 90, 1, 4)
    o["row3-cap-past-param"] = open_body(caps(MP4))[:-2]
    o["row3-as4-len3"] = open_body(caps((65, b"\0\0\1")))
    o["row3-gr-len1"] = open_body(caps((64, b"\0")))
    o["row3-mp-len3"] = open_body(caps((1, b"\0\1\0")))
    o["row3-unknown-long"] = open_body(caps((200, bytes(250))))
    o["row4-version3"] = open_body(caps(MP4), version=3)
    o["row4-hold1"] = open_body(caps(MP4), hold=1)
    o["row4-id0"] = open_body(caps(MP4), bgpid=0)
    o["row4-peer-as"] = open_body(caps(MP4, (65, struct.pack(
        "!I", 65009))), my_as=65009)
    return o


def write(sub, seeds):
    d = os.path.join(HERE, "corpus", sub)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith(".bin"):
            os.unlink(os.path.join(d, f))
    for name, data in sorted(seeds.items()):
        with open(os.path.join(d, name + ".bin"), "wb") as fh:
            fh.write(data)
    print("%s: %d seeds in %s" % (sub, len(seeds), d))


def main():
    write("update", updates())
    write("open", opens())
    return 0


if __name__ == "__main__":
    sys.exit(main())
