"""Terms and dates said as a person would say them: "5 years 6 months", "1 year 8 months left"."""

import calendar
import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarity.registry.models import Sentence


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from start to end (0 if end is not after start)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(0, months)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def duration(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(count)d year", "%(count)d years", years) % {"count": years})
    if rest:
        parts.append(ngettext("%(count)d month", "%(count)d months", rest) % {"count": rest})
    return " ".join(parts) or _("less than a month")


def sentence_in_words(
    sentence: Sentence, since: datetime.date | None, today: datetime.date, *, held: bool = False
) -> str:
    """ "5 years, medium-security penal colony, since 12 March 2021; 1 year 8 months left". For
    someone `held` past the end of their term, says so instead of implying they are free."""
    parts = []
    if sentence.term_months:
        parts.append(duration(sentence.term_months))
    if sentence.regime:
        parts.append(str(sentence.get_regime_display()))
    text = ", ".join(parts) or _("sentence not known")
    if since:
        text = _("%(sentence)s, since %(date)s") % {"sentence": text, "date": date_format(since, "j E Y")}
        if sentence.term_months:
            ends = add_months(since, sentence.term_months)
            if ends > today:
                left = duration(months_between(today, ends))
                text = _("%(sentence)s; %(left)s left") % {"sentence": text, "left": left}
            elif held:
                text = _(
                    "%(sentence)s; the term ended on %(date)s, yet they are still held: "
                    "a new case, or a release we have no news of yet"
                ) % {"sentence": text, "date": date_format(ends, "j E Y")}
            else:
                text = _("%(sentence)s; the term ended on %(date)s") % {
                    "sentence": text,
                    "date": date_format(ends, "j E Y"),
                }
    return text
