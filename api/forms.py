from django import forms

from .models import ApiToken, WebhookEndpoint


class TokenForm(forms.Form):
    name = forms.CharField(max_length=60, help_text="Where it is used, like “Accounting sync”.")
    scope = forms.ChoiceField(choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ,
                              widget=forms.RadioSelect)


class EndpointForm(forms.Form):
    url = forms.URLField(label="Address (https://…)", max_length=500, assume_scheme="https")
    area = forms.ChoiceField(label="Events", choices=WebhookEndpoint.Area.choices)
    events = forms.MultipleChoiceField(choices=WebhookEndpoint.EVENTS, widget=forms.CheckboxSelectMultiple,
                                       label="Which events")

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [choice for choice in WebhookEndpoint.Area.choices if choice[0] in areas]
