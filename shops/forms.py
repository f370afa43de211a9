from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from common.countries import COUNTRY_CHOICES
from common.images import clean_image
from common.money import MAX_PRICE, minor_unit_error

from .cart import MAX_QUANTITY
from .models import Category, Product, Shop

RESERVED_SLUGS = {"admin", "ops", "seller", "creator", "cart", "checkout", "accounts", "static", "media", "new"}


class ShopProfileForm(forms.ModelForm):
    logo = forms.ImageField(required=False, help_text="Square, at least 200 x 200 pixels; JPEG, PNG or WebP.")

    class Meta:
        model = Shop
        fields = [
            "name", "slug", "description", "logo", "legal_name", "country", "currency", "contact_email", "tax_id",
            "return_window_days", "shipping_fee", "tax_rate",
        ]
        labels = {"slug": "Web address", "tax_id": "Tax id (optional)", "shipping_fee": "Shipping fee per order"}
        help_texts = {
            "slug": "Your shop's page will be /s/<web address>/. Lowercase letters, digits and hyphens.",
            "currency": "Prices, orders and commissions are in this currency. It cannot change once you list products.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "slug", "legal_name", "country", "currency", "contact_email"):
            self.fields[name].required = True
        self.fields["shipping_fee"].validators.append(MaxValueValidator(MAX_PRICE))
        if self.instance.pk and self.instance.currency and self.instance.products.exists():
            self.fields["currency"].disabled = True

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError("That web address is reserved; choose another.")
        return slug

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo != self.instance.logo:
            clean_image(logo)  # raise the same clear error the service would
        return logo

    def clean(self):
        cleaned = super().clean()
        error = minor_unit_error(cleaned.get("shipping_fee"), cleaned.get("currency"))
        if error:
            self.add_error("shipping_fee", error)
        return cleaned


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    """Several pictures at once; each is checked and re-encoded by the service."""

    widget = MultipleImageInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ProductForm(forms.ModelForm):
    images = MultipleImageField(
        required=False, label="Add pictures",
        help_text=f"Up to {Product.MAX_IMAGES} in all; JPEG, PNG, WebP or GIF, at least 200 x 200 pixels, 5 MB each.",
    )
    remove_images = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Remove pictures"
    )

    class Meta:
        model = Product
        fields = ["title", "description", "category", "kind", "price", "compare_at_price", "stock"]
        help_texts = {
            "description": "Plain text, or simple HTML: paragraphs, bold, italics, lists and links.",
            "compare_at_price": "The usual price, shown struck through. Leave empty when there is none.",
            "stock": "Units you can ship. Services have no stock.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, shop: Shop, **kwargs):
        super().__init__(*args, **kwargs)
        self.shop = shop
        self.fields["category"].queryset = Category.objects.all()
        self.fields["price"].validators += [MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_PRICE)]
        self.fields["price"].label = f"Price ({shop.currency})" if shop.currency else "Price"
        self.fields["compare_at_price"].validators += [MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_PRICE)]
        self.fields["stock"].validators += [MaxValueValidator(1_000_000)]
        if self.instance.pk:
            self.fields["remove_images"].queryset = self.instance.images.all()
            self.fields["remove_images"].label_from_instance = lambda image: f"Picture {image.position + 1}"
        else:
            del self.fields["remove_images"]

    def clean(self):
        cleaned = super().clean()
        for name in ("price", "compare_at_price"):
            error = minor_unit_error(cleaned.get(name), self.shop.currency)
            if error:
                self.add_error(name, error)
        price, compare = cleaned.get("price"), cleaned.get("compare_at_price")
        if price and compare and compare <= price:
            self.add_error("compare_at_price", "The usual price must be higher than the price, or empty.")
        kind, stock = cleaned.get("kind"), cleaned.get("stock")
        if kind in (Product.Kind.PHYSICAL, Product.Kind.DIGITAL) and stock is None:
            self.add_error("stock", "Say how many units you have (0 if none yet).")
        images = cleaned.get("images") or []
        existing = self.instance.images.count() if self.instance.pk else 0
        removing = len(cleaned.get("remove_images") or [])
        if existing - removing + len(images) > Product.MAX_IMAGES:
            self.add_error("images", f"A product has at most {Product.MAX_IMAGES} pictures.")
        for image in images:
            try:
                clean_image(image)
            except ValidationError as exc:
                self.add_error("images", f"{image.name}: {exc.messages[0]}")
                break
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="The buyer or seller reads this.")


class ShipForm(forms.Form):
    tracking_number = forms.CharField(max_length=64)


class RefundForm(forms.Form):
    """One quantity field per order line that still has something to refund, and a reason."""

    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="The buyer reads this.")

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_lines = [line for line in order.lines.all() if line.refundable_quantity]
        for line in self.order_lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=f"{line.title} (up to {line.refundable_quantity})", min_value=0,
                max_value=line.refundable_quantity, initial=0, required=False,
            )
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in self.order_lines}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(self.quantities().values()):
            raise ValidationError("Choose at least one item to refund.")
        return cleaned


class AddToCartForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=MAX_QUANTITY, initial=1)


class CartUpdateForm(forms.Form):
    quantity = forms.IntegerField(min_value=0, max_value=MAX_QUANTITY)


class CheckoutForm(forms.Form):
    """Guest checkout: contact, address (only for physical items), and the card."""

    email = forms.EmailField()
    name = forms.CharField(max_length=120, label="Full name")
    address_line1 = forms.CharField(max_length=200, label="Address", required=False)
    address_line2 = forms.CharField(max_length=200, label="Address line 2 (optional)", required=False)
    city = forms.CharField(max_length=100, required=False)
    postal_code = forms.CharField(max_length=20, required=False)
    country = forms.ChoiceField(choices=[("", "Choose a country"), *COUNTRY_CHOICES], required=False)
    card_number = forms.CharField(
        max_length=23, label="Card number",
        help_text="Test mode: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 is declined.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-number"}),
    )
    expiry = forms.RegexField(regex=r"^(0[1-9]|1[0-2])\s*/\s*\d{2}$", label="Expiry (MM/YY)", max_length=7,
                              error_messages={"invalid": "Enter the expiry as MM/YY."},
                              widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "placeholder": "MM/YY"}))
    cvc = forms.RegexField(regex=r"^\d{3,4}$", label="CVC", max_length=4,
                           error_messages={"invalid": "Enter the 3 or 4 digits on the back of the card."},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-csc"}))
    checkout_key = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)

    def __init__(self, *args, needs_shipping: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_shipping = needs_shipping
        if needs_shipping:
            for name in ("address_line1", "city", "postal_code", "country"):
                self.fields[name].required = True
        else:
            for name in ("address_line1", "address_line2", "city", "postal_code", "country"):
                del self.fields[name]

    def clean_card_number(self):
        digits = "".join(ch for ch in self.cleaned_data["card_number"] if ch.isdigit())
        if not 12 <= len(digits) <= 19 or any(ch not in "0123456789 -" for ch in self.cleaned_data["card_number"]):
            raise ValidationError("Enter the card number: 12 to 19 digits.")
        return digits

    def clean_expiry(self):
        from django.utils import timezone

        month, year = (int(part) for part in self.cleaned_data["expiry"].replace(" ", "").split("/"))
        today = timezone.now().date()
        if (2000 + year, month) < (today.year, today.month):
            raise ValidationError("This card has expired.")
        return self.cleaned_data["expiry"]
