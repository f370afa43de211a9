"""The creator's endpoints: everything is the token owner's; another creator's id is a 404."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from payouts import selectors as payout_selectors
from payouts.models import Commission
from shops.selectors import products_live
from tracking import selectors as tracking_selectors
from tracking import services as tracking_services
from tracking.periods import Period

from .. import serializers as s
from .base import ApiListView, ApiView, CreatorScope, choice_param, date_range
from .seller import RANGE


class LinkList(CreatorScope, ApiListView):
    """The creator's links; POST {"product_id": …} gets the link for a product (the same
    one every time; a read-and-write token)."""

    serializer_class = s.LinkSerializer

    def get_queryset(self):
        return tracking_selectors.links_of_creator(creator=self.creator)

    @extend_schema(request=s.LinkSerializer, responses={201: s.LinkSerializer})
    def post(self, request):
        data = s.LinkSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        product = products_live().filter(pk=data.validated_data["product_id"]).first()
        if product is None:
            raise exceptions.ValidationError({"product_id": "No product for sale has this id."})
        try:
            link = tracking_services.link_get_or_create(creator=self.creator, product=product)
        except ValidationError as exc:
            raise exceptions.ValidationError({"product_id": exc.messages}) from exc
        link = tracking_selectors.links_of_creator(creator=self.creator).get(pk=link.pk)
        return Response(s.LinkSerializer(link, context={"request": request}).data, status=status.HTTP_201_CREATED)


class Performance(CreatorScope, ApiView):
    """Clicks, orders, GMV and earnings for the period, by link or by day (`by`); amounts
    per shop currency."""

    @extend_schema(parameters=[*RANGE, OpenApiParameter("by", str, enum=["link", "day"])], responses={200: dict})
    def get(self, request):
        start, end = date_range(request)
        by = choice_param(request, "by", ["link", "day"], default="link")
        group = {"key": "link__code", "product_title": "product__title"} if by == "link" else {"key": "day"}
        rows = tracking_selectors.stats_grouped(scope=Q(creator=self.creator), period=Period(start=start, end=end),
                                                group_by={**group, "currency": "shop__currency"}).order_by("key")
        result = []
        for row in rows:
            item = {"link": row["key"], "product": row["product_title"]} if by == "link" else {"day": row["key"]}
            result.append({**item, "clicks": row["clicks"] or 0, "unique_clicks": row["unique_clicks"] or 0,
                           "orders": row["orders"] or 0, "gmv": s.money(row["gmv"] or 0, row["currency"]),
                           "earned": s.money(row["commission"] or 0, row["currency"])})
        return Response({"start": start, "end": end, "by": by, "rows": result})


class CommissionList(CreatorScope, ApiListView):
    """The creator's commissions, newest first; filter by `status` and `start`/`end` (made)."""

    serializer_class = s.CommissionSerializer

    @extend_schema(parameters=[*RANGE, OpenApiParameter("status", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        start, end = date_range(self.request, default_days=400 - 1)
        commissions = payout_selectors.commissions_of(creator=self.creator).filter(
            created_at__date__range=(start, end))
        wanted = choice_param(self.request, "status", Commission.Status.values)
        return commissions.filter(status=wanted) if wanted else commissions


class Balance(CreatorScope, ApiView):
    """What the creator is owed now, per currency, and their commissions by status."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        balances = payout_selectors.balances(creator=self.creator)
        summary = payout_selectors.earnings_summary(creator=self.creator)
        return Response({
            "balances": [s.money(amount, currency) for currency, amount in sorted(balances.items())],
            "commissions": {currency: {name: s.money(value, currency) for name, value in figures.items()}
                            for currency, figures in sorted(summary.items())},
        })


class PayoutList(CreatorScope, ApiListView):
    serializer_class = s.PayoutSerializer

    def get_queryset(self):
        return payout_selectors.payouts_of(creator=self.creator)
