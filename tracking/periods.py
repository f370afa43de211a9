"""The reporting period a page shows: the last 7, 30 or 90 days, or a custom range."""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.utils import timezone

MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before this one, for comparisons."""
        return Period(start=self.start - timedelta(days=self.days), end=self.start - timedelta(days=1))


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(choices=[(7, "Last 7 days"), (30, "Last 30 days"), (90, "Last 90 days"),
                                           (0, "Custom range")], coerce=int, required=False, empty_value=30, initial=30,
                                  label="Period")
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("days") == 0:
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise forms.ValidationError("Choose both dates of the custom range.")
            if start > end:
                raise forms.ValidationError("The range starts after it ends.")
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(f"Choose at most {MAX_DAYS} days.")
        return cleaned

    def period(self) -> Period:
        today = timezone.now().date()
        if self.is_valid():
            if self.cleaned_data["days"] == 0:
                return Period(self.cleaned_data["start"], self.cleaned_data["end"])
            days = self.cleaned_data["days"] or 30
        else:
            days = 30
        return Period(start=today - timedelta(days=days - 1), end=today)


def period_from(request) -> tuple[PeriodForm, Period]:
    form = PeriodForm(request.GET or None)
    return form, form.period()
