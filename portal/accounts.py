"""Sign-up with a role. Roles are profiles owned by the apps, never flags on the user."""

from django import forms

from affiliates.services import creator_register
from shops.services import seller_register

ROLE_SELL = "sell"
ROLE_CREATE = "create"


class SignupForm(forms.Form):
    """allauth's ACCOUNT_SIGNUP_FORM_CLASS: the extra question asked at sign-up."""

    role = forms.ChoiceField(
        label="What brings you here?",
        choices=[(ROLE_SELL, "I sell: open a shop and recruit creators"),
                 (ROLE_CREATE, "I create: promote products and earn commission")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you sell or create; you can add the other role later."},
    )

    def signup(self, request, user):
        if self.cleaned_data["role"] == ROLE_SELL:
            seller_register(user=user)
        else:
            creator_register(user=user)
