import django_filters
from django import forms

from shops.models import Category, Product

from .models import SampleRequest


class MarketplaceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Search")
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), to_field_name="slug",
                                                empty_label="All categories")
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte", label="Min price", min_value=0)
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte", label="Max price", min_value=0)
    min_rate = django_filters.NumberFilter(field_name="current_rate", lookup_expr="gte", label="Min rate (%)",
                                           min_value=0, max_value=100)
    sort = django_filters.ChoiceFilter(
        method="sort_by", label="Sort", empty_label=None,
        choices=[("rate", "Highest rate"), ("newest", "Newest"), ("price_low", "Price: low to high")],
    )

    class Meta:
        model = Product
        fields = ["q", "category", "min_price", "max_price", "min_rate", "sort"]

    def sort_by(self, queryset, name, value):
        order = {"rate": ("-current_rate", "-pk"), "newest": ("-published_at", "-pk"),
                 "price_low": ("price", "pk")}.get(value, ("-current_rate", "-pk"))
        return queryset.order_by(*order)


class SampleFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SampleRequest.Status.choices, empty_label="Any status")

    class Meta:
        model = SampleRequest
        fields = ["status"]
        form = forms.Form
