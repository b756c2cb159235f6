"""What goes to the addressees: the petition's text, its count (exact, by country, the smallest
countries together) and the names of those who chose to have them shown. Never an e-mail
address: none is kept."""

import csv
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import countries, services
from .models import Petition


def _figures(petition: Petition, language: str):
    shown, others = services.by_country(services.exact_by_country(petition))
    rows = [(countries.name(code, language), n) for code, n in shown]
    if others:
        rows.append(
            (_("Other countries (fewer than %(n)s signers each)") % {"n": services.FEWEST_SHOWN}, others)
        )
    return rows


def _cell(value) -> str:
    """A cell a spreadsheet shows as text: what a signer typed never runs as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(petition: Petition, language: str) -> bytes:
    with translation.override(language):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([_("section"), _("country"), _("value")])
        writer.writerow([_("petition"), "", _cell(petition.title)])
        writer.writerow([_("addressed to"), "", _cell(petition.addressees)])
        writer.writerow([_("text"), "", _cell(petition.text)])
        writer.writerow([_("confirmed signatures"), "", petition.signature_count])
        for country, n in _figures(petition, language):
            writer.writerow([_("signatures by country"), country, n])
        for name, code in services.shown_names(petition):
            writer.writerow([_("name shown"), countries.name(code, language), _cell(name)])
        return ("\ufeff" + out.getvalue()).encode()  # the mark tells spreadsheets it is UTF-8


def as_pdf(petition: Petition, language: str) -> bytes:
    from solidarity.letters.pdf import blank_document  # fpdf2 and its fonts load with the first export

    with translation.override(language):
        pdf = blank_document(timezone.localdate())
        pdf.add_page()
        pdf.set_font("Sans", "B", 16)
        pdf.multi_cell(0, 8, petition.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "", 10)
        pdf.multi_cell(
            0, 6, _("To: %(addressees)s") % {"addressees": petition.addressees}, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(3)
        pdf.set_font("Serif", "", 11)
        pdf.multi_cell(0, 5.5, petition.text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("Sans", "B", 12)
        count = _("%(count)s confirmed signatures, as of %(day)s") % {
            "count": f"{petition.signature_count:,}".replace(",", "\u00a0"),
            "day": timezone.localdate().isoformat(),
        }
        pdf.multi_cell(0, 7, count, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sans", "", 10)
        for country, n in _figures(petition, language):
            pdf.cell(120, 6, country)
            pdf.cell(0, 6, str(n), align="R", new_x="LMARGIN", new_y="NEXT")
        names = services.shown_names(petition)
        if names:
            pdf.ln(4)
            pdf.set_font("Sans", "B", 12)
            pdf.multi_cell(0, 7, _("Signers who chose to be named"), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Sans", "", 9)
            for name, code in names:
                pdf.multi_cell(
                    0, 5, f"{name} · {countries.name(code, language)}", new_x="LMARGIN", new_y="NEXT"
                )
        pdf.ln(4)
        pdf.set_font("Sans", "", 8)
        pdf.multi_cell(
            0,
            4,
            _(
                "Each signature was confirmed from its e-mail address, once per person; the count "
                "can be checked against the petition's public ledger."
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return bytes(pdf.output())
