"""Both homes show figures that match an independent query of the raw rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from affiliates.models import Creator
from shops.models import Order, OrderLine, Shop
from tests.factories import CreatorFactory, ShopMembershipFactory, UserFactory
from tracking.models import Click, Conversion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123


def _value(response, label):
    return next(f.value for f in response.context["figures"] if f.label == label)


def _paid_orders_and_gmv(shop, period):
    placed = Q(placed_at__date__gte=period.start, placed_at__date__lte=period.end)
    paid = Order.objects.filter(placed, shop=shop, paid_at__isnull=False)
    gmv = ((OrderLine.objects.filter(order__in=paid).aggregate(t=Sum("net_amount"))["t"] or 0)
           - (paid.aggregate(r=Sum("refunds__lines__net_amount"))["r"] or 0))
    return paid, gmv


def _hint(response, label):
    return next(f.hint for f in response.context["figures"] if f.label == label)


def _change(response, label):
    return next(f.change for f in response.context["figures"] if f.label == label)


def test_seller_home_matches_the_raw_rows(client, demo):
    shop = Shop.objects.get(slug="tokyo-tea")
    client.force_login(shop.memberships.first().user)
    response = client.get(reverse("seller:home"), {"days": 30})
    period = response.context["period"]
    paid, gmv = _paid_orders_and_gmv(shop, period)
    paid_before, gmv_before = _paid_orders_and_gmv(shop, period.previous())
    assert gmv_before and paid_before.exists()  # the demo has a previous period to compare with
    assert _change(response, "GMV") == round(100 * float(gmv - gmv_before) / float(gmv_before), 1)
    assert _change(response, "Orders") == round(100 * (paid.count() - paid_before.count()) / paid_before.count(), 1)
    assert sum(response.context["chart"]["gmv"]) == pytest.approx(float(gmv))
    attributed = Conversion.objects.filter(order__in=paid, outcome="attributed")
    affiliate_gmv = OrderLine.objects.filter(order__conversion__in=attributed).aggregate(t=Sum("net_amount"))["t"]
    clicks = Click.objects.filter(link__product__shop=shop, at__date__gte=period.start, at__date__lte=period.end)
    assert _value(response, "GMV") == f"¥{gmv:,.0f}"
    assert _value(response, "Orders") == f"{paid.count():,}"
    assert _value(response, "Affiliate orders") == f"{attributed.count():,}"
    by_code = attributed.filter(via="code")
    assert by_code.exists()  # the demo has orders by creator code in this period
    assert _hint(response, "Affiliate orders") == f"{attributed.count() - by_code.count():,} by link · " \
                                                  f"{by_code.count():,} by code"
    channels = client.get(reverse("seller:performance"), {"days": 30}).context["channels"]
    code_gmv = OrderLine.objects.filter(order__conversion__in=by_code).aggregate(t=Sum("net_amount"))["t"]
    assert channels["code"] == {"orders": by_code.count(), "gmv": code_gmv}
    assert channels["link"] == {"orders": attributed.count() - by_code.count(), "gmv": affiliate_gmv - code_gmv}
    assert _value(response, "Affiliate GMV") == f"¥{affiliate_gmv:,.0f}"
    assert _value(response, "Clicks") == f"{clicks.count():,}"
    assert sum(response.context["chart"]["clicks"]) == clicks.count()
    active = set(clicks.values_list("link__creator", flat=True)) | set(attributed.values_list("creator", flat=True))
    assert _value(response, "Active creators") == f"{len(active):,}"
    by_creator = (OrderLine.objects.filter(order__conversion__in=attributed)
                  .values_list("order__conversion__creator__handle").annotate(gmv=Sum("net_amount")).order_by("-gmv"))
    assert [row["handle"] for row in response.context["top_creators"]] == [handle for handle, _ in by_creator][:5]
    assert response.context["chart"]["labels"][-1] == timezone.now().date().isoformat()
    assert len(response.context["chart"]["gmv"]) == 30


def test_creator_home_matches_the_raw_rows(client, demo):
    creator = Creator.objects.get(handle="leolifts")
    client.force_login(creator.user)
    response = client.get(reverse("creator:home"), {"days": 90})
    period = response.context["period"]
    clicks = Click.objects.filter(link__creator=creator, at__date__gte=period.start, at__date__lte=period.end)
    orders = Conversion.objects.filter(creator=creator, outcome="attributed",
                                       order__placed_at__date__gte=period.start)
    assert _value(response, "Clicks") == f"{clicks.count():,}"
    assert _value(response, "Orders") == f"{orders.count():,}"
    by_code = orders.filter(via="code").count()
    assert _hint(response, "Orders") == f"{orders.count() - by_code:,} by link · {by_code:,} by code"
    earned = creator.commissions.filter(status="paid").aggregate(t=Sum("amount"))["t"] or Decimal(0)
    assert _value(response, "Paid").replace("$", "").replace(",", "") == f"{earned:.2f}"


@pytest.mark.parametrize("params", [{"days": "9999"}, {"days": "0", "start": "2026-02-30", "end": "x"}, {"days": ""}])
def test_homes_survive_bad_periods(client, params):
    membership = ShopMembershipFactory()
    client.force_login(membership.user)
    assert client.get(reverse("seller:home"), params).status_code == 200
    client.force_login(CreatorFactory().user)
    assert client.get(reverse("creator:home"), params).status_code == 200


def test_a_custom_range_and_its_comparison(client):
    membership = ShopMembershipFactory()
    client.force_login(membership.user)
    start = timezone.now().date() - timedelta(days=9)
    response = client.get(reverse("seller:home"), {"days": 0, "start": start.isoformat(),
                                                   "end": timezone.now().date().isoformat()})
    assert response.context["period"].days == 10
    assert response.context["period"].previous().end == start - timedelta(days=1)


def test_homes_need_their_role(client):
    assert client.get(reverse("seller:home"))["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("creator:home"))["Location"].startswith(reverse("account_login"))
    client.force_login(CreatorFactory().user)
    assert client.get(reverse("seller:home")).status_code == 403
    client.force_login(ShopMembershipFactory().user)
    assert client.get(reverse("creator:home")).status_code == 403


def test_staff_see_platform_figures(client, demo):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:index")).content.decode()
    assert "Last 30 days" in html and "Affiliate GMV" in html and "Flagged clicks" in html


def test_affiliate_orders_table_filters_exports_and_is_private(client, demo):
    shop = Shop.objects.get(slug="north-knits")
    client.force_login(shop.memberships.first().user)
    url = reverse("seller:affiliate_orders")
    rows = list(client.get(url).context["table"].data)
    assert rows and {row.order.shop_id for row in rows} == {shop.pk}
    only_leo = client.get(url, {"creator": "leolifts"}).context["table"].data
    assert {row.creator.handle for row in only_leo} == {"leolifts"}
    assert client.get(url, {"placed_from": "nonsense"}).status_code == 200
    csv = b"".join(client.get(url, {"export": "csv"}).streaming_content).decode()
    assert csv.startswith("Date,Order,Creator") and "@leolifts" in csv
    client.force_login(Shop.objects.get(slug="tokyo-tea").memberships.first().user)
    assert {row.order.shop.slug for row in client.get(url).context["table"].data} == {"tokyo-tea"}
    client.force_login(CreatorFactory().user)
    assert client.get(url).status_code == 403


def test_the_sellers_to_do_counts_their_own_rows(client):
    """Each to-do badge of the seller home counts this shop's rows in that state, and only them."""
    from datetime import timedelta as _days

    from affiliates import services as affiliate_services
    from affiliates.models import Invitation
    from tests.factories import BUYER, ProductFactory, ProgramFactory, paid_order

    def world():
        program = ProgramFactory()
        owner = ShopMembershipFactory(shop=program.shop).user
        live = ProductFactory(shop=program.shop, stock=50)
        ProductFactory(shop=program.shop, status="rejected")
        for _ in range(2):
            ProductFactory(shop=program.shop, status="in_review")
        ProductFactory(shop=program.shop, stock=0)
        paid_order((live, 1), buyer={**BUYER, "email": "todo@example.net"})
        creators = [CreatorFactory() for _ in range(3)]
        affiliate_services.application_submit(creator=creators[0], program=program)
        affiliate_services.sample_request_create(creator=creators[1], product=live, shipping_address="1 Main St")
        invitation, = affiliate_services.invitation_send(program=program, creators=[creators[2]],
                                                         by=owner,
                                                         all_products_rate=Decimal("12"))
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + _days(days=2))
        return owner

    mine = world()
    world()  # another shop with the same to-dos: none of them count for the first
    client.force_login(mine)
    todo = client.get(reverse("seller:home")).context["todo"]
    assert todo == {"orders_to_ship": 1, "products_rejected": 1, "products_in_review": 2, "products_out_of_stock": 1,
                    "applications_pending": 1, "samples_waiting": 1, "invitations_expiring": 1}
