"""Named actions: what an operation did, by a dotted name (`app.object.verb`, such as
`letters.letter.approved`), as the audit history stores it, with the words it shows for it.

Each app declares its names in its services, where the operations live; the history shows a name
nobody declared (an app since removed) as it is stored.
"""

import re

NAME = re.compile(r"[a-z_]+\.[a-z_]+\.[a-z_]+")

_labels: dict[str, object] = {}


def named(name: str, label) -> str:
    """Declares a named action and its label (lazily translated); returns the name."""
    if not NAME.fullmatch(name):
        raise ValueError(f"{name!r}: a named action is app.object.verb")
    _labels[name] = label
    return name


def label(name: str) -> str:
    return str(_labels.get(name, name))
