import django_filters
from django import forms
from django.db.models import Q

from .models import Category, Order, Product


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Order number or email")
    status = django_filters.ChoiceFilter(choices=Order.Status.choices, empty_label="Any status")
    placed_from = django_filters.DateFilter(field_name="placed_at", lookup_expr="date__gte", label="From",
                                            widget=forms.DateInput(attrs={"type": "date"}))
    placed_to = django_filters.DateFilter(field_name="placed_at", lookup_expr="date__lte", label="To",
                                          widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Order
        fields = ["q", "status", "placed_from", "placed_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__iexact=value) | Q(email__icontains=value)) if value else queryset


class SellerProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title")
    status = django_filters.ChoiceFilter(choices=Product.Status.choices, empty_label="Any status")

    class Meta:
        model = Product
        fields = ["q", "status"]


class FeedFilter(django_filters.FilterSet):
    """The shopping feed's search, category, price range and sort."""

    SORTS = {
        "newest": ("-published_at", "-pk"),
        "price_low": ("price", "pk"),
        "price_high": ("-price", "pk"),
        "popular": ("-units_sold", "-published_at"),
    }

    q = django_filters.CharFilter(method="search", label="Search")
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), to_field_name="slug",
                                                empty_label="All categories")
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte", label="Min price", min_value=0)
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte", label="Max price", min_value=0)
    sort = django_filters.ChoiceFilter(
        method="sort_by", empty_label=None, label="Sort",
        choices=[("newest", "Newest"), ("popular", "Popular"), ("price_low", "Price: low to high"),
                 ("price_high", "Price: high to low")],
    )

    class Meta:
        model = Product
        fields = ["q", "category", "min_price", "max_price", "sort"]

    def search(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word)
                                       | Q(shop__name__icontains=word))
        return queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*self.SORTS.get(value, self.SORTS["newest"]))
