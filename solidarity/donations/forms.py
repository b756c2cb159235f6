from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from . import money

PRESETS = ("10", "25", "50", "100")
LARGEST = Decimal("100000")  # in major units, for one gift online (the smallest: `money.smallest_gift`)
CARD, CRYPTO = "card", "crypto"


class SafetyForm(forms.Form):
    """Asked before any way to pay is shown; the answer only chooses what the next page shows."""

    inside = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])

    def is_inside(self) -> bool:
        return self.cleaned_data["inside"] == "yes"


class GiftForm(forms.Form):
    inside = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")], widget=forms.HiddenInput)
    preset = forms.ChoiceField(label=_("Amount"), widget=forms.RadioSelect, required=False)
    other = forms.DecimalField(
        label=_("Another amount"),
        required=False,
        min_value=0,
        max_value=LARGEST,
        max_digits=12,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    method = forms.ChoiceField(label=_("How"), widget=forms.RadioSelect)
    monthly = forms.BooleanField(
        label=_("Give this every month (card only; stop it any time)"), required=False
    )

    def __init__(self, *args, campaign, methods: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["preset"].choices = [
            *(
                (value, money.shown(money.to_minor(value, campaign.currency), campaign.currency))
                for value in PRESETS
            ),
            ("other", _("another amount")),
        ]
        self.fields["method"].choices = methods
        if len(methods) == 1:
            self.fields["method"].initial = methods[0][0]
        if CARD not in dict(methods):
            del self.fields["monthly"]

    def clean(self):
        data = super().clean()
        preset, other = data.get("preset"), data.get("other")
        if other is not None:  # a typed amount wins over a chosen one (the form starts with one chosen)
            amount = other
        elif preset and preset != "other":
            amount = Decimal(preset)
        else:
            if "other" not in self.errors:
                self.add_error("other", _("Choose an amount, or type another."))
            return data
        smallest = money.smallest_gift(self.campaign.currency)
        if amount < smallest:
            self.add_error(
                "other",
                _("The smallest gift is %(amount)s.")
                % {
                    "amount": money.shown(
                        money.to_minor(smallest, self.campaign.currency), self.campaign.currency
                    )
                },
            )
            return data
        try:
            data["amount"] = money.to_minor(amount, self.campaign.currency)
        except ValueError:
            self.add_error("other", _("This currency has no units that small."))
        if data.get("monthly") and data.get("method") != CARD:
            self.add_error("monthly", _("Only a card gift can repeat every month."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ReceiptForm(CodeForm):
    name = forms.CharField(
        label=_("Name to print on the receipt (optional; it is not stored)"), max_length=120, required=False
    )
