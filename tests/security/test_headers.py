"""Responses carry the security headers production relies on."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["shop:feed", "account_login", "healthz"])
def test_security_headers(client, settings, name):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse(name), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp


def test_the_redirect_answers_with_its_own_safe_headers(settings):
    from io import BytesIO

    from tests.factories import LinkFactory
    from tracking.redirect import TrackingDispatcher

    settings.SECURE_HSTS_SECONDS = 31536000
    seen = {}
    environ = {"PATH_INFO": f"/r/{LinkFactory().code}", "REQUEST_METHOD": "GET", "REMOTE_ADDR": "127.0.0.1",
               "HTTP_USER_AGENT": "Mozilla/5.0", "wsgi.input": BytesIO()}
    TrackingDispatcher(None)(environ, lambda status, headers: seen.update(headers=dict(headers)))
    assert seen["headers"]["Cache-Control"] == "no-store"
    assert seen["headers"]["X-Content-Type-Options"] == "nosniff"
    assert seen["headers"]["Strict-Transport-Security"] == "max-age=31536000"
