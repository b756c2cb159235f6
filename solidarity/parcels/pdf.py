"""A parcel's forms, print-ready, through the letters' PDF module (its fonts are embedded with a
Unicode map, so the text can be read back): the application to hand over or post a parcel with
its inventory, in Russian as the facilities require; and for a parcel from abroad the customs
declaration (CN22 for a small value, CN23 above it) with every item in English and Russian."""

import datetime
from decimal import Decimal

from django.utils import translation

from solidarity.letters.pdf import blank_document
from solidarity.registry.models import Facility, Person

from . import checker
from .checker import Line


def _formal_ru(person: Person) -> str:
    with translation.override("ru"):
        return person.formal_name


def _names(line: Line) -> tuple[str, str]:
    """An item's name in English and Russian: the catalogue's, or as typed in both columns."""
    typed = line.name.strip()
    for item in checker.country_data_items():
        if typed in item["name"].values():
            return item["name"]["en"], item["name"]["ru"]
    return typed, typed


def _kg(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def forms(
    *, person: Person, facility: Facility, lines: list[Line], from_abroad: bool, today: datetime.date
) -> bytes:
    pdf = blank_document(today)
    pdf.set_auto_page_break(True, margin=15)
    _application(pdf, person, facility, lines, today)
    if from_abroad:
        _declaration(pdf, person, facility, lines, checker.declaration_form(lines))
    return bytes(pdf.output())


def _application(pdf, person: Person, facility: Facility, lines: list[Line], today: datetime.date) -> None:
    pdf.add_page()
    pdf.set_font("Sans", "", 11)
    pdf.set_x(110)
    pdf.multi_cell(
        0, 6, f"Начальнику учреждения\n{facility.name_ru or facility.name}", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_x(110)
    pdf.multi_cell(
        0,
        6,
        "от ________________________________\n(фамилия, имя, отчество)\n"
        "проживающего(ей) по адресу:\n________________________________\n"
        "паспорт: _________________________",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    pdf.set_font("Sans", "B", 14)
    pdf.cell(0, 8, "ЗАЯВЛЕНИЕ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 11)
    born = f", {person.birth_date.year} г. р." if person.birth_date else ""
    formal = _formal_ru(person)  # surname first, as on an envelope
    pdf.multi_cell(
        0,
        6,
        f"Прошу принять передачу (посылку) для {formal}{born}\nОпись вложения:",
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
    )
    pdf.ln(2)
    _table(
        pdf,
        (10, 120, 25, 25),
        ("№", "Наименование", "Кол-во", "Вес, кг"),
        [(str(n), _names(line)[1], str(line.count), _kg(line.kg)) for n, line in enumerate(lines, start=1)],
        ("", "Итого", str(sum(line.count for line in lines)), _kg(checker.total_kg(lines))),
    )
    pdf.ln(10)
    pdf.cell(
        0,
        6,
        f"Дата: {today.strftime('%d.%m.%Y')}        Подпись: ____________________",
        new_x="LMARGIN",
        new_y="NEXT",
    )


def _declaration(pdf, person: Person, facility: Facility, lines: list[Line], form: str) -> None:
    pdf.add_page()
    pdf.set_font("Sans", "B", 13)
    pdf.cell(0, 8, f"{form} — CUSTOMS DECLARATION / DÉCLARATION EN DOUANE", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 10)
    pdf.multi_cell(
        0,
        5,
        "To / Кому:\n"
        + person.name_in("en")
        + " ("
        + _formal_ru(person)
        + ")\n"
        + (facility.postal_address_latin or "\n".join(facility.envelope_lines)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.multi_cell(
        0, 5, "From / От кого: ______________________________________________", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.cell(
        0,
        6,
        "[X] Gift / Подарок    [ ] Documents    [ ] Commercial sample    [ ] Other",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    _table(
        pdf,
        (70, 60, 15, 20, 20),
        ("Description", "Описание", "Qty", "Net kg", "EUR"),
        [(*_names(line), str(line.count), _kg(line.kg), _kg(line.eur)) for line in lines],
        (
            "Total / Итого",
            "",
            str(sum(line.count for line in lines)),
            _kg(checker.total_kg(lines)),
            _kg(checker.total_eur(lines)),
        ),
    )
    pdf.ln(8)
    pdf.multi_cell(
        0,
        5,
        "I certify that the particulars given in this declaration are correct and that this item "
        "does not contain any dangerous article prohibited by postal or customs regulations.\n"
        "Date and sender's signature: ____________________",
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
    )


def _table(pdf, widths, heading, rows, total) -> None:
    pdf.set_font("Sans", "", 9.5)
    with pdf.table(col_widths=widths, line_height=5.5, text_align="LEFT") as table:
        for cells in (heading, *rows, total):
            row = table.row()
            for cell in cells:
                row.cell(cell)
