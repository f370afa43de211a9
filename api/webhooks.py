"""Sending a webhook: where it may go, how it is signed, and one attempt.

Signature: header `Kinship-Signature: t=<unix seconds>,v1=<hex>` where hex is
HMAC-SHA256(secret, f"{t}.{body}"). A receiver recomputes it over the raw body, compares
in constant time, and refuses a `t` more than 5 minutes from its clock (replay
protection); the event `id` in the body lets it ignore a delivery it has already seen.
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

TIMEOUT_SECONDS = 5
BODY_KEPT = 2000
SIGNATURE_HEADER = "Kinship-Signature"
TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, at: int | None = None) -> str:
    at = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def verify(secret: str, body: bytes, header: str, *, now: int | None = None) -> bool:
    """What a receiver does (and the tests): the signature matches and is recent."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        at = int(parts["t"])
    except (ValueError, KeyError):
        return False
    now = int(time.time()) if now is None else now
    expected = sign(secret, body, at).split("v1=", 1)[1]
    return abs(now - at) <= TOLERANCE_SECONDS and hmac.compare_digest(expected, parts.get("v1", ""))


def _private(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        return True  # a name that does not resolve goes nowhere
    return any(not ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses)


def check_target(url: str) -> None:
    """May we send to this address? HTTPS only, and never a private, loopback or
    link-local address (server-side request forgery), unless the setting
    WEBHOOKS_ALLOW_PRIVATE_TARGETS allows it (development and tests)."""
    parts = urlsplit(url)
    allow_any = settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS
    if parts.scheme not in (("http", "https") if allow_any else ("https",)) or not parts.hostname:
        raise ValidationError({"url": "Enter an https:// address."})
    if parts.username or parts.password:
        raise ValidationError({"url": "Leave user names and passwords out of the address."})
    if not allow_any and _private(parts.hostname):
        raise ValidationError({"url": "This address is not on the public internet."})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is the receiver's answer, not somewhere to go


@dataclass
class Attempt:
    ok: bool
    status: int | None
    body: str
    error: str


def send(url: str, secret: str, payload: dict) -> Attempt:
    """POST the payload once: signed, with a timeout, following no redirect. A 2xx is a success."""
    try:
        check_target(url)  # again: the name may point somewhere else by now
    except ValidationError as exc:
        return Attempt(False, None, "", " ".join(exc.messages)[:300])
    body = json.dumps(payload, separators=(",", ":"), default=str).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 - checked above
        "Content-Type": "application/json", "User-Agent": "Kinship-Webhooks/1",
        SIGNATURE_HEADER: sign(secret, body), "Kinship-Event": payload["type"], "Kinship-Event-Id": payload["id"]})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            text = response.read(BODY_KEPT).decode("utf-8", "replace")
            return Attempt(200 <= response.status < 300, response.status, text, "")
    except urllib.error.HTTPError as exc:
        text = exc.read(BODY_KEPT).decode("utf-8", "replace") if exc.fp else ""
        return Attempt(False, exc.code, text, "")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return Attempt(False, None, "", f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"[:300])
