"""The frame every page shares, the admin entrance, and the health check."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["shop:feed", "account_login", "account_signup", "account_reset_password"])
def test_public_pages_render_with_title_and_viewport(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<title>" in html and "Kinship Shop</title>" in html


def test_pages_carry_a_csp_with_a_nonce_used_by_the_htmx_script(client):
    response = client.get(reverse("shop:feed"))
    csp = response["Content-Security-Policy"]
    nonce = csp.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "htmx" in response.content.decode()


def test_healthz_reports_database_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("portal.views.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down", "broker": mock.ANY}


def test_healthz_says_when_no_broker_is_configured(client, settings):
    settings.REDIS_URL = ""
    assert client.get(reverse("healthz")).json()["broker"] == "not configured"


def test_healthz_reports_a_broker_that_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    body = client.get(reverse("healthz")).json()
    assert body["broker"] == "down"


@pytest.mark.redis
def test_healthz_reports_a_live_broker(client):
    assert client.get(reverse("healthz")).json()["broker"] == "ok"


def test_admin_is_at_ops_with_the_product_name(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/ops/")
    assert response.status_code == 200
    assert "Kinship Shop ops" in response.content.decode()


def test_admin_login_goes_through_allauth(client):
    response = client.get("/ops/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200


def test_admin_refuses_non_staff(client):
    client.force_login(UserFactory())
    response = client.get("/ops/", follow=True)
    assert response.status_code == 403


def test_every_response_carries_a_request_id_that_logs_share(client, caplog):
    import logging

    from common.logging import ContextFilter

    response = client.get(reverse("shop:feed"), HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    generated = client.get(reverse("shop:feed"), HTTP_X_REQUEST_ID="bad id with spaces\n")["X-Request-ID"]
    assert len(generated) == 32 and " " not in generated
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    ContextFilter().filter(record)
    assert record.request_id == "-" and record.task_id == "-"
