"""Reference packs at the counter: verified against HQ's key, applied whole or not at all."""

from __future__ import annotations

import tracemalloc
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from repairdesk.desk import Desk
from repairdesk.errors import InputError, StoreError
from repairdesk.policy.rules import load_rules
from repairdesk.sync import keys, packs
from repairdesk.sync.batch import BatchRefused
from repairdesk.sync.packs import Listed, PackContent

ISSUED = datetime(2026, 11, 20, 9, 0, tzinfo=timezone(timedelta(hours=8)))
STOLEN = "352099001761481"
POLICY = (Path(__file__).resolve().parents[3] / "data" / "sanbao" /
          "vendor-example.toml").read_text("utf-8")
NARROWING = '[policy]\nname = "少于法规"\n[settings]\nrefund_window_days = 3\n'


@pytest.fixture
def hq_key(tmp_path: Path) -> Ed25519PrivateKey:
    return keys.create_private_key(tmp_path / "hq.key")


def content(prices: int = 2, *, policy: str | None = POLICY,
            blacklist: list[Listed] | None = None) -> PackContent:
    text = "code,name,price,brand,model\n" + "".join(
        f"P{i:03d},屏幕总成 {i},{199 + i}.00,Alcatel,One Touch 332\n" for i in range(prices))
    return PackContent(
        price_list=text, prices=packs.parse_price_list(text),
        policy=policy, policy_name=None,
        blacklist=[Listed(STOLEN, "报失", None)] if blacklist is None else blacklist,
    )


def write(tmp_path: Path, seq: int, key: Ed25519PrivateKey, pack: PackContent) -> Path:
    path = tmp_path / f"hq-{seq}.rdpack"
    path.write_bytes(packs.build_pack(seq, ISSUED, pack, key))
    return path


def prices(desk: Desk) -> dict[str, Decimal]:
    return {p.part_number: p.price for p in desk.stock.parts()}


def state(desk: Desk) -> tuple:
    return (prices(desk), desk.sync.blacklisted(STOLEN), desk.sync.vendor_policy_path())


def test_a_pack_is_refused_until_hq_is_trusted(desk: Desk, tmp_path: Path,
                                               hq_key: Ed25519PrivateKey) -> None:
    with pytest.raises(StoreError) as refused:
        desk.sync.apply_pack(write(tmp_path, 1, hq_key, content()))
    assert "trust-hq" in refused.value.message


def test_apply_stores_prices_policy_and_blacklist(desk: Desk, tmp_path: Path,
                                                  hq_key: Ed25519PrivateKey, cli) -> None:
    assert cli("key", "trust-hq", keys.public_key_text(hq_key)).code == 0
    out = cli("apply", str(write(tmp_path, 1, hq_key, content())), "--json")
    assert out.code == 0, out.err
    assert out.json() | {"issued": None} == {
        "seq": 1, "status": "applied", "prices": 2, "blacklisted": 1,
        "policy": "示例品牌服务承诺 / Example brand service promise", "issued": None}
    # HQ's prices are the counter's parts catalogue now, as if loaded by hand.
    assert prices(desk) == {"P000": Decimal("199.00"), "P001": Decimal("200.00")}
    assert desk.stock.parts(model="One Touch 332")[0].part_number == "P000"
    entry = desk.sync.blacklisted("35-209900-176148-1")  # as scanned or typed
    assert entry is not None and entry.reason == "报失" and entry.pack == 1
    assert desk.sync.blacklisted("352099001761499") is None
    policy = desk.sync.vendor_policy_path()
    assert policy is not None and load_rules(policy).parts["data_cable"].covered
    again = cli("apply", str(tmp_path / "hq-1.rdpack"))
    assert again.code == 0 and "already applied" in again.out


def test_a_newer_pack_replaces_and_an_older_one_is_refused(desk: Desk, tmp_path: Path,
                                                           hq_key: Ed25519PrivateKey) -> None:
    desk.sync.trust_hq(keys.public_key_text(hq_key))
    older = write(tmp_path, 1, hq_key, content(3))
    desk.sync.apply_pack(write(tmp_path, 2, hq_key, content(1, policy=None, blacklist=[])))
    assert len(prices(desk)) == 1 and desk.sync.blacklisted(STOLEN) is None
    assert desk.sync.vendor_policy_path() is None
    before = state(desk)
    with pytest.raises(BatchRefused) as refused:
        desk.sync.apply_pack(older)
    assert refused.value.check == "sequence" and state(desk) == before


def test_a_pack_without_a_blacklist_keeps_the_list(desk: Desk, tmp_path: Path,
                                                   hq_key: Ed25519PrivateKey) -> None:
    desk.sync.trust_hq(keys.public_key_text(hq_key))
    desk.sync.apply_pack(write(tmp_path, 1, hq_key, content()))
    listed = content()
    bare = PackContent(price_list=listed.price_list, prices=listed.prices, policy=None,
                       policy_name=None, blacklist=None)
    result = desk.sync.apply_pack(write(tmp_path, 2, hq_key, bare))
    assert result.blacklisted == 1 and desk.sync.blacklisted(STOLEN) is not None
    assert desk.sync.vendor_policy_path() is not None  # the policy in force stays in force


def test_refused_packs_change_nothing(desk: Desk, tmp_path: Path,
                                      hq_key: Ed25519PrivateKey) -> None:
    desk.sync.trust_hq(keys.public_key_text(hq_key))
    desk.sync.apply_pack(write(tmp_path, 1, hq_key, content()))
    before = state(desk)
    stranger = keys.create_private_key(tmp_path / "stranger.key")
    with pytest.raises(BatchRefused) as forged:
        desk.sync.apply_pack(write(tmp_path, 2, stranger, content(5)))
    assert forged.value.check == "signature"
    # Signed by HQ but narrowing the regulation: refused naming the key, like at HQ.
    with pytest.raises(InputError) as narrowing:
        desk.sync.apply_pack(write(tmp_path, 3, hq_key, content(5, policy=NARROWING)))
    assert narrowing.value.field == "settings.refund_window_days"
    path = write(tmp_path, 4, hq_key, content(5))
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(BatchRefused) as truncated:
        desk.sync.apply_pack(path)
    assert truncated.value.check == "readable"
    # A 1.5 GiB junk file on the stick is refused by its size, never read into memory.
    junk = tmp_path / "HQ-junk.rdpack"
    with junk.open("wb") as fh:
        fh.truncate(1536 << 20)  # a hole: nothing written, nothing to read
    tracemalloc.start()
    try:
        with pytest.raises(BatchRefused) as huge:
            desk.sync.apply_pack(junk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert huge.value.check == "size" and peak < 4 << 20
    assert state(desk) == before


def test_a_bad_price_list_names_the_line() -> None:
    with pytest.raises(InputError) as bad:
        packs.parse_price_list("code,name,price\nP1,屏幕,199\nP2,电池,9.999\n")
    assert bad.value.field.startswith("price_list.csv:3")


def test_a_bad_blacklist_names_the_line() -> None:
    assert packs.parse_blacklist("imei,reason\n35-209900-176148-1,stolen\n")[0].imei == STOLEN
    with pytest.raises(InputError) as bad:
        packs.parse_blacklist("imei\n352099001761481\n352099001761482\n")
    assert bad.value.field == "blacklist.csv:3"


def test_a_pack_reaches_intake_lookup_and_the_warranty_decision(
        desk: Desk, tmp_path: Path, hq_key: Ed25519PrivateKey, intake_doc: dict) -> None:
    desk.sync.trust_hq(keys.public_key_text(hq_key))
    cable = dict(intake_doc, faults=["other"], description="数据线不能充电")
    before = desk.tickets.intake(cable)
    assert before.blacklisted is None
    desk.sync.apply_pack(write(tmp_path, 1, hq_key, content()))
    # The stolen phone is flagged wherever it shows up; nothing is refused for it.
    taken = desk.tickets.intake(intake_doc)
    assert taken.blacklisted == "报失"
    assert desk.tickets.lookup("35-209900-176148-1").blacklisted == "报失"
    assert desk.tickets.lookup(taken.ticket).blacklisted == "报失"
    # The vendor policy from the pack is what the ticket's decision is made under.
    claim = desk.tickets.warranty_claim(before.ticket) | {"part": "data_cable", "fault": "other"}
    from repairdesk.policy import check_claim

    assert check_claim(claim)["remedies"] == ["not_covered"]
    assert check_claim(claim, policy_path=desk.sync.vendor_policy_path())["covered"] is True
