"""Print-ready PDFs: a letter (A4) or a postcard (A6, front and back), each followed by an envelope
page with the facility's address as the post wants it and room for the sender.

fpdf2 writes the PDF in pure Python (no system libraries to install); the DejaVu fonts shipped in
`data/fonts/` (a free licence, subset to Latin and Cyrillic) are embedded, with a Unicode map, so
the text can be selected, searched and extracted. Nothing on the paper names this site or any
address of ours: a censor would throw the letter away.
"""

import datetime
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from django.contrib.staticfiles import finders
from django.utils import translation
from django.utils.formats import date_format
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from solidarity.registry.models import Facility, Person

FONTS = resources.files("solidarity.letters").joinpath("data/fonts")
# Envelope words are the post's, in Russian whatever the interface language.
FROM_LABEL, FROM_WHERE_LABEL, TO_LABEL, TO_WHERE_LABEL, POSTCODE_LABEL = (
    "От кого",
    "Откуда",
    "Кому",
    "Куда",
    "Индекс",
)
STAMP_LABEL = "Место для марки"

LETTER_SIZE = "A4"
POSTCARD_SIZE = (105, 148)  # A6, laid landscape
ENVELOPE_SIZES = {"letter": (110, 220), "postcard": (114, 162)}  # DL for A4 folded in three, C6 for A6
# The postcard's back: the text column left of the dividing line, from below the date to the foot.
POSTCARD_TEXT_WIDTH, POSTCARD_LINE_HEIGHT, POSTCARD_FONT_SIZE = 66, 4.6, 9.5
POSTCARD_TEXT_TOP, POSTCARD_TEXT_BOTTOM = 14, 95
POSTCARD_LINES = int((POSTCARD_TEXT_BOTTOM - POSTCARD_TEXT_TOP) / POSTCARD_LINE_HEIGHT)
# Characters the fonts lack that have a plain equivalent, and invisible ones that print as nothing;
# any other character the fonts lack is the checker's to flag (`unprintable`).
PLAIN = {
    "\u2212": "-",  # minus sign
    "\u02bc": "\u2019",  # the Belarusian apostrophe, as the typographic one
    "\u2009": " ",  # thin space
    "\u202f": "\u00a0",  # narrow no-break space
    "\u00ad": "",  # soft hyphen: fpdf2 would print it as a hyphen at a break
    "\u200b": "",
    "\u2060": "",
    "\ufeff": "",
    "\r": "",
    "\t": "    ",  # fpdf2 would drop a tab
}


@dataclass(frozen=True)
class Sheet:
    """Everything printed for one letter."""

    person: Person
    facility: Facility | None
    kind: str
    language: str
    body: str
    day: datetime.date
    design: str = ""

    @property
    def recipient(self) -> str:
        """Last name, first name, patronymic in Russian, and the year of birth, as prisons ask."""
        parts = [self.person.last_name_ru, self.person.first_name_ru, self.person.patronymic_ru]
        name = " ".join(part for part in parts if part) or self.person.formal_name
        if self.person.birth_date:
            name += f", {self.person.birth_date:%Y} г. р."
        return name

    @property
    def text(self) -> str:
        """The body as the fonts can set it (see `PLAIN`)."""
        return printed(self.body.strip())[0]

    @property
    def address_lines(self) -> list[str]:
        return self.facility.envelope_lines if self.facility else []


def printed(text: str) -> tuple[str, list[int]]:
    """`text` as it is printed (`PLAIN`), and for each printed character the offset in `text` of
    the character it stands for."""
    characters, origins = [], []
    for offset, character in enumerate(text):
        for piece in PLAIN.get(character, character):
            characters.append(piece)
            origins.append(offset)
    return "".join(characters), origins


@cache
def _font_characters() -> frozenset[int]:
    """The code points the letter's font (DejaVu Serif, as subset in `data/fonts/`) can show."""
    with resources.as_file(FONTS.joinpath("DejaVuSerif.ttf")) as path:
        return frozenset(TTFont(path).getBestCmap())


def unprintable(text: str) -> list[tuple[int, int]]:
    """Where `text` has characters that the fonts lack and no plain equivalent stands for: runs
    of them, as (start, end) offsets."""
    known, runs = _font_characters(), []
    for offset, character in enumerate(text):
        if ord(character) in known or character in PLAIN or character == "\n":
            continue
        if runs and runs[-1][1] == offset:
            runs[-1] = (runs[-1][0], offset + 1)
        else:
            runs.append((offset, offset + 1))
    return runs


_measuring = threading.local()  # an FPDF document is not for two threads at once


def postcard_overflow(text: str) -> int | None:
    """Where in `text` the back of a postcard runs out: the offset of the first character that
    would not be printed, or None when it all fits."""
    leading = len(text) - len(text.lstrip())
    # No line holds a hundred characters: what is past as many as the card has lines never fits.
    body, origins = printed(text.strip()[: POSTCARD_LINES * 100])
    if not hasattr(_measuring, "pdf"):
        _measuring.pdf = _Document(datetime.date.today())
        _measuring.pdf.add_page(format=POSTCARD_SIZE, orientation="L")
        _measuring.pdf.set_font("Serif", size=POSTCARD_FONT_SIZE)
    lines = _measuring.pdf.multi_cell(
        POSTCARD_TEXT_WIDTH, POSTCARD_LINE_HEIGHT, body, dry_run=True, output=MethodReturnValue.LINES
    )
    if len(lines) <= POSTCARD_LINES:
        return None
    position = 0
    for line in lines[:POSTCARD_LINES]:
        found = body.find(line, position)
        if found < 0:  # a line fpdf2 changed (it never should): count what was matched so far
            break
        position = found + len(line)
    while position < len(body) and body[position].isspace():
        position += 1
    return leading + origins[position] if position < len(body) else None


class _Document(FPDF):
    def __init__(self, day: datetime.date):
        super().__init__(unit="mm", format=LETTER_SIZE)
        self.set_auto_page_break(True, margin=18)
        self.set_creator("")
        # The day only: a time of day in the file would say when its writer was at the computer.
        self.set_creation_date(datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC))
        for family, style, file in (
            ("Serif", "", "DejaVuSerif.ttf"),
            ("Sans", "", "DejaVuSans.ttf"),
            ("Sans", "B", "DejaVuSans-Bold.ttf"),
        ):
            with resources.as_file(FONTS.joinpath(file)) as path:
                self.add_font(family, style, str(path))


def blank_document(day: datetime.date) -> FPDF:
    """An A4 document with our fonts (Serif, Sans, Sans bold) and no time of day in it, for other
    apps' printed forms (a parcel's application, a customs declaration, a receipt)."""
    return _Document(day)


def document_for(sheets: list[Sheet]) -> bytes:
    """One PDF with every sheet and its envelope, in order (a volunteer's batch, or one writer's letter)."""
    pdf = _Document(sheets[0].day if sheets else datetime.date.today())
    for sheet in sheets:
        if sheet.kind == "postcard":
            _postcard(pdf, sheet)
        else:
            _letter(pdf, sheet)
        _envelope(pdf, sheet)
    return bytes(pdf.output())


def _dated(sheet: Sheet) -> str:
    with translation.override(sheet.language):
        return date_format(sheet.day, "j E Y")


def _letter(pdf: _Document, sheet: Sheet) -> None:
    pdf.add_page(format=LETTER_SIZE, orientation="P")
    pdf.set_margins(22, 20, 22)
    pdf.set_font("Serif", size=10)
    pdf.set_xy(22, 18)
    pdf.cell(0, 6, _dated(sheet), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Serif", size=12)
    pdf.multi_cell(0, 6.6, sheet.text, align="L", new_x="LMARGIN", new_y="NEXT")


def design_path(slug: str) -> Path | None:
    found = finders.find(f"letters/postcards/{slug}.svg") if slug else None
    return Path(found) if found else None


def _postcard(pdf: _Document, sheet: Sheet) -> None:
    pdf.add_page(format=POSTCARD_SIZE, orientation="L")
    pdf.set_auto_page_break(False)
    picture = design_path(sheet.design)
    if picture:
        pdf.image(str(picture), x=0, y=0, w=148, h=105)
    # The back: the text on the left, the address on the right, as on any postcard.
    pdf.add_page(format=POSTCARD_SIZE, orientation="L")
    pdf.set_draw_color(120, 120, 120)
    pdf.line(78, 10, 78, POSTCARD_TEXT_BOTTOM)
    pdf.set_font("Serif", size=8)
    pdf.set_xy(8, 8)
    pdf.cell(66, 4, _dated(sheet), align="R")
    pdf.set_font("Serif", size=POSTCARD_FONT_SIZE)
    pdf.set_xy(8, POSTCARD_TEXT_TOP)
    pdf.set_left_margin(8)
    pdf.set_right_margin(148 - 8 - POSTCARD_TEXT_WIDTH)
    pdf.multi_cell(POSTCARD_TEXT_WIDTH, POSTCARD_LINE_HEIGHT, sheet.text, align="L")
    pdf.set_left_margin(84)
    pdf.set_right_margin(8)
    _stamp_box(pdf, x=120, y=8, w=20, h=24)
    _address_block(pdf, sheet, x=84, y=44, width=56, size=8.5)
    pdf.set_auto_page_break(True, margin=18)


def _envelope(pdf: _Document, sheet: Sheet) -> None:
    height, width = ENVELOPE_SIZES.get(sheet.kind, ENVELOPE_SIZES["letter"])
    pdf.add_page(format=(height, width), orientation="L")
    pdf.set_auto_page_break(False)
    pdf.set_draw_color(120, 120, 120)
    # The sender's corner, left empty to be written by hand.
    pdf.set_font("Sans", size=7)
    for row, label in enumerate((FROM_LABEL, FROM_WHERE_LABEL, "", POSTCODE_LABEL)):
        y = 12 + row * 7
        pdf.set_xy(8, y - 3.5)
        pdf.cell(16, 4, label)
        pdf.line(8 + (16 if label else 0), y + 0.5, 8 + width * 0.42, y + 0.5)
    _stamp_box(pdf, x=width - 30, y=8, w=22, h=26)
    _address_block(pdf, sheet, x=width * 0.45, y=height * 0.48, width=width * 0.5, size=10)
    pdf.set_auto_page_break(True, margin=18)


def _stamp_box(pdf: _Document, *, x: float, y: float, w: float, h: float) -> None:
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.rect(x, y, w, h)
    pdf.set_dash_pattern()
    pdf.set_font("Sans", size=5)
    pdf.set_xy(x, y + h / 2 - 2)
    pdf.multi_cell(w, 2.5, STAMP_LABEL, align="C")


def _address_block(pdf: _Document, sheet: Sheet, *, x: float, y: float, width: float, size: float) -> None:
    line_height = size * 0.5
    pdf.set_xy(x, y)
    pdf.set_font("Sans", size=size * 0.7)
    pdf.cell(width, line_height, TO_LABEL, new_x="LEFT", new_y="NEXT")
    pdf.set_font("Sans", "B", size=size)
    pdf.multi_cell(width, line_height, sheet.recipient, align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Sans", size=size * 0.7)
    pdf.cell(width, line_height, TO_WHERE_LABEL, new_x="LEFT", new_y="NEXT")
    pdf.set_font("Sans", size=size)
    for line in sheet.address_lines:  # the last line starts with the postal code
        pdf.multi_cell(width, line_height, line, align="L", new_x="LEFT", new_y="NEXT")
