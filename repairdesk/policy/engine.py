"""The 三包 decision: pure, over a claim, the rules and the rest-day calendar.

No database and no clock: the claim date is part of the claim, so the same claim gives the
same decision at the counter, in the CLI and in a test. Every number and article comes from
the rules (data/sanbao/rules.toml); the engine only knows the order in which they apply
(docs/domain/sanbao.md, "Order of a decision"; the rule numbers below are that page's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from repairdesk.i18n import _
from repairdesk.policy.calendar import RestDayCalendar
from repairdesk.policy.claim import Claim
from repairdesk.policy.decision import REMEDY_ORDER, Decision, Reason, to_fen
from repairdesk.policy.periods import Period, period_end, period_start
from repairdesk.policy.rules import HOST, PartRule, Rules

__all__ = ["decide"]


@dataclass
class _Draft:
    """The decision while the rules fire: remedies, citations and reasons accumulate."""

    rules: Rules
    remedies: set[str] = field(default_factory=set)
    amounts: dict[str, Decimal] = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)

    def note(self, code: str, *, key: str | None = None, **values: object) -> None:
        """A reason only: the rule informs the decision but grants nothing."""
        plain = tuple(
            (name, v if isinstance(v, int | str) else str(v)) for name, v in values.items()
        )
        self.reasons.append(Reason(code, plain, key))

    def cite(self, article: str) -> str:
        """Cite ``article`` in the decision; returns how the reason text shows it."""
        if article and article not in self.articles:
            self.articles.append(article)
        return _shown(article)

    def quote(self, rule: str) -> str:
        """The article of ``rule`` for a reason text, without citing it in the decision."""
        return _shown(self.rules.article(rule))

    def grant(
        self,
        code: str,
        *remedies: str,
        rule: str | None = None,
        key: str | None = None,
        **values: object,
    ) -> None:
        """Reason ``code`` grants ``remedies`` (or decides coverage) under the article of
        ``rule`` (default: the article keyed like the reason)."""
        self.remedies.update(remedies)
        article = self.cite(self.rules.article(rule or code))
        self.note(code, key=key, article=article, **values)


def _shown(article: str) -> str:
    # An empty article in the data means the source gives none; say so rather than "()".
    return article or _("policy.article_unknown")


def decide(claim: Claim, rules: Rules, calendar: RestDayCalendar) -> Decision:
    """The decision on ``claim``, in the order of docs/domain/sanbao.md ("Order of a decision")."""
    draft = _Draft(rules)
    part = rules.parts[claim.part]
    period: Period | None = None
    covered = loaner = False
    # The remote-sale return (rule 16) is not 三包 and applies whatever the fault; it is
    # weighed first so that rule 11 ("no refund yet") does not offer a depreciated refund
    # next to a full one.
    _remote_sale(draft, claim)
    if not part.covered:
        draft.remedies.add("not_covered")
        draft.note("not_covered_part", part=claim.part, article=draft.cite(part.article))
    else:
        period = _period(claim, part, rules, calendar)
        _explain_period(draft, claim, part, period)
        covered = not _refusals(draft, claim, part, period)
        if covered:
            _in_period(draft, claim, part, period, rules, calendar)
            if part.kind == HOST:
                loaner = _host(draft, claim, part, period)
            else:
                _accessory(draft, claim)
            draft.note("costs", article=draft.quote("costs"))
    if "refund" in draft.remedies and (amount := _refund_amount(claim, part)) is not None:
        draft.amounts["refund"] = amount
    return Decision(
        covered=covered,
        remedies=tuple(r for r in REMEDY_ORDER if r in draft.remedies),
        amounts=MappingProxyType({k: draft.amounts[k] for k in REMEDY_ORDER if k in draft.amounts}),
        loaner=loaner,
        period_end=period.end if period else None,
        days_since_sale=(claim.claim_date - claim.sale_date).days if claim.sale_date else None,
        articles=tuple(draft.articles),
        reasons=tuple(draft.reasons),
    )


def _open_days(claim: Claim) -> int:
    return (claim.claim_date - claim.open_repair.handed_in).days if claim.open_repair else 0


def _period(claim: Claim, part: PartRule, rules: Rules, calendar: RestDayCalendar) -> Period:
    settings = rules.settings
    start, basis = period_start(
        invoice_date=claim.invoice_date,
        production_date=claim.production_date,
        exchange_date=claim.exchange_date,
        production_only=claim.proof == "imei_date",
        exchange_restarts=settings.exchange_restarts_period,
        production_offset_days=settings.production_start_offset_days,
    )
    # Only repairs inside this period lengthen it (after an exchange, the old unit's repairs
    # belong to the old period). The open repair counts up to the claim date: a phone handed
    # in before the last day must not drop out of 三包 while it waits at the repairer.
    days = sum(r.days for r in claim.repairs if r.handed_in >= start)
    if claim.open_repair and claim.open_repair.handed_in >= start:
        days += _open_days(claim)
    assert part.period_months is not None
    return period_end(start, part.period_months, days, calendar, basis=basis)


def _explain_period(draft: _Draft, claim: Claim, part: PartRule, period: Period) -> None:
    settings = draft.rules.settings
    if period.basis == "exchange":
        draft.note("period_start_exchange", date=period.start)
    elif period.basis == "production":
        draft.note(
            "period_start_production",
            production_date=claim.production_date,
            offset=settings.production_start_offset_days,
            date=period.start,
            article=draft.quote("lost_proof"),
        )
    if part.vendor:
        draft.note(
            "vendor_part",
            part=claim.part,
            name=draft.rules.vendor.name if draft.rules.vendor else "",
            months=part.period_months or 0,
        )
    if period.repair_days:
        draft.note("period_extended", days=period.repair_days, date=period.extended_end)
    if period.moved:
        draft.note(
            "period_rest_day",
            last=period.extended_end,
            date=period.end,
            article=draft.quote("period_last_day"),
        )
    if period.guessed_years:
        draft.note("calendar_missing", years=", ".join(map(str, period.guessed_years)))


def _refusals(draft: _Draft, claim: Claim, part: PartRule, period: Period) -> bool:
    """Rule 15: every reason that turns the claim into a paid repair."""
    count = len(draft.reasons)
    if claim.claim_date > period.end:
        draft.grant("out_of_period", rule="period", part=claim.part, period_end=period.end)
    for code in claim.exclusions:
        draft.grant("exclusion", exclusion=code)
    if claim.proof == "none":
        draft.grant("no_proof", rule="exclusion")
    if claim.fault not in part.faults:
        draft.grant("not_performance_fault", rule="fault_table", fault=claim.fault, part=claim.part)
    if len(draft.reasons) == count:
        return False
    draft.remedies.add("paid_repair")
    return True


def _in_period(
    draft: _Draft,
    claim: Claim,
    part: PartRule,
    period: Period,
    rules: Rules,
    calendar: RestDayCalendar,
) -> None:
    draft.note(
        "in_period",
        part=claim.part,
        months=part.period_months or 0,
        start=period.start,
        period_end=period.end,
        claim_date=claim.claim_date,
    )
    # The extension and the roll-over are cited only when they are what keeps the claim in.
    if claim.claim_date > period.nominal_end and period.repair_days:
        draft.cite(rules.article("period"))
    if claim.claim_date > period.extended_end:
        draft.cite(rules.article("period_last_day"))
    regulation = part.regulation
    if part.vendor and regulation is not None:
        decided = (
            not regulation.covered
            or claim.fault not in regulation.faults
            or claim.claim_date > _period(claim, regulation, rules, calendar).end
        )
        if decided:
            draft.cite(part.vendor)


def _host(draft: _Draft, claim: Claim, part: PartRule, period: Period) -> bool:
    """Rules 5-11, 13, 18 and 19 for a covered handset; returns whether a loaner is owed."""
    settings = draft.rules.settings
    open_days = _open_days(claim)
    if claim.proof == "imei_date":
        # Only the production date: free repair and nothing else (第九条?).
        draft.grant("proof_imei_date", "free_repair", rule="lost_proof")
    else:
        assert claim.sale_date is not None
        days = (claim.claim_date - claim.sale_date).days
        if days <= settings.refund_window_days:
            remedies = (
                ("refund", "exchange", "free_repair")
                if claim.proof == "full"
                else ("exchange", "free_repair")
            )
            draft.grant("refund_window", *remedies, days=days, window=settings.refund_window_days)
        elif days <= settings.exchange_window_days:
            draft.grant(
                "exchange_window",
                "exchange",
                "free_repair",
                days=days,
                first=settings.refund_window_days + 1,
                window=settings.exchange_window_days,
            )
        else:
            draft.grant("free_repair", "free_repair", days=days)
        if claim.proof == "copy":
            draft.grant("proof_copy", rule="lost_proof")
        _two_repairs(draft, claim, part, period)
        if claim.open_repair:
            rule = f"{claim.open_repair.delay}_delay"  # repairer_delay | parts_delay
            limit = getattr(settings, f"{rule}_days")
            if open_days > limit:
                draft.grant(rule, "exchange", days=open_days, limit=limit)
        if "exchange" in draft.remedies and claim.proof == "full":
            _refund_instead_of_exchange(draft, claim)
    if claim.open_repair and open_days > settings.deliberate_delay_days:
        draft.note(
            "deliberate_delay",
            days=open_days,
            limit=settings.deliberate_delay_days,
            article=draft.quote("deliberate_delay"),
        )
    if claim.open_repair and open_days > settings.loaner_after_days:
        draft.grant(
            "loaner",
            handed_in=claim.open_repair.handed_in,
            days=open_days,
            limit=settings.loaner_after_days,
        )
        return True
    return False


def _two_repairs(draft: _Draft, claim: Claim, part: PartRule, period: Period) -> None:
    settings = draft.rules.settings
    same = settings.two_repairs_count == "same_fault"
    counted = [
        r
        for r in claim.repairs
        if r.handed_in >= period.start
        and r.fault in part.faults
        and (not same or r.fault == claim.fault)
    ]
    if len(counted) >= settings.repairs_before_exchange:
        key = "two_repairs_same_fault" if same else "two_repairs"
        draft.grant("two_repairs", "exchange", key=key, count=len(counted), fault=claim.fault)


def _refund_instead_of_exchange(draft: _Draft, claim: Claim) -> None:
    """Rules 10 and 11: the customer who cannot or will not take the exchange."""
    if not claim.in_stock:
        draft.grant("exchange_impossible", "refund")
        return
    if "refund" in draft.remedies:
        return
    assert claim.invoice_date is not None
    repair_days = sum(r.days for r in claim.repairs) + _open_days(claim)
    used = max(0, (claim.claim_date - claim.invoice_date).days - repair_days)
    if claim.price is None:
        draft.grant(
            "refund_depreciated", "refund_depreciated", key="refund_depreciated_no_price", days=used
        )
        return
    rate = draft.rules.settings.depreciation_daily_rate
    deduction = claim.price * rate * used
    amount = to_fen(max(Decimal(0), claim.price - deduction))
    draft.amounts["refund_depreciated"] = amount
    draft.grant(
        "refund_depreciated",
        "refund_depreciated",
        price=to_fen(claim.price),
        rate=f"{(rate * 100).normalize():f}",
        days=used,
        deduction=to_fen(deduction),
        amount=amount,
    )


def _accessory(draft: _Draft, claim: Claim) -> None:
    """Rule 12: accessories are exchanged, and refunded after two exchanges."""
    settings = draft.rules.settings
    if claim.fault == "battery_fault":
        draft.note("battery_threshold", percent=settings.battery_capacity_threshold_percent)
    if claim.proof == "imei_date":
        draft.grant("proof_imei_date", "free_repair", rule="lost_proof")
        return
    if (
        claim.proof == "full"
        and claim.accessory_exchanges >= settings.accessory_exchanges_before_refund
    ):
        key = "accessory_refund_with_host" if claim.sold_with_host else "accessory_refund_alone"
        draft.grant(
            "accessory_refund",
            "refund",
            rule="accessory",
            key=key,
            count=claim.accessory_exchanges,
            part=claim.part,
        )
        return
    draft.grant("accessory_exchange", "exchange", rule="accessory", part=claim.part)
    if claim.proof == "copy":
        draft.grant("proof_copy", rule="lost_proof")


def _remote_sale(draft: _Draft, claim: Claim) -> None:
    """Rule 16 (消法第二十五条): separate from 三包, so it applies whatever the fault.

    Any recorded exclusion means the goods are not 完好 (damaged, opened, altered), so it
    blocks the return even when ``intact`` says otherwise.
    """
    if claim.channel != "remote" or claim.received_date is None:
        return
    days = (claim.claim_date - claim.received_date).days
    window = draft.rules.settings.remote_return_days
    if days <= window and claim.intact is True and not claim.exclusions:
        draft.grant(
            "remote_sale", "refund", received_date=claim.received_date, days=days, window=window
        )


def _refund_amount(claim: Claim, part: PartRule) -> Decimal | None:
    """The full refund: the invoice price, except an accessory sold with the handset, which
    is refunded at its separate retail price (第十四条?)."""
    if part.kind != HOST and claim.sold_with_host:
        price = claim.separate_price
    else:
        price = claim.price
    return to_fen(price) if price is not None else None
