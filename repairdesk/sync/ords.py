"""Open Repair Data Standard v0.3 CSV: one row per closed repair, no personal data.

Written the same way at the counter (its own tickets) and at HQ (every counter's), from the
same query over tables of the same shape. What a ticket becomes:

- ``id``: ``<prefix>_<counter code in base 36 as a number><YYYYMMDD><sequence, 6 digits>``,
  taken from the ticket number, so it is stable across exports and the same at the counter
  and at HQ, and two counters never share one.
- ``repair_status``: collected (always after repair and quality check) → ``Fixed``; returned
  unrepaired (declined quote, parts not to be had) → ``Repairable``; exchanged or refunded
  under 三包 (the phone was replaced, its repair outcome not recorded) and cancelled →
  ``Unknown``. ``End of life`` needs a recorded barrier, which the counter does not record
  yet, so it is not produced today. A ticket still open (including one sent out to a higher
  level centre) is not a closed repair and is left out.
- ``event_date``: the local date of the ticket's last status move (the one that closed it).
- ``problem``: the fault names (English), the customer's description, the cause and the
  action, on one line, scrubbed of names, phone numbers, e-mail addresses and any run of 8+
  digits (IMEIs, serial numbers).
"""

from __future__ import annotations

import csv
import re
from collections import Counter as Tally
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.paths import data_dir
from repairdesk.tickets.views import device_name
from repairdesk.tickets.workflow import TERMINAL
from repairdesk.whole_file import write_whole

#: China has one time zone and no daylight saving: local dates are UTC+8.
CHINA_TZ = timezone(timedelta(hours=8), "CST")
HEADER = (
    "id", "data_provider", "country", "partner_product_category", "product_category",
    "product_category_id", "brand", "year_of_manufacture", "product_age", "repair_status",
    "repair_barrier_if_end_of_life", "group_identifier", "event_date", "problem",
)
STATUS = {
    "collected": "Fixed",
    "returned_unrepaired": "Repairable",
    "exchanged": "Unknown",
    "refunded": "Unknown",
    "cancelled": "Unknown",
}
BARRIERS = (
    "Spare parts not available", "Spare parts too expensive", "No way to open product",
    "Repair information not available", "Lack of equipment", "Item too worn out",
)
CATEGORY = "Mobile"
PREFIX = re.compile(r"^[a-z]+$")
COUNTRY = re.compile(r"^[A-Z]{3}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number, IMEI or serial: 8+ digits, possibly split by spaces, dashes, dots, brackets.
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s\-./()]*\d){7,}")
_SPACES = re.compile(r"\s+")
REMOVED = "[removed]"


@dataclass(frozen=True)
class ClosedRepair:
    """What ORDS needs of one closed ticket (plus the name, only to scrub it out)."""

    counter: str
    number: str
    status: str
    brand: str | None
    model: str | None
    production_date: date | None
    sale_date: date | None
    closed_on: date
    faults: list[str]
    description: str
    cause: str
    action: str
    customer_name: str
    barrier: str | None = None


@cache
def categories() -> dict[str, int]:
    """The ORDS v0.3 product-category codelist (data/ords/, CC BY-SA 4.0)."""
    path = data_dir() / "ords" / "OpenRepairData_v0.3_Product_Categories.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["product_category"]: int(row["product_category_id"])
                for row in csv.DictReader(fh)}


def ords_id(prefix: str, number: str) -> str:
    counter, day, seq = number.rsplit("-", 2)
    return f"{prefix}_{int(counter, 36)}{day}{int(seq):06d}"


def scrub(text: str, names: Iterable[str] = ()) -> str:
    """``text`` on one line without e-mail addresses, long digit runs or the given names."""
    text = _EMAIL.sub(REMOVED, text)
    text = _LONG_NUMBER.sub(REMOVED, text)
    for name in sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(re.escape(name), REMOVED, text, flags=re.IGNORECASE)
    return _SPACES.sub(" ", text).strip()


def _age(base: date | None, on: date) -> str:
    if base is None or base > on:
        return ""
    return f"{(on - base).days / 365.25:.1f}"


def ords_row(repair: ClosedRepair, provider: str, prefix: str, country: str) -> dict[str, str]:
    status = STATUS[repair.status] if repair.barrier is None else "End of life"
    made = repair.production_date
    fault_names = "; ".join(_(f"fault.{f}", lang="en") for f in repair.faults)
    parts = [fault_names, repair.description, repair.cause, repair.action]
    return {
        "id": ords_id(prefix, repair.number),
        "data_provider": provider,
        "country": country,
        "partner_product_category": scrub(
            f"{CATEGORY} ~ {device_name(repair.brand, repair.model) or 'Unknown'}"),
        "product_category": CATEGORY,
        "product_category_id": str(categories()[CATEGORY]),
        "brand": (repair.brand or "").strip() or "Unknown",
        "year_of_manufacture": str(made.year) if made else "",
        # From the production date when known (so it agrees with the year), else the sale date.
        "product_age": _age(made or repair.sale_date, repair.closed_on),
        "repair_status": status,
        "repair_barrier_if_end_of_life": repair.barrier or "",
        "group_identifier": repair.counter,
        "event_date": repair.closed_on.isoformat(),
        "problem": scrub(" | ".join(p for p in parts if p and p.strip()),
                         [repair.customer_name]),
    }


def check_options(provider: str, prefix: str, country: str) -> None:
    if not provider.strip():
        raise InputError("--provider", _("core.required"))
    if not PREFIX.match(prefix):
        raise InputError("--prefix", _("sync.ords_prefix_invalid", prefix=prefix))
    if not COUNTRY.match(country):
        raise InputError("--country", _("sync.ords_country_invalid", country=country))


def write_ords(path: Path, repairs: Iterable[ClosedRepair], *, provider: str, prefix: str,
               country: str) -> Tally[str]:
    """Write the CSV (UTF-8, no BOM, LF, RFC 4180 quoting); returns rows per repair status."""
    check_options(provider, prefix, country)
    categories()  # read before the file is opened: a missing codelist is not a write error
    tally: Tally[str] = Tally()

    def write(part: Path) -> None:
        with part.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, HEADER, lineterminator="\n")
            writer.writeheader()
            for repair in repairs:
                row = ords_row(repair, provider.strip(), prefix, country)
                tally[row["repair_status"]] += 1
                writer.writerow(row)

    write_whole(path, write)
    return tally


def _on(left: Any, right: Any, condition: Any) -> Any:
    """A join condition; at HQ rows of two counters only meet when their counter is the same."""
    if "hq_counter" in left.c and "hq_counter" in right.c:
        return sa.and_(condition, left.c.hq_counter == right.c.hq_counter)
    return condition


def closed_repairs(
    conn: Connection,
    tables: Mapping[str, sa.Table],
    *,
    since: date | None = None,
    counter: str | None = None,
) -> Iterator[ClosedRepair]:
    """Closed tickets from counter tables or HQ's copies of them (``tables`` by name)."""
    t, d, c = tables["ticket"], tables["device"], tables["customer"]
    r, m = tables["repair_record"], tables["status_move"]
    group = [m.c.ticket_id, *([m.c.hq_counter] if "hq_counter" in m.c else [])]
    last = sa.select(*group, sa.func.max(m.c.at).label("closed_at")).group_by(*group).subquery()
    query = (
        sa.select(t.c.counter_code, t.c.number, t.c.status, t.c.faults, t.c.description,
                  d.c.brand, d.c.model, d.c.production_date, d.c.sale_date, c.c.name,
                  r.c.cause, r.c.action, last.c.closed_at)
        .select_from(
            t.join(d, _on(t, d, d.c.id == t.c.device_id))
            .join(c, _on(t, c, c.c.id == t.c.customer_id))
            .join(last, _on(t, last, last.c.ticket_id == t.c.id))
            .outerjoin(r, _on(t, r, r.c.ticket_id == t.c.id))
        )
        .where(t.c.status.in_(sorted(TERMINAL)))
        .order_by(t.c.counter_code, t.c.number)
    )
    if "hq_deleted" in t.c:
        query = query.where(t.c.hq_deleted.is_(False))
    if counter:
        query = query.where(t.c.counter_code == counter)
    if since:
        query = query.where(last.c.closed_at >= datetime.combine(since, time.min, CHINA_TZ))
    for row in conn.execute(query):
        closed: datetime = row.closed_at
        yield ClosedRepair(
            counter=row.counter_code, number=row.number, status=row.status,
            brand=row.brand, model=row.model, production_date=row.production_date,
            sale_date=row.sale_date, closed_on=closed.astimezone(CHINA_TZ).date(),
            faults=list(row.faults or []), description=row.description or "",
            cause=row.cause or "", action=row.action or "", customer_name=row.name or "",
        )
