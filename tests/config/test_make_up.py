"""`make up` runs the production stack (gunicorn, worker, beat) on PostgreSQL and Redis:
a buyer follows a creator's link and pays, the real worker computes the commission, and
Ctrl-C stops everything."""

import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
PORT = 8797
BASE = f"http://127.0.0.1:{PORT}"

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SETUP = """
from decimal import Decimal
from django.contrib.auth import get_user_model
from django.utils import timezone
from affiliates.models import AffiliateProgram, Creator, OpenProduct, RateChange
from shops.models import Category, Product, Shop
from tracking.models import Link
now = timezone.now()
shop = Shop.objects.create(name="Up Shop", slug="up-shop", status="active", currency="USD", country="US",
                           legal_name="Up", contact_email="up@example.com")
product = Product.objects.create(shop=shop, title="Up Mug", category=Category.objects.first(), price=Decimal("30.00"),
                                 stock=10, kind="digital", status="live", published_at=now)
program = AffiliateProgram.objects.create(shop=shop, default_rate=Decimal("10"), joined_at=now)
RateChange.objects.create(program=program, new_rate=Decimal("10"), changed_at=now)
OpenProduct.objects.create(program=program, product=product, opened_at=now)
user = get_user_model().objects.create(username="up@example.com", email="up@example.com")
creator = Creator.objects.create(user=user, handle="upcreator", status="approved")
link = Link.objects.create(creator=creator, product=product, created_at=now)
print(link.code, product.pk)
"""


def _psql(database_url, sql):
    return subprocess.run(["psql", database_url, "-tAc", sql], capture_output=True, text=True, check=True).stdout


def _token(html, name):
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def test_make_up_serves_tracks_and_computes_commissions(tmp_path):
    from django.conf import settings

    server = settings.DATABASES["default"]
    admin_url = f"postgres://{server['USER'] or 'postgres'}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}"
    database_url = f"{admin_url}/kinship_make_up"
    for sql in ('DROP DATABASE IF EXISTS "kinship_make_up" WITH (FORCE)', 'CREATE DATABASE "kinship_make_up"'):
        _psql(f"{admin_url}/postgres", sql)
    redis_url = settings.REDIS_URL.rsplit("/", 1)[0] + "/14"
    redis.Redis.from_url(redis_url).flushdb()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
           "DATABASE_URL": database_url, "REDIS_URL": redis_url, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
           "SITE_URL": f"http://127.0.0.1:{PORT}", "PAYMENT_TEST_GATEWAY_ALLOWED": "True",
           "DJANGO_HTTPS": "False", "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "PORT": str(PORT),
           "TRACKING_STREAM": "kinship-make-up:clicks", "CELERY_BEAT_STATE": str(tmp_path / "beat"),
           "DJANGO_STATIC_ROOT": str(tmp_path / "static"), "DJANGO_LOG_LEVEL": "WARNING"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(tmp_path / "make-up.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(["make", "up"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{BASE}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, (tmp_path / "make-up.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "make up did not answer /healthz in time"
            time.sleep(0.5)

        setup = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "shell", "--no-imports", "-c", SETUP],
                               cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
                               capture_output=True, text=True, check=True)
        code, product_id = setup.stdout.strip().splitlines()[-1].split()

        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        browser.addheaders = [("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")]
        page = browser.open(f"{BASE}/r/{code}").read().decode()  # the 302 lands on the product page
        assert "Up Mug" in page

        def post(path, data):
            body = urllib.parse.urlencode(data).encode()
            request = urllib.request.Request(f"{BASE}{path}", data=body,  # noqa: S310 - 127.0.0.1 only
                                             headers={"Referer": f"{BASE}{path}"})
            return browser.open(request).read().decode()

        post(f"/cart/add/{product_id}/", {"csrfmiddlewaretoken": _token(page, "csrfmiddlewaretoken"), "quantity": 1})
        checkout = browser.open(f"{BASE}/checkout/up-shop/").read().decode()
        confirmation = post("/checkout/up-shop/", {
            "csrfmiddlewaretoken": _token(checkout, "csrfmiddlewaretoken"),
            "checkout_key": _token(checkout, "checkout_key"), "email": "buyer@example.net", "name": "Bea",
            "card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123",
        })
        assert "Thank you, Bea" in confirmation

        deadline = time.monotonic() + 60
        while _psql(database_url, "SELECT count(*) FROM payouts_commission").strip() != "1":
            assert time.monotonic() < deadline, (tmp_path / "make-up.log").read_text()[-3000:]
            time.sleep(0.5)
        assert _psql(database_url, "SELECT amount FROM payouts_commission").strip() == "3.00"
        assert _psql(database_url, "SELECT count(*) FROM tracking_click").strip() == "1"
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("make up did not stop on Ctrl-C")
        log.close()
    assert subprocess.run(["pgrep", "-f", f"127.0.0.1:{PORT}"], capture_output=True).returncode == 1
