"""Webhooks against a real HTTP receiver on 127.0.0.1: signed deliveries that verify,
retries after 500s and a timeout, nothing for a rolled-back transaction, redelivery by
hand, disabling an endpoint that keeps failing, and addresses we refuse (SSRF)."""

import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from affiliates import services as affiliate_services
from api import services, tasks, webhooks
from api.models import WebhookDelivery, WebhookEndpoint
from payouts import services as payout_services
from tests.factories import (
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    open_product,
)
from tests.payouts.test_commissions import attributed_order

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on 127.0.0.1 that answers with the statuses it is told, in turn (or
    sleeps past our timeout), and keeps what it received."""

    def __init__(self):
        self.received, self.answers = [], []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                answer = outer.answers.pop(0) if outer.answers else 200
                if answer == "sleep":
                    time.sleep(webhooks.TIMEOUT_SECONDS + 1)
                    answer = 200
                self.send_response(answer)
                if answer in (301, 302):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.end_headers()
                self.wfile.write(b"ok" if answer == 200 else b"nope " * 1000)

            def log_message(self, *args):
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


def _link(shop):
    product = ProductFactory(shop=shop)
    open_product(product)
    return LinkFactory(product=product)


@pytest.fixture
def seller_endpoint(receiver):
    membership = ShopMembershipFactory()
    ProgramFactory(shop=membership.shop)
    endpoint = services.endpoint_create(user=membership.user, area="seller", url=receiver.url,
                                        events=["order.attributed", "commission.created", "sample.updated"])
    return membership, endpoint


def test_an_attributed_order_is_delivered_signed(receiver, seller_endpoint, django_capture_on_commit_callbacks):
    membership, endpoint = seller_endpoint
    link = _link(membership.shop)
    with django_capture_on_commit_callbacks(execute=True):
        order = attributed_order(link)
    # Attributed, then paid: the commission follows (eager tasks here; a worker in production).
    types = [json.loads(body)["type"] for _, body in receiver.received]
    assert types == ["order.attributed", "commission.created"]
    headers, body = receiver.received[0]
    assert webhooks.verify(endpoint.secret, body, headers["Kinship-Signature"])
    assert not webhooks.verify("whsec_wrong", body, headers["Kinship-Signature"])
    assert not webhooks.verify(endpoint.secret, body, headers["Kinship-Signature"], now=int(time.time()) + 3600)
    payload = json.loads(body)
    assert payload["data"]["order"] == order.number and headers["Kinship-Event-Id"] == payload["id"]
    delivery = WebhookDelivery.objects.get(event="order.attributed")
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 1, 200)
    commission = json.loads(receiver.received[1][1])["data"]
    assert commission["amount"] == {"amount": "2.00", "currency": "USD", "minor_unit": 2}
    with django_capture_on_commit_callbacks(execute=True):  # computing again makes nothing new: no event
        payout_services.commissions_create_for_orders(order_ids=[order.pk])
    assert len(receiver.received) == 2


def test_other_sellers_and_unwanted_events_get_nothing(receiver, seller_endpoint, django_capture_on_commit_callbacks):
    other = ShopMembershipFactory()
    ProgramFactory(shop=other.shop)
    services.endpoint_create(user=other.user, area="seller", url=receiver.url, events=["payout.paid"])
    link = _link(other.shop)
    with django_capture_on_commit_callbacks(execute=True):
        attributed_order(link)
    assert receiver.received == []


def test_nothing_is_sent_for_a_rolled_back_transaction(receiver, seller_endpoint,
                                                       django_capture_on_commit_callbacks):
    membership, _ = seller_endpoint
    link = _link(membership.shop)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        attributed_order(link)
        raise RuntimeError("the request failed after attributing")
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def _delivery(endpoint, event="sample.updated"):
    event_id = "9c5b94b1-35ad-49bb-b118-8e8fc24abb9a"
    return WebhookDelivery.objects.create(endpoint=endpoint, event=event, event_id=event_id,
                                          payload={"id": event_id, "type": event, "data": {}},
                                          created_at="2026-12-01T00:00:00Z")


def test_failures_are_retried_with_growing_delays_then_succeed(receiver, seller_endpoint, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    _, endpoint = seller_endpoint
    scheduled = []
    monkeypatch.setattr(tasks.deliver_webhook, "apply_async",
                        lambda args, countdown: scheduled.append(countdown))
    receiver.answers = [500, "sleep", 302]
    delivery = _delivery(endpoint)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 3)
    assert scheduled == tasks.RETRY_DELAYS[:3]  # 30 s, 2 min, 10 min...
    assert sum(tasks.RETRY_DELAYS) >= 20 * 3600  # about a day in all
    assert len(receiver.received) == 3  # the redirect was not followed
    assert "timed out" in delivery.error.lower() or delivery.response_status == 302
    tasks.deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 4, 200)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).consecutive_failures == 0


def test_a_failed_delivery_keeps_a_short_answer_and_can_be_sent_again_by_hand(receiver, seller_endpoint, client,
                                                                              django_capture_on_commit_callbacks):
    membership, endpoint = seller_endpoint
    receiver.answers = [500]
    delivery = _delivery(endpoint)
    tasks.deliver_webhook(delivery.pk, manual=True)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.response_status == 500 and len(delivery.response_body) <= 2000
    client.force_login(membership.user)
    page = client.get(reverse("api_endpoint", args=[endpoint.pk]))
    assert "HTTP 500" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("api_endpoint", args=[endpoint.pk]), {"action": "redeliver", "delivery": delivery.pk})
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and len(receiver.received) == 2
    client.force_login(UserFactory())
    assert client.get(reverse("api_endpoint", args=[endpoint.pk])).status_code == 404


def test_an_endpoint_that_keeps_failing_is_disabled_with_a_notice(receiver, seller_endpoint, monkeypatch, client):
    membership, endpoint = seller_endpoint
    monkeypatch.setattr(tasks.deliver_webhook, "apply_async", lambda args, countdown: None)
    receiver.answers = [500] * WebhookEndpoint.FAILURES_BEFORE_DISABLING
    for _ in range(WebhookEndpoint.FAILURES_BEFORE_DISABLING):
        tasks.deliver_webhook(_delivery(endpoint).pk)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "failed deliveries in a row" in endpoint.disabled_reason
    assert tasks.deliver_webhook(_delivery(endpoint).pk) == "disabled"
    client.force_login(membership.user)
    assert "failed deliveries in a row" in client.get(reverse("api_settings")).content.decode()
    client.post(reverse("api_endpoint", args=[endpoint.pk]), {"action": "enable"})
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "https://127.0.0.1/x", "https://10.0.0.5/x",
                                 "https://169.254.169.254/latest/meta-data", "https://localhost/x",
                                 "https://user:pw@example.com/x", "ftp://example.com/x", "javascript:alert(1)"])
def test_production_refuses_addresses_that_are_not_public_https(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(ValidationError):
        webhooks.check_target(url)
    with pytest.raises(ValidationError):
        services.endpoint_create(user=UserFactory(), area="seller", url=url, events=["payout.paid"])


def test_endpoints_are_added_on_the_settings_page_with_bad_input_refused(client):
    creator = CreatorFactory()
    client.force_login(creator.user)
    url = reverse("api_settings")
    assert client.post(url, {"form": "endpoint", "url": "not a url", "area": "creator",
                             "events": ["payout.paid"]}).status_code == 400
    assert client.post(url, {"form": "endpoint", "url": "https://example.com/h", "area": "seller",
                             "events": ["payout.paid"]}).status_code == 400  # not a seller
    assert client.post(url, {"form": "endpoint", "url": "https://example.com/h", "area": "creator",
                             "events": []}).status_code == 400
    assert not WebhookEndpoint.objects.exists()
    client.post(url, {"form": "endpoint", "url": "https://example.com/h", "area": "creator",
                      "events": ["payout.paid", "invitation.received"]})
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.user == creator.user and endpoint.secret.startswith("whsec_")


def test_a_creator_hears_of_an_invitation(receiver, django_capture_on_commit_callbacks):
    creator = CreatorFactory()
    services.endpoint_create(user=creator.user, area="creator", url=receiver.url, events=["invitation.received"])
    program = ProgramFactory()
    with django_capture_on_commit_callbacks(execute=True):
        affiliate_services.invitation_send(program=program, creators=[creator], by=UserFactory(),
                                           all_products_rate=Decimal("20"))
    [(_, body)] = receiver.received
    assert json.loads(body)["data"]["shop"] == program.shop.name
