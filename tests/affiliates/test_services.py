"""Affiliates writes: programs, open collaboration, invitations, applications, samples,
showcases, and every status pipeline checked against its table."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from affiliates import services
from affiliates.models import (
    AffiliateProgram,
    Application,
    Collaboration,
    Creator,
    Invitation,
    OpenProduct,
    RateChange,
    SampleRequest,
    ShowcaseItem,
)
from tests.factories import (
    ActiveShopFactory,
    CreatorFactory,
    ProductFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


# --------------------------------------------------------------------------------------
# Programs
# --------------------------------------------------------------------------------------


def test_join_starts_the_rate_history_and_leave_keeps_it():
    shop = ActiveShopFactory(return_window_days=14)
    seller = UserFactory()
    program = services.program_join(shop=shop, by=seller, default_rate=D("12.50"))
    assert program.hold_days == 30
    assert list(RateChange.objects.values_list("old_rate", "new_rate")) == [(None, D("12.50"))]
    services.program_leave(program=program, by=seller)
    program.refresh_from_db()
    assert program.status == AffiliateProgram.Status.LEFT and program.left_at
    again = services.program_join(shop=shop, by=seller, default_rate=D("12.50"))
    assert again.pk == program.pk and again.is_active


@pytest.mark.parametrize("rate", [D("0"), D("0.99"), D("80.01"), D("-1"), D("100"), D("12.345")])
def test_join_refuses_rates_outside_1_to_80(rate):
    with pytest.raises(ValidationError, match="1 to 80"):
        services.program_join(shop=ActiveShopFactory(), by=UserFactory(), default_rate=rate)
    assert not AffiliateProgram.objects.exists()


def test_hold_period_is_never_shorter_than_the_return_window():
    shop = ActiveShopFactory(return_window_days=30)
    with pytest.raises(ValidationError, match="return window"):
        services.program_join(shop=shop, by=UserFactory(), default_rate=D("10"), hold_days=20)


def test_a_shop_waiting_for_approval_cannot_join():
    with pytest.raises(ValidationError, match="approved"):
        services.program_join(shop=ActiveShopFactory(status="pending"), by=UserFactory(), default_rate=D("10"))


def test_program_update_records_default_rate_changes_only():
    program = ProgramFactory()
    services.program_update(program=program, by=UserFactory(), terms="Be nice", default_rate=D("8"))
    services.program_update(program=program, by=UserFactory(), terms="Be kind")
    assert [c.new_rate for c in RateChange.objects.filter(program=program)] == [D("10"), D("8")]
    assert RateChange.objects.filter(program=program).last().is_cut


def test_open_products_set_opens_changes_and_closes_reporting_cuts():
    program = ProgramFactory()
    a, b = ProductFactory(shop=program.shop), ProductFactory(shop=program.shop)
    seller = UserFactory()
    assert services.open_products_set(program=program, by=seller, rates={a.pk: D("20"), b.pk: None}) == []
    cuts = services.open_products_set(program=program, by=seller, rates={a.pk: D("15")}, close=[b.pk])
    assert [(c.product_id, c.old_rate, c.new_rate) for c in cuts] == [(a.pk, D("20"), D("15"))]
    assert list(OpenProduct.objects.values_list("product_id", "rate")) == [(a.pk, D("15"))]
    raise_ = services.open_products_set(program=program, by=seller, rates={a.pk: D("25")})
    assert raise_ == []


def test_open_products_refuses_other_shops_products_and_bad_rates():
    program = ProgramFactory()
    with pytest.raises(ValidationError):
        services.open_products_set(program=program, by=UserFactory(), rates={ProductFactory().pk: D("10")})
    with pytest.raises(ValidationError):
        services.open_products_set(program=program, by=UserFactory(),
                                   rates={ProductFactory(shop=program.shop).pk: D("81")})
    assert not OpenProduct.objects.exists()


# --------------------------------------------------------------------------------------
# Invitations and collaborations
# --------------------------------------------------------------------------------------


def _invite(program, creators, **kwargs):
    kwargs.setdefault("all_products_rate", D("20"))
    return services.invitation_send(program=program, creators=creators, by=UserFactory(), **kwargs)


def test_invite_several_creators_then_one_accepts():
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)
    one, two = CreatorFactory(), CreatorFactory()
    invitations = _invite(program, [one, two], all_products_rate=None, product_rates={product: D("22")},
                          message="Love your content")
    assert [i.expires_at - i.created_at for i in invitations] == [timedelta(days=14)] * 2
    collab = services.invitation_accept(invitation=invitations[0], by=one.user)
    assert collab.creator == one and collab.status == Collaboration.Status.ACTIVE
    assert list(collab.products.values_list("product_id", "rate")) == [(product.pk, D("22"))]
    invitations[0].refresh_from_db()
    assert invitations[0].status == Invitation.Status.ACCEPTED
    assert list(invitations[0].audit_entries.values_list("to_status", flat=True)) == ["pending", "accepted"]


@pytest.mark.parametrize("kwargs", [
    {"all_products_rate": D("0")}, {"all_products_rate": D("80.01")}, {"all_products_rate": D("-1")},
    {"all_products_rate": None}, {"ends_on": "yesterday"}, {"creators": []}, {"creators": "pending"},
    {"product_rates": "other shop"}, {"product_rates": "both"},
])
def test_bad_invitations_are_refused_and_nothing_is_stored(kwargs):
    program = ProgramFactory()
    creators = [CreatorFactory()]
    if kwargs.get("ends_on") == "yesterday":
        kwargs["ends_on"] = (timezone.now() - timedelta(days=1)).date()
    if kwargs.get("creators") == "pending":
        kwargs["creators"] = [CreatorFactory(status=Creator.Status.PENDING)]
    if kwargs.get("product_rates") == "other shop":
        kwargs = {"all_products_rate": None, "product_rates": {ProductFactory(): D("10")}}
    if kwargs.get("product_rates") == "both":
        kwargs = {"all_products_rate": D("10"), "product_rates": {ProductFactory(shop=program.shop): D("10")}}
    creators = kwargs.pop("creators", creators)
    with pytest.raises(ValidationError):
        services.invitation_send(program=program, creators=creators, by=UserFactory(), **kwargs)
    assert not Invitation.objects.exists()


def test_an_invitation_expires_after_14_days():
    program = ProgramFactory()
    invitation = _invite(program, [CreatorFactory()])[0]
    assert services.invitations_expire(now=timezone.now() + timedelta(days=13)) == 0
    assert services.invitations_expire(now=timezone.now() + timedelta(days=14, seconds=1)) == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, by=invitation.creator.user)


def test_accepting_after_expiry_is_refused_even_before_the_sweep():
    invitation = _invite(ProgramFactory(), [CreatorFactory()])[0]
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    invitation.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(invitation=invitation, by=invitation.creator.user)
    assert not Collaboration.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED


@pytest.mark.parametrize("first", ["withdraw", "decline", "accept"])
@pytest.mark.parametrize("second", ["withdraw", "decline", "accept"])
def test_an_answered_invitation_cannot_be_answered_again(first, second):
    invitation = _invite(ProgramFactory(), [CreatorFactory()])[0]
    act = {"withdraw": services.invitation_withdraw, "decline": services.invitation_decline,
           "accept": services.invitation_accept}
    act[first](invitation=invitation, by=UserFactory())
    with pytest.raises(ValidationError):
        act[second](invitation=invitation, by=UserFactory())
    assert Collaboration.objects.count() == (1 if first == "accept" else 0)


def test_end_a_collaboration_once():
    collab = services.invitation_accept(invitation=_invite(ProgramFactory(), [CreatorFactory()])[0],
                                        by=UserFactory())
    services.collaboration_end(collaboration=collab, by=UserFactory())
    collab.refresh_from_db()
    assert collab.status == Collaboration.Status.ENDED and collab.ended_at
    with pytest.raises(ValidationError):
        services.collaboration_end(collaboration=collab, by=UserFactory())


# --------------------------------------------------------------------------------------
# Applications
# --------------------------------------------------------------------------------------


def test_application_needs_the_seller_then_is_approved():
    program = ProgramFactory(requires_approval=True)
    creator = CreatorFactory(followers=500)
    application = services.application_submit(creator=creator, program=program, message="Hi")
    assert application.status == Application.Status.PENDING
    with pytest.raises(ValidationError, match="already applied"):
        services.application_submit(creator=creator, program=program)
    services.application_approve(application=application, by=UserFactory(), message="Welcome")
    application.refresh_from_db()
    assert (application.status, application.response) == (Application.Status.APPROVED, "Welcome")


def test_creators_above_the_minimum_followers_are_approved_at_once():
    program = ProgramFactory(requires_approval=True, min_followers=10_000)
    small = services.application_submit(creator=CreatorFactory(followers=9_999), program=program)
    big = services.application_submit(creator=CreatorFactory(followers=10_000), program=program)
    assert (small.status, big.status) == (Application.Status.PENDING, Application.Status.APPROVED)


def test_declining_needs_a_message():
    application = services.application_submit(creator=CreatorFactory(), program=ProgramFactory())
    with pytest.raises(ValidationError):
        services.application_decline(application=application, by=UserFactory(), message=" ")
    services.application_decline(application=application, by=UserFactory(), message="Not a fit")
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED


@pytest.mark.parametrize("problem", ["pending creator", "left program", "other shop's product", "draft product"])
def test_applications_that_make_no_sense_are_refused(problem):
    program = ProgramFactory()
    creator = CreatorFactory(status=Creator.Status.PENDING if problem == "pending creator" else "approved")
    product = None
    if problem == "left program":
        program.status = AffiliateProgram.Status.LEFT
        program.save()
    if problem == "other shop's product":
        product = ProductFactory()
    if problem == "draft product":
        product = ProductFactory(shop=program.shop, status="draft")
    with pytest.raises(ValidationError):
        services.application_submit(creator=creator, program=program, product=product)
    assert not Application.objects.exists()


# --------------------------------------------------------------------------------------
# Samples
# --------------------------------------------------------------------------------------


def _sample(**kwargs):
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)
    return services.sample_request_create(creator=kwargs.pop("creator", None) or CreatorFactory(), product=product,
                                          shipping_address="1 Main St", **kwargs)


def test_sample_from_request_to_content():
    sample = _sample(message="For a review")
    seller = UserFactory()
    sample = services.sample_approve(sample=sample, by=seller)
    with pytest.raises(ValidationError):
        services.sample_ship(sample=sample, by=seller, tracking_number="")
    sample = services.sample_ship(sample=sample, by=seller, tracking_number="TRK1")
    sample = services.sample_mark_delivered(sample=sample, by=sample.creator.user)
    assert sample.content_due - sample.delivered_at == timedelta(days=14)
    with pytest.raises(ValidationError):
        services.sample_post_content(sample=sample, by=sample.creator.user, content_url="javascript:alert(1)")
    sample = services.sample_post_content(sample=sample, by=sample.creator.user,
                                          content_url="https://video.example/1")
    assert sample.status == SampleRequest.Status.FULFILLED
    assert list(sample.audit_entries.values_list("to_status", flat=True)) == [
        "requested", "approved", "shipped", "delivered", "fulfilled"]


def test_unanswered_requests_expire_after_7_days_and_late_content_is_overdue():
    waiting = _sample()
    delivered = _sample()
    for step in (services.sample_approve, services.sample_mark_delivered):
        if step is services.sample_mark_delivered:
            delivered = services.sample_ship(sample=delivered, by=UserFactory(), tracking_number="T")
        delivered = step(sample=delivered, by=UserFactory())
    assert services.samples_expire(now=timezone.now() + timedelta(days=6)) == {"expired": 0, "overdue": 0}
    assert services.samples_expire(now=timezone.now() + timedelta(days=15)) == {"expired": 1, "overdue": 1}
    waiting.refresh_from_db()
    delivered.refresh_from_db()
    assert (waiting.status, delivered.status) == (SampleRequest.Status.EXPIRED, SampleRequest.Status.OVERDUE)
    # Late content still counts as posted.
    services.sample_post_content(sample=delivered, by=UserFactory(), content_url="https://v.example/2")


def test_approving_too_late_expires_the_request():
    sample = _sample()
    SampleRequest.objects.filter(pk=sample.pk).update(answer_by=timezone.now() - timedelta(seconds=1))
    sample.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        services.sample_approve(sample=sample, by=UserFactory())
    sample.refresh_from_db()
    assert sample.status == SampleRequest.Status.EXPIRED


@pytest.mark.parametrize("problem", ["digital", "twice", "no address", "pending creator"])
def test_bad_sample_requests_are_refused(problem):
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop, kind="digital" if problem == "digital" else "physical")
    creator = CreatorFactory(status="pending" if problem == "pending creator" else "approved")
    if problem == "twice":
        services.sample_request_create(creator=creator, product=product, shipping_address="x")
    with pytest.raises(ValidationError):
        services.sample_request_create(creator=creator, product=product,
                                       shipping_address="  " if problem == "no address" else "1 Main St")
    assert SampleRequest.objects.count() == (1 if problem == "twice" else 0)


# --------------------------------------------------------------------------------------
# Creators and showcases
# --------------------------------------------------------------------------------------


def test_creator_profile_update_and_resubmission_after_rejection():
    creator = CreatorFactory(status=Creator.Status.REJECTED)
    services.creator_update(creator=creator, followers=1200, audience_female_pct=60, audience_male_pct=40)
    creator.refresh_from_db()
    assert (creator.followers, creator.status) == (1200, Creator.Status.PENDING)


@pytest.mark.parametrize("fields", [
    {"followers": -1}, {"engagement_rate": D("101")}, {"audience_female_pct": 70, "audience_male_pct": 40},
    {"handle": "not a handle!"}, {"social_url": "javascript:alert(1)"},
])
def test_creator_profile_bad_values_are_refused(fields):
    creator = CreatorFactory()
    with pytest.raises(ValidationError):
        services.creator_update(creator=creator, **fields)


def test_payout_account_is_masked():
    assert CreatorFactory(payout_account="maria.lopez@example.com").payout_account_masked == "m***@example.com"
    assert CreatorFactory(payout_account="GB29NWBK60161331926819").payout_account_masked == "***6819"


def test_showcase_add_reorder_remove():
    program = ProgramFactory()
    creator = CreatorFactory()
    a, b, c = (ProductFactory(shop=program.shop) for _ in range(3))
    items = [services.showcase_add(creator=creator, product=p) for p in (a, b, c)]
    assert services.showcase_add(creator=creator, product=a).pk == items[0].pk
    services.showcase_move(item=items[2], offset=-1)
    services.showcase_move(item=items[0], offset=-1)  # already first: nothing moves
    order = list(ShowcaseItem.objects.filter(creator=creator).order_by("position").values_list("product", flat=True))
    assert order == [a.pk, c.pk, b.pk]
    services.showcase_remove(item=items[1])
    assert ShowcaseItem.objects.filter(creator=creator).count() == 2
    with pytest.raises(ValidationError):
        services.showcase_add(creator=creator, product=ProductFactory(shop=program.shop, status="draft"))
