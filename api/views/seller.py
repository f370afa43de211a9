"""The seller's endpoints: everything is the token owner's shop's; another shop's id is a 404."""

from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from affiliates import services as affiliate_services
from affiliates.models import Creator, Invitation
from affiliates.selectors import collaborations_of_program, invitations_of_program
from payouts import selectors as payout_selectors
from payouts import statements
from payouts.months import month_start
from shops import selectors as shop_selectors
from shops import services as shop_services
from shops.models import Order, Product
from tracking import selectors as tracking_selectors
from tracking.models import ProductAffiliateDaily
from tracking.periods import Period

from .. import serializers as s
from .base import ApiListView, ApiView, SellerScope, choice_param, date_range

RANGE = [OpenApiParameter("start", str, description="ISO date (default: 29 days before end)"),
         OpenApiParameter("end", str, description="ISO date, inclusive (default: today)")]


class ProductList(SellerScope, ApiListView):
    """The shop's products, newest first; `status` filters (draft, in_review, live, rejected, archived)."""

    serializer_class = s.ProductSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        products = Product.objects.filter(shop=self.shop).select_related("shop")
        wanted = choice_param(self.request, "status", Product.Status.values)
        return products.filter(status=wanted) if wanted else products


class ProductDetail(SellerScope, ApiView):
    """One product; PATCH its price and stock (a read-and-write token; a live product stays live)."""

    @extend_schema(responses=s.ProductSerializer)
    def get(self, request, pk):
        return Response(s.ProductSerializer(self.product(pk)).data)

    @extend_schema(request=s.ProductUpdateSerializer, responses=s.ProductSerializer)
    def patch(self, request, pk):
        product = self.product(pk)
        data = s.ProductUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "stock" in data.validated_data and product.kind == Product.Kind.SERVICE:
            raise exceptions.ValidationError({"stock": "A service has no stock."})
        product = shop_services.product_update(product=product, by=request.user, **data.validated_data)
        return Response(s.ProductSerializer(Product.objects.select_related("shop").get(pk=product.pk)).data)

    def product(self, pk):
        return get_object_or_404(Product.objects.filter(shop=self.shop).select_related("shop"), pk=pk)


def _orders(shop):
    return (shop_selectors.orders_of_shop(shop=shop).select_related("conversion__creator", "conversion__code",
                                                                    "conversion__content")
            .prefetch_related("lines__order"))


class OrderList(SellerScope, ApiListView):
    """Paid and later orders with their lines and attribution, newest first; filter by
    `start`/`end` (placed, ISO dates) and `status`."""

    serializer_class = s.OrderSerializer

    @extend_schema(parameters=[*RANGE, OpenApiParameter("status", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        start, end = date_range(self.request, default_days=400 - 1)
        orders = _orders(self.shop).filter(placed_at__date__range=(start, end))
        wanted = choice_param(self.request, "status", Order.Status.values)
        return orders.filter(status=wanted) if wanted else orders


class OrderDetail(SellerScope, ApiView):
    @extend_schema(responses=s.OrderSerializer)
    def get(self, request, pk):
        return Response(s.OrderSerializer(get_object_or_404(_orders(self.shop), pk=pk)).data)


class AffiliateOrderList(SellerScope, ApiListView):
    """Orders creators brought, with the commission, the rate of each line and why."""

    serializer_class = s.AffiliateOrderSerializer

    @extend_schema(parameters=RANGE)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        start, end = date_range(self.request, default_days=400 - 1)
        return payout_selectors.affiliate_orders(shop=self.shop).filter(
            order__placed_at__date__range=(start, end)).select_related("order__shop")


BY = {"product": ("product_id", "product__title"), "creator": ("creator_id", "creator__handle"), "day": ("day", None)}


class Performance(SellerScope, ApiView):
    """Clicks, unique clicks, orders, GMV and commission for the period, by product,
    creator, content piece or day (`by`)."""

    @extend_schema(parameters=[*RANGE, OpenApiParameter("by", str, enum=["product", "creator", "content", "day"])],
                   responses={200: dict})
    def get(self, request):
        start, end = date_range(request)
        period = Period(start=start, end=end)
        by = choice_param(request, "by", ["product", "creator", "content", "day"], default="product")
        currency = self.shop.currency or "USD"
        if by == "content":
            rows = [{"content_id": row["content_id"], "title": row["title"], "url": row["url"],
                     "creator": row["creator_handle"], **_sums(row, currency)}
                    for row in tracking_selectors.content_report(scope=Q(shop=self.shop), period=period)]
        else:
            key, label = BY[by]
            model = ProductAffiliateDaily if by == "product" else None
            grouped = tracking_selectors.stats_grouped(
                scope=Q(shop=self.shop), period=period, group_by={"key": key, **({"label": label} if label else {})},
                **({"model": model} if model else {})).order_by("key")
            rows = [{by: row["key"].isoformat() if by == "day" else row["key"],
                     **({"name": row["label"]} if label else {}), **_sums(row, currency)} for row in grouped]
        return Response({"start": start, "end": end, "by": by, "currency": currency, "rows": rows})


def _sums(row, currency):
    return {"clicks": row["clicks"] or 0, "unique_clicks": row["unique_clicks"] or 0, "orders": row["orders"] or 0,
            "gmv": s.money(row["gmv"] or 0, currency), "commission": s.money(row["commission"] or 0, currency)}


class Statement(SellerScope, ApiView):
    """A month's commissions: owed at the start, computed (by creator and by product with
    rate and source), reductions, paid out, owed at the end."""

    @extend_schema(responses={200: dict})
    def get(self, request, month):
        try:
            first = month_start(date.fromisoformat(f"{month}-01"))
        except ValueError:
            raise exceptions.ValidationError({"month": "Use YYYY-MM."}) from None
        currency = self.shop.currency or "USD"
        data = statements.seller_statement(shop=self.shop, month=first)

        def amount(value):
            return s.money(value or 0, currency)

        return Response({
            "month": month, "currency": currency, "opening": amount(data["opening"]),
            "computed": amount(data["totals"]["commission"]), "reductions": amount(data["reduction_total"]),
            "paid_out": amount(data["paid_out"]), "closing": amount(data["closing"]),
            "by_creator": [{"creator": row["handle"], "orders": row["orders"], "gmv": amount(row["gmv"]),
                            "commission": amount(row["commission"])} for row in data["by_creator"]],
            "by_product": [{"product": row["title"], "rate": f"{row['rate']}", "rate_source": row["source_label"],
                            "orders": row["orders"], "gmv": amount(row["gmv"]), "commission": amount(row["commission"])}
                           for row in data["by_product"]],
            "reductions_list": [{"at": row["at"], "creator": row["handle"], "order": row["order_number"],
                                 "reason": row["reason"], "commission": amount(row["amount_change"])}
                                for row in data["reductions"]],
        })


class CollaborationList(SellerScope, ApiListView):
    serializer_class = s.CollaborationSerializer

    def get_queryset(self):
        return collaborations_of_program(program=self.get_program())


class InvitationList(SellerScope, ApiListView):
    """The shop's invitations; POST invites one creator (a read-and-write token)."""

    serializer_class = s.InvitationSerializer

    def get_queryset(self):
        return invitations_of_program(program=self.get_program()).prefetch_related("products__product")

    @extend_schema(request=s.InvitationCreateSerializer, responses={201: s.InvitationSerializer})
    def post(self, request):
        program = self.get_program()
        data = s.InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        creator = Creator.objects.filter(handle=values["creator"], status=Creator.Status.APPROVED).first()
        if creator is None:
            raise exceptions.ValidationError({"creator": "No approved creator has this handle."})
        product_rates = None
        if values.get("product_rates"):
            ids = {}
            for key, rate in values["product_rates"].items():
                if not str(key).isdigit():
                    raise exceptions.ValidationError({"product_rates": "Keys are product ids."})
                ids[int(key)] = rate
            products = {p.pk: p for p in Product.objects.filter(shop=self.shop, pk__in=ids)}
            if len(products) != len(ids):
                raise exceptions.ValidationError({"product_rates": "Every product must be one of your shop's."})
            product_rates = {products[pk]: rate for pk, rate in ids.items()}
        [invitation] = affiliate_services.invitation_send(
            program=program, creators=[creator], by=request.user, message=values.get("message", ""),
            product_rates=product_rates, all_products_rate=values.get("all_products_rate"),
            ends_on=values.get("ends_on"))
        invitation = Invitation.objects.select_related("creator").prefetch_related("products__product").get(
            pk=invitation.pk)
        return Response(s.InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

