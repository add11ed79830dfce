"""A local HTTP server for spider tests, run in a subprocess (as Scrapy's own tests do).

Serves the real sample publications bundled in osint/demo/data under /ofac/ and /un/, plus
resources that misbehave the ways real sites do:

/ofac-truncated/sdn.csv   body cut in the middle of a row (honest Content-Length)
/ofac-dataloss/sdn.csv    Content-Length promises more bytes than are sent
/ofac-changed/sdn.csv     rows with 10 columns instead of 12 (the format changed)
/ofac-small/{sdn,add,alt}.csv   the list with its last 20 entries removed (delisting)
/ofac-badrow/...          as ofac-small, and one sdn.csv row has a column missing
/un-broken/consolidated.xml     XML cut halfway
/status/NNN/...           always answers with that HTTP status
/private/...              disallowed by /robots.txt
/redirect/PATH            302 to /PATH
/redirect-offsite/PATH    302 to the same path on localhost (another domain)
/big/N/NAME               the sample file NAME followed by N MB of padding
/ofac-dup/NAME            the sample, with sdn.csv's first row repeated at the end
/slow/{sdn,add,alt}.csv   the OFAC sample, each file after a 3 s pause
/fixtures/PATH            tests/fixtures/PATH

Every 200 response carries an ETag and answers If-None-Match with 304 Not Modified.

Start: `python tests/mockserver.py` prints the base URL on its first line of stdout.
"""

from __future__ import annotations

import hashlib
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "osint" / "demo" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".csv": "text/csv",
    ".json": "application/json",
    ".txt": "text/plain",
}
COUNTS: dict[str, int] = {}


def _sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _small(name: str) -> bytes:
    """The file without the last 20 SDN entries (and their address/alias rows)."""
    sdn_lines = _sample("sdn.csv").split(b"\r\n")
    removed = {line.split(b",", 1)[0] for line in sdn_lines[-21:-1]}
    lines = _sample(name).split(b"\r\n")
    return b"\r\n".join(line for line in lines if line.split(b",", 1)[0] not in removed)


def _changed() -> bytes:
    rows = [line.rsplit(b",", 2)[0] for line in _sample("sdn.csv").split(b"\r\n") if line]
    return b"\r\n".join(rows) + b"\r\n"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, status: int, body: bytes, length: int | None = None, **headers: str) -> None:
        if status == 200 and length is None:
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            if self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        COUNTS[path] = COUNTS.get(path, 0) + 1
        parts = path.strip("/").split("/")
        head, name = parts[0], parts[-1]
        if head == "slow":
            time.sleep(3)
            head = "ofac"
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", Content_Type="text/plain")
        elif path == "/hits":
            body = "\n".join(f"{k} {v}" for k, v in sorted(COUNTS.items())).encode()
            self._send(200, body)
        elif head in ("ofac", "private") and (DATA / name).is_file():
            self._send(200, _sample(name), Content_Type="text/csv")
        elif head == "ofac-small":
            self._send(200, _small(name), Content_Type="text/csv")
        elif head == "ofac-badrow":
            body = _small(name)
            if name == "sdn.csv":  # one row loses a column: skipped, the run stays ok
                lines = body.split(b"\r\n")
                lines[5] = lines[5].rsplit(b",", 1)[0]
                body = b"\r\n".join(lines)
            self._send(200, body, Content_Type="text/csv")
        elif head == "ofac-truncated":
            body = _sample(name)
            self._send(200, body[: len(body) // 2], Content_Type="text/csv")
        elif head == "ofac-dataloss":
            body = _sample(name)
            self._send(200, body[: len(body) // 2], length=len(body), Content_Type="text/csv")
            self.close_connection = True
        elif head == "ofac-changed" and name == "sdn.csv":
            self._send(200, _changed(), Content_Type="text/csv")
        elif head == "un" and name == "consolidated.xml":
            self._send(200, _sample("un_consolidated_sample.xml"), Content_Type="text/xml")
        elif head == "un-broken":
            body = _sample("un_consolidated_sample.xml")
            self._send(200, body[: len(body) // 2], Content_Type="text/xml")
        elif head == "status" and len(parts) > 1 and parts[1].isdigit():
            self._send(int(parts[1]), b"status page")
        elif head == "fixtures":
            target = (FIXTURES / "/".join(parts[1:])).resolve()
            if target.is_file() and target.is_relative_to(FIXTURES):
                ctype = TYPES.get(target.suffix, "application/octet-stream")
                self._send(200, target.read_bytes(), Content_Type=ctype)
            else:
                self._send(404, b"not found")
        elif head == "big" and len(parts) > 2 and parts[1].isdigit():
            # N MB: the real sample followed by padding rows.
            body = _sample(name) + b"0" * (int(parts[1]) * 1024 * 1024)
            self._send(200, body, Content_Type="text/csv")
        elif head == "ofac-dup":
            body = _sample(name)
            if name == "sdn.csv":
                first = body.split(b"\r\n", 1)[0]
                body = body + first + b"\r\n"
            self._send(200, body, Content_Type="text/csv")
        elif head == "redirect-offsite":
            # 127.0.0.1 and localhost are different domains to a crawler.
            port = self.server.server_address[1]
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{port}/" + "/".join(parts[1:]))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif head == "redirect":
            self.send_response(302)
            self.send_header("Location", "/" + "/".join(parts[1:]))
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, b"not found")


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sys.stdout.write(f"http://127.0.0.1:{server.server_address[1]}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
