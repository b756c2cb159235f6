import re

from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.core.guard import GuardForm
from solidarity.friends.forms import CodenameChoiceForm

from . import services
from .checker import MAX_TEXT
from .models import Letter, Reply
from .postcards import DESIGNS

ACCEPT_RISK = _("Even so: I know the risk (for example, I am a relative).")


class ComposeForm(forms.Form):
    CHECK, PHRASES, PDF, HAND_OVER = "check", "phrases", "pdf", "hand_over"

    action = forms.ChoiceField(choices=[(a, a) for a in (CHECK, PHRASES, PDF, HAND_OVER)], required=False)
    kind = forms.ChoiceField(
        label=_("What to send"),
        choices=Letter.Kind.choices,
        initial=Letter.Kind.LETTER,
        widget=forms.RadioSelect,
    )
    design = forms.ChoiceField(
        label=_("Postcard picture"),
        choices=[(d.slug, d.title) for d in DESIGNS],
        initial=DESIGNS[0].slug,
        required=False,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("The letter's language"), choices=Letter.Language.choices, initial=Letter.Language.RU
    )
    body = forms.CharField(
        label=_("Your letter"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "true", "autocomplete": "off"}),
    )
    phrases = forms.MultipleChoiceField(required=False, choices=())
    accept_risk = forms.BooleanField(label=ACCEPT_RISK, required=False)

    def __init__(self, *args, phrase_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phrases"].choices = phrase_choices

    def clean(self):
        data = super().clean()
        if data.get("kind") != Letter.Kind.POSTCARD:
            data["design"] = ""
        elif not data.get("design"):
            data["design"] = DESIGNS[0].slug
        return data


class HandOverForm(CodenameChoiceForm, GuardForm):
    """The second step of handing a letter to volunteers: the text travels in the form, checked
    again when it is handed over, and the guard's proof that a person sends it. A browser signed in
    as a friend says whether that codename or a new one follows the letter."""

    kind = forms.ChoiceField(choices=Letter.Kind.choices, widget=forms.HiddenInput)
    design = forms.CharField(required=False, widget=forms.HiddenInput)
    language = forms.ChoiceField(choices=Letter.Language.choices, widget=forms.HiddenInput)
    body = forms.CharField(max_length=MAX_TEXT, widget=forms.HiddenInput)
    accept_risk = forms.BooleanField(required=False, widget=forms.HiddenInput)
    sealed = forms.BooleanField(
        label=_("Keep it sealed and hand it over on release, instead of mailing it now."), required=False
    )


class CodenameForm(forms.Form):
    codename = forms.CharField(
        label=_("Codename"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class EveningForm(forms.Form):
    class Choice:
        BIRTHDAYS = "birthdays"
        FEWEST = "fewest"
        CHOSEN = "chosen"

    who = forms.ChoiceField(
        label=_("Whom to write to"),
        choices=[
            (Choice.BIRTHDAYS, _("people whose birthday is in the next weeks")),
            (Choice.FEWEST, _("people who have had the fewest letters from us")),
            (Choice.CHOSEN, _("the people I chose")),
        ],
        initial=Choice.BIRTHDAYS,
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(label=_("How many people"), min_value=1, max_value=60, initial=12)
    people = forms.CharField(
        label=_("Profile numbers, for the people I chose"),
        required=False,
        help_text=_("The number at the end of a profile's address, separated by commas."),
    )

    def chosen_ids(self) -> list[int]:
        raw = self.cleaned_data.get("people") or ""
        return [int(number) for number in re.findall(r"(?<![0-9])[0-9]{1,9}(?![0-9])", raw)][:60]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the letter is returned (the writer reads this)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MailedForm(forms.Form):
    # A date input takes the ISO form whatever the language's own format ("10.03.2024" it shows empty).
    day = forms.DateField(
        label=_("Mailed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ReplyForm(forms.ModelForm):
    """A reply's scan in the letter's page: refused here, with the reason, if it is not a scan."""

    class Meta:
        model = Reply
        fields = ["scan"]

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan and not self.instance.pk:
            try:
                services.check_scan(scan)
            except services.LetterError as refusal:
                raise forms.ValidationError(str(refusal)) from refusal
        return scan
