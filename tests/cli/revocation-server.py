#!/usr/bin/env python3
"""A small HTTP server for the revocation tests: standard library only,
bound to 127.0.0.1 on a port the kernel picks (written to --port-file once
listening).

  GET  /NAME                 the file NAME from --dir (a CRL), else 404
                             (any of these also as an absolute URI, as a
                             client asks a proxy: the server is its own proxy)
  GET  /redirect/N/NAME      N redirects (302), then NAME
  GET  /redirect-loop        302 to itself, for ever
  GET  /redirect-https       302 to https://127.0.0.1/inter.crl
  POST /ocsp                 the OCSP request answered by "openssl ocsp"
                             (-index, -CA, -rsigner, -rkey as given)

With --silent it accepts connections and never answers (a hung server).
"""
import argparse
import http.server
import os
import socket
import subprocess
import sys
import tempfile
import time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--dir", default=".")
    p.add_argument("--silent", action="store_true")
    p.add_argument("--ocsp-index")
    p.add_argument("--ocsp-ca")
    p.add_argument("--ocsp-rsigner")
    p.add_argument("--ocsp-rkey")
    p.add_argument("--ocsp-nmin", default="60")
    return p.parse_args()


def write_port(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, path)


def run_silent(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    write_port(args.port_file, sock.getsockname()[1])
    held = []
    while True:
        conn, _ = sock.accept()
        held.append(conn)  # kept open, never read or answered


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *a):
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % a))

    def send_body(self, status, body, ctype):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def local_path(self):
        """The path, also of an absolute URI (a request made through a proxy)."""
        path = self.path.split("?", 1)[0]
        if path.startswith("http://"):
            path = "/" + path[len("http://"):].split("/", 1)[-1]
        return path

    def do_GET(self):
        path = self.local_path()
        if path == "/redirect-loop":
            return self.redirect("/redirect-loop")
        if path == "/redirect-https":
            return self.redirect("https://127.0.0.1/inter.crl")
        parts = path.split("/")
        if len(parts) >= 4 and parts[1] == "redirect" and parts[2].isdigit():
            n = int(parts[2])
            rest = "/".join(parts[3:])
            return self.redirect("/redirect/%d/%s" % (n - 1, rest) if n > 1 else "/" + rest)
        name = os.path.basename(path)
        full = os.path.join(self.server.args.dir, name)
        if not name or not os.path.isfile(full):
            return self.send_body(404, b"not here\n", "text/plain")
        with open(full, "rb") as f:
            try:
                self.send_body(200, f.read(), "application/pkix-crl")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading: too large for it

    def do_POST(self):
        a = self.server.args
        length = int(self.headers.get("Content-Length", "0"))
        request = self.rfile.read(length)
        if self.local_path() != "/ocsp" or not a.ocsp_index:
            return self.send_body(404, b"not here\n", "text/plain")
        with tempfile.TemporaryDirectory() as tmp:
            req, resp = os.path.join(tmp, "req.der"), os.path.join(tmp, "resp.der")
            with open(req, "wb") as f:
                f.write(request)
            done = subprocess.run(["openssl", "ocsp", "-index", a.ocsp_index, "-CA", a.ocsp_ca,
                                   "-rsigner", a.ocsp_rsigner, "-rkey", a.ocsp_rkey, "-nmin", a.ocsp_nmin,
                                   "-reqin", req, "-respout", resp],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if done.returncode != 0 or not os.path.exists(resp):
                sys.stderr.write(done.stderr.decode(errors="replace"))
                return self.send_body(500, b"responder failed\n", "text/plain")
            with open(resp, "rb") as f:
                self.send_body(200, f.read(), "application/ocsp-response")


def main():
    args = parse_args()
    if args.silent:
        run_silent(args)
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.args = args
    write_port(args.port_file, server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
