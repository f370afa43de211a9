import django_filters
from django import forms
from django.db.models import F, Q

from common.countries import COUNTRY_CHOICES
from shops.models import Category, Product

from .models import Creator, SampleRequest


class CreatorFilter(django_filters.FilterSet):
    """Find creators: niche, reach, engagement and audience."""

    q = django_filters.CharFilter(method="search", label="Name or handle")
    niche = django_filters.ModelChoiceFilter(field_name="niches", queryset=Category.objects.all(),
                                             empty_label="Any niche", to_field_name="slug")
    followers_min = django_filters.NumberFilter(field_name="followers", lookup_expr="gte", label="Followers from",
                                                min_value=0)
    followers_max = django_filters.NumberFilter(field_name="followers", lookup_expr="lte", label="Followers to",
                                                min_value=0)
    engagement_min = django_filters.NumberFilter(field_name="engagement_rate", lookup_expr="gte",
                                                 label="Engagement from (%)", min_value=0, max_value=100)
    country = django_filters.ChoiceFilter(field_name="audience_top_country", choices=COUNTRY_CHOICES,
                                          label="Audience country", empty_label="Any country")
    gender = django_filters.ChoiceFilter(method="by_gender", label="Audience mostly",
                                         choices=[("female", "Female"), ("male", "Male")], empty_label="Anyone")
    age = django_filters.ChoiceFilter(field_name="audience_top_age", choices=Creator.AgeBracket.choices,
                                      label="Audience age", empty_label="Any age")
    orders_min = django_filters.NumberFilter(field_name="orders_90d", lookup_expr="gte", min_value=0,
                                             label="Orders in 90 days from")

    class Meta:
        model = Creator
        fields = ["q", "niche", "followers_min", "followers_max", "engagement_min", "country", "gender", "age",
                  "orders_min"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(handle__icontains=value) | Q(display_name__icontains=value))

    def by_gender(self, queryset, name, value):
        if value == "female":
            return queryset.filter(audience_female_pct__gt=F("audience_male_pct"))
        return queryset.filter(audience_male_pct__gt=F("audience_female_pct"))


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
