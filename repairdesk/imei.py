"""IMEIs as people and scanners type them, checked with python-stdnum; TAC brand/model.

python-stdnum is imported by the functions that check (its helpers import pydoc and more,
about a megabyte): this module comes with the facade, which the counter app loads on every
start, and an IMEI is checked only once one is typed or scanned.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.paths import data_dir

# What scanners and people put around the digits: spaces, dashes, dots, slashes, newlines.
_SEPARATORS = re.compile(r"[\s\-./_]+")


def digits(raw: str) -> str:
    """The digits of ``raw`` (full-width folded), or '' if anything else is in it."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    return text if text.isdigit() else ""


def parse_imei(raw: str, field: str = "imei") -> str:
    """The normalised 15-digit IMEI, or :class:`InputError` saying what to type instead."""
    from stdnum import imei as stdnum_imei
    from stdnum import luhn

    number = digits(raw)
    if not number:
        raise InputError(field, _("core.imei_not_digits"))
    if len(number) == 16:
        # An IMEISV (14 digits + 2-digit software version) has no check digit of its own.
        imei = number[:14] + luhn.calc_check_digit(number[:14])
        raise InputError(field, _("core.imei_is_imeisv", imei=imei, body=number[:14]))
    if len(number) == 14:
        check = luhn.calc_check_digit(number)
        raise InputError(field, _("core.imei_missing_check", check=check))
    if len(number) != 15:
        raise InputError(field, _("core.imei_length", count=len(number)))
    if not stdnum_imei.is_valid(number):
        raise InputError(field, _("core.imei_bad_check"))
    return number


def is_valid_imei(number: str) -> bool:
    from stdnum import imei as stdnum_imei

    return len(number) == 15 and stdnum_imei.is_valid(number)


@dataclass(frozen=True)
class TacInfo:
    tac: str
    brand: str
    model: str
    learned: bool = False


@cache
def shipped_tacs() -> dict[str, tuple[str, str]]:
    """data/tac.csv (Osmocom TAC database, CC BY-SA 3.0) as TAC -> (brand, model)."""
    with (data_dir() / "tac.csv").open(encoding="utf-8", newline="") as fh:
        return {row["tac"]: (row["brand"], row["model"]) for row in csv.DictReader(fh)}


def shipped_tac(imei: str) -> TacInfo | None:
    found = shipped_tacs().get(imei[:8])
    return TacInfo(imei[:8], *found) if found else None


TAC_CREDIT = "TAC data: Osmocom TAC database, (c) Harald Welte 2016, CC BY-SA 3.0"
