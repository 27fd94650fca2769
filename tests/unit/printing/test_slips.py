"""The slips as data: what each one tells the customer, and what it never shows."""

from __future__ import annotations

from datetime import date

import pytest

from repairdesk import i18n
from repairdesk.desk import Desk
from repairdesk.errors import InputError, NotFound
from repairdesk.printing.model import SLIPS, Field, Signature, Slip
from repairdesk.printing.sections import surname
from repairdesk.tickets.facade import TicketDesk

from .conftest import FULL_PHONE, LONG_NAME, MASKED_PHONE, PASSCODE


def fields(slip: Slip) -> dict[str, str]:
    return {line.label: line.value for s in slip.sections for line in s.lines
            if isinstance(line, Field)}


def test_intake_slip_says_what_the_counter_took_in(desk: Desk, long_ticket: str) -> None:
    i18n.set_language("zh")
    slip = desk.printing.slip(long_ticket, "intake")
    assert slip.qr == slip.number == long_ticket
    assert slip.header[0].startswith("上海市徐汇区漕河泾") and slip.header[2] == "电话 021 6400 0000"
    got = fields(slip)
    assert got["受理时间"] == "2026-11-21 10:30"  # the counter's local time, not UTC
    assert got["预计取机"] == "2026-11-28"
    assert got["姓名"] == LONG_NAME and got["电话"] == MASKED_PHONE
    assert got["IMEI"] == "352099001761481" and got["IMEI 2"] == "352099001761499"
    assert got["定金"] == "1,234.50 元"
    assert got["三包有效期至"] == "2027-11-18"
    text = "\n".join(slip.texts())
    for accessory in ("电池", "后盖", "卡托", "充电器", "包装盒", "手写笔"):
        assert accessory in text
    assert "进水标签变色" in text and "有拆修痕迹" in text
    # Not covered (liquid indicator, opened before): the slip says so, and why.
    assert "不属三包范围：合理收费修理。" in text and "进水/受潮" in text and "私拆" in text
    assert "90 日内未取" in text  # the counter's terms: how long unclaimed phones are kept
    signatures = [line.label for s in slip.sections for line in s.lines
                  if isinstance(line, Signature)]
    assert signatures == ["客户签字", "接机人签字"]


@pytest.mark.parametrize("kind", SLIPS)
def test_no_slip_shows_the_passcode_or_the_full_phone(desk: Desk, long_ticket: str,
                                                      kind: str) -> None:
    text = "\n".join(desk.printing.slip(long_ticket, kind).texts())
    assert PASSCODE not in text and FULL_PHONE not in text and "+86" not in text


def test_intake_slip_names_the_article_of_the_sanbao_status(desk: Desk, ticket: str) -> None:
    i18n.set_language("zh")
    text = "\n".join(desk.printing.slip(ticket, "intake").texts())
    assert "在三包期内：可退货、换货、免费修理（第十一条）。" in text
    assert fields(desk.printing.slip(ticket, "intake"))["估价"] == "三包免费"


def test_device_label_is_number_surname_and_model(desk: Desk, long_ticket: str) -> None:
    slip = desk.printing.slip(long_ticket, "label")
    assert slip.qr == long_ticket and not slip.header
    assert fields(slip)["Customer"] == "欧阳"
    assert fields(slip)["Model"] == "Alcatel One Touch 332"
    assert [surname(n) for n in ("张伟", "欧阳翀喆", "James Smith", "诸葛")] == [
        "张", "欧阳", "Smith", "诸"]


def test_pickup_receipt_guarantee_is_the_later_of_period_and_ninety_days(
        desk: Desk, ticket: str, clock) -> None:
    # Sold 2026-11-18: the 三包 period (2027-11-18) outlasts hand-back + 90 days.
    got = fields(desk.printing.slip(ticket, "pickup"))
    assert got["Handed back"] == "2026-11-21"
    assert got["Guaranteed until"] == "2027-11-18"
    assert got["Cause"] == "(not recorded)"  # nothing is made up before the engineer writes it


def test_pickup_receipt_of_an_old_phone_guarantees_ninety_days(
        desk: Desk, intake_doc: dict) -> None:
    intake_doc["device"].update(sale_date="2024-01-10", invoice_date="2024-01-10")
    intake_doc["deposit"] = 0
    number = desk.tickets.intake(intake_doc).ticket
    desk.tickets.move(number, "diagnosing")
    desk.money.make_quote(number, [{"kind": "labour", "description": "更换扬声器", "price": "80.00"}])
    desk.money.approve_quote(number, "in_person")
    for status in ("repairing", "qc", "ready"):
        desk.tickets.move(number, status)
    desk.money.take_payment(number, desk.money.ticket_money(number).money.balance, "wechat")
    desk.tickets.move(number, "collected")
    slip = desk.printing.slip(number, "pickup")
    got = fields(slip)
    assert got["Handed back"] == "2026-11-21"
    assert got["Guaranteed until"] == "2027-02-19"  # a paid repair: 2026-11-21 + 90 days
    # What the customer signs for: the approved work, the charge, how it was paid, nothing left.
    assert got["更换扬声器"] == "¥80.00" or got["更换扬声器"].endswith("80.00")
    assert got["Paid (WeChat Pay)"].endswith("110.00") and got["Balance"].endswith("0.00")
    assert "Deposit" not in got  # no deposit taken: no money row at all


def test_repair_record_carries_the_statutory_fields(desk: Desk, long_ticket: str) -> None:
    i18n.set_language("zh")
    slip = desk.printing.slip(long_ticket, "record")
    got = fields(slip)
    for label in ("送修日期", "送修故障情况", "故障原因", "故障处理情况及退、换货证明", "交验日期",
                  "维修人员"):
        assert label in got, label
    assert got["送修日期"] == "2026-11-21" and got["维修人员"] == "司马相如"
    assert got["IMEI"] == "352099001761481"
    assert got["名称"].startswith("上海市徐汇区") and got["网点编号"] == "SH01"
    assert "屏幕闪烁后黑屏" in got["送修故障情况"]


def test_repair_record_lists_earlier_repairs_of_the_same_phone(desk: Desk, intake_doc: dict,
                                                               clock) -> None:
    from datetime import timedelta

    first = desk.tickets.intake(intake_doc).ticket
    for status in ("diagnosing", "repairing", "qc", "ready", "collected"):
        desk.tickets.move(first, status)
    clock.now += timedelta(days=20)
    second = desk.tickets.intake(intake_doc).ticket
    text = "\n".join(desk.printing.slip(second, "record").texts())
    assert "Earlier repairs of this phone" in text and first in text
    assert "Earlier repairs" not in "\n".join(desk.printing.slip(first, "record").texts())


def test_bad_slip_and_unknown_ticket(desk: Desk, ticket: str) -> None:
    with pytest.raises(InputError) as err:
        desk.printing.slip(ticket, "invoice")
    assert err.value.field == "slip" and "intake, label, pickup, record" in err.value.reason
    with pytest.raises(NotFound):
        desk.printing.slip("SH01-20261121-0999", "intake")


def test_slips_follow_the_language(desk: Desk, ticket: str) -> None:
    assert desk.printing.slip(ticket, "record").title == "Repair record (维修记录)"
    i18n.set_language("zh")
    assert desk.printing.slip(ticket, "record").title == "维修记录"
    assert date(2026, 11, 21).isoformat() in "\n".join(desk.printing.slip(ticket, "intake").texts())


def test_counter_terms_come_from_the_settings(desk: Desk, ticket: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_UNCLAIMED_DAYS", "30")
    text = "\n".join(desk.printing.slip(ticket, "intake").texts())
    assert "within 30 days of our notice" in text
    monkeypatch.setenv("REPAIRDESK_PRINT_TERMS", "本店只修手机。\n周日休息。")
    terms = [s for s in desk.printing.slip(ticket, "intake").sections if s.title == "Terms"][0]
    assert [line.text for line in terms.lines] == ["本店只修手机。", "周日休息。"]  # type: ignore[union-attr]


def test_a_slip_prints_even_when_the_sanbao_engine_cannot_decide(
        desk: Desk, ticket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> dict:
        raise ArithmeticError("engine failure")

    monkeypatch.setattr(TicketDesk, "warranty", broken)
    text = "\n".join(desk.printing.slip(ticket, "intake").texts())
    assert "Not decided yet" in text and "quoted after diagnosis" in text


def unknown_tac_imei() -> str:
    from stdnum import luhn

    body = "99000000123456"  # a TAC in no table: the model stays unknown
    return body + luhn.calc_check_digit(body)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_label_of_an_unknown_model_says_so_and_prints_the_imei_in_its_place(
        desk: Desk, intake_doc: dict, lang: str) -> None:
    imei = unknown_tac_imei()
    intake_doc["device"]["imei"] = imei
    number = desk.tickets.intake(intake_doc).ticket
    i18n.set_language(lang)
    got = fields(desk.printing.slip(number, "label"))
    assert got[i18n._("print.device_model")] == i18n._("print.model_unknown")
    assert got[i18n._("print.imei")] == imei
    assert imei not in got[i18n._("print.device_model")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_intake_slip_words_the_remedies_as_the_ticket_screen_does(
        desk: Desk, intake_doc: dict, lang: str) -> None:
    from repairdesk.tickets.remedies import remedy_names
    from screens.widgets.render import remedies_text

    intake_doc["device"]["sale_date"] = intake_doc["device"]["invoice_date"] = "2026-11-10"
    number = desk.tickets.intake(intake_doc).ticket  # day 11: exchange, repair, refund less depreciation
    i18n.set_language(lang)
    decision = desk.tickets.decision(number)
    assert "refund_depreciated" in decision.remedies
    wording = remedy_names(decision.remedies)
    assert i18n._("policy.remedy.refund_depreciated") in wording
    assert wording in "\n".join(desk.printing.slip(number, "intake").texts())
    assert wording in remedies_text(decision).plain


def test_one_day_is_not_one_days(desk: Desk, ticket: str, tmp_path, monkeypatch) -> None:
    config = tmp_path / "one-day.toml"
    config.write_text("unclaimed_days = 1\n", encoding="utf-8")
    monkeypatch.setenv("REPAIRDESK_CONFIG", str(config))
    text = "\n".join(desk.printing.slip(ticket, "intake").texts())
    assert "within 1 day of" in text and "1 days" not in text
