from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportBatch, ImportRow
from .readers import MAX_BYTES
from .services import DECIDED_KINDS, GROUP_ORDER

# Rows on one page of the review: three fields each, well under Django's limit of 1,000 fields
# in one post (DATA_UPLOAD_MAX_NUMBER_FIELDS).
ROWS_PER_PAGE = 200


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


class ReviewPage(forms.Form):
    """Which page of a batch's review, and of which group: read from the address, where anything
    that is not a page or a group means the first page of every group."""

    page = forms.IntegerField(min_value=1, max_value=10**6, required=False)
    group = forms.ChoiceField(choices=[(key, key) for key in GROUP_ORDER], required=False)

    @property
    def page_number(self) -> int:
        self.is_valid()  # a field that is not valid is left out of cleaned_data
        return self.cleaned_data.get("page") or 1

    @property
    def group_key(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("group") or ""
