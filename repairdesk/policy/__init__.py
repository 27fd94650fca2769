"""The 三包 engine: pure functions over plain data, rules from ``data/sanbao/``.

The CLI (``repairdesk warranty check FILE|-``), the ticket view and the board call only what
is exported here. Nothing in this package touches the database or the clock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from repairdesk.policy.calendar import RestDayCalendar, load_calendar
from repairdesk.policy.claim import Claim, parse_claim
from repairdesk.policy.deadlines import Deadline, legal_deadlines
from repairdesk.policy.decision import Decision, Reason
from repairdesk.policy.engine import decide
from repairdesk.policy.rules import Rules, load_rules, load_rules_with

__all__ = [
    "Claim",
    "Deadline",
    "Decision",
    "Reason",
    "RestDayCalendar",
    "Rules",
    "check_claim",
    "decide",
    "legal_deadlines",
    "load_calendar",
    "load_rules",
    "load_rules_with",
    "parse_claim",
]


def check_claim(data: dict[str, Any], *, policy_path: Path | None = None,
                policy: str | None = None) -> dict[str, Any]:
    """The decision on the JSON claim ``data``, as JSON-ready data (the contract described in
    docs/domain/sanbao.md, "The claim and the decision as JSON"),
    under the vendor policy in the file ``policy_path`` or the TOML text ``policy``.

    Reasons are in the current UI language. Raises :class:`repairdesk.errors.InputError`
    for a bad claim or a vendor policy that cannot be used (the CLI exits 2).
    """
    claim = parse_claim(data)
    rules = load_rules_with(policy) if policy is not None else load_rules(policy_path)
    return decide(claim, rules, load_calendar()).to_dict()
