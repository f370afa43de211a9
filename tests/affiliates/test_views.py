"""Seller affiliate pages and the creator portal: access, bad input and the main flows."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from affiliates import services
from affiliates.models import AffiliateProgram, Application, Collaboration, Creator, Invitation, SampleRequest
from tests.factories import (
    CategoryFactory,
    CreatorFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    open_product,
    png_upload,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def seller(client):
    program = ProgramFactory()
    membership = ShopMembershipFactory(shop=program.shop)
    client.force_login(membership.user)
    membership.program = program
    return membership


@pytest.fixture
def creator(client):
    creator = CreatorFactory(followers=5000)
    client.force_login(creator.user)
    return creator


def _world():
    """Another shop's program with one of everything, and another creator's inbox."""
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)
    other_creator = CreatorFactory()
    invitation = services.invitation_send(program=program, creators=[other_creator], by=UserFactory(),
                                          all_products_rate=D("20"))[0]
    collaboration = services.invitation_accept(
        invitation=services.invitation_send(program=program, creators=[other_creator], by=UserFactory(),
                                            all_products_rate=D("21"))[0], by=UserFactory())
    application = services.application_submit(creator=other_creator, program=program, product=product)
    sample = services.sample_request_create(creator=other_creator, product=product, shipping_address="x")
    item = services.showcase_add(creator=other_creator, product=product)
    return {"program": program, "product": product, "invitation": invitation, "collaboration": collaboration,
            "application": application, "sample": sample, "item": item, "creator": other_creator}


SELLER_PAGES = ["program", "open_products", "creators", "invitations", "applications", "samples"]


@pytest.mark.parametrize("name", SELLER_PAGES)
def test_seller_pages_need_login_and_the_seller_role(client, name):
    url = reverse(f"seller:{name}")
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(CreatorFactory().user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", SELLER_PAGES)
def test_seller_pages_open_for_the_owner(client, seller, name):
    assert client.get(reverse(f"seller:{name}")).status_code == 200


def test_pages_of_a_shop_outside_the_program_send_to_join(client):
    membership = ShopMembershipFactory()
    client.force_login(membership.user)
    assert client.get(reverse("seller:samples"))["Location"] == reverse("seller:program")


def test_another_shops_invitations_applications_samples_are_404(client, seller):
    world = _world()
    posts = [
        reverse("seller:invitation_withdraw", args=[world["invitation"].pk]),
        reverse("seller:collaboration_end", args=[world["collaboration"].pk]),
        reverse("seller:application_decide", args=[world["application"].pk, "approve"]),
        reverse("seller:sample_action", args=[world["sample"].pk, "approve"]),
    ]
    for url in posts:
        assert client.post(url, {"message": "x"}).status_code == 404
    world["invitation"].refresh_from_db()
    world["application"].refresh_from_db()
    world["sample"].refresh_from_db()
    assert world["invitation"].status == Invitation.Status.PENDING
    assert world["application"].status == Application.Status.PENDING
    assert world["sample"].status == SampleRequest.Status.REQUESTED
    listing = client.get(reverse("seller:invitations")).content.decode()
    assert f"@{world['creator'].handle}" not in listing


CREATOR_PAGES = ["creator:home", "creator:profile", "creator:marketplace", "creator:inbox", "creator:showcase"]


@pytest.mark.parametrize("name", CREATOR_PAGES)
def test_creator_pages_need_login_and_the_creator_role(client, name):
    url = reverse(name)
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(ShopMembershipFactory().user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", CREATOR_PAGES)
def test_creator_pages_open_for_the_creator(client, creator, name):
    assert client.get(reverse(name)).status_code == 200


def test_another_creators_inbox_items_are_404(client, creator):
    world = _world()
    posts = [
        reverse("creator:invitation_answer", args=[world["invitation"].pk, "accept"]),
        reverse("creator:application_withdraw", args=[world["application"].pk]),
        reverse("creator:sample_update", args=[world["sample"].pk, "received"]),
        reverse("creator:showcase_item", args=[world["item"].pk, "remove"]),
    ]
    for url in posts:
        assert client.post(url).status_code == 404
    world["invitation"].refresh_from_db()
    assert world["invitation"].status == Invitation.Status.PENDING
    assert world["creator"].showcase_items.count() == 1


def test_products_outside_any_program_are_404_in_the_marketplace(client, creator):
    product = ProductFactory()
    assert client.get(reverse("creator:marketplace_product", args=[product.pk])).status_code == 404
    assert client.post(reverse("creator:showcase_add", args=[product.pk])).status_code == 404


# --------------------------------------------------------------------------------------
# Seller flows and bad input
# --------------------------------------------------------------------------------------

PROGRAM = {"default_rate": "10", "attribution_window_days": "14", "hold_days": "30", "min_followers": "0",
           "terms": ""}


def test_join_the_program(client):
    membership = ShopMembershipFactory()
    client.force_login(membership.user)
    response = client.post(reverse("seller:program"), PROGRAM)
    assert response.status_code == 302
    assert AffiliateProgram.objects.get(shop=membership.shop).default_rate == D("10")


@pytest.mark.parametrize(("field", "value"), [
    ("default_rate", "0"), ("default_rate", "80.01"), ("default_rate", "-1"), ("default_rate", "ten"),
    ("default_rate", ""), ("attribution_window_days", "0"), ("attribution_window_days", "91"),
    ("hold_days", "7"), ("min_followers", "-5"), ("terms", "x" * 5001),
])
def test_join_refuses_bad_input_and_stores_nothing(client, field, value):
    membership = ShopMembershipFactory()
    client.force_login(membership.user)
    response = client.post(reverse("seller:program"), {**PROGRAM, field: value})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not AffiliateProgram.objects.exists()


def test_lowering_the_default_rate_warns_the_seller(client, seller):
    response = client.post(reverse("seller:program"), {**PROGRAM, "default_rate": "8"}, follow=True)
    assert "keep the old rate for 30 more days" in response.content.decode()


def test_open_two_products_at_different_rates_and_warn_on_a_cut(client, seller):
    a, b = ProductFactory(shop=seller.shop), ProductFactory(shop=seller.shop)
    url = reverse("seller:open_products")
    client.post(url, {f"open_{a.pk}": "on", f"rate_{a.pk}": "15", f"open_{b.pk}": "on", f"rate_{b.pk}": "25"})
    assert dict(seller.program.open_products.values_list("product_id", "rate")) == {a.pk: D("15"), b.pk: D("25")}
    response = client.post(url, {f"open_{a.pk}": "on", f"rate_{a.pk}": "12", f"open_{b.pk}": "on",
                                 f"rate_{b.pk}": "25"}, follow=True)
    assert "keep their rate until" in response.content.decode()


@pytest.mark.parametrize("rate", ["0", "80.01", "-1", "abc"])
def test_open_products_bad_rates_are_refused(client, seller, rate):
    product = ProductFactory(shop=seller.shop)
    response = client.post(reverse("seller:open_products"),
                           {f"open_{product.pk}": "on", f"rate_{product.pk}": rate})
    assert response.status_code == 400
    assert not seller.program.open_products.exists()


def test_find_creators_by_niche_and_followers_then_invite(client, seller):
    tea = CategoryFactory(slug="tea", name="Tea")
    match = CreatorFactory(followers=50_000)
    match.niches.add(tea)
    CreatorFactory(followers=500).niches.add(tea)
    CreatorFactory(followers=90_000)
    CreatorFactory(followers=90_000, status=Creator.Status.PENDING).niches.add(tea)
    table = client.get(reverse("seller:creators"), {"niche": "tea", "followers_min": "10000"}
                       ).context["table"]
    assert [row.pk for row in table.data] == [match.pk]
    product = ProductFactory(shop=seller.shop)
    page = client.get(reverse("seller:invite"), {"creator": [match.pk]})
    assert page.status_code == 200
    response = client.post(reverse("seller:invite"), {
        "creator": [match.pk], "scope": "chosen", f"rate_{product.pk}": "30", "message": "Hi!"})
    assert response["Location"] == reverse("seller:invitations")
    invitation = Invitation.objects.get(creator=match)
    assert list(invitation.products.values_list("rate", flat=True)) == [D("30")]


@pytest.mark.parametrize("data", [
    {"scope": "all", "all_products_rate": ""}, {"scope": "all", "all_products_rate": "0"},
    {"scope": "all", "all_products_rate": "81"}, {"scope": "chosen"}, {"scope": "both"},
    {"scope": "all", "all_products_rate": "10", "ends_on": "2001-01-01"},
])
def test_invite_bad_input_is_refused(client, seller, data):
    creator = CreatorFactory()
    response = client.post(reverse("seller:invite"), {"creator": [creator.pk], **data})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_inviting_a_pending_creator_is_not_possible(client, seller):
    pending = CreatorFactory(status=Creator.Status.PENDING)
    response = client.post(reverse("seller:invite"), {"creator": [pending.pk], "scope": "all",
                                                                 "all_products_rate": "10"})
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_seller_answers_applications_and_samples(client, seller):
    product = ProductFactory(shop=seller.shop)
    applicant = CreatorFactory()
    application = services.application_submit(creator=applicant, program=seller.program, product=product)
    url = reverse("seller:application_decide", args=[application.pk, "decline"])
    client.post(url, {"message": ""})
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING
    client.post(reverse("seller:application_decide", args=[application.pk, "approve"]), {"message": "Yes"})
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED

    sample = services.sample_request_create(creator=applicant, product=product, shipping_address="1 Main St")
    client.post(reverse("seller:sample_action", args=[sample.pk, "approve"]))
    client.post(reverse("seller:sample_action", args=[sample.pk, "ship"]), {"tracking_number": ""})
    sample.refresh_from_db()
    assert sample.status == SampleRequest.Status.APPROVED
    client.post(reverse("seller:sample_action", args=[sample.pk, "ship"]), {"tracking_number": "T9"})
    sample.refresh_from_db()
    assert (sample.status, sample.tracking_number) == (SampleRequest.Status.SHIPPED, "T9")


def test_leaving_the_program(client, seller):
    client.post(reverse("seller:leave"))
    seller.program.refresh_from_db()
    assert seller.program.status == AffiliateProgram.Status.LEFT


# --------------------------------------------------------------------------------------
# Creator flows and bad input
# --------------------------------------------------------------------------------------

PROFILE = {"handle": "mika", "display_name": "Mika", "bio": "", "social_url": "https://social.example/@mika",
           "followers": "1200", "average_views": "300", "engagement_rate": "4.5", "audience_top_country": "JP",
           "audience_female_pct": "60", "audience_male_pct": "35", "audience_top_age": "18-24",
           "payout_method": "paypal", "payout_account": "mika@example.com"}


def test_creator_completes_profile_with_avatar_and_niches(client, creator):
    niche = CategoryFactory()
    response = client.post(reverse("creator:profile"), {**PROFILE, "niches": [niche.pk], "avatar": png_upload()})
    assert response.status_code == 302
    creator.refresh_from_db()
    assert (creator.handle, creator.followers, list(creator.niches.all())) == ("mika", 1200, [niche])
    assert creator.avatar
    page = client.get(reverse("creator:profile")).content.decode()
    assert "mika@example.com" not in page and "m***@example.com" in page


@pytest.mark.parametrize(("field", "value"), [
    ("followers", "-1"), ("followers", "many"), ("engagement_rate", "101"), ("engagement_rate", "-0.5"),
    ("audience_female_pct", "80"), ("handle", "bad handle"), ("handle", "admin"), ("handle", ""),
    ("social_url", "not a url"), ("payout_account", "not-an-email"), ("audience_top_country", "XX"),
])
def test_creator_profile_bad_input_is_refused(client, creator, field, value):
    before = Creator.objects.get(pk=creator.pk)
    response = client.post(reverse("creator:profile"), {**PROFILE, field: value})
    assert response.status_code == 400
    assert response.context["form"].errors
    after = Creator.objects.get(pk=creator.pk)
    assert (after.handle, after.followers) == (before.handle, before.followers)


def test_marketplace_shows_the_creators_own_rate_and_why(client, creator):
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop, title="Tea")
    open_product(product, D("15"))
    page = client.get(reverse("creator:marketplace"))
    assert [p.current_rate for p in page.context["page_obj"]] == [D("15")]
    services.invitation_accept(invitation=services.invitation_send(
        program=program, creators=[creator], by=UserFactory(), all_products_rate=D("25"))[0], by=creator.user)
    detail = client.get(reverse("creator:marketplace_product", args=[product.pk])).content.decode()
    assert "25 %" in detail and "Your collaboration with" in detail


@pytest.mark.parametrize("params", [{"min_rate": "abc"}, {"sort": "x"}, {"category": "nope"}, {"page": "-1"}])
def test_marketplace_survives_bad_filters(client, creator, params):
    assert client.get(reverse("creator:marketplace"), params).status_code == 200


def test_creator_accepts_an_invitation_requests_a_sample_and_builds_a_showcase(client, creator):
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)
    invitation = services.invitation_send(program=program, creators=[creator], by=UserFactory(),
                                          all_products_rate=D("30"))[0]
    client.post(reverse("creator:invitation_answer", args=[invitation.pk, "accept"]))
    assert Collaboration.objects.get(creator=creator).all_products_rate == D("30")
    response = client.post(reverse("creator:sample_request", args=[product.pk]), {"shipping_address": ""})
    assert response.status_code == 400
    client.post(reverse("creator:sample_request", args=[product.pk]), {"shipping_address": "1 Main St"})
    assert SampleRequest.objects.get(creator=creator).status == SampleRequest.Status.REQUESTED
    client.post(reverse("creator:showcase_add", args=[product.pk]))
    creator.handle = "mika"
    creator.save()
    public = client.get("/@mika/")
    assert public.status_code == 200 and product.title in public.content.decode()


def test_apply_when_the_program_needs_approval(client, creator):
    program = ProgramFactory(requires_approval=True)
    product = ProductFactory(shop=program.shop)
    open_product(product)
    client.post(reverse("creator:apply", args=[product.pk]), {"message": "x" * 2001})
    assert not Application.objects.exists()
    client.post(reverse("creator:apply", args=[product.pk]), {"message": "Please", "scope": "shop"})
    application = Application.objects.get()
    assert application.product is None and application.status == Application.Status.PENDING


def test_sample_content_needs_a_web_address(client, creator):
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)
    sample = services.sample_request_create(creator=creator, product=product, shipping_address="x")
    for step in (services.sample_approve,):
        sample = step(sample=sample, by=UserFactory())
    sample = services.sample_ship(sample=sample, by=UserFactory(), tracking_number="T")
    client.post(reverse("creator:sample_update", args=[sample.pk, "received"]))
    client.post(reverse("creator:sample_update", args=[sample.pk, "content"]), {"content_url": "javascript:x"})
    sample.refresh_from_db()
    assert sample.status == SampleRequest.Status.DELIVERED
    client.post(reverse("creator:sample_update", args=[sample.pk, "content"]), {"content_url": "https://v.example/9"})
    sample.refresh_from_db()
    assert sample.status == SampleRequest.Status.FULFILLED


def test_showcase_of_a_pending_or_unknown_creator_is_404(client):
    CreatorFactory(handle="waiting", status=Creator.Status.PENDING)
    assert client.get("/@waiting/").status_code == 404
    assert client.get("/@nobody/").status_code == 404


def test_expiry_task_runs(client):
    from affiliates.tasks import expire_stale_offers

    program = ProgramFactory()
    invitation = services.invitation_send(program=program, creators=[CreatorFactory()], by=UserFactory(),
                                          all_products_rate=D("10"))[0]
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    assert expire_stale_offers.delay().get()["invitations_expired"] == 1
