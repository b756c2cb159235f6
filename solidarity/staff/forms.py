from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm

from . import throttle


class StaffLoginForm(OTPAdminAuthenticationForm):
    """Username, password and a one-time code, all three required, with failures limited."""

    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        "locked": _("Too many failed attempts. Wait a quarter of an hour and try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].required = True
        self.fields["otp_token"].label = _("One-time code from your authenticator app")

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if throttle.login_locked(self.request, username):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            throttle.record_login_failure(self.request, username)
            raise
