"""The counter keeps what a pack's parts member brings (``parts.json``,
:mod:`repairdesk.sync.packs`): HQ's shipments to it and HQ's answers to its part requests,
in the ``sync_*`` tables of :mod:`repairdesk.models_parts`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from repairdesk.models_parts import SyncPartAnswer, SyncShipment


def store_member(s: Session, member: dict[str, Any], seq: int) -> None:
    for doc in member["shipments"]:
        s.merge(SyncShipment(id=int(doc["id"]), waybill=str(doc["waybill"]),
                             shipped_at=datetime.fromisoformat(str(doc["shipped_at"])),
                             lines=[dict(li) for li in doc["lines"]], pack_seq=seq))
    for doc in member["answers"]:
        s.merge(SyncPartAnswer(
            request_id=int(doc["request_id"]), outcome=str(doc["outcome"]), qty=int(doc["qty"]),
            reason=str(doc.get("reason") or ""), shipment_id=doc.get("shipment_id"),
            pack_seq=seq))
