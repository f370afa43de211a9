"""Ending a targeted collaboration says what happens next, to the seller before and after,
and to the creator in their inbox: the open rate, the program default, or nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates import selectors, services
from affiliates.models import Collaboration
from tests.factories import CreatorFactory, ProductFactory, ProgramFactory, ShopMembershipFactory, open_product

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def collab():
    """A collaboration at 30 % on an open product (15 %) and on a product that is not open,
    which nobody may promote without the seller's approval."""
    program = ProgramFactory(default_rate=D("10"))
    lamp = ProductFactory(shop=program.shop, title="Desk lamp")
    open_product(lamp, D("15"))
    chair = ProductFactory(shop=program.shop, title="Chair")
    seller = ShopMembershipFactory(shop=program.shop).user
    creator = CreatorFactory()
    invitation = services.invitation_send(program=program, creators=[creator], by=seller,
                                          product_rates={lamp: D("30"), chair: D("30")})[0]
    collaboration = services.invitation_accept(invitation=invitation, by=creator.user)
    return {"program": program, "seller": seller, "creator": creator, "collaboration": collaboration,
            "invitation": invitation}


def test_the_seller_is_told_what_ending_leaves_the_creator(client, collab):
    client.force_login(collab["seller"])
    page = client.get(reverse("seller:invitations")).content.decode()
    assert "From now on Desk lamp earns the open rate 15 %; Chair earns nothing" in page
    assert "its links earn nothing" not in page
    response = client.post(reverse("seller:collaboration_end", args=[collab["collaboration"].pk]), follow=True)
    assert "ended. From now on Desk lamp earns the open rate 15 %; Chair earns nothing" in response.content.decode()
    assert Collaboration.objects.get().status == Collaboration.Status.ENDED


def test_an_all_products_collaboration_falls_back_to_the_default_where_allowed():
    program = ProgramFactory(default_rate=D("8"), all_products_open=True)
    ProductFactory(shop=program.shop, title="Mug")
    creator = CreatorFactory()
    invitation = services.invitation_send(program=program, creators=[creator], by=ShopMembershipFactory().user,
                                          all_products_rate=D("20"))[0]
    collaboration = services.invitation_accept(invitation=invitation, by=creator.user)
    sentence = selectors.ending_consequences(collaborations=[collaboration])[collaboration.pk]
    assert sentence == "Mug earns the program default rate 8 %"


def test_the_creators_inbox_says_it_ended_and_what_each_product_earns(client, collab):
    services.collaboration_end(collaboration=collab["collaboration"], by=collab["seller"])
    client.force_login(collab["creator"].user)
    page = client.get(reverse("creator:inbox")).content.decode()
    shop = collab["program"].shop.name
    assert "Collaboration ended" in page and f"Ended on {timezone.now().date().isoformat()} by {shop}" in page
    assert "Desk lamp now earns the open rate 15 %" in page
    assert "Chair now earns nothing" in page
    assert ">Accepted<" not in page


def test_a_collaboration_past_its_end_date_says_so(client, collab):
    Collaboration.objects.filter(pk=collab["collaboration"].pk).update(
        ends_on=timezone.now().date() - timedelta(days=1))
    client.force_login(collab["creator"].user)
    page = client.get(reverse("creator:inbox")).content.decode()
    assert "(its agreed end date)" in page and "Desk lamp now earns the open rate 15 %" in page


def test_a_running_collaboration_is_still_accepted(client, collab):
    client.force_login(collab["creator"].user)
    page = client.get(reverse("creator:inbox")).content.decode()
    assert "Collaboration ended" not in page and "Accepted" in page
