from django import forms
from django.utils.translation import gettext_lazy as _

from solidarity.core.guard import GuardForm
from solidarity.registry.models import Facility

from .uploads import SealedUpload

LONG = 20_000


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class SealedFilesField(forms.Field):
    """Attachments as the upload handler sealed them (`uploads.SealedUpload`): never their bytes."""

    widget = MultipleFiles

    def to_python(self, data):
        found = data if isinstance(data, list) else [data] if data else []
        return [upload for upload in found if isinstance(upload, SealedUpload)]


def _text(label, help_text="", required=False, rows=4):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class TestimonyForm(GuardForm):
    what_happened = _text(
        _("What happened?"), _("In your own words, as much or as little as you want to tell."), True, 8
    )
    when = forms.CharField(
        label=_("When?"), required=False, max_length=200, help_text=_("A date, or roughly: “spring 2021”.")
    )
    facility = forms.ModelChoiceField(
        label=_("Where: a place of detention"),
        queryset=Facility.objects.order_by("name"),
        required=False,
        empty_label=_("— not one of these, or not in detention —"),
    )
    place = forms.CharField(label=_("Where, in your words"), required=False, max_length=500)
    who_acted = _text(_("Who did it?"), _("Names, ranks, units, descriptions: whatever you know."))
    witnesses = _text(_("Who saw it?"), _("Only if they agree to be named."))
    injuries = _text(_("Injuries and harm"), _("What it did to you: body, health, work, family."))
    wishes = _text(_("What do you want done with it?"))
    consent_legal_team = forms.BooleanField(label=_("The legal team may use my testimony"), required=False)
    consent_court = forms.BooleanField(label=_("It may be submitted to a court"), required=False)
    consent_publication = forms.BooleanField(label=_("It may be published without my name"), required=False)
    attachments = SealedFilesField(
        label=_("Photos, documents, audio or video"),
        required=False,
        help_text=_("Each file is sealed as it arrives; nobody here can open it."),
    )

    ANSWERS = ("what_happened", "when", "place", "who_acted", "witnesses", "injuries", "wishes")

    def answers(self) -> dict:
        data = self.cleaned_data
        answers = {name: data[name] for name in self.ANSWERS if data.get(name)}
        if data.get("facility"):
            answers["facility"] = f"{data['facility'].name} ({data['facility'].slug})"
        return answers

    def consent(self) -> dict:
        return {
            "legal_team": self.cleaned_data["consent_legal_team"],
            "court": self.cleaned_data["consent_court"],
            "publication": self.cleaned_data["consent_publication"],
        }


class CodenameForm(forms.Form):
    codename = forms.CharField(
        label=_("Your codename"), max_length=300, widget=forms.PasswordInput(render_value=True)
    )


class AdditionForm(CodenameForm):
    text = _text(_("What you want to add, or your answer to a question"), rows=6)
    attachments = SealedFilesField(label=_("More files"), required=False)


class WithdrawForm(CodenameForm):
    sure = forms.BooleanField(label=_("Yes, withdraw every consent I gave"))


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question to the witness"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Sealed at once to the witness's key: after sending, nobody here can read it, you neither."
        ),
    )
