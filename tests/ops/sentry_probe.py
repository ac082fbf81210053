"""Run by tests/ops/test_observability.py in a child process: report an error with an SSN
and a document in it to a local stand-in for Sentry, and print what arrived there."""

import gzip
import json
import logging
import os
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

received: list[bytes] = []


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def main() -> None:
    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if sys.argv[1] == "with-dsn":
        os.environ["SENTRY_DSN"] = f"http://publickey@127.0.0.1:{server.server_port}/1"
    import django

    django.setup()
    import sentry_sdk

    # As in production, the data arrives at run time (an upload, a form), not in the code.
    ssn = os.environ["PROBE_SSN"]
    document = os.environ["PROBE_DOCUMENT"].encode()  # noqa: F841 (a local variable)
    logging.getLogger("dockets").warning("looking up debtor %s", ssn)
    try:
        raise ValueError(f"claim for SSN {ssn} could not be stamped")
    except ValueError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush(timeout=10)
    server.shutdown()
    print(json.dumps({"envelopes": [b.decode("utf-8", "replace") for b in received]}))


if __name__ == "__main__":
    main()
