from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from solidarity.core import ratelimit

from . import throttle


class StaffLoginForm(AdminAuthenticationForm):
    """Username, password and a one-time code, all three required, with attempts limited
    (`throttle`).

    The code is checked against every confirmed device of the user: the authenticator app's
    TOTP, or one of the printed recovery codes. django-otp then marks the session as verified.
    """

    otp_token = forms.CharField(
        label=_("One-time code"),
        help_text=_("Six digits from your authenticator app, or one of your recovery codes."),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_token": _(
            "The one-time code is wrong or has expired. Check your authenticator app's clock."
        ),
        "account_waits": _(
            "Too many failed attempts on this account. Wait a little and try again: the wait doubles "
            "with each failure, up to a quarter of an hour."
        ),
        "client_locked": _("Too many attempts from here. Wait a quarter of an hour and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        try:
            refused = throttle.admit(self.request, username)
        except ratelimit.Unavailable as outage:
            raise forms.ValidationError(str(outage), code="unavailable") from outage
        if refused is throttle.Refused.ACCOUNT:
            raise forms.ValidationError(self.error_messages["account_waits"], code="account_waits")
        if refused is throttle.Refused.CLIENT:
            raise forms.ValidationError(self.error_messages["client_locked"], code="client_locked")
        cleaned = super().clean()
        if self.user_cache is None:  # a field left empty: Django's form checks nothing then
            raise self.get_invalid_login_error()
        device = match_token(self.user_cache, self.cleaned_data.get("otp_token") or "")
        if device is None:
            raise forms.ValidationError(self.error_messages["invalid_token"], code="invalid_token")
        throttle.succeeded(username)
        # django-otp's login signal handler stores this device in the session: it is now verified.
        self.user_cache.otp_device = device
        return cleaned
