#!/usr/bin/env python3
"""A minimal HTTP endpoint for Kannel's smsbox sms-service get-url: each
request's query string is appended, one line, to the file given; the
answer is empty (smsbox sends no reply with omit-empty).  Loopback only.

usage: kannel_capture.py PORT FILE"""
import http.server
import sys


class Capture(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        with open(sys.argv[2], "a") as f:
            f.write(query + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Capture).serve_forever()
