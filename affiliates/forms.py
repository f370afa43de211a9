from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from common.images import clean_image
from shops.models import Category

from .models import MAX_RATE, MIN_RATE, AffiliateProgram, Creator

RESERVED_HANDLES = {"admin", "ops", "support", "staff", "seller", "creator", "shop", "kinship"}


def rate_field(**kwargs) -> forms.DecimalField:
    """A commission rate input: a percentage from 1 to 80 with at most two decimals."""
    options = {
        "max_digits": 5, "decimal_places": 2, "label": "Rate (%)",
        "validators": [MinValueValidator(MIN_RATE), MaxValueValidator(MAX_RATE)],
        "error_messages": {
            "min_value": f"Rates start at {MIN_RATE} percent.", "max_value": f"Rates go up to {MAX_RATE} percent.",
            "invalid": "Enter the rate as a number, for example 12.5.",
        },
        "widget": forms.NumberInput(attrs={"step": "0.01", "min": str(MIN_RATE), "max": str(MAX_RATE)}),
    }
    options.update(kwargs)
    return forms.DecimalField(**options)


class ProgramForm(forms.ModelForm):
    default_rate = rate_field(label="Default commission rate (%)",
                              help_text="What creators earn on products without their own rate.")

    class Meta:
        model = AffiliateProgram
        fields = ["default_rate", "attribution_window_days", "hold_days", "requires_approval", "min_followers",
                  "all_products_open", "terms"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, shop, **kwargs):
        super().__init__(*args, **kwargs)
        self.shop = shop
        if not self.instance.pk:
            self.initial.setdefault("hold_days", max(30, shop.return_window_days))
            self.initial.setdefault("default_rate", Decimal("10"))
        self.fields["hold_days"].help_text += f" Your return window is {shop.return_window_days} days."

    def clean_hold_days(self):
        hold = self.cleaned_data["hold_days"]
        if hold < self.shop.return_window_days:
            raise ValidationError(f"At least your return window: {self.shop.return_window_days} days.")
        return hold


class OpenProductsForm(forms.Form):
    """Bulk edit of the open collaboration: per live product, open or not, and its rate."""

    def __init__(self, *args, products, open_rates: dict[int, Decimal | None], **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        for product in self.products:
            is_open = product.pk in open_rates
            self.fields[f"open_{product.pk}"] = forms.BooleanField(required=False, initial=is_open,
                                                                   label=f"Open {product.title}")
            self.fields[f"rate_{product.pk}"] = rate_field(required=False, initial=open_rates.get(product.pk),
                                                           label=f"Rate for {product.title} (%)")

    def rows(self):
        return [(product, self[f"open_{product.pk}"], self[f"rate_{product.pk}"]) for product in self.products]

    def changes(self) -> tuple[dict[int, Decimal | None], list[int]]:
        """(products to open with their rate or None for the default, products to close)."""
        opened, closed = {}, []
        for product in self.products:
            if self.cleaned_data.get(f"open_{product.pk}"):
                opened[product.pk] = self.cleaned_data.get(f"rate_{product.pk}")
            else:
                closed.append(product.pk)
        return opened, closed


class CreatorProfileForm(forms.ModelForm):
    avatar = forms.ImageField(required=False, help_text="Square, at least 200 x 200 pixels.")
    niches = forms.ModelMultipleChoiceField(queryset=Category.objects.all(), widget=forms.CheckboxSelectMultiple,
                                            required=False)
    social_url = forms.URLField(label="Social account", max_length=200, required=False, assume_scheme="https",
                                help_text="The profile people follow you on, e.g. https://www.tiktok.com/@you")

    class Meta:
        model = Creator
        fields = ["handle", "display_name", "bio", "avatar", "niches", "social_url", "followers", "average_views",
                  "engagement_rate", "audience_top_country", "audience_female_pct", "audience_male_pct",
                  "audience_top_age", "payout_method", "payout_account"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("handle", "display_name"):
            self.fields[name].required = True
        if self.instance.payout_account:
            # The saved account is never sent back to the browser; empty keeps it.
            self.fields["payout_account"].help_text = (
                f"Saved: {self.instance.payout_account_masked}. Leave empty to keep it.")
            self.initial["payout_account"] = ""
            self.fields["payout_account"].required = False

    def clean_handle(self):
        handle = self.cleaned_data["handle"].lower()
        if handle in RESERVED_HANDLES:
            raise ValidationError("That handle is reserved; choose another.")
        return handle

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and avatar != self.instance.avatar:
            clean_image(avatar)
        return avatar

    def clean_payout_account(self):
        account = self.cleaned_data.get("payout_account", "").strip()
        return account or self.instance.payout_account

    def clean(self):
        cleaned = super().clean()
        female, male = cleaned.get("audience_female_pct") or 0, cleaned.get("audience_male_pct") or 0
        if female + male > 100:
            self.add_error("audience_male_pct", "Female and male shares add up to more than 100 %.")
        method, account = cleaned.get("payout_method"), cleaned.get("payout_account")
        if method == Creator.PayoutMethod.PAYPAL and account:
            try:
                forms.EmailField().clean(account)
            except ValidationError:
                self.add_error("payout_account", "For PayPal, enter the email address of your PayPal account.")
        if method and not account:
            self.add_error("payout_account", "Enter where we should pay you.")
        return cleaned


class InvitationForm(forms.Form):
    SCOPE_ALL, SCOPE_CHOSEN = "all", "chosen"

    message = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="Why you think they fit your products.")
    scope = forms.ChoiceField(choices=[(SCOPE_ALL, "One rate for all my products"),
                                       (SCOPE_CHOSEN, "Rates for chosen products")],
                              widget=forms.RadioSelect, initial=SCOPE_ALL)
    all_products_rate = rate_field(required=False, label="Rate for all products (%)")
    ends_on = forms.DateField(required=False, label="Collaboration ends on (optional)",
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        for product in self.products:
            self.fields[f"rate_{product.pk}"] = rate_field(required=False, label=f"{product.title} (%)")

    def product_fields(self):
        return [self[f"rate_{product.pk}"] for product in self.products]

    def clean_ends_on(self):
        ends_on = self.cleaned_data.get("ends_on")
        if ends_on and ends_on <= timezone.now().date():
            raise ValidationError("The end date must be in the future.")
        return ends_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.SCOPE_ALL:
            if cleaned.get("all_products_rate") is None and "all_products_rate" not in self.errors:
                self.add_error("all_products_rate", "Enter the rate for all products.")
        elif cleaned.get("scope") == self.SCOPE_CHOSEN and not self.product_rates() and not self.errors:
            raise ValidationError("Enter a rate for at least one product.")
        return cleaned

    def product_rates(self):
        return {product: self.cleaned_data[f"rate_{product.pk}"] for product in self.products
                if self.cleaned_data.get(f"rate_{product.pk}") is not None}


class MessageForm(forms.Form):
    message = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="The creator reads this.")


class TrackingForm(forms.Form):
    tracking_number = forms.CharField(max_length=64)


class SampleRequestForm(forms.Form):
    shipping_address = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    message = forms.CharField(max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="What you plan to make with it.")


class ContentForm(forms.Form):
    content_url = forms.URLField(label="Link to your post", max_length=200, assume_scheme="https")
