"""A donation receipt as a PDF, made when the donor asks and kept nowhere: the campaign, the
amount, the date and a receipt number (from the gift's keyed hash); a name only if the donor types
one for this receipt."""

import datetime
from importlib import resources

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from solidarity.letters.pdf import FONTS

from . import money, services
from .models import Gift


def receipt_pdf(*, gift: Gift, name: str, today: datetime.date) -> bytes:
    pdf = FPDF(unit="mm", format=(148, 210))  # A5
    pdf.set_creator("")
    # The day only: a time of day in the file would say when its holder asked for it.
    pdf.set_creation_date(datetime.datetime.combine(today, datetime.time(), tzinfo=datetime.UTC))
    for style, file in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
        with resources.as_file(FONTS.joinpath(file)) as path:
            pdf.add_font("Sans", style, str(path))
    pdf.add_page()
    pdf.set_font("Sans", "B", 15)
    pdf.multi_cell(0, 8, _("Receipt for a donation"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    currency = gift.campaign.currency
    lines = [
        (_("Received by"), str(settings.DONATION_RECEIPT_ISSUER or settings.SITE_NAME)),
        (_("For"), gift.campaign.title),
        (_("Amount"), money.shown(gift.amount, currency)),
    ]
    if gift.refunded or gift.disputed:
        lines.append((_("Refunded"), money.shown(gift.refunded + gift.disputed, currency)))
    lines += [
        (_("Received on"), date_format(gift.received_on, "DATE_FORMAT")),
        (_("Paid by"), str(gift.get_provider_display())),
        (_("Receipt number"), services.receipt_number(gift)),
    ]
    if name.strip():
        lines.append((_("Donor"), name.strip()))
    for label, value in lines:
        pdf.set_font("Sans", "B", 10)
        pdf.cell(38, 7, label)
        pdf.set_font("Sans", "", 10)
        pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Sans", "", 8)
    pdf.multi_cell(
        0,
        4.5,
        _(
            "We keep no record of who gave: this receipt was made when you asked for it, "
            "and only you hold it."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
