"""The checker's rules one by one: what each flags, where, and what it leaves alone."""

import pytest

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.letters import checker
from solidarity.letters.models import Rule, RuleSet
from solidarity.letters.rules import RuleError, compile_term
from solidarity.letters.services import load_rules

pytestmark = pytest.mark.django_db


def rules_of(text: str, **kwargs) -> list[str]:
    return [finding.rule for finding in checker.check(text, **kwargs).findings]


def test_every_finding_points_at_its_own_text(rules):
    text = "Дорогой Виктор! Видел новости с фронта 👍 и т.д. Пиши на почту viktor@mail.ru, ок? Netflix"
    result = checker.check(text)
    assert not result.ok
    assert {"war", "emoji", "abbreviation", "link", "latin"} <= {f.rule for f in result.findings}
    for finding in result.findings:
        if finding.fragment:
            assert text[finding.start : finding.end] == finding.fragment
        assert finding.message and finding.fix


def test_a_warm_everyday_letter_passes(rules):
    text = (
        "Здравствуйте, Виктор! Пишу Вам из Гродно. У нас выпал первый снег, и дети лепили снеговика. "
        "Дело в том, что я давно хотела спросить: какие книги Вы любите? Судьба подарила мне кота."
    )
    result = checker.check(text)
    assert result.ok, result.findings
    assert result.language == "ru"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Привіт! Як у тебе справи? У нас все добре, мама передає привіт і чекає на тебе вдома.", "language"),
        ("Привет! Посмотри сериал на Netflix, когда выйдешь.", "latin"),
        ("Привет 😀 как ты?", "emoji"),
        ("Привет! Как ты? Скучаем)))", "emoji"),
        ("Передаю привет от ЗВ и КП", "abbreviation"),
        ("Все говорят о выборах президента.", "politics"),
        ("Говорят, скоро мобилизация.", "war"),
        ("Твой адвокат говорит, что апелляцию рассмотрят весной.", "case"),
        ("Лукашенко опять выступал по телевизору.", "official"),
        ("Смотри мой канал в телеграме.", "link"),
    ],
)
def test_each_kind_of_problem_is_found(rules, text, rule):
    assert rule in rules_of(text)


def test_length_is_limited_and_postcards_are_measured_as_they_print(rules):
    sentence = "У нас всё хорошо, погода тёплая, мама шлёт привет. "
    assert "length" in rules_of(sentence * 70)
    assert "length" not in rules_of(sentence * 10)
    assert rules_of(sentence * 8, kind="postcard") == []
    too_long = checker.check(sentence * 12, kind="postcard")
    assert [f.rule for f in too_long.findings] == ["fit"]
    fit = too_long.findings[0]
    assert fit.end == len((sentence * 12).rstrip()) and fit.fragment == (sentence * 12)[fit.start :].rstrip()
    assert too_long.must_change == too_long.findings
    # Lines, not characters, fill a card: short lines run out before 500 characters do.
    lines = "\n".join(["Обнимаю!"] * 20)
    assert len(lines) < checker.POSTCARD_MAX_CHARACTERS and rules_of(lines, kind="postcard") == ["fit"]


@pytest.mark.parametrize(
    "wish",
    [
        "Желаю тебе скорейшей свободы!",
        "Верю, что скоро ты будешь на свободе.",
        "Свобода близко, держись.",
        "Жадаю хутчэйшай свабоды!",
        "Хутка будзеш на свабодзе.",
        "Свободу политзаключённым!",
    ],
)
def test_freedom_in_a_wish_is_politics(rules, wish):
    assert rules_of(wish) == ["politics"]


def test_free_time_is_not_freedom(rules):
    assert "politics" not in rules_of("В свободное время я читаю и гуляю с собакой по парку.")


def test_a_link_is_one_finding_not_its_latin_letters_too(rules):
    for text in ("Смотри https://t.me/belarus_news!", "Пиши на viktor@mail.ru", "Заходи на www.example.com"):
        result = checker.check(text)
        assert [f.rule for f in result.findings] == ["link"], (text, result.findings)
    both = checker.check("Netflix и https://t.me/x")
    assert [f.rule for f in both.findings] == ["latin", "link"]


def test_a_sign_the_fonts_lack_must_change_even_at_the_writers_risk(rules):
    result = checker.check("Посылка стоит 100 ₽, а минус −5 печатается.")
    assert [(f.rule, f.fragment) for f in result.findings] == [("character", "₽")]
    assert result.must_change == result.findings
    emoji = checker.check("Привет 😀")
    assert [f.rule for f in emoji.findings] == ["emoji"]  # one finding, the telling one
    assert not emoji.must_change


def test_the_summary_and_the_count_are_sentences_in_the_language(rules):
    from django.utils import translation

    result = checker.check("Привет из СИЗО и КГБ. " * 200)
    with translation.override("en"):
        assert checker.counted(result) == f"{result.characters:,} of 3,000 characters."
        assert checker.explain(result) == f"{len(result.findings)} things to change before the letter can go."
    with translation.override("be"):
        assert checker.counted(result) == f"{result.characters:,} з 3,000 знакаў.".replace(",", "\xa0")
        assert str(len(result.findings)) in checker.explain(result)


def test_other_prisoners_names_but_not_the_addressees_nor_a_capital_at_a_sentence_start(rules):
    addressee = prisoner(first_name_ru="Виктор", last_name_ru="Мороз", last_name_be="Мароз")
    other = prisoner(
        first_name_ru="Андрей", first_name_be="Андрэй", last_name_ru="Лисовский", last_name_be="Лісоўскі"
    )
    flagged = checker.check("Передай привет Лисовскому и Андрею.", addressee=addressee).findings
    assert [(f.rule, f.fragment) for f in flagged] == [("prisoner_name", "Лисовскому")]
    assert checker.check("Лісоўскі Андрэй, як ты?").findings  # a first name beside it: it is a name
    assert checker.check("Дорогой Виктор Мороз!", addressee=addressee).ok
    # The addressee's surname means frost: at a sentence's start, alone, it is the weather.
    assert checker.check("Мороз сегодня сильный.", addressee=other).ok
    # A surname that is also a word counts beside a first name only, in any form, as a diminutive too.
    assert checker.check("Сегодня сильный Мороз.", addressee=other).ok
    assert not checker.check("Передай привет Виктору Морозу.", addressee=other).ok
    assert not checker.check("Пришло письмо от Вити Мороза.", addressee=other).ok


def test_rules_are_data_that_staff_edit_and_every_process_sees_at_once(rules):
    assert checker.check("Мы ходили в кино на новый фильм про пингвинов.").ok
    rule = Rule.objects.create(
        ruleset=RuleSet.objects.get(country="BY"), category=Rule.Category.POLITICS, terms="пингвин*"
    )
    assert rules_of("Мы ходили в кино на новый фильм про пингвинов.") == ["politics"]
    rule.delete()
    assert checker.check("Мы ходили в кино на новый фильм про пингвинов.").ok


def test_the_term_syntax():
    import re

    def matches(term, text):
        return bool(re.search(compile_term(term), text, re.IGNORECASE))

    assert matches("суд", "был суд вчера") and not matches("суд", "судьба")
    assert matches("приговор*", "после приговора") and not matches("приговор*", "заприговор")
    assert matches("режим пад*", "режим  падёт".replace("ё", "е"))
    assert matches("re:(?-i:[А-Я]{2,})", "в СИЗО") and not matches("re:(?-i:[А-Я]{2,})", "в сизо")
    with pytest.raises(RuleError):
        compile_term("re:(unclosed")
    with pytest.raises(RuleError):
        compile_term("*")


def test_loading_rules_keeps_staff_edits_unless_asked_to_replace(rules):
    ruleset = RuleSet.objects.get(country="BY")
    ruleset.rules.update(terms="кот")
    assert load_rules(country="BY", actor_label="tests") == 0
    assert set(ruleset.rules.values_list("terms", flat=True)) == {"кот"}
    assert load_rules(country="BY", actor_label="tests", replace=True) > 0
    assert "кот" not in set(ruleset.rules.values_list("terms", flat=True))


def test_a_newer_country_file_reaches_rules_nobody_edited_and_spares_edited_ones(rules, monkeypatch):
    from solidarity.letters import rules as rules_module

    ruleset = RuleSet.objects.get(country="BY")
    assert load_rules(country="BY", actor_label="tests") == 0  # the same file: nothing to do
    original = rules_module.country_file("BY")
    newer = {**original, "rules": [*original["rules"], {"category": "politics", "terms": ["кот*"]}]}
    monkeypatch.setattr(rules_module, "country_file", lambda country: newer)
    assert load_rules(country="BY", actor_label="tests") == len(newer["rules"])
    assert "politics" in rules_of("Мой котик спит.")
    # Once staff edit a rule, a newer file waits for them to choose `--replace`.
    ruleset.rules.filter(terms="кот*").update(terms="котик")
    newest = {**newer, "max_characters": 2500}
    monkeypatch.setattr(rules_module, "country_file", lambda country: newest)
    assert load_rules(country="BY", actor_label="tests") == 0
    assert RuleSet.objects.get(country="BY").max_characters == original["max_characters"]
    assert ruleset.rules.filter(terms="котик").exists()


def test_a_bad_term_is_refused_in_the_admin_form(rules):
    from django.core.exceptions import ValidationError

    rule = Rule(ruleset=RuleSet.objects.get(country="BY"), category=Rule.Category.WAR, terms="война\nre:(")
    with pytest.raises(ValidationError):
        rule.full_clean()


def test_a_regular_expression_keeps_its_own_meaning_when_rules_are_joined(rules):
    # The leading word-start check binds the first branch only, as Python reads the expression.
    Rule.objects.create(
        ruleset=RuleSet.objects.get(country="BY"), category=Rule.Category.POLITICS, terms="re:(?<!\\w)кот|пес"
    )
    assert rules_of("Суперпес гуляет.") == ["politics"]
    assert rules_of("Антикот гуляет.") == []
    assert rules_of("Кот гуляет.") == ["politics"]


def test_a_term_that_breaks_when_joined_is_refused_and_never_breaks_the_checker(rules):
    from django.core.exceptions import ValidationError

    ruleset = RuleSet.objects.get(country="BY")
    with pytest.raises(ValidationError):
        Rule(ruleset=ruleset, category=Rule.Category.POLITICS, terms="re:(?i)кот").full_clean()
    with pytest.raises(ValidationError):
        Rule(ruleset=ruleset, category=Rule.Category.POLITICS, terms="re:(?P<x>пес)").full_clean()
    # Written past the admin (a data file, the shell), such terms are left out; the rest still work.
    Rule.objects.create(
        ruleset=ruleset, category=Rule.Category.POLITICS, terms="re:(?i)кот\nre:(?P<x>пес)\nслон"
    )
    assert rules_of("Кот, пес и слон.") == ["politics"]
    assert "war" in rules_of("Видел новости с фронта.")


def test_the_writers_own_signature_is_not_a_prisoners_name(rules):
    prisoner(first_name_ru="Игорь", last_name_ru="Ковалёв", first_name_be="Ігар", last_name_be="Кавалёў")
    prisoner(first_name_ru="Ольга", last_name_ru="Шелег", first_name_be="Вольга", last_name_be="Шэлег")
    for signed in ("С любовью, Ковалёвы", "Ваша сям’я Шэлег", "Обнимаем,\nИгорь Ковалёв"):
        assert checker.check(f"Дорогой Виктор!\nУ нас всё хорошо, идёт снег.\n{signed}").ok, signed
    # Named in the letter itself, the same person is found.
    found = checker.check("Дорогой Виктор!\nПишем и Игорю Ковалёву.\nОбнимаем, Оля")
    assert [f.fragment for f in found.findings] == ["Ковалёву"]


def test_a_surname_is_found_in_its_belarusian_forms_and_as_a_diminutive_beside_it(rules):
    prisoner(first_name_ru="Павел", last_name_ru="Белоусов", first_name_be="Павел", last_name_be="Белавусаў")
    prisoner(first_name_ru="Ольга", last_name_ru="Шелег", first_name_be="Вольга", last_name_be="Шэлег")
    assert rules_of("Ад Белавусава даўно няма лістоў.") == ["prisoner_name"]
    assert rules_of("Прывітанне!\nАд Белавусава даўно няма лістоў.") == ["prisoner_name"]  # a last line
    assert rules_of("Пришло письмо от Оли Шелег.") == ["prisoner_name"]
    # A plain surname alone after a relative is a note, which stops nothing: the family's name.
    assert rules_of("Приехал дядя Шелег с дачи.") == ["surname"]
    assert checker.check("Приехал дядя Шелег с дачи.").ok


def test_father_frost_and_a_word_initial_u_short(rules):
    prisoner(first_name_ru="Дмитрий", last_name_ru="Мороз", first_name_be="Дзмітрый", last_name_be="Мароз")
    assert checker.check("Я хаджу ў школу як Дзед Мароз, Дзіма.").ok
    # "ў" after a vowel is the same word as "у": the war's refugees are found either way.
    assert rules_of("У наш пад’езд засялілі сям’ю ўцекачоў.") == ["war"]


@pytest.mark.parametrize(
    "text",
    [
        "Связала тебе носки, белые с красной полоской посередине.",
        "Очень скучаю по нашим воскресным прогулкам.",
        "Вчера пересматривала фотографии того августа.",
        "Праўда заўсёды бярэ сваё, і наш час яшчэ прыйдзе.",
        "Кажется, вся страна проснулась.",
        "Я каждый день повторяю себе, что правда обязательно победит.",
        "Вспоминала, как мы тем августом шли здесь все вместе.",
    ],
)
def test_allusions_are_found_with_their_reason(rules, text):
    result = checker.check(text)
    assert [f.rule for f in result.findings] == ["allusion"]
    assert "hint" in result.findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "У нас шмат снегу, і дзеці рады.",
        "Вот и наше время обеда, пойду готовить.",
        "Дорогая, правда ли, что у вас тепло?",
        "Бабушка связала шарф, белый в красный горошек.",
        "В двадцатом веке здесь стояла мельница.",
        "Соседка написала жалобу на лифт в домоуправление.",
    ],
)
def test_everyday_words_near_an_allusion_are_not_one(rules, text):
    assert checker.check(text).ok, checker.check(text).findings


def test_a_sentence_term_needs_all_its_words_in_one_sentence_and_none_of_its_exceptions(rules):
    from solidarity.letters.rules import sentence_parts

    Rule.objects.create(
        ruleset=RuleSet.objects.get(country="BY"),
        category=Rule.Category.ALLUSION,
        terms="sentence: кот* | кош* & пес | собак* & у окна | у акна & !цирк*",
    )
    found = checker.check("Идёт снег. Собака и кот сидят у окна. Тепло.").findings
    assert [(f.rule, f.fragment) for f in found] == [("allusion", "Собака и кот сидят у окна")]
    assert rules_of("Кошка спит у окна. Собака гуляет.") == []  # two sentences
    assert rules_of("В цирке собака и кот сидели у окна.") == []  # the exception
    with pytest.raises(RuleError):
        sentence_parts("sentence: двор*")
    with pytest.raises(RuleError):
        sentence_parts("sentence: !двор* & !чай")
    with pytest.raises(RuleError):
        sentence_parts("sentence: двор* & ")


def test_a_referee_at_a_match_is_no_judge_and_freedom_from_a_cast_no_politics(rules):
    assert checker.check("Судья назначил пенальти, и весь стадион свистел.").ok
    assert checker.check("Суддзя на фінішы двойчы пераправяраў секундамер.").ok
    assert rules_of("Судья даже не посмотрел на маму.") == ["case"]
    assert checker.check("Сын празднует свободу: сняли гипс!").ok
    assert checker.check("Меню на шесть страниц, полная свобода выбора.").ok
    assert rules_of("Желаю тебе скорее обрести свободу.") == ["politics"]


@pytest.mark.parametrize(
    "text",
    [
        "Пра Жук нічога не чуваць ужо тры месяцы.",  # alone after a preposition, mid-sentence
        "Каля вогнішча ўспаміналі Жука.",  # in a case form no everyday word takes with a capital
        "Вспоминали, как ездили с Димкой Жуком на рыбалку.",  # a diminutive in the instrumental
        "Получила ответ от Игоря Жука.",
    ],
)
def test_a_plain_surname_alone_is_a_name_where_only_a_name_takes_a_capital(rules, text):
    prisoner(first_name_ru="Дмитрий", last_name_ru="Жук", first_name_be="Дзмітрый", last_name_be="Жук")
    prisoner(first_name_ru="Игорь", last_name_ru="Жук", first_name_be="Ігар", last_name_be="Жук")
    assert rules_of(text) == ["prisoner_name"]


@pytest.mark.parametrize(
    "text",
    [
        "Сегодня с утра сильный Жук.",  # the word, capitalised: a note
        "Приходила тётя Жук с пирогом.",  # a relative
        "Чытаю ёй казку пра Жука і Мурашку.",  # a tale's animal
        "Передаёт привет Люда Жук.",  # someone else's first name beside it
    ],
)
def test_a_plain_surname_that_may_be_a_family_or_a_word_is_a_note_that_stops_nothing(rules, text):
    prisoner(first_name_ru="Дмитрий", last_name_ru="Жук", first_name_be="Дзмітрый", last_name_be="Жук")
    result = checker.check(text)
    assert [f.rule for f in result.findings] == ["surname"]
    assert result.ok and "political prisoner" in result.findings[0].message
    assert checker.explain(result) == "Nothing found that would stop this letter."


def test_an_abbreviation_every_reader_knows_is_a_note_and_an_unknown_one_must_change(rules):
    result = checker.check("Мама ходила в поликлинику на УЗИ, а потом в ЦУМе купила шарф.")
    assert [f.rule for f in result.findings] == ["known_abbreviation", "known_abbreviation"]
    assert result.ok
    assert rules_of("Передай привет всем из ПП и ЗВ.") == ["abbreviation", "abbreviation"]


def test_a_surname_whose_vowel_drops_and_belarusian_diminutives_are_found(rules):
    prisoner(first_name_ru="Павел", last_name_ru="Заяц", first_name_be="Павел", last_name_be="Заяц")
    prisoner(first_name_ru="Сергей", last_name_ru="Мельник", first_name_be="Сяргей", last_name_be="Мельнік")
    assert rules_of("Встретила маму Паши Зайца в магазине.") == ["prisoner_name"]
    assert rules_of("Бачыла жонку Сярожы Мельніка ў Гродне.") == ["prisoner_name"]
    assert checker.check("В лесу мы видели зайца и белку.").ok


def test_joined_terms_keep_their_meaning_whatever_letter_or_sign_they_begin_with(rules):
    ruleset = RuleSet.objects.get(country="BY")
    Rule.objects.create(
        ruleset=ruleset, category=Rule.Category.POLITICS, terms="re:(?<!\\w)ко+тик\nre:(?<!\\w)№\\d+\nслон"
    )
    assert rules_of("Наш коооотик спит.") == ["politics"]  # a repeated first letter
    assert rules_of("Дом №7 стоит.") == ["politics"]  # a sign first, at a word start
    assert rules_of("---слон---") == ["politics"]
    assert rules_of("Суперслон и кот.") == []
