from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.registry.models import Interest

from .models import Mark

CODENAME_WIDGET = forms.Textarea(
    attrs={"rows": 2, "autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
)


class RestoreForm(forms.Form):
    """Coming back with the codename, on this device or another."""

    codename = forms.CharField(label=_("Your seven words"), max_length=200, widget=CODENAME_WIDGET)
    remember = forms.BooleanField(label=_("Remember me on this device"), required=False)


class RememberForm(forms.Form):
    """Keeping the codename just shown on this device: it must be the codename of this session."""

    codename = forms.CharField(max_length=200, widget=forms.HiddenInput)


class MarkForm(forms.Form):
    kind = forms.ChoiceField(choices=Mark.Kind.choices, widget=forms.HiddenInput)


class SuggestForm(forms.Form):
    interests = forms.ModelMultipleChoiceField(
        queryset=Interest.objects.all(), to_field_name="slug", required=False
    )
