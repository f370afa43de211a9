"""Who may enter the seller centre and the creator portal, and where login sends them."""

import pytest
from django.urls import reverse

from affiliates.models import Creator
from shops.models import ShopMembership
from tests.factories import CreatorFactory, UserFactory, seller_user

pytestmark = pytest.mark.django_db

AREAS = ["seller:home", "creator:home"]


@pytest.mark.parametrize("area", AREAS)
def test_anonymous_visitor_is_sent_to_login(client, area):
    response = client.get(reverse(area))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_creator_in_seller_centre_is_offered_the_seller_role(client):
    client.force_login(CreatorFactory().user)
    response = client.get(reverse("seller:home"))
    assert response.status_code == 403
    assert reverse("seller:join") in response.content.decode()


def test_seller_in_creator_portal_is_offered_the_creator_role(client):
    user, _ = seller_user()
    client.force_login(user)
    response = client.get(reverse("creator:home"))
    assert response.status_code == 403
    assert reverse("creator:join") in response.content.decode()


def test_adding_the_other_role_keeps_the_first(client):
    user, shop = seller_user()
    client.force_login(user)
    response = client.post(reverse("creator:join"))
    assert response["Location"] == reverse("creator:profile")
    assert Creator.objects.filter(user=user).exists()
    assert ShopMembership.objects.get(user=user).shop == shop
    assert client.get(reverse("creator:home")).status_code == 200
    assert client.get(reverse("seller:home")).status_code == 200


def test_joining_twice_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("seller:join"))
    client.post(reverse("seller:join"))
    assert ShopMembership.objects.filter(user=user).count() == 1


def test_join_needs_login_and_post(client):
    assert client.post(reverse("seller:join"))["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(reverse("creator:join")).status_code == 405


def test_seller_lands_in_seller_centre(client):
    user, _ = seller_user()
    client.force_login(user)
    assert client.get(reverse("home_for_role"))["Location"] == reverse("seller:home")


def test_creator_lands_in_creator_portal(client):
    client.force_login(CreatorFactory().user)
    assert client.get(reverse("home_for_role"))["Location"] == reverse("creator:home")


def test_person_with_both_roles_gets_a_chooser(client):
    user, _ = seller_user()
    CreatorFactory(user=user)
    client.force_login(user)
    response = client.get(reverse("home_for_role"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("seller:home") in html and reverse("creator:home") in html


def test_person_with_no_role_is_offered_both(client):
    client.force_login(UserFactory())
    html = client.get(reverse("home_for_role")).content.decode()
    assert reverse("seller:join") in html and reverse("creator:join") in html


def test_staff_without_a_role_lands_in_ops(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("home_for_role"))["Location"] == reverse("admin:index")


def test_login_redirects_by_role(client):
    user, _ = seller_user()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"})
    assert response["Location"] == reverse("home_for_role")
