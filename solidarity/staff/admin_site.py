from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from .forms import StaffLoginForm


class StaffAdminSite(OTPAdminSite):
    """The back office. A session counts only once its user has passed a one-time code:
    a password alone opens no page (OTPAdminSite checks `user.is_verified()`)."""

    login_form = StaffLoginForm
    login_template = "staff/login.html"
    site_header = _("Back office")
    site_title = _("Back office")
    index_title = _("The registry and its tools")
