"""A DataTable that draws its cells without going through Rich's whole layout machinery."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable


class QuickTable(DataTable[Any]):
    """A DataTable whose one-line text cells are drawn directly.

    DataTable draws every cell through ``Console.render_lines(Styled(Padding(cell)))``, about
    0.15 ms a cell: redrawing the lookup's results (35 rows of 6 cells) took 35-40 ms, most of
    a keystroke's budget. A one-line ``Text`` is drawn here to the same segments (the text
    cropped or padded to the column, the cell padding, the row's style under it and the
    cursor's over it) in a fraction of that; anything else (headers, labels, cells on
    several lines) is left to DataTable.
    """

    def _update_dimensions(self, new_rows: Iterable[Any]) -> None:
        """Widen the columns to new rows' cells. DataTable measures every cell through Rich
        (``measure``: ~0.03 ms a cell, a tenth of a second for the board's 500 rows of 6
        cells); a one-line ``Text`` is as wide as its text, which is what that measure
        gives. Rows with anything else (labels, several lines, other renderables) are left
        to DataTable, which also sets the table's size."""
        columns = self.ordered_columns
        before = [column.content_width for column in columns]
        rest = []
        for row_key in new_rows:
            row_index = self._row_locations.get(row_key)
            row = self.rows.get(row_key)
            if row_index is None or row is None:
                continue
            cells = self._get_row_renderables(row_index).cells if row.label is None \
                and not row.auto_height and row.height == 1 else None
            if cells is None or not all(isinstance(c, Text) and "\n" not in c.plain
                                        for c in cells):
                rest.append(row_key)
                continue
            for column, cell in zip(columns, cells):
                width = cell_len(cell.plain)  # type: ignore[union-attr]
                if width > column.content_width:
                    column.content_width = width
        super()._update_dimensions(rest)
        if [column.content_width for column in columns] != before:
            # Cells are cached by row and column, not width: ones drawn before the widths
            # grew would otherwise stay cut to the old widths (seen once on a slow start).
            self._clear_caches()
            self.refresh()

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> list[list[Segment]]:
        if row_index < 0 or column_index < 0:
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
               self._update_count, self._pseudo_class_state)
        cache = self._cell_render_cache
        if key in cache:
            return cache[key]  # type: ignore[no-any-return]
        cell = self._get_row_renderables(row_index)[1][column_index]
        if (self.rows[row_key].height != 1 or not isinstance(cell, Text)
                or "\n" in cell.plain):
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, fixed, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css",
        )
        pre_style = (base_style + Style.from_meta({"row": row_index, "column": column_index})
                     + component_style)
        console = self.app.console
        # Text.render leaves the text's own style to its caller (Rich joins lines into spans).
        own = console.get_style(cell.style) if cell.style else None
        segments = list(Segment.apply_style(cell.render(console, end=""), own))
        padding = self.cell_padding
        inner = Segment.adjust_line_length(segments, max(0, width - 2 * padding))
        line = [Segment(" " * padding), *inner, Segment(" " * padding)] if padding else inner
        lines = [list(Segment.apply_style(line, pre_style, post_style))]
        cache[key] = lines
        return lines
