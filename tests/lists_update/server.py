#!/usr/bin/env python3
"""A local HTTP server for the `lists update` test (tests/lists_update/run.sh).

Serves the files of a directory on 127.0.0.1 at a free port (printed on the
first line of stdout), with the faults the test scripts by URL prefix:

  /f/NAME          the file, with ETag (its SHA-256) and Last-Modified (its
                   mtime); If-None-Match / If-Modified-Since give 304
  /404/NAME        404 Not Found
  /500/NAME        500 Internal Server Error (every time)
  /truncated/NAME  Content-Length of the whole file, half the body, then close
  /stall/NAME      headers and 1 KiB, then silence for 20 s
  /html/NAME       the file, served as text/html (a portal or error page)

Requests are logged to stderr.  Stopped by SIGTERM.
"""
import email.utils
import hashlib
import http.server
import os
import socketserver
import sys
import time

ROOT = sys.argv[1]
TYPES = {".xml": "application/xml", ".csv": "text/csv", ".json": "application/json"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("server: " + (fmt % args) + "\n")

    def send_body(self, body, ctype, extra=()):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = self.path.split("/", 2)
        if len(parts) != 3:
            return self.send_error(400)
        fault, name = parts[1], parts[2]
        path = os.path.join(ROOT, name)
        if fault == "404" or not os.path.isfile(path):
            return self.send_error(404)
        if fault == "500":
            return self.send_error(500)
        with open(path, "rb") as f:
            body = f.read()
        ctype = TYPES.get(os.path.splitext(name)[1], "application/octet-stream")
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        mtime = int(os.stat(path).st_mtime)
        modified = email.utils.formatdate(mtime, usegmt=True)
        if fault == "f":
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            fresh = inm == etag if inm else (
                ims is not None and email.utils.parsedate_to_datetime(ims).timestamp() >= mtime)
            if fresh:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            return self.send_body(body, ctype, [("ETag", etag), ("Last-Modified", modified)])
        if fault == "html":
            return self.send_body(body, "text/html; charset=utf-8")
        if fault in ("truncated", "stall"):
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            cut = len(body) // 2 if fault == "truncated" else 1024
            self.wfile.write(body[:cut])
            self.wfile.flush()
            if fault == "stall":
                time.sleep(20)
            self.close_connection = True
            return
        self.send_error(400)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
