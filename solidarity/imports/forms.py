from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportBatch, ImportRow
from .readers import MAX_BYTES
from .services import DECIDED_KINDS


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Snapshot file"))
    format = forms.ChoiceField(label=_("Format"), choices=ImportBatch.FORMAT_CHOICES, initial="auto")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class RowDecisionForm(forms.ModelForm):
    """An editor's decision and note on one row; only new, changed and missing people are decided on."""

    class Meta:
        model = ImportRow
        fields = ["decision", "note"]
        widgets = {"decision": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["aria-label"] = _("note")
        if self.instance.kind not in DECIDED_KINDS:
            self.fields["decision"].disabled = True


RowDecisions = forms.modelformset_factory(ImportRow, form=RowDecisionForm, extra=0, edit_only=True)
