"""The kinds of a stock movement and which way each moves the stock: the counter's stock
(repairdesk/money/stock.py) and HQ's view of a counter's stock from its batches
(repairdesk/hq/deposits.py) sum the same rows by the same rule."""

from __future__ import annotations

ADDS = ("received", "bought", "returned")
TAKES = ("drawn", "written_off")
KINDS = ADDS + TAKES
SOURCES = ("received", "bought")  # where new stock comes from: HQ (deposit) or bought
