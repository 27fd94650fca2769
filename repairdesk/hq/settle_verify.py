"""A month's statements proved again from what HQ keeps: each frozen line re-priced with
the rate card version and the price its document names (:func:`repairdesk.ratecard.earn`,
the rule every line was priced by), the lines in the database compared with the document,
the totals recomputed, the SHA-256 and HQ's signature checked. Equal to the fen, or every
difference named."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk import ratecard
from repairdesk.hq import schema, settle_close
from repairdesk.sync import seal

#: The columns a frozen line may never change after its statement.
FROZEN = ("amount_fen", "approved_fen", "labour_fen", "parts_fen", "status", "kind")


def verify_statement(conn: Connection, m: Any, public_key: str | None,
                     cards: dict[int, ratecard.RateCard]) -> list[dict[str, Any]]:
    document = m["document"]
    found: list[dict[str, Any]] = []

    def differs(what: str, where: object, frozen: object, now: object) -> None:
        if frozen != now:
            found.append({"what": what, "where": where, "frozen": frozen, "now": now})

    differs("sha256", "statement", m["sha256"], seal.digest(document))
    if public_key is None or not seal.signature_valid(public_key, m["sha256"], m["signature"]):
        found.append({"what": "signature", "where": "statement", "frozen": m["signature"][:16],
                      "now": None})
    final = [*document["approved"], *document["rejected"], *document["adjustments"]]
    for line in final:
        card = cards.get(line["card_version"]) if line["card_version"] is not None else None
        if line["kind"] == "claim" and card is not None and line["grade"]:
            earned = ratecard.earn(card, line["grade"], line["level"],
                                   [(int(p["qty"]), int(p["cost_fen"] or 0))
                                    for p in line["parts"]])
            differs("amount_fen", line["id"], line["amount_fen"], earned.total_fen)
        if line["status"] == "approved" and line["kind"] == "claim":
            approved = line["approved_fen"] or 0
            if approved > line["amount_fen"]:
                differs("approved_fen", line["id"], line["amount_fen"], approved)
    lines = schema.table("hq_claim_line")
    stored = {row.id: row._mapping for row in conn.execute(
        sa.select(lines).where(lines.c.statement_id == m["id"]))}
    differs("lines", "statement", sorted(d["id"] for d in final), sorted(stored))
    for line in final:
        row = stored.get(line["id"])
        if row is None:
            continue
        for column in FROZEN:
            differs(column, line["id"], line[column], row[column])
    approved = [d for d in document["approved"]]
    differs("totals", "statement", document["totals"],
            settle_close.totals(approved, document["adjustments"]))
    differs("total_fen", "statement", m["total_fen"], document["totals"]["total_fen"])
    return found
