import django_filters
from django import forms

from tracking.models import Conversion


class AffiliateOrdersFilter(django_filters.FilterSet):
    creator = django_filters.CharFilter(field_name="creator__handle", lookup_expr="iexact", label="Creator handle")
    placed_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From",
                                            widget=forms.DateInput(attrs={"type": "date"}))
    placed_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="To",
                                          widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Conversion
        fields = ["creator", "placed_from", "placed_to"]
