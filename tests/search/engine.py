"""A live Elasticsearch-API engine for the contract suite, started by the tests.

No Elasticsearch server can be installed from the registries our machines
reach, so the suite runs on `osmem-server` (PyPI, pinned in requirements.txt):
a static binary implementing the OpenSearch REST API over the Bleve full-text
library, in memory, on a free port. It refuses the media types the 8.x Python
client sends (`application/vnd.elasticsearch+json; compatible-with=8`, 406), so
a small proxy, `CompatibilityProxy`, rewrites those two request headers to the
plain JSON types and passes everything else through; it also listens on a free
port, in a thread of the test process.

When ELASTICSEARCH_URL is set, the suite uses that cluster instead and starts
nothing (see docs/search.md).
"""

import http.client
import json
import re
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# application/vnd.elasticsearch+json; compatible-with=8 -> application/json
VENDOR_TYPE = re.compile(
    r"application/vnd\.elasticsearch\+([\w.-]+)(?:\s*;\s*compatible-with\s*=\s*\d+)?"
)
# Headers about one connection, not the message (RFC 9110 7.6.1), and the
# two the proxy sets itself.
NOT_FORWARDED = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}


class EngineUnavailable(RuntimeError):
    """The engine could not be started or did not become healthy."""


def plain_media_types(value):
    return VENDOR_TYPE.sub(r"application/\1", value)


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = ("127.0.0.1", 0)

    def log_message(self, format, *args):
        pass

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = bytearray()
            while size := int(self.rfile.readline().split(b";")[0] or b"0", 16):
                body += self.rfile.read(size)
                self.rfile.readline()
            while self.rfile.readline().strip():
                pass  # trailers
            return bytes(body)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else None

    def _relay(self):
        body = self._read_body()
        headers = {
            key: plain_media_types(value)
            if key.lower() in ("accept", "content-type")
            else value
            for key, value in self.headers.items()
            if key.lower() not in NOT_FORWARDED
        }
        if body is not None:
            headers["Content-Length"] = str(len(body))
        connection = http.client.HTTPConnection(*self.upstream, timeout=120)
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except OSError:
            self.send_error(502, "the search engine is not running")
            return
        finally:
            connection.close()
        self.send_response_only(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in NOT_FORWARDED:
                self.send_header(key, value)
        if self.command == "HEAD":
            self.send_header(
                "Content-Length", response.getheader("Content-Length", "0")
            )
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _relay


class CompatibilityProxy:
    """Rewrites the 8.x client's compatibility media types for `upstream`."""

    def __init__(self, upstream_host, upstream_port):
        handler = type(
            "Handler", (_ProxyHandler,), {"upstream": (upstream_host, upstream_port)}
        )
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def wait_until_healthy(url, timeout=30.0):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_cluster/health", timeout=2) as answer:  # noqa: S310 - our own local engine
                if json.load(answer).get("status") in ("green", "yellow"):
                    return
        except OSError as error:
            last_error = error
        time.sleep(0.1)
    raise EngineUnavailable(f"{url} not healthy after {timeout:.0f} s: {last_error}")


class LocalEngine:
    """osmem-server and the proxy in front of it; `url` is the proxy's."""

    def __init__(self):
        self.server = None
        self.proxy = None

    def start(self):
        try:
            from osmem_server import OsmemError, OsmemServer
        except ImportError as error:
            raise EngineUnavailable(
                "osmem-server is not installed (pip install -r requirements.txt)"
            ) from error
        try:
            # Port 0: the server picks a free port and reports its URL; it
            # exits with this process (it watches the parent pid and stdin).
            self.server = OsmemServer.start(
                japanese=False, addr="127.0.0.1:0", startup_timeout=30
            )
        except (OsmemError, OSError) as error:
            raise EngineUnavailable(str(error)) from error
        host, port = self.server.url.removeprefix("http://").rsplit(":", 1)
        self.proxy = CompatibilityProxy(host, int(port)).start()
        try:
            wait_until_healthy(self.proxy.url)
        except EngineUnavailable:
            self.stop()
            raise
        return self

    @property
    def url(self):
        return self.proxy.url

    def stop(self):
        if self.proxy is not None:
            self.proxy.stop()
            self.proxy = None
        if self.server is not None:
            self.server.close()
            self.server = None
