from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.core.guard import GuardForm
from solidarity.registry.models import Interest

from .models import Mark

CODENAME_WIDGET = forms.Textarea(
    attrs={"rows": 2, "autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
)


class CodenameChoiceForm(forms.Form):
    """For a step that ties something to a codename (a friendship, a handed-over letter): a browser
    signed in with a codename is asked each time whether to use it or a new one, and the page shows
    whose codename it is. A session someone else planted in the browser cannot quietly gather a
    newcomer's friendships or letters."""

    MINE, NEW = "mine", "new"

    with_codename = forms.ChoiceField(
        choices=[(MINE, MINE), (NEW, NEW)],
        required=False,
        error_messages={"required": _("Choose which codename to go on with.")},
    )

    def __init__(self, *args, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["with_codename"].required = signed_in

    def wants_new_codename(self) -> bool:
        return self.cleaned_data["with_codename"] != self.MINE


class BefriendForm(CodenameChoiceForm, GuardForm):
    """Becoming a friend, with the guard's proof that a person asks."""


class RestoreForm(forms.Form):
    """Coming back with the codename, on this device or another."""

    codename = forms.CharField(label=_("Your codename"), max_length=200, widget=CODENAME_WIDGET)
    remember = forms.BooleanField(label=_("Remember me on this device"), required=False)


class RememberForm(forms.Form):
    """Keeping the codename just shown on this device: it must be the codename of this session."""

    codename = forms.CharField(max_length=200, widget=forms.HiddenInput)


class ForgetForm(forms.Form):
    """ "Forget me" once confirmed: the button on the friend's page only asks."""

    confirm = forms.BooleanField(widget=forms.HiddenInput)


class MarkForm(forms.Form):
    kind = forms.ChoiceField(choices=Mark.Kind.choices, widget=forms.HiddenInput)


class SuggestForm(forms.Form):
    interests = forms.ModelMultipleChoiceField(
        queryset=Interest.objects.all(), to_field_name="slug", required=False
    )
