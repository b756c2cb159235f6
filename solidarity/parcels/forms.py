import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarity.core.guard import GuardForm

from .models import ParcelRule


class PlanForm(forms.Form):
    """What the planner needs to know, kept nowhere: the answer is computed and shown."""

    relative = forms.ChoiceField(
        label=_("Are you a relative?"),
        choices=[("yes", _("Yes, a relative")), ("no", _("No, a friend or a stranger"))],
        widget=forms.RadioSelect,
        initial="yes",
    )
    conditions = forms.ChoiceField(
        label=_("Their conditions, if you know them"),
        choices=[(c.value, c.label) for c in ParcelRule.Conditions if c.value],
        initial=ParcelRule.Conditions.ORDINARY,
        required=False,
    )
    parcels = forms.IntegerField(
        label=_("Parcels (posted or handed in) they got this calendar year"),
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
    )
    packets = forms.IntegerField(
        label=_("Small packets they got this calendar year"),
        min_value=0,
        max_value=100,
        initial=0,
        required=False,
    )
    last = forms.DateField(
        label=_("When the last one went (if this year)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kg = forms.DecimalField(
        label=_("Kilograms handed in this month"),
        min_value=0,
        max_value=1000,
        max_digits=6,
        decimal_places=1,
        initial=0,
        required=False,
    )

    def is_relative(self) -> bool:
        return self.cleaned_data.get("relative") != "no"


class ItemForm(forms.Form):
    name = forms.CharField(
        label=_("Item"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"list": "parcel-items"}),
    )
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=100, initial=1, required=False)
    kg = forms.DecimalField(
        label=_("Weight, kg"), min_value=0, max_value=100, max_digits=6, decimal_places=3, required=False
    )
    eur = forms.DecimalField(
        label=_("Value, EUR"), min_value=0, max_value=100000, max_digits=9, decimal_places=2, required=False
    )

    def clean_name(self):
        name = self.cleaned_data["name"]
        from solidarity.letters.pdf import unprintable  # the fonts' map loads with the first check

        missing = sorted({name[start:end] for start, end in unprintable(name)})
        if missing:
            raise forms.ValidationError(
                _("These signs cannot be printed on the forms: %(signs)s") % {"signs": " ".join(missing)}
            )
        return name


ItemFormSet = forms.formset_factory(ItemForm, extra=8, max_num=30, absolute_max=30, validate_max=True)


class ParcelForm(forms.Form):
    abroad = forms.BooleanField(label=_("I send it from abroad"), required=False)


class DeviationForm(GuardForm):
    rule = forms.ModelChoiceField(
        label=_("Which rule"),
        queryset=ParcelRule.objects.none(),
        required=False,
        empty_label=_("another one, or I don't know"),
    )
    happened_on = forms.DateField(label=_("When it happened"), widget=forms.DateInput(attrs={"type": "date"}))
    what = forms.CharField(
        label=_("What happened"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the facility did, not who you are: no names, please."),
    )

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = rules

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate() or day < timezone.localdate() - datetime.timedelta(days=5 * 366):
            raise forms.ValidationError(_("Give a day within the last five years."))
        return day
