"""Claim lines at HQ: derived from a counter's batch on import, priced by the rate card in
force on the hand-back day, checked, reviewed; a ticket that changes again changes its line
(and loses its review); on SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairdesk.errors import InputError
from repairdesk.hq.people_cases import HqPermissionDenied
from tests.hq import settle_world
from tests.hq.settle_world import World


@pytest.fixture
def world(tmp_path: Path, hq_url: str) -> World:
    made = settle_world.build(tmp_path, hq_url)
    yield made
    made.hq.close()


def test_each_warranty_ticket_handed_back_is_one_line_priced_by_the_card(world: World) -> None:
    lines = world.lines()
    assert set(lines) == {"module", "software", "kept", "ungraded"}  # the paid repair: none
    module = lines["module"]
    # Labour 35.00 × gold 1.15, and the LCD at HQ's cost of the pack's price list.
    assert (module.status, module.labour, module.parts_amount, module.amount) == (
        "pending", "40.25", "120.00", "160.25")
    assert [(p.part_number, p.qty, p.cost, p.old_part) for p in module.parts] == [
        ("AL-OT332-LCD", 1, "120.00", "sent")]
    assert (module.month, module.grade, module.level, module.card_version) == (
        "2026-10", "module", "gold", 1)
    assert (lines["software"].status, lines["software"].amount) == ("pending", "23.00")
    kept = lines["kept"]
    assert kept.status == "held"
    assert [c.code for c in kept.checks] == ["part_not_returned"]
    assert "return the faulty AL-OT332-LCD" in kept.checks[0].reason
    assert "2026-10-28" in kept.checks[0].reason  # handed back 10-13, 15 days to return it
    ungraded = lines["ungraded"]
    assert (ungraded.status, [c.code for c in ungraded.checks]) == ("rejected", ["no_grade"])


def test_importing_the_same_batch_again_changes_no_line(world: World) -> None:
    before = [v.to_dict() for v in world.hq.claim_lines()]
    (again,), _gaps = world.hq.import_files([world.batches[-1]])
    assert again.status != "imported"
    assert [v.to_dict() for v in world.hq.claim_lines()] == before


def test_the_review_approves_rejects_and_adjusts_within_the_card(world: World) -> None:
    lines = world.lines()
    (approved,) = world.hq.approve_lines([lines["module"].id])
    assert (approved.status, approved.approved, approved.review) == (
        "approved", "160.25", "approved")
    with pytest.raises(InputError) as held:
        world.hq.approve_lines([lines["software"].id, lines["kept"].id])
    assert held.value.field == "line" and "part_not_returned" in held.value.reason
    assert world.hq.claim_line(lines["software"].id).line.status == "pending"  # all or nothing
    with pytest.raises(InputError) as above:
        world.hq.adjust_line(lines["software"].id, "23.01", "多算")
    assert above.value.field == "amount" and "23.00" in above.value.reason
    with pytest.raises(InputError) as empty:
        world.hq.reject_lines([lines["software"].id], "  ")
    assert empty.value.field == "reason"
    adjusted = world.hq.adjust_line(lines["software"].id, "20", "刷机未成功一次")
    assert (adjusted.status, adjusted.approved, adjusted.review, adjusted.review_reason) == (
        "approved", "20.00", "adjusted", "刷机未成功一次")
    history = world.hq.claim_line(lines["software"].id).history
    assert [e["action"] for e in history] == ["hq.settle_adjusted"]


def test_a_viewer_may_read_the_lines_but_not_review_them(world: World) -> None:
    world.hq.add_user("老周", "admin", "135790")  # the first user: HQ's admin
    world.hq.login("老周", "135790")
    world.hq.add_user("小看", "viewer", "246800")
    world.hq.login("小看", "246800")
    line = world.lines()["module"]
    with pytest.raises(HqPermissionDenied) as refused:
        world.hq.approve_lines([line.id])
    assert "小看" in refused.value.reason
    assert world.hq.claim_line(line.id).line.status == "pending"


def test_the_faulty_part_sent_releases_the_held_line(world: World) -> None:
    desk = world.desk()
    try:
        pending = [o.id for o in desk.stock.old_parts() if o.ticket == world.tickets["kept"]]
        desk.stock.send_old_parts(pending, ref="SF1000000002")
    finally:
        desk.close()
    world.send()
    kept = world.lines()["kept"]
    assert (kept.status, kept.checks, [p.old_part for p in kept.parts]) == (
        "pending", [], ["sent"])


def test_a_changed_ticket_changes_its_open_line_and_clears_its_review(world: World) -> None:
    line = world.lines()["module"]
    world.hq.approve_lines([line.id])
    desk = world.desk()
    try:
        desk.tickets.update_repair(world.tickets["module"], grade="board")
    finally:
        desk.close()
    world.send()
    now = world.lines()["module"]
    assert now.id == line.id  # the same line, updated
    assert (now.status, now.review, now.approved, now.labour) == ("pending", None, None, "69.00")
    actions = [e["action"] for e in world.hq.claim_line(line.id).history]
    assert actions == ["hq.settle_approved", "hq.settle_review_cleared"]


def test_the_cli_lists_and_reviews_with_the_same_messages(world: World, hq_url: str,
                                                         cli) -> None:
    url = hq_url
    listed = cli("hq", "settle", "lines", "--hq-db", url, "--status", "held", "--json",
                 db=False)
    assert listed.code == 0, listed.err
    (held,) = listed.json()
    assert held["ticket"] == world.tickets["kept"]
    assert held["checks"][0]["code"] == "part_not_returned"
    refused = cli("hq", "settle", "approve", str(held["id"]), "--hq-db", url, db=False)
    assert refused.code == 2 and "part_not_returned" in refused.err
    assert "Traceback" not in refused.err
    approved = cli("hq", "settle", "approve", "--counter", "SH01", "--month", "2026-10",
                   "--hq-db", url, "--json", db=False)
    assert approved.code == 0, approved.err
    assert sorted(v["ticket"] for v in approved.json()) == sorted(
        [world.tickets["module"], world.tickets["software"]])
    cards = cli("hq", "settle", "card", "list", "--hq-db", url, "--json", db=False)
    assert [c["version"] for c in cards.json()] == [1]
