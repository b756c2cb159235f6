"""The letter checker: what in a text would make a prison censor destroy the letter, and where.

Some checks are properties of writing itself and live here: the language (py3langid, offline, per
paragraph), Latin script, emoji and smileys, the length. Names of other political prisoners come
from the registry. Everything a censor objects to in words (politics, the war, the case, officials,
abbreviations, links) is data: a country's `Rule`s, compiled by `rules.py` once per process and
rules version (`rules_for`).

Two findings are about the paper, not the censor: a sign the fonts cannot print and, on a
postcard, text that runs past the card's back (`pdf.py` measures it as it prints). A writer may
hand over a letter the censor may stop, knowing the risk, but never one that would print wrong.

Every finding carries offsets into the text as given (folding keeps every character in place), so
the page and partner sites can underline exactly what to change; a finding inside another one's
span (a link's Latin letters) is left out, so each thing to change is counted once.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from solidarity.registry import versioning
from solidarity.registry.models import IN_CUSTODY, Person

from .models import RuleSet
from .rules import NO_RULES, VERSION, CompiledRules, compile_rules, fold

ACCEPTED_LANGUAGES = frozenset({"ru", "be"})
POSTCARD_MAX_CHARACTERS = 500  # about what fits on the back of an A6 card (`pdf.postcard_overflow` says)
MAX_TEXT = 20_000  # longer input is refused before any check

# The languages the identifier chooses among: ours, our neighbours' and the ones visitors write in.
# Fewer candidates make short texts far more reliable than all of py3langid's 97.
CANDIDATE_LANGUAGES = (
    "ru", "be", "uk", "bg", "mk", "sr", "kk", "ky", "mn", "en", "pl", "de", "lt", "lv", "et",
    "fr", "es", "it", "pt", "nl", "sv", "fi", "cs", "sk", "tr",
)  # fmt: skip
MIN_LETTERS_TO_NAME = 12  # enough to say which language a text is probably in
MIN_LETTERS_TO_DETECT = 40  # enough to hold it against the writer
MIN_CONFIDENCE = 0.8
DETECT_CHARACTERS = 2000

LANGUAGE_NAMES = {
    "ru": gettext_lazy("Russian"),
    "be": gettext_lazy("Belarusian"),
    "uk": gettext_lazy("Ukrainian"),
    "bg": gettext_lazy("Bulgarian"),
    "mk": gettext_lazy("Macedonian"),
    "sr": gettext_lazy("Serbian"),
    "kk": gettext_lazy("Kazakh"),
    "ky": gettext_lazy("Kyrgyz"),
    "mn": gettext_lazy("Mongolian"),
    "en": gettext_lazy("English"),
    "pl": gettext_lazy("Polish"),
    "de": gettext_lazy("German"),
    "lt": gettext_lazy("Lithuanian"),
    "lv": gettext_lazy("Latvian"),
}

LATIN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ \t,.!?;:]+[A-Za-z][A-Za-z'’-]*)*")
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0f\u200d\u203c\u2049\u2122\u2139]+"
    r"|(?<![\w(])[:;=][-'^]?[)(DPpOo3|\]\[*]+|\){2,}|\({2,}|<3"
)
PARAGRAPH = re.compile(r"[^\n]+")
LETTER = re.compile(r"[^\W\d_]")
CAPITALISED_WORD = re.compile(r"(?<![\w'])[А-ЯЕІЎ][а-яеіў'-]+")
SENTENCE_END = ".!?…\n"
SURNAME_ENDINGS = ("ий", "ый", "ой", "ій", "ая", "ая", "яя", "ы", "і", "а", "я", "о", "ь", "й")
WORD_FORM_ENDINGS = frozenset(
    "| а я у ю ом ем ым им ім ой ей ою ий ый ій ая ую ого ему ому ага аму ых их іх е і ы и о ай ам ах ами"
    .replace("|", "").split()
) | {""}  # fmt: skip
MIN_SURNAME_STEM = 4
MIN_NAME_STEM = 3  # shorter surnames (Жук, Ус) are found beside a first name only
MIN_UNMISTAKABLE_STEM = 6
SURNAME_SUFFIXES = ("ск", "цк", "ов", "ев", "ав", "ин", "ын", "ич", "іч", "енк", "анк", "юк", "чык", "чик")
# Everyday forms of first names, with the full names they stand for.
DIMINUTIVES = {
    "Оля": ("Ольга", "Вольга"), "Дима": ("Дмитрий",), "Дзіма": ("Дзмітрый",), "Паша": ("Павел",),
    "Лена": ("Елена", "Алена"), "Света": ("Светлана",), "Свята": ("Святлана",), "Андрюша": ("Андрей",),
    "Маша": ("Мария",), "Марыся": ("Марыя",), "Саша": ("Александр", "Аляксандр", "Александра"),
    "Ира": ("Ирина",), "Іра": ("Ірына",), "Таня": ("Татьяна", "Таццяна"), "Игорек": ("Игорь",),
    "Коля": ("Николай", "Мікалай"), "Витя": ("Виктор",), "Віця": ("Віктар",),
    "Серёжа": ("Сергей", "Сяргей"), "Миша": ("Михаил",), "Міша": ("Міхаіл",),
    "Димка": ("Дмитрий",), "Дзімка": ("Дзмітрый",), "Пашка": ("Павел",), "Олька": ("Ольга",),
    "Ленка": ("Елена",), "Светка": ("Светлана",), "Машка": ("Мария",), "Сашка": ("Александр",),
    "Андрюха": ("Андрей",), "Серёга": ("Сергей",), "Витёк": ("Виктор",), "Витька": ("Виктор",),
    "Игорёк": ("Игорь",), "Ігарок": ("Ігар",), "Колька": ("Николай",), "Танька": ("Татьяна",),
    "Сярожа": ("Сяргей",), "Паўлік": ("Павел",), "Павлик": ("Павел",), "Зміцер": ("Дзмітрый",),
    "Алесь": ("Аляксандр",), "Лёша": ("Алексей", "Аляксей"), "Лёшка": ("Алексей",),
    "Юра": ("Юрий", "Юрый"), "Юрка": ("Юрий", "Юрый"), "Вова": ("Владимир", "Уладзімір"),
    "Валодзя": ("Уладзімір",), "Толя": ("Анатолий", "Анатоль"), "Наташа": ("Наталья", "Наталля"),
    "Галя": ("Галина", "Галіна"), "Надя": ("Надежда", "Надзея"), "Катя": ("Екатерина", "Кацярына"),
    "Настя": ("Анастасия", "Анастасія"), "Вася": ("Василий", "Васіль"), "Петя": ("Пётр", "Пятро"),
    "Женя": ("Евгений", "Яўген", "Евгения", "Яўгенія"), "Макс": ("Максим", "Максім"),
    "Міхась": ("Міхаіл",), "Костя": ("Константин", "Канстанцін"), "Рома": ("Роман", "Раман"),
}  # fmt: skip
# A first name's case endings, the longest first: Димкой, Святланай and Марыяй to their stems.
FIRST_NAME_CASE_ENDINGS = (
    "ами", "ями", "ой", "ей", "ою", "ею", "ом", "ем", "ам", "ям", "ах", "ях", "ай", "яй", "ым", "ім",
    "а", "я", "е", "і", "и", "ы", "о", "у", "ю", "й", "ь",
)  # fmt: skip
NOT_A_NAME_AFTER = ("дед", "дзед", "дзядуля", "дедушка")
# After one of these, in the middle of a sentence, a capitalised word that is a prisoner's
# surname names someone ("пра Жук", "от Мороза"); elsewhere it may be the word, or a family.
PREPOSITIONS = frozenset((
    "про", "пра", "о", "об", "аб", "от", "ад", "у", "с", "з", "со", "к", "да", "для", "без", "за",
    "пры", "при",
))  # fmt: skip
# A surname's forms that take a case (Мароза, Жуку, Морозом): in the middle of a sentence with a
# capital they are a person's, for no everyday word is written so.
CASE_FORM_ENDINGS = frozenset(("а", "у", "ом", "ам", "ем", "е", "ым"))
# Tales and cartoons write their animals with a capital ("казка пра Ліса і Жорава").
TALES = re.compile(r"(?<!\w)(?:казк|казц|казач|сказк|сказоч|мульт|байк|басн)", re.IGNORECASE)
# After these the surname is a relative's or a neighbour's (folded: е for ё): a note.
KIN = frozenset((
    "семья", "семьи", "семье", "семью", "семьей", "сям'я", "сям'і", "сям'ю", "сям'ей",
    "дядя", "дяди", "дяде", "дядей", "дядю", "тетя", "тети", "тете", "тетей", "тетю",
    "дзядзька", "дзядзькі", "дзядзьку", "дзядзькам", "цетка", "цеткі", "цетцы", "цеткай", "цетку",
    "сосед", "соседа", "соседу", "соседом", "соседка", "соседки", "соседке", "соседкой", "соседку",
    "сусед", "суседа", "суседу", "суседам", "суседка", "суседкі", "суседцы", "суседкай", "суседку",
))  # fmt: skip
# A last line with one of these signs the letter: the names in it are the writer's and their family's.
SIGNATURE_WORDS = frozenset((
    "семья", "сям'я", "ваши", "ваша", "ваш", "вашы", "твои", "твоя", "твой", "твае", "твая",
    "обнимаем", "абдымаем", "обнимаю", "абдымаю", "целуем", "цалуем", "любим", "любім",
))  # fmt: skip
SIGNATURE_OPENINGS = ("с любовью", "з любоўю")
# Findings that advise and stop nothing: the letter may go as it is.
NOTES = frozenset({"surname", "known_abbreviation"})
# Capitals every reader and censor knows (shops, a clinic's tests, exams, universities, housing
# offices): guides say to write every abbreviation out, but these are read as words, not code.
KNOWN_ABBREVIATIONS = frozenset((
    "ЦУМ", "ГУМ", "УЗИ", "ЭКГ", "МРТ", "КТ", "ЛОР", "ОРВИ", "ЦТ", "ЕГЭ", "БГУ", "БГУИР", "БНТУ",
    "БГМУ", "БГПУ", "БГЭУ", "ГРГУ", "ВГУ", "ГГУ", "ПТУ", "ВУЗ", "ДК", "ЖЭС", "ЖЭУ", "ЖКХ", "МТС",
    "ТЦ", "ТВ", "ЗАГС", "СССР", "ДТП", "ПДД", "СТО", "АЗС", "ЛФК",
))  # fmt: skip
# Findings about the text as a whole: listed, but not marked inside it.
WHOLE_TEXT_RULES = frozenset({"language", "length"})
# What cannot be printed as written: no accepted risk lets it through.
MUST_CHANGE = frozenset({"character", "fit"})
# Of two findings on the same span, the one said first is kept: the more telling.
SPECIFICITY = (
    "link", "official", "prisoner_name", "politics", "allusion", "war", "case", "abbreviation", "emoji",
    "latin", "character",
)  # fmt: skip

MESSAGES = {
    "language": (
        gettext_lazy(
            "The censor passes only letters in Russian or Belarusian; this looks like %(language)s."
        ),
        gettext_lazy("Write in Russian or Belarusian. The phrasebook below helps if you don't speak them."),
    ),
    "latin": (
        gettext_lazy("Latin letters: the censor throws away letters with words in another script."),
        gettext_lazy("Write it in Cyrillic letters, or leave it out."),
    ),
    "emoji": (
        gettext_lazy("Emoji and smileys are read as a secret code."),
        gettext_lazy("Say it in words."),
    ),
    "abbreviation": (
        gettext_lazy("Abbreviations and capitals are read as a secret code."),
        gettext_lazy("Write the words out in full, in ordinary letters."),
    ),
    "politics": (
        gettext_lazy("Politics: a letter that touches it is destroyed."),
        gettext_lazy("Leave politics out. Write about everyday life, books, nature, memories."),
    ),
    "allusion": (
        gettext_lazy("A hint at politics: censors know its colours, dates and sayings, and destroy it."),
        gettext_lazy("Leave the hint out; tell of the everyday instead."),
    ),
    "war": (
        gettext_lazy("The war: letters that mention it do not arrive."),
        gettext_lazy("Leave the war out of the letter."),
    ),
    "case": (
        gettext_lazy("The case, the trial or the prison term: letters about them are destroyed."),
        gettext_lazy("Don't mention the case. Ask how they are and tell your own news."),
    ),
    "prisoner_name": (
        gettext_lazy("The name of another political prisoner: such letters are not handed over."),
        gettext_lazy("Leave other prisoners' names out."),
    ),
    "known_abbreviation": (
        gettext_lazy(
            "A well-known abbreviation: it usually passes, but written out it cannot be taken for a code."
        ),
        gettext_lazy("Write it out if you can."),
    ),
    "surname": (
        gettext_lazy(
            "Also the surname of a political prisoner. If you mean them, leave it out; "
            "if it is your family's or a neighbour's name, it may stay."
        ),
        gettext_lazy("Nothing to change if it is not about them."),
    ),
    "official": (
        gettext_lazy("An official's name or title: such letters are destroyed."),
        gettext_lazy("Leave it out."),
    ),
    "link": (
        gettext_lazy("A link, an address or a messenger: letters with them are thrown away."),
        gettext_lazy("Leave it out, or tell the news in your own words."),
    ),
    "character": (
        gettext_lazy("A sign the printed letter cannot show: the fonts have no such character."),
        gettext_lazy("Write it in words (for example “рублей” for ₽), or leave it out."),
    ),
    "fit": (
        gettext_lazy("The text does not fit on the postcard: the marked end would be cut off."),
        gettext_lazy("Shorten it, or send a letter instead."),
    ),
    "length": (
        gettext_lazy(
            "The text is %(count)s characters long; censors hold long letters for weeks or throw them away. "
            "Keep it under %(max)s."
        ),
        gettext_lazy("Shorten it, or send two letters a week apart."),
    ),
}


@dataclass(frozen=True)
class Finding:
    rule: str
    start: int
    end: int
    fragment: str
    detail: dict | None = None

    @property
    def message(self) -> str:
        return str(MESSAGES[self.rule][0]) % self._detail()

    @property
    def fix(self) -> str:
        return str(MESSAGES[self.rule][1])

    def _detail(self) -> dict:
        detail = dict(self.detail or {})
        if "language" in detail:
            detail["language"] = str(LANGUAGE_NAMES.get(detail["language"], detail["language"]))
        return detail

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "message": self.message,
            "fix": self.fix,
            "start": self.start,
            "end": self.end,
            "text": self.fragment,
        }


@dataclass(frozen=True)
class Result:
    language: str | None
    findings: tuple[Finding, ...]
    characters: int
    max_characters: int

    @property
    def ok(self) -> bool:
        return not self.to_change

    @property
    def to_change(self) -> tuple[Finding, ...]:
        """The findings less the notes (`NOTES`), which stop nothing."""
        return tuple(f for f in self.findings if f.rule not in NOTES)

    @property
    def must_change(self) -> tuple[Finding, ...]:
        """The findings that stop the letter even at the writer's own risk (`MUST_CHANGE`)."""
        return tuple(f for f in self.findings if f.rule in MUST_CHANGE)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "language": self.language,
            "characters": self.characters,
            "max_characters": self.max_characters,
            "summary": explain(self),
            "counted": counted(self),
            "findings": [finding.as_dict() for finding in self.findings],
        }


def check(
    text: str, *, country: str | None = None, kind: str = "letter", addressee: Person | None = None
) -> Result:
    """The findings in `text` by the rules of `country` (the site's own by default)."""
    from . import pdf  # with fpdf and its fonts: loaded by the first letter, not by every worker

    text = (text or "")[:MAX_TEXT]
    folded = fold(text)
    compiled = rules_for(country or settings.COUNTRY)
    max_characters = compiled.max_characters if kind != "postcard" else POSTCARD_MAX_CHARACTERS
    language, language_findings = _language(text)
    found = list(language_findings)
    found += [Finding("latin", m.start(), m.end(), m.group()) for m in LATIN.finditer(text)]
    found += [Finding("emoji", m.start(), m.end(), m.group()) for m in EMOJI.finditer(text)]
    found += [
        Finding(_known(category, text[start:end]), start, end, text[start:end])
        for category, start, end in compiled.matches(folded)
    ]
    found += _prisoner_names(folded, text, frozenset({addressee.pk}) if addressee else frozenset())
    found += [Finding("character", start, end, text[start:end]) for start, end in pdf.unprintable(text)]
    length = len(text.strip())
    if kind == "postcard":
        overflow = pdf.postcard_overflow(text)
        if overflow is not None:
            found.append(Finding("fit", overflow, len(text.rstrip()), text[overflow:].rstrip()))
    elif length > max_characters:
        found.append(
            Finding("length", max_characters, len(text), "", {"count": length, "max": max_characters})
        )
    findings = tuple(sorted(_once_each(found), key=lambda f: (f.start, f.end, f.rule)))
    return Result(language, findings, length, max_characters)


def _known(category: str, fragment: str) -> str:
    """An abbreviation every reader knows ("УЗИ", "в ЦУМе") is a note (`KNOWN_ABBREVIATIONS`)."""
    if category == "abbreviation":
        capitals = fragment.rstrip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіў")
        if capitals.upper() in KNOWN_ABBREVIATIONS:
            return "known_abbreviation"
    return category


def _once_each(found: list[Finding]) -> list[Finding]:
    """The findings less those inside another one's span: the Latin letters of a link, the emoji
    the fonts lack; of findings on one span, the most telling (`SPECIFICITY`). Findings of the
    whole text, and a postcard's overflow, hold nothing inside them."""
    apart = [f for f in found if f.rule in WHOLE_TEXT_RULES or f.rule == "fit"]
    by_span: dict[tuple[int, int], Finding] = {}
    for finding in found:
        if finding.rule in WHOLE_TEXT_RULES or finding.rule == "fit":
            continue
        kept = by_span.get((finding.start, finding.end))
        if kept is None or _rank(finding) < _rank(kept):
            by_span[finding.start, finding.end] = finding
    # Sorted by start, the longest first: a span is inside another when one before it reaches as far.
    outermost, reach = [], -1
    for (_start, end), finding in sorted(by_span.items(), key=lambda item: (item[0][0], -item[0][1])):
        if end > reach:
            outermost.append(finding)
            reach = end
    return list({(f.rule, f.start, f.end): f for f in apart}.values()) + outermost


def _rank(finding: Finding) -> int:
    return SPECIFICITY.index(finding.rule) if finding.rule in SPECIFICITY else -1


def rules_for(country: str) -> CompiledRules:
    """The country's rules, compiled (an unknown country has none, and the default length)."""
    return _compiled(country.upper(), VERSION.current())


@lru_cache(maxsize=8)
def _compiled(country: str, _version: str) -> CompiledRules:
    ruleset = RuleSet.objects.filter(country=country).prefetch_related("rules").first()
    if ruleset is None:
        return NO_RULES
    return compile_rules(
        ruleset.max_characters, [(rule.category, rule.language, rule.terms) for rule in ruleset.rules.all()]
    )


@cache
def _identifier():
    # Loading the model (and numpy, 15 MB) takes most of a second: once per process, on the first check.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATE_LANGUAGES))
    return identifier


def detect_language(text: str, min_letters: int = MIN_LETTERS_TO_DETECT) -> tuple[str, float] | None:
    """The most likely language and its probability, or None if there is too little text to tell."""
    if len(LETTER.findall(text)) < min_letters:
        return None
    # A couple of thousand characters tell the language as well as twenty thousand, far faster.
    # `classify` keeps its state per call (the model's tables are only read): no lock is needed.
    language, probability = _identifier().classify(text[:DETECT_CHARACTERS])
    return language, float(probability)


def _language(text: str) -> tuple[str | None, list[Finding]]:
    """The letter's language, and a finding for each paragraph (or the whole text) in another one."""
    whole = detect_language(text, MIN_LETTERS_TO_NAME)
    findings = []
    for paragraph in PARAGRAPH.finditer(text):
        detected = detect_language(paragraph.group())
        if detected and detected[0] not in ACCEPTED_LANGUAGES and detected[1] >= MIN_CONFIDENCE:
            findings.append(
                Finding("language", paragraph.start(), paragraph.end(), "", {"language": detected[0]})
            )
    enough = len(LETTER.findall(text)) >= MIN_LETTERS_TO_DETECT
    if (
        not findings
        and enough
        and whole
        and whole[0] not in ACCEPTED_LANGUAGES
        and whole[1] >= MIN_CONFIDENCE
    ):
        findings.append(Finding("language", 0, len(text), "", {"language": whole[0]}))
    return (whole[0] if whole else None), findings


@dataclass(frozen=True)
class _NameIndex:
    by_stem: dict[str, frozenset[int]]
    first_names: dict[int, frozenset[str]]  # their stems (`_first_name_stems`)


# Surnames whose vowel drops as they decline (Заяц, Зайца; Воробей, Воробья; Гарок, Гарка):
# the declined stem, from the ending of the name as written.
FLEETING = (("яц", "йц"), ("ец", "ц"), ("ей", "ь"), ("ок", "к"), ("ёк", "ьк"), ("ек", "ьк"))


def surname_stems(surname: str) -> set[str]:
    """The stems a surname is found by: `surname_stem`, and the declined one if its vowel drops."""
    stems = {surname_stem(surname)}
    word = fold(surname).lower()
    for written, declined in FLEETING:
        if word.endswith(written) and len(word) - len(written) >= 2:
            stems.add(word[: -len(written)] + declined)
    return stems


def surname_stem(surname: str) -> str:
    word = _name_form(fold(surname).lower())
    for ending in SURNAME_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_SURNAME_STEM:
            return word[: -len(ending)]
    return word


def _name_form(word: str) -> str:
    """A Belarusian surname in -аў/-оў/-ёў declines with в (Белавусаў, Белавусава): one stem."""
    return word[:-1] + "в" if word.endswith("ў") else word


def _first_name_stems(name: str) -> frozenset[str]:
    """A first name less each case ending it may have: two forms of one name share a stem
    (Андрей and Андрея: андре; Святлана and Святланай: святлан; Димка and Димкой: димк)."""
    return frozenset(
        {name}
        | {
            name[: -len(ending)]
            for ending in FIRST_NAME_CASE_ENDINGS
            if name.endswith(ending) and len(name) - len(ending) >= 2
        }
    )


@cache
def _full_first_names() -> dict[str, frozenset[str]]:
    """`DIMINUTIVES` as stems: each of the everyday form's to the full names'."""
    found: dict[str, set[str]] = {}
    for short, full in DIMINUTIVES.items():
        for stem in _first_name_stems(fold(short).lower()):
            found.setdefault(stem, set()).update(*(_first_name_stems(fold(f).lower()) for f in full))
    return {stem: frozenset(names) for stem, names in found.items()}


def _unmistakable(stem: str) -> bool:
    """A surname no everyday word shares: long, with a surname's own suffix (Лисовск-, Белавусав-).
    Short or plain ones (Мороз, Жук, Новик) are words too: they count only beside a first name."""
    return len(stem) >= MIN_UNMISTAKABLE_STEM and stem.endswith(SURNAME_SUFFIXES)


@lru_cache(maxsize=2)
def _name_index(_registry_version: str) -> _NameIndex:
    """Surname stems of everyone held for their views, in Russian and Belarusian."""
    by_stem: dict[str, set[int]] = {}
    first_names: dict[int, frozenset[str]] = {}
    rows = (
        Person.objects.published()
        .filter(status__in=IN_CUSTODY)
        .values_list("pk", "last_name_ru", "last_name_be", "first_name_ru", "first_name_be")
    )
    for pk, *names in rows.iterator(chunk_size=5000):
        last_ru, last_be, first_ru, first_be = names
        for surname in {last_ru, last_be} - {None, ""}:
            for stem in surname_stems(surname):
                if len(stem) >= MIN_NAME_STEM:
                    by_stem.setdefault(stem, set()).add(pk)
        first_names[pk] = frozenset().union(
            *(_first_name_stems(fold(n).lower()) for n in (first_ru, first_be) if n)
        )
    return _NameIndex({stem: frozenset(ids) for stem, ids in by_stem.items()}, first_names)


def prisoner_names(text: str, excluded: frozenset[int] = frozenset()) -> list[Finding]:
    """Where `text` names someone the registry holds in custody (other than `excluded`): for
    other apps' checks of what they publish (the magazine's safety review)."""
    text = (text or "")[:MAX_TEXT]
    return _prisoner_names(fold(text), text, excluded)


def _prisoner_names(folded: str, text: str, excluded: frozenset[int]) -> list[Finding]:
    index = _name_index(versioning.current_version())
    if not index.by_stem:
        return []
    findings = []
    signature = _signature_start(folded)
    words = list(CAPITALISED_WORD.finditer(folded))
    for position, match in enumerate(words):
        if match.start() >= signature:
            break  # the writer's own name and their family's ("Обнимаем, Ковалёвы")
        word = match.group().lower()
        stem, people = _people_named(word, index)
        people -= excluded
        if not people:
            continue
        before = folded[max(0, match.start() - 40) : match.start()].rstrip()  # enough for the words below
        if before.lower().endswith(NOT_A_NAME_AFTER):
            continue  # Дед Мороз
        rule = "prisoner_name"
        if not _unmistakable(stem):
            rule = _plain_surname(words, position, folded, stem, people, index)
        if rule:
            findings.append(Finding(rule, match.start(), match.end(), text[match.start() : match.end()]))
    return findings


def _plain_surname(
    words: list[re.Match], position: int, folded: str, stem: str, people: frozenset[int], index: _NameIndex
) -> str | None:
    """What a plain surname (Мороз, Жук, Новик: words too) says where it stands: a prisoner's
    name beside their first name in any case form or as a diminutive ("Оли Шелег", "Димкой
    Морозом"), or alone after a preposition in the middle of a sentence, where only a name takes
    a capital ("Пра Жук нічога не чуваць"); nothing at a sentence's start, where the word takes a
    capital too; otherwise a note (a family's name, "дядя Шелег", or the frost, "сильный Мороз")."""
    near = words[max(0, position - 1) : position + 2]
    neighbours = set().union(*(_first_name_stems(w.group().lower()) for w in near))
    neighbours |= {full for n in neighbours for full in _full_first_names().get(n, ())}
    if any(index.first_names.get(pk, frozenset()) & neighbours for pk in people):
        return "prisoner_name"
    start = words[position].start()
    if _starts_a_sentence(folded, start):
        return None
    before = folded[max(0, start - 40) : start].lower().split()
    if (before and before[-1] in KIN) or _beside_a_first_name(words, position, folded):
        return "surname"
    case_form = _name_form(words[position].group().lower())[len(stem) :] in CASE_FORM_ENDINGS
    if (case_form or (before and before[-1] in PREPOSITIONS)) and not TALES.search(
        _sentence_of(folded, start)
    ):
        return "prisoner_name"
    return "surname"


def _sentence_of(folded: str, position: int, reach: int = 300) -> str:
    """The sentence around `position` (at most `reach` characters each way)."""
    start = max(0, position - reach)
    before = folded[start:position]
    cut = max(before.rfind(end) for end in SENTENCE_END)
    after = folded[position : position + reach]
    stops = [i for i in (after.find(end) for end in SENTENCE_END) if i >= 0]
    return before[cut + 1 :] + after[: min(stops, default=len(after))]


def _beside_a_first_name(words: list[re.Match], position: int, folded: str) -> bool:
    """Whether a capitalised word a space before or after names someone: not a sentence's first
    word ("Пра Жук нічога...": the capital is the sentence's)."""
    word = words[position]
    for other in words[max(0, position - 1) : position + 2]:
        if other is word or not (other.end() + 1 == word.start() or word.end() + 1 == other.start()):
            continue
        if not _starts_a_sentence(folded, other.start()):
            return True
    return False


def _starts_a_sentence(folded: str, start: int) -> bool:
    """Whether only spaces stand between `start` and the text's start or a sentence's end."""
    position = start - 1
    while position >= 0 and folded[position] in " \t":
        position -= 1
    return position < 0 or folded[position] in SENTENCE_END


def _signature_start(folded: str) -> int:
    """Where the writer's signature begins: the last line, when it signs (a word such as
    "обнимаем", "семья", "ваши") or is names alone; the end of the text otherwise."""
    lines = folded.rstrip().rsplit("\n", 1)
    if len(lines) < 2:
        return len(folded)
    last = lines[1]
    words = re.findall(r"[^\W\d_][\w'-]*", last)
    names_only = bool(words) and all(word[0].isupper() for word in words)
    signs = SIGNATURE_WORDS & {word.lower() for word in words}
    if names_only or signs or last.lower().lstrip().startswith(SIGNATURE_OPENINGS):
        return len(lines[0]) + 1
    return len(folded)


def _people_named(word: str, index: _NameIndex) -> tuple[str, frozenset[int]]:
    word = _name_form(word)
    for cut in range(0, 4):
        stem, ending = (word[:-cut], word[-cut:]) if cut else (word, "")
        if ending in WORD_FORM_ENDINGS and stem in index.by_stem:
            return stem, index.by_stem[stem]
    return "", frozenset()


def explain(result: Result) -> str:
    """One line for a writer: how many things to change, or that the letter can go."""
    if result.ok:
        return gettext("Nothing found that would stop this letter.")
    count = len(result.to_change)
    return ngettext(
        "%(count)s thing to change before the letter can go.",
        "%(count)s things to change before the letter can go.",
        count,
    ) % {"count": count}


def counted(result: Result) -> str:
    """How long the text is against the most it should be, the numbers grouped as the language does."""
    return ngettext(
        "%(count)s of %(max)s character.", "%(count)s of %(max)s characters.", result.max_characters
    ) % {
        "count": number_format(result.characters, force_grouping=True),
        "max": number_format(result.max_characters, force_grouping=True),
    }


def segments(text: str, findings) -> list[tuple[str, str]]:
    """The text cut into (piece, rule) for showing it marked: rule is "" where nothing was found.
    Where findings overlap, the earliest wins; findings of the whole text (language) mark nothing."""
    marks = sorted(
        (f.start, f.end, f.rule) for f in findings if f.end > f.start and f.rule not in WHOLE_TEXT_RULES
    )
    pieces, position = [], 0
    for start, end, rule in marks:
        start = max(start, position)
        if end <= start:
            continue
        if start > position:
            pieces.append((text[position:start], ""))
        pieces.append((text[start:end], rule))
        position = end
    if position < len(text):
        pieces.append((text[position:], ""))
    return pieces
