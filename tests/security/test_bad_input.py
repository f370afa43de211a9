"""Bad input everywhere. Each kind of user (anonymous buyer, newcomer, seller, creator,
pending creator, staff) crawls the demo site, and every form found is sent broken input:
empty fields, very long unicode, out-of-range and malformed numbers and dates, XSS
payloads, null bytes, choices that do not exist, tampered hidden fields and broken
uploads. Staff also run every admin action and fill its reason page the same way.

No answer may be a 500. Afterwards no page shows a payload unescaped (the browser side
of that is tests/browser/test_xss_inert.py). A form class or admin action that the crawl
never reached fails the test, so a new form is swept the day it appears."""

import io
from collections import Counter, deque
from urllib.parse import urlsplit

import django_filters
import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from PIL import Image

from portal import demo
from shops.models import Product
from tests import data_rows
from tests.factories import UserFactory

from .forms_in_html import CHOICE_TYPES, DATE_TYPES, NUMBER_TYPES, TEXT_TYPES, Form, read_page

pytestmark = pytest.mark.django_db

XSS = '"><script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
RAW_MARKERS = ("<script>window.__xss", 'onerror="window.__xss')
ESCAPED_MARKER = "&lt;script&gt;window.__xss=1&lt;/script&gt;"
LONG = "Zoë 🙂 ẞ 中文 ‮ العربية " * 300
OUR_APPS = ("common.", "shops.", "affiliates.", "tracking.", "payouts.", "portal.", "config.")
# Links the crawl does not follow: they end the session, count a click, or delete.
NOT_FOLLOWED = ("/accounts/logout/", "/ops/logout/", "/r/", "/static/", "/media/", "/delete/")
# Pages opened per URL pattern: objects of one kind share their forms. Two, because an
# order or a sample shows other forms in another state; the admin's forms do not change.
PER_ROUTE = {"staff": 1}


def _png(width, height) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 100, 50)).save(buffer, "PNG")
    return buffer.getvalue()


def _bomb() -> bytes:
    """A tiny PNG whose header claims 60,000 x 60,000 pixels (a decompression bomb)."""
    data = bytearray(_png(1, 1))
    data[16:24] = (60_000).to_bytes(4, "big") * 2  # IHDR width and height; the CRC is now wrong too
    return bytes(data)


UPLOADS = {
    "garbage.jpg": b"this is not a picture at all",
    "empty.png": b"",
    "truncated.png": _png(64, 64)[:60],
    "bomb.png": _bomb(),
    "script.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>window.__xss=1</script></svg>',
    "picture.exe": _png(8, 8),
}


FREE_TEXT = {"text", "search", "textarea"}


def _text(value):
    return lambda f, base: [value] if f.kind in TEXT_TYPES else base


def _numbers(value):
    return lambda f, base: [value] if f.kind in NUMBER_TYPES else base


def _hidden(value):
    return lambda f, base: [value] if f.kind == "hidden" and f.name != "csrfmiddlewaretoken" else base


# Each payload changes one kind of field and leaves the rest as the browser would send it.
PAYLOADS = {
    "empty": lambda f, base: [""] if f.kind not in {"hidden", "submit"} else base,
    "long unicode": lambda f, base: [LONG] if f.kind in TEXT_TYPES else ["9" * 40] if f.kind in NUMBER_TYPES
    else base,
    "xss": lambda f, base: [XSS] if f.kind in FREE_TEXT else base,
    "javascript url": lambda f, base: ["javascript:window.__xss=1"] if f.kind == "url" else base,
    "null byte": _text("a\x00b"),
    "negative": _numbers("-1"),
    "huge": _numbers("1e309"),
    "not a number": _numbers("NaN"),
    "too many places": _numbers("0.0000001"),
    "impossible date": lambda f, base: ["2026-02-30"] if f.kind in DATE_TYPES else base,
    "unknown choice": lambda f, base: ["no-such-choice-☃"] if f.kind in CHOICE_TYPES else base,
    "many choices": lambda f, base: (f.options * 3 or ["x"]) if f.kind in CHOICE_TYPES else base,
    "tampered hidden": _hidden("-1"),
    "hidden text": _hidden("../../etc/passwd"),
}


def _path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in {"", "testserver"}:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _route(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.route


class Sweep:
    """One user's crawl, then the bad input for every form it found."""

    def __init__(self, client, errors: list[str], per_route: int):
        self.client = client
        self.per_route = per_route
        self.errors = errors  # every 5xx, reported together at the end (tracebacks in the log)
        self.pages: list[str] = []
        self.forms: dict[tuple, Form] = {}
        self.sent = 0

    def _ok(self, response, what) -> None:
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} for {what}")

    def crawl(self, start: str) -> None:
        opened: Counter = Counter()
        queue, seen = deque([start]), {start}
        while queue:
            path = queue.popleft()
            route = _route(path)
            if route is None or opened[route] >= self.per_route:
                continue
            opened[route] += 1
            response = self.client.get(path)
            self._ok(response, f"GET {path}")
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            self.pages.append(path)
            links, page_forms = read_page(f"http://testserver{path}", response.content.decode())
            for form in page_forms:
                if _path(form.action) and not any(skip in form.action for skip in NOT_FOLLOWED):
                    self.forms.setdefault(form.signature, form)
            for link in links:
                target = _path(link)
                if target and target not in seen and not any(skip in target for skip in NOT_FOLLOWED):
                    seen.add(target)
                    queue.append(target)

    def send(self, form: Form, data: dict, files: dict | None = None, what: str = "") -> object:
        path = _path(form.action)
        if form.method == "get":
            response = self.client.get(path, data)
        else:
            response = self.client.post(path, {**data, **(files or {})})
        self.sent += 1
        self._ok(response, f"{what}: {form.method.upper()} {path} (form on {form.page})")
        return response

    def fuzz(self, form: Form) -> None:
        base = form.baseline()
        tried = [base]  # a payload that changes nothing in this form is not sent again
        for what, change in PAYLOADS.items():
            data = {f.name: change(f, base.get(f.name, [])) for f in form.fields if f.kind != "file"}
            if data not in tried:
                tried.append(data)
                self.send(form, data, what=what)
        for name, content in UPLOADS.items():
            files = {f.name: SimpleUploadedFile(name, content) for f in form.fields if f.kind == "file"}
            if files:
                self.send(form, base, files, what=f"upload {name}")

    def xss_each_field(self, form: Form) -> None:
        """The payload in one free-text field at a time, the rest as the browser sends them:
        so a form with a field that refuses it (an email, a handle) still stores it."""
        base = form.baseline()
        for target in [f for f in form.fields if f.kind in FREE_TEXT]:
            data = {f.name: [XSS] if f is target else base.get(f.name, []) for f in form.fields if f.kind != "file"}
            self.send(form, data, what=f"xss in {target.name}")

    def fuzz_all(self, *, xss_each_field: bool) -> None:
        for form in list(self.forms.values()):
            self.fuzz(form)
            if xss_each_field:
                self.xss_each_field(form)


def _admin_actions(sweep: Sweep, ran: set) -> None:
    """Every admin action on one row, and its reason page (if it asks) filled with bad input."""
    changelists = {urlsplit(form.action).path for form in sweep.forms.values()
                   if any(f.name == "action" and f.kind == "select" for f in form.fields)}
    for changelist in sorted(changelists):  # unfiltered, so it has rows to select
        url = f"http://testserver{changelist}"
        for form in read_page(url, sweep.client.get(changelist).content.decode())[1]:
            action = next((f for f in form.fields if f.name == "action" and f.kind == "select"), None)
            row = next((f for f in form.fields if f.name == "_selected_action"), None)
            if action is None or row is None:
                continue
            for name in action.options:
                if not name or name == "delete_selected":
                    continue
                ran.add((changelist, name))
                response = sweep.send(form, {"action": [name], "_selected_action": [row.value], "index": ["0"]},
                                      what=f"admin action {name}")
                if response.status_code != 200:
                    continue
                for reason_page in read_page(url, response.content.decode())[1]:
                    if any(f.name == "reason" for f in reason_page.fields):
                        sweep.fuzz(reason_page)


def _bound_classes(monkeypatch) -> set[type]:
    """Every form and filter class (and its bases) that is bound to submitted data."""
    bound: set[type] = set()
    form_init, filter_init = forms.BaseForm.__init__, django_filters.filterset.BaseFilterSet.__init__

    def spy_form(self, *args, **kwargs):
        form_init(self, *args, **kwargs)
        if self.is_bound:
            bound.update(type(self).__mro__)

    def spy_filter(self, data=None, *args, **kwargs):
        filter_init(self, data, *args, **kwargs)
        if data:
            bound.update(type(self).__mro__)

    monkeypatch.setattr(forms.BaseForm, "__init__", spy_form)
    monkeypatch.setattr(django_filters.filterset.BaseFilterSet, "__init__", spy_filter)
    return bound


def _ours(base: type) -> set[type]:
    found, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(OUR_APPS):
                found.add(sub)
    return found


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
    data_rows.restore()  # the periodic tasks a deployment has (an earlier test's flush removed them)
    newcomer = UserFactory(email="newcomer@example.net")
    users = get_user_model().objects
    return {
        "anonymous buyer": (None, "/"),
        "newcomer": (newcomer, "/"),
        "seller": (users.get(email="tokyo.tea@example.com"), "/seller/"),
        "creator": (users.get(email="leo.lifts@example.com"), "/creator/"),
        "pending creator": (users.get(email="ana.eats@example.com"), "/creator/"),
        "seller and creator": (users.get(email="sam.both@example.com"), "/"),
        "staff": (users.get(email="ops@example.com"), "/ops/"),
    }


def _log_in(client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


def _shown_as_text(client, who: str, pages: list[str]) -> int:
    """Open the pages again: a payload may show as text (escaped), never as markup."""
    shown = 0
    for path in pages:
        html = client.get(path).content.decode(errors="replace")
        assert not any(marker in html for marker in RAW_MARKERS), f"{who}: a payload is markup on {path}"
        shown += ESCAPED_MARKER in html
    return shown


def test_no_form_answers_bad_input_with_a_500(client, world, monkeypatch):
    bound = _bound_classes(monkeypatch)
    ran_actions: set = set()
    sweeps, errors, shown = {}, [], 0
    client.raise_request_exception = False
    for who, (user, start) in world.items():
        _log_in(client, user)
        if user is None:  # a buyer with something in the cart, so the cart and checkout forms show
            product = Product.objects.filter(status=Product.Status.LIVE).first()
            client.post(reverse("shop:cart_add", args=[product.pk]), {"quantity": "1"})
        sweep = sweeps[who] = Sweep(client, errors, per_route=PER_ROUTE.get(who, 2))
        sweep.crawl(start)
        sweep.fuzz_all(xss_each_field=who != "staff")
        if who == "staff":
            _admin_actions(sweep, ran_actions)
        else:  # before staff actions (suspend, reject...) change what the pages show
            shown += _shown_as_text(client, who, sweep.pages)

    assert not errors, "server errors:\n" + "\n".join(errors)
    # Every page again, now that everyone's payloads are stored (a creator's bio shows to
    # sellers and staff, a shop's name to creators and buyers).
    for who, (user, _) in world.items():
        _log_in(client, user)
        shown += _shown_as_text(client, who, sweeps[who].pages)
    assert shown > 20, "the payloads were never stored, so their escaping was not tested"

    missing = sorted(c.__qualname__ + " in " + c.__module__
                     for c in _ours(forms.BaseForm) | _ours(django_filters.FilterSet) if c not in bound)
    assert not missing, f"the crawl never submitted these forms; link them from a page a user reaches: {missing}"
    request = RequestFactory().get("/ops/")
    request.user = world["staff"][0]
    expected = {(f"/ops/{model._meta.app_label}/{model._meta.model_name}/", name)
                for model, model_admin in admin.site._registry.items()
                for name in model_admin.get_actions(request) if name != "delete_selected"}
    assert expected <= ran_actions, f"admin actions never run: {sorted(expected - ran_actions)}"
    assert sum(s.sent for s in sweeps.values()) > 500
