"""Staff approve, reject, suspend and reinstate creators in /ops/; every affiliates page opens."""

from decimal import Decimal

import pytest
from django.urls import reverse

from affiliates import services
from affiliates.models import Creator
from tests.factories import CreatorFactory, ProductFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))


def _act(client, action, creators, **extra):
    return client.post(reverse("admin:affiliates_creator_changelist"),
                       {"action": action, "_selected_action": [c.pk for c in creators], **extra}, follow=True)


def test_approve_then_suspend_with_a_reason_then_reinstate(client, staff):
    creator = CreatorFactory(status=Creator.Status.PENDING)
    _act(client, "creator_approve", [creator])
    creator.refresh_from_db()
    assert creator.status == Creator.Status.APPROVED
    _act(client, "creator_suspend", [creator])  # no reason yet: the reason page
    creator.refresh_from_db()
    assert creator.status == Creator.Status.APPROVED
    _act(client, "creator_suspend", [creator], apply="1", reason="Fake followers")
    creator.refresh_from_db()
    assert (creator.status, creator.status_reason) == (Creator.Status.SUSPENDED, "Fake followers")
    _act(client, "creator_reinstate", [creator])
    creator.refresh_from_db()
    assert creator.status == Creator.Status.APPROVED


def test_the_payout_account_is_not_in_the_admin_form(client, staff):
    creator = CreatorFactory(payout_account="secret@example.com")
    html = client.get(reverse("admin:affiliates_creator_change", args=[creator.pk])).content.decode()
    assert "secret@example.com" not in html


@pytest.mark.parametrize("model", ["creator", "affiliateprogram", "collaboration", "invitation", "application",
                                   "samplerequest", "showcaseitem"])
def test_every_affiliates_admin_page_opens(client, staff, model):
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)
    creator = CreatorFactory()
    invitation = services.invitation_send(program=program, creators=[creator], by=UserFactory(),
                                          all_products_rate=Decimal("20"))[0]
    objects = {
        "creator": creator, "affiliateprogram": program,
        "collaboration": services.invitation_accept(invitation=invitation, by=creator.user),
        "invitation": invitation,
        "application": services.application_submit(creator=creator, program=program, product=product),
        "samplerequest": services.sample_request_create(creator=creator, product=product, shipping_address="x"),
        "showcaseitem": services.showcase_add(creator=creator, product=product),
    }
    changelist = reverse(f"admin:affiliates_{model}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "a"}).status_code == 200
    assert client.get(reverse(f"admin:affiliates_{model}_change", args=[objects[model].pk])).status_code == 200
