"""The phrasebook writes letters the checker passes, in both languages, for her and for him."""

import pytest

from solidarity.letters import checker, phrasebook

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", phrasebook.LETTER_LANGUAGES)
@pytest.mark.parametrize("gender", ["male", "female"])
def test_every_phrase_written_into_a_letter_passes_the_checker(rules, language, gender):
    every_phrase = [p.id for topic in phrasebook.topics() for p in topic.phrases]
    name = {"ru": "Мария", "be": "Марыя"}[language]
    letter = phrasebook.assemble(every_phrase, language=language, gender=gender, name=name)
    assert len(every_phrase) >= 60
    # Every phrase at once is far longer than a letter: check it paragraph by paragraph.
    for paragraph in letter.split("\n\n"):
        result = checker.check(paragraph)
        assert result.ok, [(f.rule, f.fragment) for f in result.findings]
        assert result.language in (language, None, *phrasebook.LETTER_LANGUAGES)


def test_a_letter_is_assembled_in_order_with_the_name_and_agreement():
    letter = phrasebook.assemble(
        ["close-write-back", "wish-health", "greet-dear"], language="ru", gender="female", name="Мария"
    )
    first, *_middle, last = letter.split("\n\n")
    assert first == "Дорогая Мария!"
    assert last == phrasebook.by_id()["close-write-back"].written_in("ru", "female", "Мария")
    assert "Дорогой Виктор!" in phrasebook.assemble(
        ["greet-dear"], language="ru", gender="male", name="Виктор"
    )


def test_holiday_phrases_come_in_their_season_and_womens_day_for_women():
    def offered_ids(month, gender):
        return {p.id for topic in phrasebook.offered(month, gender) for p in topic.phrases}

    assert "holiday-new-year" in offered_ids(12, "male") and "holiday-new-year" not in offered_ids(7, "male")
    assert "holiday-kupalle" in offered_ids(7, "male")
    assert "holiday-womens-day" in offered_ids(3, "female") and "holiday-womens-day" not in offered_ids(
        3, "male"
    )
    assert "holiday-birthday" in offered_ids(9, "male")  # birthdays are any month


def test_phrases_are_shown_in_the_visitors_language():
    phrase = phrasebook.by_id()["greet-hello"]
    assert phrase.shown_in("en", "male", "Viktar") == "Hello, Viktar!"
    assert phrase.shown_in("be", "male", "Віктар") == "Добры дзень, Віктар!"
    assert phrasebook.append("Привет!", "Как дела?") == "Привет!\n\nКак дела?"
    assert phrasebook.append("", "Как дела?") == "Как дела?"
