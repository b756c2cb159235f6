"""The print-ready PDFs, read back as text: the letter, the postcard and the envelopes."""

import datetime
import re

import pytest

from solidarity.letters.pdf import Sheet, document_for

from .helpers import page_sizes_mm, pdf_pages

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
