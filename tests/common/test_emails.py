"""Every email says the product's name and links to SITE_URL; none goes out for work
that rolled back; a mail server that is away is tried again."""

from decimal import Decimal
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from affiliates import services as affiliate_services
from common import emails
from common.site import sync_site
from common.tasks import send_email
from payouts import services as payout_services
from tests.factories import (
    CreatorFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    paid_order,
)
from tests.payouts.test_runs import credit, run_month

pytestmark = pytest.mark.django_db
SITE = "https://shop.example.com"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL, settings.SITE_NAME = SITE, "Kinship Shop"


def _only(subject_part):
    found = [message for message in mail.outbox if subject_part in message.subject]
    assert len(found) == 1, [message.subject for message in mail.outbox]
    message = found[0]
    assert message.subject.startswith("[Kinship Shop] ")
    html = message.alternatives[0][0]
    assert "Kinship Shop" in message.body and "Kinship Shop" in html
    assert "127.0.0.1" not in message.body + html and "example.com!" not in message.body
    return message, html


def test_order_confirmation_links_to_the_site(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order((ProductFactory(), 1))
    message, html = _only(f"Your order {order.number}")
    assert message.to == ["buyer@example.net"]
    assert f"{SITE}/orders/{order.token}/" in message.body and f'href="{SITE}/orders/{order.token}/"' in html


def test_an_invited_creator_hears_of_it(django_capture_on_commit_callbacks):
    program = ProgramFactory(shop__name="Tokyo Tea House")
    creator = CreatorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        affiliate_services.invitation_send(program=program, creators=[creator], by=UserFactory(),
                                           all_products_rate=Decimal("18"), message="Try our teas?")
    message, html = _only("Tokyo Tea House invites you")
    assert message.to == [creator.user.email]
    assert "18 %" in message.body and "Try our teas?" in html
    assert f"{SITE}{reverse('creator:inbox')}" in message.body


def test_samples_tell_the_creator_and_the_seller_each_step(django_capture_on_commit_callbacks):
    program = ProgramFactory()
    seller = ShopMembershipFactory(shop=program.shop).user
    product = ProductFactory(shop=program.shop, title="Matcha Whisk")
    creator = CreatorFactory(handle="mika")
    with django_capture_on_commit_callbacks(execute=True):
        sample = affiliate_services.sample_request_create(creator=creator, product=product, shipping_address="1 Way")
    message, _ = _only("@mika asks for a sample of Matcha Whisk")
    assert message.to == [seller.email] and f"{SITE}{reverse('seller:samples')}" in message.body
    steps = [("approved", lambda s: affiliate_services.sample_approve(sample=s, by=seller)),
             ("on its way", lambda s: affiliate_services.sample_ship(sample=s, by=seller, tracking_number="JP123"))]
    for news, step in steps:
        with django_capture_on_commit_callbacks(execute=True):
            sample = step(sample)
        message, _ = _only(f"Your sample of Matcha Whisk is {news}")
        assert message.to == [creator.user.email]
    assert "JP123" in message.body
    sample = affiliate_services.sample_mark_delivered(sample=sample, by=creator.user)
    with django_capture_on_commit_callbacks(execute=True):
        affiliate_services.sample_post_content(sample=sample, by=creator.user, content_url="https://v.example/1")
    message, _ = _only("@mika posted content for Matcha Whisk")
    assert message.to == [seller.email] and "https://v.example/1" in message.body
    other = affiliate_services.sample_request_create(creator=creator, product=ProductFactory(shop=program.shop),
                                                     shipping_address="1 Way")
    with django_capture_on_commit_callbacks(execute=True):
        affiliate_services.sample_decline(sample=other, by=seller, reason="None left this month")
    message, _ = [(m, None) for m in mail.outbox if "declined" in m.subject][0]
    assert "None left this month" in message.body


def test_a_creator_hears_when_a_payout_was_sent(django_capture_on_commit_callbacks):
    creator = CreatorFactory(payout_method="paypal", payout_account="mika@example.com")
    credit(creator, "1200", "JPY")
    run = run_month()
    finance = UserFactory()
    payout_services.payout_run_approve(run=run, by=finance)
    with django_capture_on_commit_callbacks(execute=True):
        payout_services.payouts_mark_paid(payouts=list(run.payouts.all()), by=finance, reference="PP-9")
    message, html = _only("We sent you a payout")
    assert "¥1,200" in message.body and "PayPal account m***@example.com" in message.body and "PP-9" in html
    assert f"{SITE}/creator/earnings/statements/{run.period:%Y-%m}/JPY/" in message.body


def test_no_email_for_work_that_rolled_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        emails.send(to="a@example.com", subject="Never", template="shops/email/order_confirmation",
                    context={"order": paid_order((ProductFactory(), 1)), "lines": []})
        transaction.set_rollback(True)
    assert not [m for m in mail.outbox if "Never" in m.subject]


def test_a_mail_server_that_is_away_is_tried_again():
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=SMTPServerDisconnected("down")), \
            mock.patch.object(send_email, "retry", side_effect=RuntimeError("retry")) as retry, \
            pytest.raises(RuntimeError, match="retry"):
        send_email.run(to=["a@example.com"], subject="s", text="t", html="h")
    assert retry.called


def test_the_sign_up_email_says_the_products_name(client):
    client.post(reverse("account_signup"), {"email": "new@example.com", "password1": "a-long-pass-2026!",
                                            "password2": "a-long-pass-2026!", "role": "sell"})
    [message] = mail.outbox
    assert "Hello from Kinship Shop!" in message.body and "example.com!" not in message.body


def test_migrate_names_the_site_after_the_settings(settings):
    Site.objects.filter(pk=settings.SITE_ID).update(domain="example.com", name="example.com")
    call_command("migrate", verbosity=0)
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.domain, site.name) == ("shop.example.com", "Kinship Shop")
    settings.SITE_NAME = "Seaside Market"
    sync_site()
    assert Site.objects.get(pk=settings.SITE_ID).name == "Seaside Market"
