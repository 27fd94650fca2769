"""The kinds of a stock movement and which way each moves the stock: the counter's stock
(repairdesk/money/stock.py) and HQ's view of a counter's stock from its batches
(repairdesk/hq/deposits.py) sum the same rows by the same rule."""

from __future__ import annotations

# A stock count's differences are moves too: more on the shelf than the moves say (found),
# or fewer (lost); repairdesk/money/counts.py.
ADDS = ("received", "bought", "returned", "count_found")
TAKES = ("drawn", "written_off", "count_lost")
KINDS = ADDS + TAKES
SOURCES = ("received", "bought")  # where new stock comes from: HQ (deposit) or bought
