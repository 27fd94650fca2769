"""The issue's scripted day, through the facade and through the CLI with JSON: three paid
repairs (one quote declined), two 三包 repairs, a 7-day refund, deposits and payments in
several methods. The day report reconciles to the fen, stock and the faulty parts kept for
the manufacturer match the draws, and both faces give the same report."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError

from ...conftest import INTAKE, FrozenClock
from .conftest import PRICE_LIST, SOLD_DAY_3, SOLD_DAY_51, SOLD_LONG_AGO, advance, imei

PHONES = {  # ticket key: (IMEI serial, sale date)
    "P1": (11, SOLD_LONG_AGO), "P2": (12, SOLD_LONG_AGO), "P3": (13, SOLD_LONG_AGO),
    "W1": (14, "2026-11-10"), "W2": (15, SOLD_DAY_51), "R1": (16, SOLD_DAY_3),
}
RECEIVED = {"AL-OT332-LCD": 5, "AL-OT332-BAT": 4, "AL-OT332-SPK": 3}
QUOTES = {
    "P1": [{"kind": "labour", "description": "更换显示屏工时", "price": "60.00"},
           {"kind": "part", "part": "AL-OT332-LCD"}],  # 60 + 120 + fee 30 = 210.00
    "P2": [{"kind": "labour", "description": "更换电池工时", "price": 30},
           {"kind": "part", "part": "AL-OT332-BAT"}],  # 30 + 45 + fee 30 = 105.00
    "P3": [{"kind": "labour", "description": "更换扬声器工时", "price": "40"},
           {"kind": "part", "part": "AL-OT332-SPK"}],  # declined: the fee of 30.00 only
}
REPAIR = ("repairing", "qc", "ready")
# (operation, ticket key, arguments...); ("refused", fragment, step) must be refused.
DAY: list[tuple[Any, ...]] = [
    *[("intake", key) for key in PHONES],
    ("deposit", "P1", "100.00", "wechat"), ("deposit", "W2", "20", "cash"),
    *[("move", key, "diagnosing") for key in PHONES],
    *[("quote", key) for key in QUOTES],
    *[("move", key, "awaiting_approval") for key in QUOTES],
    ("refused", "waiting for the customer's approval", ("move", "P1", "repairing")),
    ("approve", "P1", "in_person"), ("approve", "P2", "phone"), ("decline", "P3", "phone"),
    # P3: a speaker fitted to test, back to stock; the diagnostic fee; back unrepaired.
    ("draw", "P3", "AL-OT332-SPK", 1),
    ("refused", "declined", ("move", "P3", "repairing")),
    ("refused", "return them to stock", ("move", "P3", "returned_unrepaired")),
    ("return", "P3", "AL-OT332-SPK", 1),
    ("refused", "still owes ¥30.00", ("move", "P3", "returned_unrepaired")),
    ("pay", "P3", "30.00", "card"), ("move", "P3", "returned_unrepaired"),
    # P1 and P2: repaired and paid for.
    ("refused", "only 5 of AL-OT332-LCD in stock (9 asked for)",
     ("draw", "P1", "AL-OT332-LCD", 9)),
    ("draw", "P1", "AL-OT332-LCD", 1), *[("move", "P1", s) for s in REPAIR],
    ("refused", "still owes ¥110.00", ("move", "P1", "collected")),
    ("pay", "P1", "110.00", "alipay"), ("move", "P1", "collected"),
    ("draw", "P2", "AL-OT332-BAT", 1), *[("move", "P2", s) for s in REPAIR],
    ("pay", "P2", "105", "cash"), ("move", "P2", "collected"),
    # W1 and W2: 三包 repairs, no charge; W2's deposit goes back.
    ("draw", "W1", "AL-OT332-LCD", 1), *[("move", "W1", s) for s in REPAIR],
    ("move", "W1", "collected"),
    ("draw", "W2", "AL-OT332-BAT", 1), *[("move", "W2", s) for s in REPAIR],
    ("refused", "owes the customer ¥20.00", ("move", "W2", "collected")),
    ("refund", "W2", "cash"), ("move", "W2", "collected"),
    # R1: day 3 after the sale, the customer takes the refund.
    ("refund_sanbao", "R1", "alipay"), ("move", "R1", "refunded"),
    ("send_old",),
]


class FacadeDay:
    def __init__(self, desk: Desk) -> None:
        self.desk, self.tickets = desk, {}  # type: ignore[var-annotated]

    def setup(self) -> None:
        self.desk.stock.import_price_list(PRICE_LIST.read_text(encoding="utf-8"))
        for part, qty in RECEIVED.items():
            self.desk.stock.receive_stock(part, qty, ref="HQ-DN-1")

    def run(self, op: str, *args: Any) -> None:
        d, t = self.desk, self.tickets
        if op == "intake":
            t[args[0]] = d.tickets.intake(intake_doc(args[0])).ticket
        elif op == "deposit":
            d.money.take_deposit(t[args[0]], args[1], args[2])
        elif op == "pay":
            d.money.take_payment(t[args[0]], args[1], args[2])
        elif op == "move":
            d.tickets.move(t[args[0]], args[1])
        elif op == "quote":
            d.money.make_quote(t[args[0]], QUOTES[args[0]])
        elif op in ("approve", "decline"):
            getattr(d.money, f"{op}_quote")(t[args[0]], args[1])
        elif op == "draw":
            d.stock.draw_part(t[args[0]], args[1], args[2])
        elif op == "return":
            d.stock.return_part(t[args[0]], args[1], args[2])
        elif op == "refund":
            d.money.refund(t[args[0]], args[1])
        elif op == "refund_sanbao":
            d.money.refund(t[args[0]], args[1], reason="sanbao")
        elif op == "send_old":
            d.stock.send_old_parts(ref="SF-1")
        else:
            raise AssertionError(op)

    def refused(self, fragment: str, step: tuple[Any, ...]) -> None:
        with pytest.raises(InputError, match=re.escape(fragment)):
            self.run(*step)

    def report(self) -> dict[str, Any]:
        return self.desk.money.day_report().to_dict()


class CliDay:
    def __init__(self, cli: Any) -> None:
        self.cli, self.tickets = cli, {}  # type: ignore[var-annotated]

    def call(self, *args: str, stdin: str | None = None, code: int = 0) -> Any:
        result = self.cli(*args, stdin=stdin)
        assert result.code == code, (args, result.err)
        return result

    def setup(self) -> None:
        self.call("parts", "import", str(PRICE_LIST))
        for part, qty in RECEIVED.items():
            self.call("parts", "receive", part, str(qty), "--ref", "HQ-DN-1")

    def args(self, op: str, *args: Any) -> tuple[list[str], str | None]:
        t = self.tickets
        if op == "intake":
            return ["intake", "-", "--json"], json.dumps(intake_doc(args[0]))
        if op in ("deposit", "pay"):
            return ["money", op, t[args[0]], args[1], "--method", args[2], "--json"], None
        if op == "move":
            return ["ticket", "move", t[args[0]], args[1], "--json"], None
        if op == "quote":
            return (["quote", "make", t[args[0]], "-", "--json"],
                    json.dumps({"lines": QUOTES[args[0]]}))
        if op in ("approve", "decline"):
            return ["quote", op, t[args[0]], "--how", args[1], "--json"], None
        if op in ("draw", "return"):
            return ["parts", op, t[args[0]], args[1], "--qty", str(args[2]), "--json"], None
        if op == "refund":
            return ["money", "refund", t[args[0]], "--method", args[1], "--json"], None
        if op == "refund_sanbao":
            return ["money", "refund", t[args[0]], "--method", args[1], "--sanbao",
                    "--json"], None
        if op == "send_old":
            return ["parts", "send-old", "--ref", "SF-1", "--json"], None
        raise AssertionError(op)

    def run(self, op: str, *args: Any) -> None:
        argv, stdin = self.args(op, *args)
        result = self.call(*argv, stdin=stdin)
        if op == "intake":
            self.tickets[args[0]] = result.json()["ticket"]

    def refused(self, fragment: str, step: tuple[Any, ...]) -> None:
        argv, stdin = self.args(*step)
        result = self.call(*argv, stdin=stdin, code=2)
        assert fragment in result.err and "Traceback" not in result.err

    def report(self) -> dict[str, Any]:
        return self.call("report", "day", "--json").json()


def intake_doc(key: str) -> dict[str, Any]:
    serial, sold = PHONES[key]
    doc = copy.deepcopy(INTAKE)
    doc["device"].update(imei=imei(serial), sale_date=sold, invoice_date=sold)
    doc["customer"]["phone"] = f"139{serial:08d}"
    return doc


def play(day: FacadeDay | CliDay, clock: FrozenClock) -> dict[str, Any]:
    day.setup()
    for step in DAY:
        advance(clock, 3)
        if step[0] == "refused":
            day.refused(step[1], step[2])
        else:
            day.run(*step)
    return day.report()


def yuan(text: str) -> Decimal:
    return Decimal(text)


def check_report(report: dict[str, Any]) -> None:
    assert report["day"] == "2026-11-21"
    assert report["tickets_in"] == 6 and report["tickets_out"] == 6
    assert report["out_by_status"] == {"collected": 4, "refunded": 1, "returned_unrepaired": 1}
    takings = {m: {k: v for k, v in t.items()} for m, t in report["takings"].items()}
    assert takings == {
        "cash": {"deposits": "20.00", "payments": "105.00", "refunds": "20.00", "net": "105.00"},
        "wechat": {"deposits": "100.00", "payments": "0.00", "refunds": "0.00",
                   "net": "100.00"},
        "alipay": {"deposits": "0.00", "payments": "110.00", "refunds": "2999.00",
                   "net": "-2889.00"},
        "card": {"deposits": "0.00", "payments": "30.00", "refunds": "0.00", "net": "30.00"},
        "other": {"deposits": "0.00", "payments": "0.00", "refunds": "0.00", "net": "0.00"},
    }
    assert (report["deposits"], report["payments"], report["refunds"], report["net"]) == (
        "120.00", "245.00", "3019.00", "-2654.00")
    # Reconciles to the fen: the entries add up to every total.
    sign = {"deposit": 1, "payment": 1, "refund": -1}
    entries = report["entries"]
    assert sum(sign[e["kind"]] * yuan(e["amount"]) for e in entries) == yuan(report["net"])
    assert sum(yuan(t["net"]) for t in report["takings"].values()) == yuan(report["net"])
    for kind, total in (("deposit", "deposits"), ("payment", "payments"),
                        ("refund", "refunds")):
        assert sum(yuan(e["amount"]) for e in entries if e["kind"] == kind) == yuan(
            report[total])
    assert report["waived"] == "0.00"
    assert [(u["part_number"], u["basis"], u["drawn"], u["returned"], u["value"])
            for u in report["parts"]] == [
        ("AL-OT332-BAT", "paid", 1, 0, "45.00"), ("AL-OT332-BAT", "warranty", 1, 0, "45.00"),
        ("AL-OT332-LCD", "paid", 1, 0, "120.00"), ("AL-OT332-LCD", "warranty", 1, 0, "120.00"),
        ("AL-OT332-SPK", "paid", 1, 1, "0.00"),
    ]
    assert report["parts_value"] == {"warranty": "165.00", "guarantee": "0.00",
                                     "paid": "165.00"}
    assert (report["old_parts_kept"], report["old_parts_sent"],
            report["old_parts_pending"]) == (2, 2, 0)
    assert report["quotes_waiting"] == [] and report["overdue"] == []
    assert report["loaners_out"] == [] and report["loaners_owed"] == []


def check_stock(desk: Desk, tickets: dict[str, str]) -> None:
    """Stock = received - drawn + returned; the faulty parts kept are the warranty draws."""
    draws: dict[str, int] = {}
    warranty: dict[tuple[str, str], int] = {}
    for key, number in tickets.items():
        money = desk.money.ticket_money(number)
        assert money.money.balance == 0, key
        for move in money.parts:
            sign = 1 if move.kind == "drawn" else -1
            draws[move.part_number] = draws.get(move.part_number, 0) + sign * move.qty
            if move.basis == "warranty":
                pair = (number, move.part_number)
                warranty[pair] = warranty.get(pair, 0) + sign * move.qty
    for part, received in RECEIVED.items():
        assert desk.stock.part(part).on_hand == received - draws.get(part, 0)
    old = desk.stock.old_parts(pending=False)
    assert {(o.ticket, o.part_number): o.qty for o in old} == warranty
    assert all(o.sent_ref == "SF-1" for o in old) and desk.stock.old_parts() == []
    assert {k: desk.tickets.ticket(n).status for k, n in tickets.items()} == {
        "P1": "collected", "P2": "collected", "P3": "returned_unrepaired",
        "W1": "collected", "W2": "collected", "R1": "refunded"}


def test_the_day_through_the_facade(tmp_path: Path) -> None:
    clock = FrozenClock()
    desk = Desk.open(tmp_path / "facade.sqlite3", clock=clock, user="前台")
    try:
        desk.init_counter("SH01", "徐汇网点")
        day = FacadeDay(desk)
        check_report(play(day, clock))
        check_stock(desk, day.tickets)
        assert desk.trust.verify_audit().ok  # every change went through the audited ORM
    finally:
        desk.close()


def test_the_day_through_the_cli_gives_the_same_report(cli, desk: Desk, frozen_cli: FrozenClock,
                                                       tmp_path: Path) -> None:
    day = CliDay(cli)
    report = play(day, frozen_cli)
    check_report(report)
    check_stock(desk, day.tickets)
    # The same day through the facade, on a store of its own, reports the same to the fen.
    clock = FrozenClock()
    other = Desk.open(tmp_path / "facade.sqlite3", clock=clock, user="counter")
    try:
        other.init_counter("SH01", "徐汇网点")
        assert play(FacadeDay(other), clock) == report
    finally:
        other.close()
    human = cli("--lang", "zh", "report", "day")
    assert human.code == 0 and "日结" in human.out and "-2,654.00" in human.out
