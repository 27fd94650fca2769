"""The printing use cases of the facade (``desk.printing``).

A slip is built from the facade's own read views (counter, ticket, 三包 decision), rendered,
sent, and the attempt is written to the print log in a transaction of its own: a printer
that fails never touches the ticket, and the store is never locked while a printer thinks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlmodel import Session, col, select

from repairdesk.acting import Acting, Area
from repairdesk.counter import read_counter
from repairdesk.db import Store
from repairdesk.errors import InputError, NotFound, RepairDeskError, StoreError
from repairdesk.i18n import _
from repairdesk.models import PrintLog, Ticket
from repairdesk.printing.model import CELLS, FORMATS, SLIPS, WIDTHS, Slip
from repairdesk.printing.views import PrintedSlip, PrintResult

# Building a slip and talking to printers are imported by the methods that print: the
# counter app loads this area with the facade on every start, before anything is printed.
if TYPE_CHECKING:
    from repairdesk.money.views import TicketMoneyView
    from repairdesk.printing.printers import Printer
    from repairdesk.printing.render_escpos import QrMode
    from repairdesk.printing.slip_data import EarlierRepair, SlipData
    from repairdesk.settings import Settings
    from repairdesk.tickets.facade import TicketDesk
    from repairdesk.tickets.guarantees import Guarantee
    from repairdesk.tickets.views import TicketView

STDOUT = "stdout"
SUFFIX_FORMATS = {".pdf": "pdf", ".txt": "text", ".bin": "escpos", ".prn": "escpos",
                  ".escpos": "escpos"}


class MoneyReads(Protocol):
    """What a pickup receipt reads of a ticket's money (``desk.money`` provides it)."""

    def pickup_guarantee(self, number: str, on: date) -> Guarantee | None: ...

    def ticket_money(self, number: str) -> TicketMoneyView: ...


class PrintingDesk(Area):
    """Render and print a ticket's slips; remember which were printed."""

    def __init__(self, store: Store, acting: Acting, tickets: TicketDesk,
                 money: MoneyReads) -> None:
        super().__init__(store, acting)
        self.tickets = tickets
        self.money = money

    # -- the slip as data ------------------------------------------------------------------

    def slip(self, number: str, slip: str) -> Slip:
        """The slip as data (sections, lines, QR payload), in the current language."""
        from repairdesk.printing.build import build_slip

        kind = check_slip(slip)
        return build_slip(kind, self._slip_data(number, kind, _settings()))

    def render_slip(self, number: str, slip: str, fmt: str = "text",
                    width: int | None = None) -> bytes | str:
        """The slip rendered: text (str), ESC/POS or PDF (bytes). Nothing is printed or logged.

        ``width``: 80 or 58 mm; for text and ESC/POS the settings' paper width when None,
        for PDF an A5 sheet when None (a device label: an 80 mm roll).
        """
        from repairdesk.printing.build import build_slip

        kind, fmt, width = check_slip(slip), check_format(fmt), check_width(width)
        settings = _settings()
        model = build_slip(kind, self._slip_data(number, kind, settings))
        return self._render(model, fmt, _width(fmt, width, settings, kind))

    # -- printing --------------------------------------------------------------------------

    def print_slip(self, number: str, slip: str, *, fmt: str | None = None,
                   width: int | None = None, printer: str | None = None,
                   out: Path | None = None) -> PrintResult:
        """Print one slip and log the attempt.

        Where: ``out`` (a file), else ``printer`` (a URI), else the settings' printer, else
        nowhere: the text slip comes back in ``PrintResult.data`` for the caller to show.
        Raises InputError for a bad slip/format/width/URI (nothing logged), NotFound for an
        unknown ticket, RepairDeskError with the reason when the printer fails (logged).
        """
        self.tickets.trust.require("printing.print_slip")
        from repairdesk.printing.build import build_slip
        from repairdesk.printing.printers import PrinterError, parse_printer, send

        kind = check_slip(slip)
        fmt = check_format(fmt) if fmt is not None else None
        width = check_width(width)
        settings = _settings()
        target: Printer | None = None
        if out is None:
            uri = printer or settings.printer
            target = parse_printer(uri) if uri else None
        fmt = fmt or _default_format(settings, out, target)
        paper = _width(fmt, width, settings, kind)
        model = build_slip(kind, self._slip_data(number, kind, settings))
        rendered = self._render(model, fmt, paper, qr=target.qr if target else "native")
        # Thermal printers read text as GB18030; files and print queues get UTF-8.
        thermal = target is not None and target.kind != "cups"
        payload = _bytes(rendered, "gb18030" if thermal else "utf-8")
        where = f"file:{out}" if out is not None else target.uri if target else STDOUT
        now = self.clock()
        detail = ""
        try:
            if out is not None:
                _write_out(out, payload)
            elif target is not None:
                detail = send(target, payload, escpos=fmt == "escpos",
                              title=f"{model.title} {model.number}")
        except (PrinterError, OSError) as exc:
            reason = exc.message if isinstance(exc, PrinterError) else _(
                "print.err_device", printer=where, error=exc.strerror or str(exc))
            self._log(model.number, kind, fmt, where, now, ok=False, error=reason)
            raise RepairDeskError(_("print.failed", slip=_(f"print.slip.{kind}"),
                                    reason=reason)) from exc
        self._log(model.number, kind, fmt, where, now, ok=True)
        return PrintResult(
            ticket=model.number, slip=kind, fmt=fmt, width=paper, printer=where, at=now,
            size=len(payload), data=rendered if where == STDOUT else None, detail=detail,
        )

    def printed_slips(self, number: str) -> list[PrintedSlip]:
        """The ticket's print log, oldest first (failed attempts included)."""
        with self.store.read() as s:
            ticket_id = _ticket_id(s, number)
            rows = s.exec(select(PrintLog).where(PrintLog.ticket_id == ticket_id)
                          .order_by(col(PrintLog.at), col(PrintLog.id))).all()
            return [PrintedSlip(r.slip, r.fmt, r.printer, r.at, r.user, r.ok, r.error)
                    for r in rows]

    # -- internals -------------------------------------------------------------------------

    def _log(self, number: str, slip: str, fmt: str, printer: str, at: datetime, *, ok: bool,
             error: str = "") -> None:
        with self.store.write() as s:
            s.add(PrintLog(ticket_id=_ticket_id(s, number), slip=slip, fmt=fmt, printer=printer,
                           at=at, user=self.user, ok=ok, error=error))

    def _render(self, model: Slip, fmt: str, width: int | None,
                qr: QrMode = "native") -> bytes | str:
        if fmt == "text":
            from repairdesk.printing.render_text import render_text

            return render_text(model, CELLS[width or 80])
        if fmt == "escpos":
            from repairdesk.printing.render_escpos import render_escpos

            return render_escpos(model, CELLS[width or 80], qr=qr)
        from repairdesk.printing.pdf_canvas import paper_for
        from repairdesk.printing.render_pdf import render_pdf

        return render_pdf(model, paper_for(width), created=self.clock())

    def _slip_data(self, number: str, kind: str, settings: Settings) -> SlipData:
        from repairdesk.printing.slip_data import SlipData

        with self.store.read() as s:
            counter = read_counter(s)
        if counter is None:
            raise StoreError(_("core.counter_not_set"))
        view = self.tickets.ticket(number)
        now = self.clock()
        tz = now.tzinfo or now.astimezone().tzinfo
        assert tz is not None
        handed_in = view.repair.handed_in if view.repair else view.created.astimezone(tz).date()
        data = SlipData(
            counter=counter, ticket=view, tz=tz, today=now.date(),
            at_intake=self._decision(view.ticket, handed_in) if kind == "intake" else None,
            terms=settings.print_terms, unclaimed_days=max(1, settings.unclaimed_days),
        )
        if kind == "pickup":
            guarantee = self.money.pickup_guarantee(view.ticket, data.handed_back)
            money_view = self.money.ticket_money(view.ticket)
            data = replace(data, guarantee=guarantee, money=money_view)
        if kind == "record":
            data = replace(data, earlier=tuple(self._earlier_repairs(view)))
        return data

    def _decision(self, number: str, on: date) -> dict[str, Any] | None:
        try:
            return self.tickets.warranty(number, on=on)
        except Exception:  # noqa: BLE001 - whatever the engine says, the slip still prints
            return None  # an undecidable claim prints as "to be checked"

    def _earlier_repairs(self, view: TicketView) -> list[EarlierRepair]:
        """Repairs of the same phone on earlier tickets, oldest first (the 三包凭证's table)."""
        from repairdesk.printing.slip_data import EarlierRepair

        found = self.tickets.lookup(view.device["imei"]).tickets
        earlier = [t for t in found if t.ticket != view.ticket and t.created < view.created]
        out = []
        for summary in sorted(earlier, key=lambda t: t.created):
            other = self.tickets.ticket(summary.ticket)
            if other.repair:
                out.append(EarlierRepair(other.ticket, tuple(other.faults), other.repair))
        return out


# -- checks and defaults -----------------------------------------------------------------


def check_slip(slip: str) -> str:
    kind = slip.strip().lower()
    if kind not in SLIPS:
        raise InputError("slip", _("print.err_bad_slip", slip=slip, choices=", ".join(SLIPS)))
    return kind


def check_format(fmt: str) -> str:
    value = fmt.strip().lower()
    if value not in FORMATS:
        raise InputError("format", _("print.err_bad_format", fmt=fmt,
                                     choices=", ".join(FORMATS)))
    return value


def check_width(width: int | None) -> int | None:
    if width is not None and width not in WIDTHS:
        raise InputError("width", _("print.err_bad_width", width=width))
    return width


def _settings() -> Settings:
    from repairdesk.settings import load_settings

    settings = load_settings()
    if settings.print_format is not None:
        check_format(settings.print_format)
    if settings.print_width not in WIDTHS:
        raise InputError("print_width", _("print.err_bad_width", width=settings.print_width))
    return settings


def _width(fmt: str, width: int | None, settings: Settings, kind: str) -> int | None:
    if width is not None:
        return width
    if fmt == "pdf":
        return 80 if kind == "label" else None  # an A5 sheet, except for the small label
    return settings.print_width


def _default_format(settings: Settings, out: Path | None, target: Printer | None) -> str:
    if out is not None:
        return SUFFIX_FORMATS.get(out.suffix.lower()) or settings.print_format or "text"
    if target is None:
        return settings.print_format or "text"
    return settings.print_format or ("pdf" if target.kind == "cups" else "escpos")


def _bytes(rendered: bytes | str, encoding: str) -> bytes:
    return rendered if isinstance(rendered, bytes) else rendered.encode(encoding)


def _write_out(path: Path, data: bytes) -> None:
    from repairdesk.printing.printers import PrinterError

    try:
        path.write_bytes(data)
    except OSError as exc:
        raise PrinterError(_("print.err_out", path=str(path),
                             error=exc.strerror or str(exc))) from exc


def _ticket_id(s: Session, number: str) -> int:
    found = s.exec(select(Ticket.id).where(Ticket.number == number.strip().upper())).first()
    if found is None:
        raise NotFound(_("core.ticket_not_found", number=number.strip()))
    return int(found)
