"""The customer's 三包 remedies in words: one wording for the ticket screen and the slips.

The engine lists what the customer may choose (refund, exchange, free repair, refund less
depreciation, ...); the intake slip once dropped some of them while the ticket showed them
all, so the customer and the counter read two answers to one question.
"""

from __future__ import annotations

from collections.abc import Iterable

from repairdesk.i18n import _

# Remedies that cost the customer nothing (the slip's estimate says "free under 三包").
FREE_REMEDIES = frozenset({"refund", "refund_depreciated", "exchange", "free_repair"})


def remedy_names(remedies: Iterable[str]) -> str:
    """"Exchange, Free repair, Refund less depreciation" / "换货、免费修理、折旧退货"."""
    return _("print.list_sep").join(_(f"policy.remedy.{r}") for r in remedies)
