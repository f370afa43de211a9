"""Uploaded pictures, served by the web process when they are on this machine's disk.

Production on one machine (`make up`, gunicorn with no proxy in front) has nobody else
to serve MEDIA_ROOT: this WSGI layer answers GET and HEAD under MEDIA_URL before Django
does. It serves only pictures (uploads are re-encoded to WebP by shops/images.py; the
types below are what an upload can become), never anything else that might sit in the
folder, with a fixed content type, `nosniff` and a sandboxing CSP, so nothing in it can
run as a page. Paths that leave the folder are refused. Answers carry a week's cache
lifetime and an ETag; a repeat request that still has the picture gets a 304.

With several web machines media lives in object storage instead (MEDIA_S3_BUCKET), and
behind nginx the proxy may serve MEDIA_ROOT itself (DJANGO_SERVE_MEDIA=False).
"""

import os
from email.utils import formatdate
from pathlib import Path
from wsgiref.util import FileWrapper

CONTENT_TYPES = {".webp": "image/webp", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".gif": "image/gif"}
CACHE_SECONDS = 7 * 24 * 3600
_SAFE_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'none'; sandbox"),
    ("Cross-Origin-Resource-Policy", "same-site"),
    ("Referrer-Policy", "same-origin"),
]


class MediaFiles:
    def __init__(self, app, *, root: os.PathLike, prefix: str):
        self.app = app
        self.root = Path(root).resolve()
        self.prefix = "/" + prefix.strip("/") + "/"

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(self.prefix):
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", [("Allow", "GET, HEAD")])
        found = self.find(path[len(self.prefix):])
        if found is None:
            return _plain(start_response, "404 Not Found")
        stat = found.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        headers = [("Cache-Control", f"public, max-age={CACHE_SECONDS}"), ("ETag", etag),
                   ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)), *_SAFE_HEADERS]
        if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 Not Modified", headers)
            return [b""]
        headers += [("Content-Type", CONTENT_TYPES[found.suffix.lower()]), ("Content-Length", str(stat.st_size))]
        start_response("200 OK", headers)
        if method == "HEAD":
            return [b""]
        wrapper = environ.get("wsgi.file_wrapper", FileWrapper)
        return wrapper(found.open("rb"), 64 * 1024)  # gunicorn sends it with sendfile

    def find(self, relative: str) -> Path | None:
        """The picture at this path inside the root, or None (outside it, hidden, not a
        picture, not a file)."""
        parts = relative.split("/")
        if any(part in ("", ".", "..") or part.startswith(".") or "\\" in part or "\x00" in part for part in parts):
            return None
        candidate = self.root.joinpath(*parts)
        if candidate.suffix.lower() not in CONTENT_TYPES:
            return None
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not resolved.is_relative_to(self.root) or not resolved.is_file():
            return None
        return resolved


def _plain(start_response, status: str, extra=()):
    body = status.split(" ", 1)[1].encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
                            *_SAFE_HEADERS, *extra])
    return [body]
