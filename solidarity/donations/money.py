"""Amounts are integers in the currency's minor units (cents), never floats: what a donor types is
read as a decimal and turned into minor units here, and shown from them here."""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format

# ISO 4217 currencies whose minor unit is not a hundredth (as Stripe counts them).
_EXPONENTS = {
    **dict.fromkeys(
        (
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "JPY",
            "KMF",
            "KRW",
            "MGA",
            "PYG",
            "RWF",
            "UGX",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "JOD", "KWD", "OMR", "TND"), 3),
}


# The smallest card gift, in major units: Stripe's smallest charge where it is above one unit.
_SMALLEST = {
    "AED": 2,
    "CZK": 15,
    "DKK": 3,
    "HKD": 4,
    "HUF": 175,
    "JPY": 50,
    "MXN": 10,
    "MYR": 2,
    "NOK": 3,
    "PLN": 2,
    "RON": 2,
    "SEK": 3,
    "THB": 10,
}


def smallest_gift(currency: str) -> Decimal:
    return Decimal(_SMALLEST.get(currency.upper(), 1))


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def to_minor(amount: Decimal | str, currency: str) -> int:
    """`12.5` EUR is 1250; an amount finer than the currency's minor unit is refused."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {amount!r}") from error
    minor = value.scaleb(exponent(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{amount} {currency} is finer than its smallest unit")
    return int(minor)


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def decimal_string(minor: int, currency: str) -> str:
    """As providers' APIs take it: 1250 EUR is "12.50"."""
    places = exponent(currency)
    return f"{to_major(minor, currency):.{places}f}"


def shown(minor: int, currency: str) -> str:
    """In the interface language's digits and grouping; cents only when there are any."""
    value = to_major(minor, currency)
    places = exponent(currency) if value != value.to_integral_value() else 0
    return f"{number_format(value, places, force_grouping=True)}\u00a0{currency.upper()}"
