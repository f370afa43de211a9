"""The creator's forms for content pieces and codes, and the seller's terms for a code."""

from django import forms

from affiliates.models import AffiliateProgram, CreatorCode
from shops.models import Product


class ContentForm(forms.Form):
    """Register a post: its address, a title, and the products it features (those the
    creator has links for)."""

    url = forms.URLField(label="Web address of the post", max_length=500, assume_scheme="https",
                         widget=forms.URLInput(attrs={"placeholder": "https://www.tiktok.com/@you/video/…"}))
    title = forms.CharField(max_length=120, help_text="For you and the sellers, like “Autumn tea haul”.")
    products = forms.ModelMultipleChoiceField(queryset=Product.objects.none(), widget=forms.CheckboxSelectMultiple,
                                              help_text="The products the post features.")

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        self.fields["products"].label_from_instance = lambda product: f"{product.title} · {product.shop.name}"


class CodeForm(forms.Form):
    """A creator's new code: the shop, and the code they want (empty: one is made for them)."""

    program = forms.ModelChoiceField(queryset=AffiliateProgram.objects.none(), label="Shop",
                                     empty_label="Choose a shop")
    code = forms.CharField(max_length=30, required=False, label="Your code (optional)",
                           help_text="4 to 20 letters and digits, like MIKA10; empty: made from your handle.")

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].label_from_instance = lambda program: program.shop.name


class CodeTermsForm(forms.ModelForm):
    """The seller's terms for one creator code."""

    class Meta:
        model = CreatorCode
        fields = ["discount_kind", "discount_value", "discount_cap", "starts_on", "ends_on", "usage_limit",
                  "is_active"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "ends_on": forms.DateInput(attrs={"type": "date"})}
