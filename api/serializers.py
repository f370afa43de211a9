"""What the API returns. Money is an object: the amount as a string in the currency's
minor unit, the currency, and how many decimals it has. Times are ISO 8601 in UTC."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.money import minor_unit, money_round
from payouts.tables import describe_via, why_this_rate
from shops.models import Order, OrderLine, Product


def money(amount: Decimal | None, currency: str) -> dict | None:
    if amount is None or not currency:
        return None
    places = minor_unit(currency)
    return {"amount": f"{money_round(Decimal(amount), currency):.{places}f}", "currency": currency,
            "minor_unit": places}


MONEY_SCHEMA = {"type": "object", "nullable": True, "properties": {
    "amount": {"type": "string", "example": "12.50"}, "currency": {"type": "string", "example": "USD"},
    "minor_unit": {"type": "integer", "example": 2}}}


@extend_schema_field(MONEY_SCHEMA)
class MoneyField(serializers.Field):
    """A money object read from `source`, in the currency read from `currency` (a path)."""

    def __init__(self, *, currency: str, **kwargs):
        self.currency_path = currency.split(".")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        currency = instance
        for part in self.currency_path:
            currency = currency[part] if isinstance(currency, dict) else getattr(currency, part)
        return (value, currency)

    def to_representation(self, value):
        return money(*value)


class ProductSerializer(serializers.ModelSerializer):
    price = MoneyField(currency="shop.currency")

    class Meta:
        model = Product
        fields = ["id", "title", "status", "kind", "price", "stock", "units_sold", "updated_at"]


class ProductUpdateSerializer(serializers.Serializer):
    """Price (in the shop's currency) and stock; either or both."""

    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"),
                                     max_value=Decimal("10000000"), required=False)
    stock = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send price, stock or both.")
        return attrs


class OrderLineSerializer(serializers.ModelSerializer):
    unit_price = MoneyField(currency="order.currency")
    discount = MoneyField(currency="order.currency")
    net_amount = MoneyField(currency="order.currency")
    refunded_amount = MoneyField(currency="order.currency")

    class Meta:
        model = OrderLine
        fields = ["id", "product_id", "title", "quantity", "unit_price", "discount", "net_amount",
                  "refunded_quantity", "refunded_amount"]


class AttributionSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    via = serializers.CharField()
    creator = serializers.CharField(source="creator.handle", allow_null=True, default=None)
    code = serializers.CharField(source="code.code", allow_null=True, default=None)
    content = serializers.CharField(source="content.title", allow_null=True, default=None)
    note = serializers.CharField()


class OrderSerializer(serializers.ModelSerializer):
    subtotal = MoneyField(currency="currency")
    discount = MoneyField(currency="currency")
    shipping = MoneyField(currency="currency")
    tax = MoneyField(currency="currency")
    total = MoneyField(currency="currency")
    refunded_total = MoneyField(currency="currency")
    lines = OrderLineSerializer(many=True)
    attribution = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = ["id", "number", "status", "placed_at", "paid_at", "email", "name", "currency", "code", "subtotal",
                  "discount", "shipping", "tax", "total", "refunded_total", "lines", "attribution"]

    def get_attribution(self, order) -> dict | None:
        conversion = getattr(order, "conversion", None)
        return AttributionSerializer(conversion).data if conversion is not None else None


class AffiliateOrderSerializer(serializers.Serializer):
    """An attributed order with its commission, the rate(s) and why."""

    order_id = serializers.IntegerField()
    order_number = serializers.CharField(source="order.number")
    placed_at = serializers.DateTimeField(source="order.placed_at")
    creator = serializers.CharField(source="creator.handle")
    via = serializers.SerializerMethodField()
    order_total = MoneyField(source="order.total", currency="order.currency")
    commission = serializers.SerializerMethodField()
    rates = serializers.SerializerMethodField()

    def get_via(self, conversion) -> str:
        return describe_via(conversion)

    @extend_schema_field(MONEY_SCHEMA)
    def get_commission(self, conversion) -> dict | None:
        return money(conversion.commission or Decimal(0), conversion.order.currency)

    def get_rates(self, conversion) -> list[dict]:
        return [{"line_id": c.order_line_id, "rate": f"{c.rate}", "source": c.rate_source,
                 "why": why_this_rate(c, seller=True), "status": c.status,
                 "protected_until": c.protected_until} for c in conversion.order.commissions.all()]


class CommissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    order_number = serializers.CharField(source="order.number")
    product = serializers.CharField(source="order_line.title")
    shop = serializers.CharField(source="shop.name")
    status = serializers.CharField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    why = serializers.CharField(source="rate_reason")
    protected_until = serializers.DateTimeField(allow_null=True)
    base = MoneyField(currency="currency")
    amount = MoneyField(currency="currency")
    clawed_back = MoneyField(currency="currency")
    hold_until = serializers.DateTimeField()


class LinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    product_id = serializers.IntegerField()
    product = serializers.CharField(source="product.title", read_only=True)
    shop = serializers.CharField(source="product.shop.name", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_url(self, link) -> str:
        return self.context["request"].build_absolute_uri(link.get_absolute_url())


class PayoutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.DateField()
    kind = serializers.CharField()
    status = serializers.CharField()
    amount = MoneyField(currency="currency")
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    creator = serializers.CharField(source="creator.handle", read_only=True)
    status = serializers.CharField(read_only=True)
    all_products_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, read_only=True)
    products = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)

    def get_products(self, invitation) -> list[dict]:
        return [{"product_id": item.product_id, "title": item.product.title, "rate": f"{item.rate}"}
                for item in invitation.products.all()]


class InvitationCreateSerializer(serializers.Serializer):
    """Invite one creator: a rate for all products, or a rate per product; a message and an end date."""

    creator = serializers.SlugField(max_length=40, help_text="The creator's handle.")
    all_products_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("1"),
                                                 max_value=Decimal("80"), required=False, allow_null=True)
    product_rates = serializers.DictField(child=serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("1"), max_value=Decimal("80")), required=False)
    message = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    ends_on = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs):
        if bool(attrs.get("all_products_rate")) == bool(attrs.get("product_rates")):
            raise serializers.ValidationError("Give all_products_rate or product_rates (product id: rate), not both.")
        return attrs


class CollaborationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    creator = serializers.CharField(source="creator.handle")
    status = serializers.CharField()
    all_products_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    started_at = serializers.DateTimeField()
    ends_on = serializers.DateField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
