#!/usr/bin/env python3
"""A small MS-SSTP server for the tests of mkcsr probe (standard library only).

It answers as RRAS does: TLS with the chain it is given, HTTP 200 with the
2^64-1 Content-Length to SSTP_DUPLEX_POST, a Call Connect Ack (with a Crypto
Binding Request) to a Call Connect Request for PPP, a Call Abort back to a
Call Abort, a Disconnect Ack to a Disconnect.  It can misbehave on request
(--mode, --delay, --tls10).  It listens on loopback addresses only, writes
its port to --port-file once it listens, and logs one line per event to
--log so that tests can assert what the client sent.

  sstp_server.py --cert chain.pem --key leaf.key --port-file P --log L [--bind ::1] ...
"""

import argparse
import email.utils
import os
import socket
import ssl
import struct
import sys
import threading
import time
import warnings

SSTP_URI = "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"
CONTENT_LENGTH = "18446744073709551615"
MSG_NAMES = {1: "call-connect-request", 2: "call-connect-ack", 3: "call-connect-nak", 4: "call-connected",
             5: "call-abort", 6: "call-disconnect", 7: "call-disconnect-ack", 8: "echo-request",
             9: "echo-response"}
MODES = ("sstp", "silent", "no-http-answer", "http-404", "nak", "no-ack")

log_lock = threading.Lock()


def log(args, line):
    with log_lock:
        with open(args.log, "a", encoding="utf-8") as f:
            f.write(line + "\n")


def control_packet(msg_type, attributes):
    body = b"".join(attributes)
    length = 8 + len(body)
    return struct.pack("!BBHHH", 0x10, 0x01, length, msg_type, len(attributes)) + body


def attribute(attrib_id, value):
    return struct.pack("!BBH", 0, attrib_id, 4 + len(value)) + value


def status_info(about, status):
    return attribute(2, b"\0\0\0" + bytes([about]) + struct.pack("!I", status))


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def read_packet(conn):
    header = recv_exact(conn, 4)
    version, flags, length = struct.unpack("!BBH", header)
    length &= 0x0FFF
    if version != 0x10 or length < 4:
        raise ValueError("not an SSTP 1.0 packet")
    return flags & 1, header + recv_exact(conn, length - 4)


def read_http(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            raise EOFError
        data += chunk
        if len(data) > 16384:
            raise ValueError("HTTP header too long")
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], headers


def answer_http(args, conn):
    request_line, headers = read_http(conn)
    log(args, "http %s host=%s correlation=%s content-length=%s" % (
        request_line, headers.get("host", ""), headers.get("sstpcorrelationid", ""),
        headers.get("content-length", "")))
    if args.mode == "no-http-answer":
        time.sleep(3600)
    if args.mode == "http-404" or request_line != "SSTP_DUPLEX_POST %s HTTP/1.1" % SSTP_URI:
        body = b"<html><body>Not Found</body></html>"
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nServer: Microsoft-IIS/10.0\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body)
        log(args, "sent http-404")
        return False
    conn.sendall(("HTTP/1.1 200\r\nContent-Length: %s\r\nServer: Microsoft-HTTPAPI/2.0\r\nDate: %s\r\n\r\n" % (
        CONTENT_LENGTH, email.utils.formatdate(usegmt=True))).encode("ascii"))
    log(args, "sent http-200")
    return True


def answer_call(args, conn, packet):
    msg_type, count = struct.unpack("!HH", packet[4:8])
    protocol = None
    if count >= 1 and len(packet) >= 14 and packet[9] == 1:
        protocol = struct.unpack("!H", packet[12:14])[0]
    log(args, "received call-connect-request attributes=%d protocol=%s length=%d" % (count, protocol, len(packet)))
    if args.mode == "no-ack":
        time.sleep(3600)
    if args.mode == "nak" or protocol != 1:
        conn.sendall(control_packet(3, [status_info(1, 4)]))  # ATTRIB_STATUS_VALUE_NOT_SUPPORTED
        log(args, "sent call-connect-nak")
        return
    binding_request = attribute(4, b"\0\0\0" + bytes([0x03]) + os.urandom(32))
    conn.sendall(control_packet(2, [binding_request]))
    log(args, "sent call-connect-ack")


def serve_sstp(args, conn):
    if not answer_http(args, conn):
        return
    while True:
        control, packet = read_packet(conn)
        if not control:
            log(args, "received data length=%d" % len(packet))
            continue
        msg_type = struct.unpack("!H", packet[4:6])[0]
        name = MSG_NAMES.get(msg_type, "unknown-%d" % msg_type)
        if msg_type == 1:
            answer_call(args, conn, packet)
            continue
        detail = ""
        if msg_type in (5, 6) and len(packet) >= 20:
            detail = " status=%d" % struct.unpack("!I", packet[16:20])[0]
        log(args, "received %s%s length=%d" % (name, detail, len(packet)))
        if msg_type == 5:
            conn.sendall(control_packet(5, [status_info(0, 0)]))
            log(args, "sent call-abort")
            return
        if msg_type == 6:
            conn.sendall(control_packet(7, []))
            return
        if msg_type == 8:
            conn.sendall(control_packet(9, []))


def handle(args, context, raw):
    try:
        if args.delay:
            time.sleep(args.delay)
        if args.mode == "silent":
            log(args, "accepted, staying silent")
            time.sleep(3600)
            return
        with context.wrap_socket(raw, server_side=True) as conn:
            log(args, "tls %s %s" % (conn.version(), conn.cipher()[0]))
            serve_sstp(args, conn)
    except (EOFError, OSError, ValueError, ssl.SSLError) as e:
        log(args, "closed: %s" % type(e).__name__)
    finally:
        raw.close()


def make_context(args):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    if args.tls10:
        warnings.filterwarnings("ignore", category=DeprecationWarning)  # TLS 1.0 is the point here
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1
    return context


def listen(binds, port):
    sockets = []
    for address in binds:
        if address not in ("127.0.0.1", "::1"):
            sys.exit("sstp_server.py: loopback addresses only, not %s" % address)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((address, port))
        port = s.getsockname()[1]
        s.listen(64)
        sockets.append(s)
    return sockets, port


def accept_loop(args, context, s):
    while True:
        raw, _ = s.accept()
        threading.Thread(target=handle, args=(args, context, raw), daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description="a small SSTP server for tests")
    parser.add_argument("--cert", required=True, help="PEM: the leaf, then the chain to send")
    parser.add_argument("--key", required=True)
    parser.add_argument("--bind", action="append", help="127.0.0.1 (default) or ::1; repeatable, one port")
    parser.add_argument("--port", type=int, default=0, help="the port to listen on (default: one the kernel picks)")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--mode", choices=MODES, default="sstp")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait after accepting a connection")
    parser.add_argument("--tls10", action="store_true", help="speak TLS 1.0 only")
    args = parser.parse_args()
    context = make_context(args)
    sockets, port = listen(args.bind or ["127.0.0.1"], args.port)
    open(args.log, "a").close()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, args.port_file)
    for s in sockets[1:]:
        threading.Thread(target=accept_loop, args=(args, context, s), daemon=True).start()
    accept_loop(args, context, sockets[0])


if __name__ == "__main__":
    main()
