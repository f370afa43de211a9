"""Sign-up with a role, email verification, and where each role lands."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from affiliates.models import Creator
from shops.models import Shop, ShopMembership

pytestmark = pytest.mark.django_db


def _signup(client, *, email, role):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": "a-long-new-passphrase", "password2": "a-long-new-passphrase", "role": role},
    )


def _confirm_from_mail(client):
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[-1]
    client.get(path)
    return client.post(path)


@pytest.mark.parametrize(
    ("role", "landing"), [("sell", "/seller/"), ("create", "/creator/")]
)
def test_sign_up_verify_and_land_in_own_area(client, role, landing):
    response = _signup(client, email="new@example.com", role=role)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert EmailAddress.objects.get(email="new@example.com").verified is False

    response = _confirm_from_mail(client)
    assert EmailAddress.objects.get(email="new@example.com").verified is True
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


def test_sign_up_as_seller_gives_a_draft_shop_and_no_creator(client):
    _signup(client, email="seller@example.com", role="sell")
    user = get_user_model().objects.get(email="seller@example.com")
    membership = ShopMembership.objects.get(user=user)
    assert membership.shop.status == Shop.Status.DRAFT
    assert not Creator.objects.filter(user=user).exists()


def test_sign_up_as_creator_gives_a_pending_creator_and_no_shop(client):
    _signup(client, email="creator@example.com", role="create")
    user = get_user_model().objects.get(email="creator@example.com")
    assert Creator.objects.get(user=user).status == Creator.Status.PENDING
    assert not ShopMembership.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", ["", "admin", "sell;create"])
def test_sign_up_without_a_valid_role_is_refused_and_stores_nothing(client, role):
    response = _signup(client, email="nobody@example.com", role=role)
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not get_user_model().objects.filter(email="nobody@example.com").exists()
    assert Shop.objects.count() == 0


def test_sign_up_with_mismatched_passwords_stores_nothing(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.com", "password1": "a-long-new-passphrase", "password2": "different-passphrase",
         "role": "sell"},
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="x@example.com").exists()


def test_unverified_person_cannot_log_in(client):
    _signup(client, email="late@example.com", role="create")
    client.logout()
    response = client.post(reverse("account_login"), {"login": "late@example.com", "password": "a-long-new-passphrase"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_password_reset_sends_a_link(client):
    from tests.factories import UserFactory

    UserFactory(email="forgetful@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.com"})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_failed_logins_are_rate_limited(client):
    from tests.factories import UserFactory

    UserFactory(email="target@example.com")
    pages = [
        client.post(reverse("account_login"), {"login": "target@example.com", "password": "wrong"}).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # Even the right password is refused while the limit holds.
    page = client.post(reverse("account_login"), {"login": "target@example.com", "password": "correct-horse-battery"})
    assert "Too many failed login attempts" in page.content.decode()
