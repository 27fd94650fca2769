"""A counter's claim line in words: why it stands where it does and where its dispute is.
One rendering for ``repairdesk settlement`` and the counter's Settlement screen.

A utility (no store), as repairdesk.settle_reasons, whose reasons it joins.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from repairdesk.i18n import _
from repairdesk.ratecard import grade_label


def status_word(code: str) -> str:
    """A line's state (pending, held, rejected, approved) in the reader's language."""
    return _(f"hqsettle.status_{code}")


def dispute_state(dispute: Any) -> str:
    """Open, or HQ's answer with its outcome."""
    if dispute.outcome is None:
        return _("settlement.dispute_open", dispute=dispute.id)
    return _("settlement.dispute_answered", dispute=dispute.id,
             outcome=_(f"hqclose.outcome_{dispute.outcome}"), answer=dispute.answer)


def line_why(line: Any) -> str:
    """The line's checks' reasons, then where its newest dispute stands."""
    why = "; ".join(c.reason for c in line.checks)
    if line.disputes:
        why = "; ".join(filter(None, (why, dispute_state(line.disputes[-1]))))
    return why


def line_text(line: Any, when: Callable[[datetime], str]) -> list[str]:
    """A line in full, one row each: its head, grade, amounts, every reason, HQ's review and
    the disputes (their time as ``when`` writes it)."""
    rows = [_("settlement.line_head", line=line.id, ticket=line.ticket, month=line.month,
              status=status_word(line.status))]
    if line.grade:
        rows.append(f"  {_('settlement.grade')}: {grade_label(line.grade)}")
    rows += [f"  {_('settlement.labour')}: ¥{line.labour}",
             f"  {_('settlement.parts')}: ¥{line.parts_amount}",
             f"  {_('settlement.amount')}: ¥{line.amount}"]
    if line.approved is not None:
        rows.append(f"  {_('settlement.approved')}: ¥{line.approved}")
    rows += [f"  · {c.reason}" for c in line.checks]
    if line.review_reason:
        rows.append(f"  {_('settlement.review')}: {line.review_reason}")
    rows += [f"  {dispute_state(d)} · {when(d.at)} {d.user}: {d.reason}"
             for d in line.disputes]
    return rows


def statement_text(statement: Any) -> list[str]:
    """A statement's head and its totals."""
    return [_("settlement.statement_head", month=statement.month, total=statement.total,
              approved=statement.approved, rejected=statement.rejected,
              adjusted=statement.adjusted, carried=statement.carried),
            f"  {_('settlement.labour')}: ¥{statement.labour} · {_('settlement.parts')}: "
            f"¥{statement.parts_amount} · {_('settlement.adjustments')}: "
            f"¥{statement.adjustments}"]
