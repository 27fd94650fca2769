"""The checks of a claim line: pure functions over the line's facts
(:mod:`repairdesk.hq.settle_facts`), the card in force and the other lines it meets.

Each finding is ``{code, outcome, params}``: ``reject`` (not paid), ``hold`` (waits for
something: the faulty part, a card, a cost), ``flag`` (paid, but a reviewer should look)
or ``cut`` (paid at the card's figure, not the claimed one). The words are
:func:`repairdesk.settle_reasons.reason`'s; the params are plain values (amounts as yuan
text) so the same finding reads the same at HQ and at the counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from repairdesk import ratecard
from repairdesk.amounts import fen_to_text
from repairdesk.hq.settle_facts import COVERING, WORDS, when
from repairdesk.i18n import _
from repairdesk.ratecard import Earning, RateCard

#: A phone back within this many days of an earlier claimed repair is a repeat.
REPEAT_DAYS = 90
OUTCOMES = ("reject", "hold", "flag", "cut")


@dataclass(frozen=True)
class Other:
    """Another claim line, as the duplicate and repeat checks compare it."""

    id: int
    counter: str
    ticket_id: int
    ticket: str
    imei: str | None
    handed_in: date | None
    handed_back: date | None
    fault: str | None


def earning(facts: dict[str, Any], card: RateCard | None) -> Earning | None:
    """What the line earns by ``card`` (parts at HQ's cost, those without one left out:
    the line is held for them); None without a card or a grade."""
    grade = facts.get("grade")
    if card is None or grade not in ratecard.GRADES:
        return None
    parts = [(int(p["qty"]), int(p["cost_fen"])) for p in facts["parts"]
             if p.get("cost_fen") is not None]
    return ratecard.earn(card, grade, facts["counter"].get("level"), parts)


def run(facts: dict[str, Any], *, line_id: int | None, card: RateCard | None,
        earned: Earning | None, others: list[Other], blacklisted: str | None,
        today: date) -> list[dict[str, Any]]:
    """Every finding on one line, in the table's order."""
    found: list[dict[str, Any]] = []

    def add(code: str, outcome: str, **params: Any) -> None:
        found.append({"code": code, "outcome": outcome, "params": params})

    back = when(facts, "handed_back")
    came = when(facts, "handed_in")
    _sanbao(facts, add)
    if facts["exclusions"]:
        add("exclusion", "reject", exclusions=list(facts["exclusions"]))
    counter = facts["counter"]
    if counter["state"] in ("suspended", "retired") and back is not None:
        add("counter_state", "reject", state=counter["state"], day=back.isoformat())
    start, end = counter.get("agreement_start"), counter.get("agreement_end")
    if back is not None and ((start and back.isoformat() < start)
                             or (end and back.isoformat() > end)):
        add("outside_agreement", "reject", day=back.isoformat(), start=start or "-",
            end=end or "-")
    me = facts["ticket"]
    imei = facts["device"].get("imei")
    for other in others:
        if other.id == line_id or other.ticket_id == me["id"] and other.counter == _code(facts):
            continue
        if other.counter != _code(facts) or (line_id is not None and other.id > line_id):
            continue  # the first line of a ticket entered twice is the one paid
        if other.ticket == me["number"] or (
                imei and other.imei == imei and other.handed_in == came
                and other.fault == facts.get("fault")):
            add("duplicate", "reject", line=other.id, ticket=other.ticket)
            break
    if facts["remedy"] == "repair" and not facts.get("grade"):
        add("no_grade", "reject")
    if card is None:
        add("no_card", "hold", day=back.isoformat() if back else "-")
    for part in facts["parts"]:
        if part["old_part"] == "refused":
            add("part_refused", "hold", part=_part_name(part), ticket=me["number"],
                amount=fen_to_text(earned.total_fen) if earned else "0.00")
        elif part["old_part"] != "sent" and card is not None and back is not None:
            due = back + timedelta(days=card.return_days)
            add("part_not_returned", "hold", part=_part_name(part), ticket=me["number"],
                due=due.isoformat(),
                amount=fen_to_text(earned.total_fen) if earned else "0.00",
                overdue=today > due)
    for part in facts["parts"]:
        if part.get("cost_fen") is None:
            add("no_cost", "hold", part=_part_name(part))
    if imei and came is not None:
        for other in sorted(others, key=lambda o: o.id):
            if other.id == line_id or other.imei != imei or other.handed_back is None:
                continue
            if other.counter == _code(facts) and other.ticket_id == me["id"]:
                continue
            days = (came - other.handed_back).days
            if 0 <= days <= REPEAT_DAYS:
                add("repeat", "flag", imei=imei, days=days, counter=other.counter,
                    ticket=other.ticket, line=other.id)
                break
    if blacklisted is not None and imei:
        add("blacklisted", "flag", imei=imei, reason=blacklisted or "-")
    for part in facts["parts"]:
        cost = part.get("cost_fen")
        if cost is not None and int(part["claimed_fen"]) > int(cost):
            add("cut_to_card", "cut", part=_part_name(part),
                claimed=fen_to_text(int(part["claimed_fen"])), cost=fen_to_text(int(cost)))
    if earned is not None and earned.capped and card is not None:
        add("capped", "cut", cap=fen_to_text(card.cap_fen))
    return found


def _code(facts: dict[str, Any]) -> str:
    return str(facts["counter"].get("code", ""))


def _sanbao(facts: dict[str, Any], add: Any) -> None:
    """not_covered / undecidable: a remedy is due when the engine grants it on the day the
    phone came in or on the day it went back."""
    decisions = [facts["sanbao"]["handed_in"], facts["sanbao"]["handed_back"]]
    wanted = COVERING[facts["remedy"]]
    if any(d["covered"] and any(r in d["remedies"] for r in wanted) for d in decisions):
        return
    missing = next((d["undecidable"] for d in decisions if d["undecidable"]), None)
    if missing is not None and all(d["undecidable"] or not d["covered"] for d in decisions) \
            and not any(d["reasons"] for d in decisions):
        from repairdesk.fields import label

        add("undecidable", "reject", fact=label(missing))
        return
    decided = next((d for d in reversed(decisions) if not d["undecidable"]), decisions[-1])
    articles = decided["articles"]
    add("not_covered", "reject", article=", ".join(articles) if articles else "-",
        reason=_reasons(decided, facts["remedy"]))


def _reasons(decided: dict[str, Any], remedy: str) -> str:
    """The engine's own words when it refused; when it covered the phone but not with
    this remedy, that."""
    if decided["covered"] or not decided.get(WORDS):
        return _("settlecheck.remedy_not_offered", remedy=_(f"settlecheck.remedy_{remedy}"))
    skip = {"in_period", "costs", "calendar_missing"}
    words = [w for code, w in zip(decided["reasons"], decided[WORDS], strict=False)
             if code not in skip]
    return " ".join(words or decided[WORDS])


def _part_name(part: dict[str, Any]) -> str:
    name = part.get("name") or ""
    return f"{part['part_number']} {name}".strip()


def status(checks: list[dict[str, Any]]) -> str:
    """The state a line is in before anyone reviews it."""
    outcomes = {c["outcome"] for c in checks}
    if "reject" in outcomes:
        return "rejected"
    if "hold" in outcomes:
        return "held"
    return "pending"
