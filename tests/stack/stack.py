"""The production stack for tests: gunicorn and a Celery worker with 2 processes, on
production settings (DEBUG off, WhiteNoise, Redis broker and cache), against the test
database and a Redis database of their own. What eager Celery hides shows here: tasks
run in other processes, in any order, at the same time.

`Browser` is a person on that stack over HTTP: cookies, CSRF tokens and forms, nothing
of Django's test client.
"""

import ctypes
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import redis
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "test-results" / "stack"
STACK_REDIS_DB = 12  # CI's own tests use 11, make up's test 14, the benchmarks 13
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def with_production_password(user, password: str):
    """Tests hash passwords with MD5 for speed; production only knows its own hashers."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user.password = PBKDF2PasswordHasher().encode(password, PBKDF2PasswordHasher().salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url(db: int = STACK_REDIS_DB) -> str:
    return settings.REDIS_URL.rsplit("/", 1)[0] + f"/{db}"


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Stack:
    """Running processes and where to reach them."""

    base: str
    redis_url: str
    env: dict
    processes: dict = field(default_factory=dict)

    def log_tail(self, name: str, chars: int = 4000) -> str:
        path = LOGS / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"

    def logs(self) -> str:
        return "\n".join(f"--- {name} (end) ---\n{self.log_tail(name)}" for name in self.processes)


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the test process dies, however it dies (a killed
    run must not leave a stack consuming the next run's queues)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _spawn(name: str, command: list[str], env: dict) -> subprocess.Popen:
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"{name}.log", "wb") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=_die_with_parent)  # noqa: PLW1509


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def collect_static(target: Path) -> None:
    """Production serves the collected, hashed static files (WhiteNoise's manifest)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_STATIC_ROOT": str(target),
           "DJANGO_SECRET_KEY": "collectstatic-only", "REDIS_URL": redis_url(), "SITE_URL": "http://127.0.0.1",
           "PAYMENT_TEST_GATEWAY_ALLOWED": "True"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True, env=env)


@contextmanager
def production_stack(*, static_root: Path, web_workers: int = 3, worker_concurrency: int = 2, extra_env=None):
    """Start web and worker; stop both afterwards. Beat is not started: periodic tasks
    (the click flush, the commission sweeper) run only when a test sends them."""
    url = redis_url()
    redis.Redis.from_url(url).flushdb()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url(), "REDIS_URL": url, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_HTTPS": "False", "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "WARNING", "DJANGO_LOG_JSON": "False", "DJANGO_CONN_MAX_AGE": "0",
        "TRACKING_STREAM": "kinship-stack:clicks", "TRACKING_TRUST_FORWARDED_FOR": "True",
        "SITE_URL": f"http://127.0.0.1:{port}", "PAYMENT_TEST_GATEWAY_ALLOWED": "True",
        **(extra_env or {}),
    }
    stack = Stack(base=f"http://127.0.0.1:{port}", redis_url=url, env=env)
    stack.processes["web"] = _spawn("web", [
        sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(web_workers),
        "--bind", f"127.0.0.1:{port}", "--timeout", "60"], env)
    stack.processes["worker"] = _spawn("worker", [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--queues=clicks,commissions,payouts,default",
        f"--concurrency={worker_concurrency}", "--loglevel=INFO", "--without-heartbeat", "--without-gossip",
        "--without-mingle"], env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{stack.base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            for name, process in stack.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} stopped at start-up\n{stack.logs()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the stack did not answer /healthz within 60 s\n{stack.logs()}")
            time.sleep(0.3)
        _wait_for_worker(url, stack)
        yield stack
    finally:
        for process in stack.processes.values():
            _stop(process)
        redis.Redis.from_url(url).flushdb()


def _wait_for_worker(url: str, stack: Stack) -> None:
    """The worker is ready once it listens on its queues (its log says so)."""
    deadline = time.monotonic() + 60
    while "ready." not in stack.log_tail("worker", 100_000):
        if stack.processes["worker"].poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not start\n{stack.logs()}")
        time.sleep(0.2)


@contextmanager
def sending_to(stack: Stack):
    """Tasks this test process sends inside the block go to the stack's worker."""
    from celery import current_app

    conf, amqp = current_app.conf, current_app.amqp
    saved = conf.task_always_eager, conf.broker_url, current_app._pool, amqp._producer_pool
    conf.task_always_eager, conf.broker_url = False, stack.redis_url
    current_app._pool = amqp._producer_pool = None  # pools are made per broker, on first use
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url, current_app._pool, amqp._producer_pool = saved


def wait_for(condition, *, seconds: float, message, stack: Stack | None = None, every: float = 0.1) -> float:
    """Poll until `condition()` holds; returns the seconds it took. On timeout, fail with
    `message()` and the stack's logs."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"{message()}\n{stack.logs() if stack else ''}")
        time.sleep(every)
    return time.monotonic() - start


# --------------------------------------------------------------------------------------
# A person on the site, over HTTP
# --------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Page:
    status: int
    url: str
    body: str
    headers: Message  # names in any case

    def token(self, name: str = "csrfmiddlewaretoken") -> str:
        found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', self.body)
        if not found:
            raise AssertionError(f"no {name} on {self.url} ({self.status}):\n{self.body[:2000]}")
        return found.group(1)


class Browser:
    """Cookies kept between requests, redirects followed (or not), a fixed client address
    (X-Forwarded-For, which the stack trusts, as behind a proxy)."""

    def __init__(self, base: str, *, ip: str = "10.0.0.1", user_agent: str = CHROME):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.headers = {"User-Agent": user_agent, "X-Forwarded-For": ip}
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.raw = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def _open(self, request, *, follow: bool) -> Page:
        opener = self.opener if follow else self.raw
        try:
            with opener.open(request, timeout=30) as response:  # noqa: S310 - 127.0.0.1 only
                return Page(response.status, response.url, response.read().decode(errors="replace"),
                            response.headers)
        except urllib.error.HTTPError as error:
            return Page(error.code, request.full_url, error.read().decode(errors="replace"), error.headers)

    def get(self, path: str, *, follow: bool = True) -> Page:
        request = urllib.request.Request(self.base + path, headers=self.headers)  # noqa: S310 - 127.0.0.1 only
        return self._open(request, follow=follow)

    def post(self, path: str, data: dict, *, follow: bool = True, csrf_from: Page | None = None) -> Page:
        form = dict(data)
        if csrf_from is not None:
            form["csrfmiddlewaretoken"] = csrf_from.token()
        body = urllib.parse.urlencode(form, doseq=True).encode()
        headers = {**self.headers, "Referer": self.base + path}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 - 127.0.0.1 only
        return self._open(request, follow=follow)

    def post_files(self, path: str, data: dict, files: dict[str, tuple[str, bytes, str]], *,
                   csrf_from: Page) -> Page:
        """A multipart form, as a browser sends one with file fields: files maps a field
        name to (file name, content, content type)."""
        boundary = f"----kinship{secrets.token_hex(8)}"
        parts = []
        for name, value in {**data, "csrfmiddlewaretoken": csrf_from.token()}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                         .encode())
        for name, (filename, content, content_type) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {**self.headers, "Referer": self.base + path,
                   "Content-Type": f"multipart/form-data; boundary={boundary}"}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 - 127.0.0.1 only
        return self._open(request, follow=True)

    def fetch(self, url: str, *, method: str = "GET", headers: dict | None = None):
        """Any URL (this site or object storage): (status, headers, body)."""
        request = urllib.request.Request(url, method=method, headers={**self.headers, **(headers or {})})  # noqa: S310
        try:
            with self.raw.open(request, timeout=30) as response:  # noqa: S310 - 127.0.0.1 only
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def login(self, email: str, password: str) -> Page:
        page = self.get("/accounts/login/")
        return self.post("/accounts/login/", {"login": email, "password": password}, csrf_from=page)

    def buy(self, *, product_id: int, shop_slug: str, quantity: int = 1, email: str, name: str = "Bea Buyer",
            card: str = "4242 4242 4242 4242", code: str = "") -> Page:
        """Add to the cart (enter a creator's code, if given) and check out as a guest;
        returns the page the checkout lands on."""
        product = self.get(f"/p/{product_id}/")
        self.post(f"/cart/add/{product_id}/", {"quantity": quantity}, csrf_from=product)
        if code:
            cart = self.get("/cart/")
            self.post(f"/cart/code/{shop_slug}/", {"code": code}, csrf_from=cart)
        checkout = self.get(f"/checkout/{shop_slug}/")
        return self.post(f"/checkout/{shop_slug}/", self.checkout_form(checkout, email=email, name=name, card=card),
                         csrf_from=checkout)

    @staticmethod
    def checkout_form(checkout: Page, *, email: str, name: str, card: str) -> dict:
        return {"checkout_key": checkout.token("checkout_key"), "email": email, "name": name,
                "address_line1": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US",
                "card_number": card, "expiry": "12/39", "cvc": "123"}
