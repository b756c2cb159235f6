import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarity.core.guard import GuardForm

from . import addresses, countries
from .services import Criteria


class SignForm(GuardForm):
    country = forms.ChoiceField(
        label=_("Country where you live"), choices=countries.with_none, widget=countries.CountrySelect
    )
    show_name = forms.TypedChoiceField(
        label=_("Your name"),
        choices=[
            ("", _("Count me, but do not show my name")),
            ("yes", _("Show my name with the petition")),
        ],
        coerce=bool,
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )
    name = forms.CharField(
        label=_("Name and surname"),
        max_length=200,
        required=False,
        help_text=_("Only if your name is shown: otherwise we do not keep it."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("To confirm that you signed, once. We send one mail and keep no address."),
    )
    accept_danger = forms.BooleanField(
        label=_("I understand the danger and still want my name shown"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.danger_country = settings.COUNTRY.upper()

    def clean_email(self):
        address = self.cleaned_data["email"]
        if not addresses.plain(address):
            raise forms.ValidationError(
                _("Write the address as you would give it to someone: name@example.org.")
            )
        return address

    def clean(self):
        """The signer's choices first; the guard last (`GuardForm.clean`), only when they hold."""
        data = self.cleaned_data
        if data.get("show_name") and not data.get("name", "").strip():
            self.add_error("name", _("Write the name to be shown, or choose to be counted without it."))
        elif (
            data.get("show_name")
            and data.get("country") == self.danger_country
            and not data.get("accept_danger")
        ):
            self.needs_danger_consent = True
            self.add_error(
                "show_name",
                _(
                    "Signing a petition under your own name is dangerous for someone who lives in "
                    "%(country)s: people have been prosecuted for it. Choose to be counted without "
                    "your name, or confirm that you understand the danger."
                )
                % {"country": countries.name(self.danger_country)},
            )
        return super().clean()


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Your receipt"), max_length=40)


class InvalidationForm(forms.Form):
    domain = forms.CharField(label=_("E-mail domain"), max_length=255, required=False)
    hour_from = forms.DateTimeField(label=_("Signed from (hour)"), required=False)
    hour_to = forms.DateTimeField(label=_("Signed before (hour)"), required=False)
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=countries.with_none, widget=countries.CountrySelect
    )
    pending_only = forms.BooleanField(label=_("Only signatures not confirmed yet"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        for name in ("hour_from", "hour_to"):
            if data.get(name) and not 2000 <= data[name].year <= 2100:
                self.add_error(name, _("A time between 2000 and 2100."))
                data[name] = None
        start, end = data.get("hour_from"), data.get("hour_to")
        if start and end and end <= start:
            self.add_error("hour_to", _("The end must come after the start."))
        return data

    def criteria(self) -> Criteria:
        data = self.cleaned_data

        def hour(value: datetime.datetime | None):
            if value is None:
                return None
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            return value.replace(minute=0, second=0, microsecond=0)

        return Criteria(
            domain=data.get("domain", "").strip().lower(),
            hour_from=hour(data.get("hour_from")),
            hour_to=hour(data.get("hour_to")),
            country=data.get("country", ""),
            pending_only=bool(data.get("pending_only")),
        )
