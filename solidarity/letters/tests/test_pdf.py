"""The print-ready PDFs, read back as text: the letter, the postcard and the envelopes."""

import datetime
import re

import pytest

from solidarity.letters import pdf
from solidarity.letters.pdf import Sheet, document_for

from .helpers import lines_with_depth, page_sizes_mm, pdf_pages

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 22)
BODY = "Здравствуйте, Виктор!\n\nУ нас выпал первый снег. Мама передаёт Вам привет и пирог с яблоками."


def sheet(person, **changes) -> Sheet:
    values = {
        "person": person,
        "facility": person.current_facility,
        "kind": "letter",
        "language": "ru",
        "body": BODY,
        "day": DAY,
    }
    return Sheet(**{**values, **changes})


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_letter_is_an_a4_page_and_a_dl_envelope_with_the_address(viktar):
    content = document_for([sheet(viktar)])
    letter, envelope = pdf_pages(content)
    assert "22 ноября 2026" in letter
    assert "У нас выпал первый снег." in flat(letter)
    assert "Мама передаёт Вам привет и пирог с яблоками." in flat(letter)
    assert "Шелест Виктор Петрович, 1979 г. р." in flat(envelope)
    for line in viktar.current_facility.postal_address_cyrillic.splitlines():
        assert line in envelope
    assert "Кому" in envelope and "От кого" in envelope
    assert page_sizes_mm(content) == [(210, 297), (220, 110)]


def test_a_belarusian_letter_is_dated_in_belarusian(viktar):
    letter, _envelope = pdf_pages(document_for([sheet(viktar, language="be", day=datetime.date(2026, 9, 3))]))
    assert "3 верасня 2026" in letter


def test_fonts_are_embedded_and_nothing_names_the_site(viktar, settings):
    content = document_for([sheet(viktar, language="be", body="Прывітанне! Жадаю здароўя і цяпла.")])
    assert b"/FontFile2" in content  # TrueType fonts inside the file, not looked up on the printer
    assert "лістапада" in pdf_pages(content)[0]
    text = " ".join(pdf_pages(content)).lower()
    assert "http" not in text and str(settings.SITE_NAME).lower() not in text


def test_a_postcard_has_a_front_a_back_with_text_and_address_and_an_envelope(viktar):
    content = document_for([sheet(viktar, kind="postcard", design="birthday", body="С днём рождения!")])
    front, back, envelope = pdf_pages(content)
    assert front.strip() == ""  # the picture only
    assert "С днём рождения!" in back and "Шелест" in back
    assert "Шелест" in envelope
    assert page_sizes_mm(content) == [(148, 105), (148, 105), (162, 114)]


def test_a_long_letter_flows_onto_more_pages_and_keeps_every_word(viktar):
    body = "\n\n".join(f"Абзац номер {n}: у нас всё спокойно, читаем книги и гуляем." for n in range(1, 80))
    pages = pdf_pages(document_for([sheet(viktar, body=body)]))
    assert len(pages) >= 3
    everything = flat(" ".join(pages))
    assert "Абзац номер 1:" in everything and "Абзац номер 79:" in everything


def test_a_batch_keeps_each_letter_with_its_own_envelope_in_order(viktar):
    from solidarity.catalogue.tests.helpers import prisoner

    other = prisoner(last_name_ru="Лисовский", first_name_ru="Андрей", patronymic_ru="Ильич")
    content = document_for([sheet(viktar, body="Первое письмо."), sheet(other, body="Второе письмо.")])
    pages = pdf_pages(content)
    assert len(pages) == 4
    assert "Первое письмо." in pages[0] and "Шелест" in pages[1]
    assert "Второе письмо." in pages[2] and "Лисовский Андрей Ильич" in flat(pages[3])


def test_a_tab_is_set_as_spaces_not_lost(viktar):
    letter = pdf_pages(document_for([sheet(viktar, body="У нас снег.\tОбнимаю.")]))[0]
    assert "снег. Обнимаю." in flat(letter)


def test_the_postcard_measure_agrees_with_the_print(viktar):
    """What `postcard_overflow` says fits is exactly what prints above the card's foot."""
    words = " ".join(f"слово{n}" for n in range(1, 120))
    overflow = pdf.postcard_overflow(words)
    assert overflow is not None and words[overflow:].startswith("слово")
    # Printed anyway (the site never does), the words above the foot are those before the overflow.
    content = document_for([sheet(viktar, kind="postcard", body=words)])
    text_column = [(run, depth) for run, depth in lines_with_depth(content, 1) if "слово" in run]
    above = " ".join(run for run, depth in text_column if depth <= pdf.POSTCARD_TEXT_BOTTOM)
    assert above.split() == words[:overflow].split()
    lines_above = [depth for _run, depth in text_column if depth <= pdf.POSTCARD_TEXT_BOTTOM]
    assert len(lines_above) == pdf.POSTCARD_LINES
    assert pdf.postcard_overflow(words[:overflow]) is None


def test_blank_lines_take_room_on_the_card_and_leading_space_keeps_offsets(viktar):
    short = "Привет!\n" * pdf.POSTCARD_LINES
    assert pdf.postcard_overflow(short) is None
    longer = "\n\n  " + short + "\nОбнимаю."
    assert longer[pdf.postcard_overflow(longer) :] == "Обнимаю."


def test_signs_the_fonts_lack_print_as_their_plain_form_or_are_found(viktar):
    body = "Было −5 градусов,\tа сабакаʼ\u00adб\u200bыла рада. Стоит 100 ₽ или 40 ₴."
    rouble, hryvnia = body.index("₽"), body.index("₴")
    assert pdf.unprintable(body) == [(rouble, rouble + 1), (hryvnia, hryvnia + 1)]
    letter = flat(pdf_pages(document_for([sheet(viktar, body=body.replace("₽", "").replace("₴", ""))]))[0])
    assert "Было -5 градусов, а сабака’была рада." in letter


def test_envelopes_and_postcards_end_the_address_with_the_country_for_post_from_abroad(viktar):
    lines = viktar.current_facility.envelope_lines
    assert lines[:-1] == viktar.current_facility.postal_address_cyrillic.splitlines()
    assert lines[-1] == "BELARUS"
    _front, back, envelope = pdf_pages(document_for([sheet(viktar, kind="postcard", body="Привет!")]))
    for page in (back, envelope):
        assert page.strip().splitlines()[-1] == "BELARUS"
