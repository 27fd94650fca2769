"""A slip as data: what is printed, before anyone decides how.

Every renderer (text, ESC/POS, PDF) walks the same :class:`Slip`, so the four slips read the
same on a thermal roll, in a terminal and on A5 paper. Strings are already translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SLIPS = ("intake", "label", "pickup", "record")
FORMATS = ("text", "escpos", "pdf")
WIDTHS = (80, 58)
# Characters per line of an 80 mm / 58 mm thermal roll in its standard 12x24 font; a Chinese
# character takes two of them, exactly like a terminal cell.
CELLS = {80: 48, 58: 32}


@dataclass(frozen=True)
class Field:
    """A label and its value: ``IMEI  352099001761481``."""

    label: str
    value: str


@dataclass(frozen=True)
class Text:
    """A paragraph; ``small`` for terms and notes."""

    text: str
    small: bool = False


@dataclass(frozen=True)
class Signature:
    """A line to sign on, with a date to write by hand."""

    label: str


Line = Field | Text | Signature


@dataclass(frozen=True)
class Section:
    """Lines under an optional title; ``boxed`` asks a sheet for a ruled form (the record)."""

    title: str | None
    lines: tuple[Line, ...]
    boxed: bool = False


@dataclass(frozen=True)
class Slip:
    """One slip of one ticket.

    ``number`` is printed in large type; ``qr`` is what the QR code encodes (exactly the
    ticket number, so a scan into the lookup field opens the ticket) or None for no code.
    """

    kind: str
    title: str
    number: str
    qr: str | None
    header: tuple[str, ...] = ()
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def texts(self) -> list[str]:
        """Every string on the slip, in reading order (for checks and for search)."""
        out = [*self.header, self.title, self.number]
        for section in self.sections:
            if section.title:
                out.append(section.title)
            for line in section.lines:
                if isinstance(line, Field):
                    out += [line.label, line.value]
                elif isinstance(line, Text):
                    out.append(line.text)
                else:
                    out.append(line.label)
        return out
