import django_filters
from django.db.models import F, Q

from affiliates.models import Creator
from common.countries import COUNTRY_CHOICES
from shops.models import Category


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
    gmv_min = django_filters.NumberFilter(field_name="gmv_90d", lookup_expr="gte", min_value=0,
                                          label="GMV in 90 days from")

    class Meta:
        model = Creator
        fields = ["q", "niche", "followers_min", "followers_max", "engagement_min", "country", "gender", "age",
                  "orders_min", "gmv_min"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(handle__icontains=value) | Q(display_name__icontains=value))

    def by_gender(self, queryset, name, value):
        if value == "female":
            return queryset.filter(audience_female_pct__gt=F("audience_male_pct"))
        return queryset.filter(audience_male_pct__gt=F("audience_female_pct"))
