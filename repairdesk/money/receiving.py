"""Receiving a shipment from HQ, line by line.

The shipment is the one HQ's pack brought (``sync_shipment``). Each line is received as
shipped unless the counter says otherwise: fewer came, or some came damaged; either needs a
reason. What came good goes into stock (a ``received`` move at HQ's cost, the waybill its
reference); the receipt (``shipment_receipt``) travels to HQ in the next batch. A shipment
is received once.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from repairdesk.amounts import fen_to_text
from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.i18n import _, zh_or_en
from repairdesk.models import Part
from repairdesk.models_parts import ShipmentReceipt, SyncShipment
from repairdesk.money import catalogue, stock
from repairdesk.money.parts_views import ShipmentLineView, ShipmentView


def receive(s: Session, shipment_id: int, received: dict[int, int], damaged: dict[int, int],
            reasons: dict[int, str], now: datetime, user: str) -> None:
    shipment = s.get(SyncShipment, shipment_id)
    if shipment is None:
        raise InputError("shipment", _("parts.no_shipment", shipment=shipment_id))
    done = s.exec(select(ShipmentReceipt).where(
        ShipmentReceipt.shipment_id == shipment_id)).first()
    if done is not None:
        raise InputError("shipment", _("parts.shipment_received", shipment=shipment_id,
                                       at=done.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                                       user=done.user))
    numbers = {int(li["line"]) for li in shipment.lines}
    for given in (received, damaged, reasons):
        for line in given:
            if line not in numbers:
                raise InputError("shipment_line", _("parts.no_such_line", line=line,
                                           lines=", ".join(map(str, sorted(numbers)))))
    rows = []
    for li in shipment.lines:
        line, shipped = int(li["line"]), int(li["qty"])
        bad = damaged.get(line, 0)
        good = received.get(line, shipped - bad)
        if bad < 0 or good < 0 or good + bad > shipped:
            raise InputError("qty", _("parts.receipt_qty", line=line, good=good, bad=bad,
                                      shipped=shipped))
        reason = check_text("reason", reasons.get(line, ""))
        if (good < shipped) and not reason:
            raise InputError("reason", _("parts.receipt_reason", line=line, good=good,
                                         shipped=shipped))
        part = catalogue.get_part(s, str(li["part_number"]))
        rows.append((li, part, good, bad, reason))
    for li, part, good, bad, reason in rows:
        if good:
            stock.record(s, part, "received", good, now=now, user=user,
                         ref=f"{shipment.waybill} #{shipment.id}", cost_fen=int(li["cost_fen"]))
        s.add(ShipmentReceipt(shipment_id=shipment.id, line=int(li["line"]),
                              part_id=part.id, shipped=int(li["qty"]),  # type: ignore[arg-type]  # stored: its id is set
                              received=good, damaged=bad, reason=reason, at=now, user=user))
    s.flush()


def views(s: Session, only: int | None = None) -> list[ShipmentView]:
    query = select(SyncShipment).order_by(col(SyncShipment.id))
    if only is not None:
        query = query.where(SyncShipment.id == only)
    shipments = list(s.exec(query))
    receipts: dict[int, dict[int, ShipmentReceipt]] = {}
    for r in s.exec(select(ShipmentReceipt).where(
            col(ShipmentReceipt.shipment_id).in_([x.id for x in shipments]))):
        receipts.setdefault(r.shipment_id, {})[r.line] = r
    names = {p.part_number: zh_or_en(p.name_zh, p.name_en) for p in s.exec(select(Part))}
    found = []
    for x in shipments:
        got = receipts.get(x.id, {})
        first = next(iter(got.values()), None)
        found.append(ShipmentView(
            id=x.id, waybill=x.waybill, shipped_at=x.shipped_at,
            received_at=first.at if first else None, received_by=first.user if first else None,
            lines=[ShipmentLineView(
                line=int(li["line"]), part_number=str(li["part_number"]),
                name=names.get(str(li["part_number"]), ""), shipped=int(li["qty"]),
                cost=fen_to_text(int(li["cost_fen"])), free=bool(li.get("free")),
                request=li.get("request_id"),
                received=got[int(li["line"])].received if int(li["line"]) in got else None,
                damaged=got[int(li["line"])].damaged if int(li["line"]) in got else None,
                reason=got[int(li["line"])].reason if int(li["line"]) in got else "")
                for li in x.lines]))
    return found
