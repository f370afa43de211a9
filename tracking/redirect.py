"""GET /r/<code>: the busiest URL. Resolve the code, record the click, set the cookies, 302.

It runs before Django's middleware: `TrackingDispatcher` wraps the WSGI application and
answers /r/ itself, so a redirect costs no session, auth, messages or CSRF work, and at
most one Redis round trip. The Django view `redirect_view` serves the same function for
the test client and anything else that goes through Django's URLs.

The target is always this site's page for the link's product: nothing from the request
decides where the browser goes.
"""

import contextlib
import functools
import os
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.http.cookie import parse_cookie
from django.utils.crypto import salted_hmac
from django.views.decorators.csrf import csrf_exempt

from affiliates.models import content_id_from_tag

from . import clicks
from .models import Link

ATTRIBUTION_COOKIE = "ks_a"
VISITOR_COOKIE = "ks_v"
MAX_CLICKS_IN_COOKIE = 10
_SALT = "kinship.attribution"

# code -> (link id, product id, expiry); links never change, so entries only age out.
_local_cache: dict[str, tuple[int, int, float]] = {}
LOCAL_TTL = 600.0
LOCAL_MAX = 50_000


def resolve(code: str) -> tuple[int, int] | None:
    """(link id, product id) for a code: from this process, then Redis, then the database."""
    now = time.monotonic()
    hit = _local_cache.get(code)
    if hit is not None and hit[2] > now:
        return hit[0], hit[1]
    if len(code) > 16 or not code.isalnum():
        return None
    found = None
    client = clicks.redis_client()
    key = f"kinship:link:{code}"
    if client is not None:
        try:
            cached = client.get(key)
            if cached:
                link_id, product_id = (int(part) for part in cached.split(b":"))
                found = (link_id, product_id)
        except (clicks.redis.RedisError, ValueError):
            found = None
    if found is None:
        row = Link.objects.filter(code=code).values_list("pk", "product_id").first()
        if row is None:
            return None
        found = (row[0], row[1])
        if client is not None:
            with contextlib.suppress(clicks.redis.RedisError):
                client.set(key, f"{found[0]}:{found[1]}", ex=86400)
    if len(_local_cache) >= LOCAL_MAX:
        _local_cache.clear()
    _local_cache[code] = (found[0], found[1], now + LOCAL_TTL)
    return found


def forget_local_cache() -> None:
    _local_cache.clear()


# --------------------------------------------------------------------------------------
# The attribution cookie: the latest clicks, signed
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CookieClick:
    click_id: str
    link_id: int
    at: int


def _signer() -> signing.Signer:
    return _signer_for(settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


class _Signer(signing.Signer):
    """Django's Signer, its signatures the same, with the HMAC key derived once instead of
    on every signature (two hashes per redirect)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._mac = salted_hmac(self.salt + "signer", b"", self.key, algorithm=self.algorithm)

    def signature(self, value, key=None):
        if key is not None and key != self.key:  # a fallback key, while unsigning
            return super().signature(value, key)
        mac = self._mac.copy()
        mac.update(value.encode())
        return signing.b64_encode(mac.digest()).decode()


@functools.lru_cache(maxsize=4)
def _signer_for(secret_key: str, fallback_keys: tuple[str, ...]) -> signing.Signer:
    """One signer per process (and keys): made once, not on every redirect."""
    return _Signer(key=secret_key, fallback_keys=list(fallback_keys), salt=_SALT)


def read_attribution_cookie(value: str | None) -> list[CookieClick]:
    """The clicks in a signed attribution cookie, newest last; nothing if it was tampered with."""
    if not value:
        return []
    try:
        raw = _signer().unsign(value)
    except signing.BadSignature:
        return []
    entries = []
    for part in raw.split("~"):
        try:
            click_id, link_id, at = part.split(".")
            entries.append(CookieClick(click_id=click_id, link_id=int(link_id), at=int(at)))
        except ValueError:
            continue
    return entries


def _attribution_value(existing: str | None, click: CookieClick) -> str:
    entries = [e for e in read_attribution_cookie(existing) if e.click_id != click.click_id]
    entries = [*entries, click][-MAX_CLICKS_IN_COOKIE:]
    return _signer().sign("~".join(f"{e.click_id}.{e.link_id}.{e.at}" for e in entries))


def _cookie_header(name: str, value: str, max_age: int) -> str:
    """A Set-Cookie value. Our values are hex, base64url and ".:~" only, so need no quoting."""
    secure = "; Secure" if settings.TRACKING_COOKIE_SECURE else ""
    return f"{name}={value}; HttpOnly; Max-Age={max_age}; Path=/; SameSite=Lax{secure}"


# --------------------------------------------------------------------------------------
# The redirect itself
# --------------------------------------------------------------------------------------


@dataclass
class Redirect:
    location: str
    cookies: list[tuple[str, str, int]]  # (name, value, max-age)
    stored_in: str


def track(code: str, *, cookies: dict[str, str], meta: dict, tag: str = "") -> Redirect | None:
    """Record a click on `code` and say where to send the browser; None for an unknown code.

    `meta` holds WSGI/CGI-style keys (REMOTE_ADDR, HTTP_USER_AGENT, ...). `tag` is a
    content piece's tag (/r/<code>/<tag>): its id in base 36, so it costs no lookup here;
    whether it is the link's creator's content is checked when the click is stored.
    """
    resolved = resolve(code)
    if resolved is None:
        return None
    link_id, product_id = resolved
    visitor = cookies.get(VISITOR_COOKIE, "")
    new_visitor = len(visitor) != 32 or not visitor.isalnum()
    if new_visitor:
        visitor = os.urandom(16).hex()
    remote = meta.get("REMOTE_ADDR", "")
    if settings.TRACKING_TRUST_FORWARDED_FOR and meta.get("HTTP_X_FORWARDED_FOR"):
        remote = meta["HTTP_X_FORWARDED_FOR"].split(",")[0].strip()
    user_agent = meta.get("HTTP_USER_AGENT", "")
    prefetch = clicks.is_prefetch(dest=meta.get("HTTP_SEC_FETCH_DEST", ""), mode=meta.get("HTTP_SEC_FETCH_MODE", ""),
                                  purpose=(meta.get("HTTP_SEC_PURPOSE", "") + meta.get("HTTP_PURPOSE", "")).lower())
    now = time.time()
    click = clicks.ClickData(
        id=os.urandom(16).hex(), link_id=link_id, at=now, visitor_id=visitor, ip_hash=clicks.ip_hash(remote),
        user_agent=user_agent[:300], referrer=meta.get("HTTP_REFERER", "")[:500], is_bot=clicks.is_bot(user_agent),
        is_prefetch=prefetch, content_id=content_id_from_tag(tag) if tag else None, new_visitor=new_visitor,
    )
    queued = clicks.click_send(click)  # Redis takes it while the cookies are made
    try:
        set_cookies = []
        if new_visitor:
            set_cookies.append((VISITOR_COOKIE, visitor, 365 * 24 * 3600))
        if not prefetch:
            value = _attribution_value(cookies.get(ATTRIBUTION_COOKIE),
                                       CookieClick(click_id=click.id, link_id=link_id, at=int(now)))
            set_cookies.append((ATTRIBUTION_COOKIE, value, settings.TRACKING_COOKIE_MAX_AGE))
    finally:
        stored_in = queued.confirm()
    return Redirect(location=f"/p/{product_id}/", cookies=set_cookies, stored_in=stored_in)


_FIXED_HEADERS = [
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Length", "0"),
]


class TrackingDispatcher:
    """WSGI middleware: answers GET /r/<code> without entering Django's request cycle."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/r/") and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            code, _, tag = path[3:].rstrip("/").partition("/")
            # Parsed as Django parses request.COOKIES (lenient: a broken pair is skipped).
            cookies = parse_cookie(environ["HTTP_COOKIE"]) if environ.get("HTTP_COOKIE") else {}
            result = track(code, cookies=cookies, meta=environ, tag=tag)
            if result is not None:
                headers = [("Location", result.location), *_FIXED_HEADERS]
                if settings.SECURE_HSTS_SECONDS:
                    headers.append(("Strict-Transport-Security", f"max-age={settings.SECURE_HSTS_SECONDS}"))
                headers += [("Set-Cookie", _cookie_header(*cookie)) for cookie in result.cookies]
                start_response("302 Found", headers)
                return [b""]
        return self.app(environ, start_response)


@csrf_exempt
def redirect_view(request, code, tag=""):
    """The same redirect through Django's URLs (test client, runserver without the dispatcher)."""
    result = track(code, cookies=request.COOKIES, meta=request.META, tag=tag)
    if result is None:
        raise Http404("Unknown link")
    response = HttpResponse(status=302)
    response["Location"] = result.location
    response["Cache-Control"] = "no-store"
    for name, value, max_age in result.cookies:
        response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="Lax",
                            secure=settings.TRACKING_COOKIE_SECURE)
    return response
