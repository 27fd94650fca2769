"""Reference packs from HQ (``.rdpack``): a parts price list, optionally a vendor policy
extension of the 三包 rules, a list of IMEIs reported lost or stolen and settlement (the rate
card; for a pack made for one counter, its claim lines, statements and dispute answers),
signed by HQ.

The price list is the parts catalogue's CSV (:mod:`repairdesk.money.catalogue`), checked by
the same parser at HQ before signing and at the counter before applying, and applied to the
counter's catalogue by the same code as a price list loaded by hand.

The same zip layout as a batch (:mod:`repairdesk.sync.batch`): ``manifest.json`` (format,
version, the pack's sequence number, when it was issued, each member's SHA-256 and line
count), the members, and ``manifest.sig``. Packs are numbered by HQ; a counter applies a pack
only if it is newer than the one it has. Every member is checked completely by HQ before it
signs and again by the counter before anything is stored.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.imei import parse_imei
from repairdesk.money import catalogue
from repairdesk.money.catalogue import PriceRow
from repairdesk.sync import batch, keys, seal

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

FORMAT = "repairdesk.pack"
VERSION = 1
UNDERSTOOD_VERSIONS = frozenset({1})
SUFFIX = ".rdpack"
PRICE_LIST = "price_list.csv"
POLICY = "policy.toml"
BLACKLIST = "blacklist.csv"
BLACKLIST_COLUMNS = ("imei", "reason", "reported")
SETTLEMENT = "settlement.json"
#: The keys of the settlement member: the rate card's versions (for every counter) and, in a
#: pack made for one counter (``counter``, its ``level`` as the card reads it), HQ's claim
#: lines of its tickets, its statements and the answers to its disputes.
SETTLEMENT_KEYS = ("counter", "level", "rate_cards", "lines", "statements", "answers")
PARTS = "parts.json"
#: The keys of the parts member, in a pack made for one counter: HQ's shipments to it and its
#: answers to the counter's part requests.
PARTS_KEYS = ("counter", "shipments", "answers")


@dataclass(frozen=True)
class Listed:
    imei: str
    reason: str
    reported: date | None


@dataclass(frozen=True)
class PackContent:
    """A pack's members, checked."""

    price_list: str  # the CSV as HQ wrote it
    prices: list[PriceRow]
    policy: str | None  # TOML text
    policy_name: str | None
    blacklist: list[Listed] | None  # None: the pack leaves the counter's list as it is
    settlement: dict[str, Any] | None = None  # parse_settlement's; None: none in the pack
    parts: dict[str, Any] | None = None  # parse_parts's; None: none in the pack


def _rows(text: str, source: str, required: tuple[str, ...],
          known: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    for column in required:
        if column not in header:
            raise InputError(source, _("sync.csv_missing_column", column=column))
    for column in header:
        if column not in known:
            raise InputError(source, _("sync.csv_unknown_column", column=column,
                                       known=", ".join(known)))
    reader.fieldnames = header
    return [(f"{source}:{reader.line_num}", {k: (v or "").strip() for k, v in row.items()
                                             if k is not None})
            for row in reader]


def parse_price_list(text: str, source: str = PRICE_LIST) -> list[PriceRow]:
    """The parts catalogue's own parser (errors name ``file:line`` and the column)."""
    return catalogue.parse_price_list(text, source)


def parse_blacklist(text: str, source: str = BLACKLIST) -> list[Listed]:
    listed: dict[str, Listed] = {}
    for where, row in _rows(text, source, ("imei",), BLACKLIST_COLUMNS):
        imei = parse_imei(row["imei"], field=where)
        reported = None
        if row.get("reported"):
            try:
                reported = date.fromisoformat(row["reported"])
            except ValueError:
                raise InputError(where, _("core.bad_date", value=row["reported"])) from None
        listed[imei] = Listed(imei, row.get("reason", ""), reported)
    return list(listed.values())


def parse_settlement(text: str, source: str = SETTLEMENT) -> dict[str, Any]:
    """The settlement member, checked: every key present, each rate card version a card
    :func:`repairdesk.ratecard.parse_card` accepts, the lists lists of objects."""
    from repairdesk import jsontext, ratecard

    found = jsontext.read_json(text, source)
    if not isinstance(found, dict) or sorted(found) != sorted(SETTLEMENT_KEYS):
        raise InputError(source, _("sync.settlement_keys", keys=", ".join(SETTLEMENT_KEYS)))
    for key in SETTLEMENT_KEYS[2:]:
        if not isinstance(found[key], list) or not all(isinstance(x, dict) for x in found[key]):
            raise InputError(f"{source}: {key}", _("sync.settlement_list", key=key))
    if any(found[k] is not None and not isinstance(found[k], str) for k in ("counter", "level")):
        raise InputError(source, _("sync.settlement_keys",
                                                 keys=", ".join(SETTLEMENT_KEYS)))
    for number, card in enumerate(found["rate_cards"], 1):
        where = f"{source}: rate_cards[{number}]"
        if not isinstance(card.get("version"), int) or not isinstance(card.get("card"), str):
            raise InputError(where, _("sync.settlement_list", key="rate_cards"))
        ratecard.parse_card(card["card"], where)
    return found


def parse_parts(text: str, source: str = PARTS) -> dict[str, Any]:
    """The parts member, checked: its keys, a counter's code, lists of objects whose
    shipments have whole-number lines."""
    from repairdesk import jsontext

    found = jsontext.read_json(text, source)
    if not isinstance(found, dict) or sorted(found) != sorted(PARTS_KEYS) \
            or not isinstance(found["counter"], str):
        raise InputError(source, _("sync.settlement_keys", keys=", ".join(PARTS_KEYS)))
    for key in PARTS_KEYS[1:]:
        if not isinstance(found[key], list) or not all(isinstance(x, dict) for x in found[key]):
            raise InputError(f"{source}: {key}", _("sync.settlement_list", key=key))
    for shipment in found["shipments"]:
        lines = shipment.get("lines")
        if not isinstance(shipment.get("id"), int) or not isinstance(lines, list) or not all(
                isinstance(li, dict) and isinstance(li.get("qty"), int) and li["qty"] > 0
                and isinstance(li.get("line"), int) for li in lines):
            raise InputError(f"{source}: shipments", _("sync.settlement_list", key="lines"))
    return found


def member_text(member: dict[str, Any]) -> str:
    """The member as a pack carries it (keys sorted: the same content, the same bytes)."""
    return json.dumps(member, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def check_policy(text: str) -> str:
    """The policy's name; refuses (naming the key) a policy that would narrow the rules."""
    from repairdesk.policy.rules import load_rules

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / POLICY
        path.write_text(text, encoding="utf-8")
        rules = load_rules(path)
    assert rules.vendor is not None
    return rules.vendor.name


def _blacklist_csv(listed: list[Listed]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BLACKLIST_COLUMNS)
    for entry in sorted(listed, key=lambda e: e.imei):
        writer.writerow([entry.imei, entry.reason,
                         entry.reported.isoformat() if entry.reported else ""])
    return out.getvalue()


def _lines(text: str) -> bytes:
    """UTF-8 with a final newline (the manifest counts lines)."""
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def build_pack(seq: int, issued: datetime, content: PackContent, key: Ed25519PrivateKey) -> bytes:
    """The signed pack file (the blacklist normalised, the other members as HQ gave them)."""
    members: list[tuple[str, bytes]] = [(PRICE_LIST, _lines(content.price_list))]
    if content.policy is not None:
        members.append((POLICY, _lines(content.policy)))
    if content.blacklist is not None:
        members.append((BLACKLIST, _blacklist_csv(content.blacklist).encode()))
    if content.settlement is not None:
        members.append((SETTLEMENT, member_text(content.settlement).encode("utf-8")))
    if content.parts is not None:
        members.append((PARTS, member_text(content.parts).encode("utf-8")))
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "seq": seq,
        "issued": issued.isoformat(),
        "key": keys.fingerprint(keys.public_key_text(key)),
        "members": [{"name": name, "sha256": batch.sha256_hex(data), "rows": data.count(b"\n")}
                    for name, data in members],
        "rows": sum(data.count(b"\n") for _name, data in members),
    }
    return batch.build_file(manifest, [(name, io.BytesIO(data)) for name, data in members], key)


def read_pack(name: str, data: bytes | IO[bytes], hq_public_key: str
              ) -> tuple[batch.SignedFile, PackContent]:
    """Check a pack's signature and members, then parse every member (``data``: the bytes,
    or a file open while this runs)."""
    signed = batch.open_signed(name, data, fmt=FORMAT, versions=UNDERSTOOD_VERSIONS,
                               signer_key=lambda _manifest: hq_public_key)
    members = {m["name"] for m in signed.manifest["members"]}
    if PRICE_LIST not in members or not members <= {PRICE_LIST, POLICY, BLACKLIST, SETTLEMENT,
                                                     PARTS}:
        raise batch.BatchRefused("members", name, _("sync.check_members"))

    def text(member: str) -> str:
        return signed.member_bytes(member).decode("utf-8")

    policy = text(POLICY) if POLICY in members else None
    price_list = text(PRICE_LIST)
    content = PackContent(
        price_list=price_list,
        prices=parse_price_list(price_list),
        policy=policy,
        policy_name=check_policy(policy) if policy is not None else None,
        blacklist=parse_blacklist(text(BLACKLIST)) if BLACKLIST in members else None,
        settlement=parse_settlement(text(SETTLEMENT)) if SETTLEMENT in members else None,
        parts=parse_parts(text(PARTS)) if PARTS in members else None,
    )
    check_statements(name, content.settlement, hq_public_key)
    return signed, content


def check_statements(name: str, member: dict[str, Any] | None, hq_public_key: str) -> None:
    """Refuse a pack holding a statement HQ's key did not seal as it reads: a statement is
    kept and shown long after its pack, so it must stand on its own signature."""
    for doc in (member or {}).get("statements", []):
        document, sha, signature = doc.get("document"), doc.get("sha256"), doc.get("signature")
        if not (isinstance(document, dict) and isinstance(sha, str)
                and isinstance(signature, str)
                and seal.sealed(hq_public_key, document, sha, signature)):
            raise batch.BatchRefused("statement", name, _(
                "sync.statement_seal", month=str(doc.get("month", "-"))))
