"""The /r/<code> redirect: where it sends people, the cookies, the flags on clicks, and the
same behaviour through the WSGI dispatcher that production uses."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core import signing
from django.test import override_settings

from tests.factories import LinkFactory
from tracking import clicks, redirect
from tracking.clicks import ClickData, clicks_store, ip_hash
from tracking.models import Click, DailyLinkStats

pytestmark = pytest.mark.django_db

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def _get(client, code, **headers):
    return client.get(f"/r/{code}", HTTP_USER_AGENT=headers.pop("ua", CHROME), **headers)


def test_a_link_redirects_to_its_product_and_sets_the_cookies(client):
    link = LinkFactory()
    response = _get(client, link.code)
    assert response.status_code == 302
    assert response["Location"] == f"/p/{link.product_id}/"
    attribution = response.cookies[redirect.ATTRIBUTION_COOKIE]
    assert attribution["httponly"] and attribution["samesite"] == "Lax" and not attribution["secure"]
    assert response.cookies[redirect.VISITOR_COOKIE]["httponly"]
    click = Click.objects.get()
    assert (click.link_id, click.is_bot, click.is_prefetch, click.is_duplicate) == (link.pk, False, False, False)
    entries = redirect.read_attribution_cookie(attribution.value)
    assert [(e.click_id, e.link_id) for e in entries] == [(click.id.hex, link.pk)]


def test_unknown_codes_are_404(client):
    assert _get(client, "nope1234").status_code == 404


@pytest.mark.parametrize("path", [
    "/r//evil.com", "/r/http:\\\\evil.com", "/r/@evil.com", "/r/javascript:alert(1)", "/r/%2F%2Fevil.com",
    "/r/CODE?next=//evil.com", "/r/CODE/..%2F..%2Fevil.com", "/r/CODE@evil.com",
])
def test_open_redirect_attempts_never_leave_the_site(client, path):
    link = LinkFactory()
    response = client.get(path.replace("CODE", link.code), HTTP_USER_AGENT=CHROME)
    location = response.get("Location", "")
    assert response.status_code in (302, 404)
    assert location in ("", f"/p/{link.product_id}/")


def test_secure_cookie_in_production(client, settings):
    settings.TRACKING_COOKIE_SECURE = True
    response = _get(client, LinkFactory().code)
    assert response.cookies[redirect.ATTRIBUTION_COOKIE]["secure"]


@pytest.mark.parametrize("ua", ["", "Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.4.0",
                                "facebookexternalhit/1.1", "Mozilla/5.0 HeadlessChrome/120.0"])
def test_bots_are_flagged(client, ua):
    _get(client, LinkFactory().code, ua=ua)
    assert Click.objects.get().is_bot


def test_a_robot_named_far_into_a_long_user_agent_is_still_flagged():
    long_agent = "Mozilla/5.0 " + "x" * 600 + " Googlebot/2.1"
    assert clicks.is_bot(long_agent)  # too long to be remembered: matched in full every time
    assert not clicks.is_bot("Mozilla/5.0 " + "x" * 600)
    assert clicks.is_bot("") and clicks.is_bot("curl/8.0") and clicks.is_bot("curl/8.0")  # the second from the cache


@pytest.mark.parametrize("headers", [
    {"HTTP_SEC_FETCH_DEST": "image"}, {"HTTP_SEC_FETCH_DEST": "iframe"}, {"HTTP_SEC_FETCH_MODE": "no-cors"},
    {"HTTP_SEC_PURPOSE": "prefetch"}, {"HTTP_PURPOSE": "prefetch"},
])
def test_prefetch_and_non_navigation_get_no_attribution_cookie(client, headers):
    response = _get(client, LinkFactory().code, **headers)
    assert response.status_code == 302
    assert redirect.ATTRIBUTION_COOKIE not in response.cookies
    assert Click.objects.get().is_prefetch


def test_a_second_click_within_30_minutes_is_a_duplicate_not_a_unique_click(client):
    link = LinkFactory()
    _get(client, link.code)
    _get(client, link.code)
    assert sorted(Click.objects.values_list("is_duplicate", flat=True)) == [False, True]
    stats = DailyLinkStats.objects.get(link=link)
    assert (stats.clicks, stats.unique_clicks, stats.flagged_clicks) == (2, 1, 0)


def test_the_cookie_keeps_the_latest_ten_clicks(client):
    links = [LinkFactory() for _ in range(12)]
    for link in links:
        response = _get(client, link.code)
    entries = redirect.read_attribution_cookie(response.cookies[redirect.ATTRIBUTION_COOKIE].value)
    assert [e.link_id for e in entries] == [link.pk for link in links[-10:]]


def test_a_tampered_cookie_is_ignored():
    value = redirect._signer().sign("abc.1.1")
    assert redirect.read_attribution_cookie(value) != []
    assert redirect.read_attribution_cookie(value.replace("abc", "abd")) == []
    assert redirect.read_attribution_cookie("garbage") == []


def test_attribution_cookies_are_signed_as_djangos_signer_signs_them(settings):
    """The redirect's signer derives its key once; cookies it signs and cookies signed
    before (or by a fallback key after a key rotation) read the same."""
    value = "abc.1.1700000000~def.2.1700000001"
    assert redirect._signer().sign(value) == signing.Signer(salt=redirect._SALT).sign(value)
    old = signing.Signer(key="the-key-before", salt=redirect._SALT).sign("abc.7.1700000000")
    settings.SECRET_KEY_FALLBACKS = ["the-key-before"]
    assert [c.link_id for c in redirect.read_attribution_cookie(old)] == [7]
    settings.SECRET_KEY_FALLBACKS = []
    assert redirect.read_attribution_cookie(old) == []


@override_settings(TRACKING_BURST_PER_MINUTE=3)
def test_more_clicks_per_minute_from_one_ip_than_allowed_are_bursts():
    link = LinkFactory()
    batch = [ClickData(id=f"{n:032x}", link_id=link.pk, at=1_800_000_000.0 + n, visitor_id=f"{n:032x}",
                       ip_hash=ip_hash("203.0.113.9"), user_agent=CHROME, referrer="", is_bot=False,
                       is_prefetch=False) for n in range(5)]
    assert clicks_store(batch) == 5
    assert list(Click.objects.order_by("at").values_list("is_burst", flat=True)) == [False] * 3 + [True] * 2
    stats = DailyLinkStats.objects.get()
    assert (stats.clicks, stats.unique_clicks, stats.flagged_clicks) == (5, 3, 2)


@override_settings(TRACKING_BURST_PER_MINUTE=3)
def test_clicks_stored_before_count_towards_a_burst_however_many_there_were():
    link = LinkFactory()
    minute = 1_800_000_000.0 - 1_800_000_000.0 % 60

    def click(n, at, ip="203.0.113.9"):
        return ClickData(id=f"{n:032x}", link_id=link.pk, at=at, visitor_id=f"{n:032x}", ip_hash=ip_hash(ip),
                         user_agent=CHROME, referrer="", is_bot=False, is_prefetch=False)

    assert clicks_store([click(n, minute + n) for n in range(10)]) == 10  # 3 counted, then 7 bursts
    later = [click(20, minute + 30), click(21, minute + 61), click(22, minute + 31, ip="198.51.100.7")]
    assert clicks_store(later) == 3
    bursts = dict(Click.objects.values_list("visitor_id", "is_burst"))
    assert [bursts[f"{n:032x}"] for n in range(10)] == [False] * 3 + [True] * 7
    # The same minute, ten stored before it: a burst. The next minute, or another address: not.
    assert (bursts[f"{20:032x}"], bursts[f"{21:032x}"], bursts[f"{22:032x}"]) == (True, False, False)


@pytest.mark.parametrize("new_visitor", [False, True], ids=["returning visitors", "visitors new to the redirect"])
def test_storing_the_same_batch_twice_stores_it_once(new_visitor):
    """A returning visitor's stored click is found by the duplicate lookup; a new visitor's
    is not looked up, and the insert itself skips it (and leaves it out of the rollups)."""
    link = LinkFactory()
    batch = [ClickData(id=f"{n:032x}", link_id=link.pk, at=1_800_000_000.123456 + n * 3600, visitor_id=f"{n:032x}",
                       ip_hash="x", user_agent=CHROME, referrer="", is_bot=False, is_prefetch=False,
                       new_visitor=new_visitor)
             for n in range(3)]
    assert clicks_store(batch) == 3
    assert clicks_store(batch) == 0
    assert clicks_store([*batch, ClickData(**{**batch[0].__dict__, "id": f"{9:032x}"})]) == 1
    assert Click.objects.count() == 4
    assert sum(DailyLinkStats.objects.values_list("clicks", flat=True)) == 4
    assert Click.objects.get(pk=f"{0:032x}").at.timestamp() == pytest.approx(1_800_000_000.123456, abs=1e-6)


def test_a_visitor_new_to_the_redirect_travels_as_such_through_the_stream():
    click = ClickData(id="a" * 32, link_id=7, at=1_800_000_000.5, visitor_id="b" * 32, ip_hash="h", user_agent=CHROME,
                      referrer="https://example.com/\tx", is_bot=False, is_prefetch=True, new_visitor=True)
    back = ClickData.from_stream({b"c": click.to_stream()["c"].encode()})
    assert back == ClickData(**{**click.__dict__, "referrer": "https://example.com/ x"})
    # An entry queued before visitors were marked new: its flags field is 0 or 1 (prefetch).
    old = "\t".join(["a" * 32, "7", "1800000000.5", "b" * 32, "h", "0", "1", "0", CHROME, ""])
    assert ClickData.from_stream({b"c": old.encode()}).new_visitor is False
    assert ClickData.from_stream({b"c": old.encode()}).is_prefetch is True


def test_the_redirect_says_which_visitors_it_has_just_given_an_id(client, monkeypatch):
    sent = []
    monkeypatch.setattr(clicks, "clicks_store", lambda batch: sent.extend(batch) or len(batch))
    link = LinkFactory()
    _get(client, link.code)
    _get(client, link.code)  # the test client sends back the visitor cookie it was given
    assert [click.new_visitor for click in sent] == [True, False]
    assert sent[0].visitor_id == sent[1].visitor_id


def test_the_ip_is_never_stored():
    _get_client_ip = "198.51.100.23"
    link = LinkFactory()
    from django.test import Client

    Client(REMOTE_ADDR=_get_client_ip).get(f"/r/{link.code}", HTTP_USER_AGENT=CHROME)
    click = Click.objects.get()
    assert _get_client_ip not in click.ip_hash and click.ip_hash == ip_hash(_get_client_ip)


# --------------------------------------------------------------------------------------
# The WSGI dispatcher answers /r/ in front of Django
# --------------------------------------------------------------------------------------


def _wsgi(path, *, cookie="", method="GET", **extra):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, headers

    def django_app(environ, start_response):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"django"]

    environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": CHROME,
               "wsgi.input": BytesIO(), "HTTP_COOKIE": cookie, **extra}
    body = b"".join(redirect.TrackingDispatcher(django_app)(environ, start_response))
    headers = {k: v for k, v in seen["headers"] if k != "Set-Cookie"}
    return seen["status"], headers, [v for k, v in seen["headers"] if k == "Set-Cookie"], body


def test_the_dispatcher_redirects_without_django(django_assert_max_num_queries):
    link = LinkFactory()
    redirect.forget_local_cache()
    _wsgi(f"/r/{link.code}")  # warms the in-process cache
    with django_assert_max_num_queries(13):  # the direct insert and its rollups (3 + 3 to date), no code lookup
        status, headers, cookies, _ = _wsgi(f"/r/{link.code}")
    assert status == "302 Found"
    assert headers["Location"] == f"/p/{link.product_id}/"
    assert any(c.startswith("ks_a=") and "HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
    assert Click.objects.count() == 2


def test_the_dispatcher_hands_unknown_codes_and_other_paths_to_django():
    assert _wsgi("/r/unknown99")[0] == "404 Not Found"
    assert _wsgi("/p/1/")[3] == b"django"
    assert _wsgi(f"/r/{LinkFactory().code}", method="POST")[3] == b"django"


def test_the_dispatcher_survives_a_broken_cookie_header():
    status, *_ = _wsgi(f"/r/{LinkFactory().code}", cookie='ks_a="unterminated; ;;=;')
    assert status == "302 Found"


def test_gmv_is_decimal_in_rollups():
    assert DailyLinkStats._meta.get_field("gmv").decimal_places == 2
    assert isinstance(DailyLinkStats(link_id=1).gmv, Decimal)
