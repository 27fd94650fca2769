"""The legal deadlines of an open 三包 repair, for the board and the ticket view.

Each deadline is a limit counted from the hand-in day (day 0): the repair should end by its
``last_day``; from ``owed_from`` on, the consequence applies (a loaner is owed, an exchange is
owed, the delay may count as deliberate). ``state`` says where ``today`` stands, so the board
can colour it without knowing the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from repairdesk.errors import InputError
from repairdesk.fields import label, value_names
from repairdesk.i18n import _
from repairdesk.policy.claim import DELAYS
from repairdesk.policy.rules import HOST, Rules, load_rules

__all__ = ["STATES", "Deadline", "legal_deadlines"]

STATES = ("upcoming", "due", "overdue")


@dataclass(frozen=True)
class Deadline:
    code: str  # loaner | deliberate_delay | repairer_delay | parts_delay
    article: str
    days: int  # the limit in days after hand-in
    last_day: date  # the last day within the limit
    owed_from: date  # the first day past it: the consequence applies
    warn_from: date  # the first day the board should show it as due
    state: str  # upcoming (before warn_from) | due (warn_from..last_day) | overdue (after)

    def label(self, lang: str | None = None) -> str:
        """What the board shows, in the UI language (or ``lang``)."""
        return _(
            f"policy.deadline.{self.code}",
            lang=lang,
            days=self.days,
            last_day=self.last_day,
            owed_from=self.owed_from,
            article=self.article,
        )

    def state_label(self, lang: str | None = None) -> str:
        return _(f"policy.deadline.state.{self.state}", lang=lang)


def legal_deadlines(
    handed_in: date,
    *,
    today: date,
    sanbao: bool,
    part: str = HOST,
    delay: str = "repairer",
    rules: Rules | None = None,
) -> tuple[Deadline, ...]:
    """The deadlines of a repair handed in on ``handed_in``, as they stand on ``today``.

    A paid repair has none: the loaner, the exchange triggers and the deliberate-delay rule
    (处罚办法第八条 concerns 包修、包换、包退 goods) all belong to 三包. The loaner and the
    exchange triggers are the handset's (第十五至十七条); an accessory keeps the delay rule.
    ``delay`` says whose delay it is: the repairer's (30 days) or the producer's parts (60).
    """
    if today < handed_in:
        raise InputError(
            "today", _("policy.error.before", value=today, other=label("handed_in"),
                       other_value=handed_in)
        )
    if delay not in DELAYS:
        raise InputError(
            "delay", _("policy.error.unknown_code", value=delay,
                       choices=value_names("delay", DELAYS))
        )
    if not sanbao:
        return ()
    rules = rules or load_rules()
    settings = rules.settings
    limits: list[tuple[str, int, int]] = []  # code, limit days, warn from day
    if rules.parts[part].kind == HOST:
        limits.append(("loaner", settings.loaner_after_days, settings.loaner_after_days))
    warn = min(settings.deliberate_delay_warn_day, settings.deliberate_delay_days)
    limits.append(("deliberate_delay", settings.deliberate_delay_days, warn))
    if rules.parts[part].kind == HOST:
        days = settings.repairer_delay_days if delay == "repairer" else settings.parts_delay_days
        limits.append((f"{delay}_delay", days, days))
    return tuple(
        _deadline(code, rules.article(code), handed_in, days, warn_day, today)
        for code, days, warn_day in sorted(limits, key=lambda item: item[1])
    )


def _deadline(
    code: str, article: str, handed_in: date, days: int, warn_day: int, today: date
) -> Deadline:
    last_day = handed_in + timedelta(days=days)
    warn_from = handed_in + timedelta(days=warn_day)
    state = "upcoming" if today < warn_from else "due" if today <= last_day else "overdue"
    return Deadline(code, article, days, last_day, last_day + timedelta(days=1), warn_from, state)
