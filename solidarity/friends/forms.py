from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.core.guard import GuardForm
from solidarity.registry.models import Interest

from .models import Mark

CODENAME_WIDGET = forms.Textarea(
    attrs={"rows": 2, "autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
)


class BefriendForm(GuardForm):
    """Becoming a friend. A browser signed in with a codename is asked each time which codename to
    befriend with, its own or a new one (the page shows whose friend it is): a session someone else
    planted in the browser cannot quietly gather a newcomer's friendships."""

    MINE, NEW = "mine", "new"

    with_codename = forms.ChoiceField(
        choices=[(MINE, MINE), (NEW, NEW)],
        required=False,
        error_messages={"required": _("Choose which codename to become a friend with.")},
    )

    def __init__(self, *args, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["with_codename"].required = signed_in

    def wants_new_codename(self) -> bool:
        return self.cleaned_data["with_codename"] != self.MINE


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
