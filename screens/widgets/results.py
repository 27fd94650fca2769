"""The lookup's results table: redrawn at every keystroke, so built to be cheap to redraw."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._segment_tools import line_crop
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widgets.data_table import RowKey

from screens.widgets.table import QuickTable

#: Rows listed before the table has been laid out and can say how many it shows.
DEFAULT_ROWS = 50


class ResultsTable(QuickTable):
    """A DataTable whose rows are replaced at every keystroke of the lookup.

    What a DataTable does for each new set of rows, and what is done instead here (Textual
    8.2 is pinned; tests/tui/test_lookup.py covers the table's behaviour):

    - it measures every new cell with Rich (~0.03 ms a cell) to size its columns: a one-line
      text's width is its cell length;
    - any change of its height in rows asks for a layout of the whole screen (10-35 ms at
      120x40): only a scrollbar coming or going needs one, which the lookup avoids by
      listing no more rows than the table shows (``visible_rows``);
    - it draws each line cell by cell, looking styles up again for every cell (~0.35 ms a
      line): a line of one-line texts is drawn here in one pass with the row's styles
      looked up once, to the same segments.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._frame_styles: dict[Any, Any] = {}
        self._metas: dict[tuple[int, int, bool], Style] = {}

    def visible_rows(self) -> int:
        """How many rows fit without scrolling (``DEFAULT_ROWS`` before the first layout)."""
        header = self.header_height if self.show_header else 0
        rows = self.scrollable_content_region.height - header
        return rows if rows > 0 else DEFAULT_ROWS

    def size_now(self) -> None:
        """Size the table for its new rows now rather than when it is next idle, so that
        the frame which draws them need not wait for that."""
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows = self._new_rows.copy()
            self._new_rows.clear()
            self._update_dimensions(new_rows)

    # -- sizing ----------------------------------------------------------------------------

    def watch_virtual_size(self, size: Size) -> None:
        width, height = self.container_size
        if not width or not height:
            self.refresh(layout=True)
            return
        across = size.width > width
        down = size.height > height - (self.styles.scrollbar_size_horizontal if across else 0)
        if (across, down) != (self.show_horizontal_scrollbar, self.show_vertical_scrollbar):
            self.refresh(layout=True)
        else:
            self._scroll_update(size)
            self.refresh()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        columns = self.ordered_columns
        for key in new_rows:
            row = self.rows.get(key)
            if row is None:
                continue  # removed before the table was idle
            cells = self._get_row_renderables(self._row_locations.get(key))[1]
            if row.label is not None or row.auto_height or not all(
                    isinstance(c, Text) and "\n" not in c.plain for c in cells):
                super()._update_dimensions([key])
                continue
            for column, cell in zip(columns, cells, strict=False):
                column.content_width = max(column.content_width, cell.cell_len)
        header = self.header_height if self.show_header else 0
        width = sum(c.get_render_width(self) for c in columns) + self._row_label_column_width
        self.virtual_size = Size(width, self._total_row_height + header)

    # -- drawing ---------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_styles = {}  # styles looked up once a frame, not once a line
        return super().render_lines(crop)

    def _frame_style(self, key: Any, make: Any) -> Any:
        found = self._frame_styles.get(key)
        if found is None:
            found = self._frame_styles[key] = make()
        return found

    def render_line(self, y: int) -> Strip:
        if self.fixed_rows:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        if y >= (self.header_height if self.show_header else 0):
            y += scroll_y
        style = self._frame_style("table", lambda: self.rich_style)
        return self._render_line(y, scroll_x, scroll_x + self.size.width, style)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        width = self.size.width
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return Strip.blank(width, base_style)
        row_index = self._row_locations.get(row_key)
        if (row_index is None or line_no or self.fixed_columns or self.cursor_type != "row"
                or (self._labelled_row_exists and self.show_row_labels)):
            return super()._render_line(y, x1, x2, base_style)
        cursor, hover = self.cursor_coordinate, self.hover_coordinate
        cache_key = (y, x1, x2, width, cursor, hover, base_style, self.cursor_type,
                     self._show_hover_cursor, self._update_count, self._pseudo_class_state)
        if cache_key in self._line_cache:
            return self._line_cache[cache_key]  # type: ignore[no-any-return]
        cells = self._get_row_renderables(row_index)[1]
        if self.rows[row_key].height != 1 or not all(
                isinstance(c, Text) and "\n" not in c.plain for c in cells):
            return super()._render_line(y, x1, x2, base_style)
        segments = self._row_segments(row_index, cells, base_style, row_index == cursor.row,
                                      row_index == hover.row, width)
        strip = Strip(line_crop(segments, x1, x2, width))
        strip = strip.adjust_cell_length(width, base_style).simplify()
        self._line_cache[cache_key] = strip
        return strip

    def _row_segments(self, row_index: int, cells: list[Any], base_style: Style,
                      cursor: bool, hover: bool, width: int) -> list[Segment]:
        """A row's line as DataTable draws it: each cell cropped or padded to its column
        with the cell padding, the row's style under the text and the cursor's over it,
        then the row's style on to the table's edge."""
        parity = row_index % 2 if self.zebra_stripes else None
        row_style: Style = self._frame_style(("row", parity, base_style), lambda: (
            self._get_row_style(row_index, base_style)))
        component, post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css",
        )
        under = row_style + component
        console = self.app.console
        padding = self.cell_padding
        blank = Segment(" " * padding) if padding else None
        line: list[Segment] = []
        used = 0
        for column_index, (column, cell) in enumerate(zip(self.ordered_columns, cells,
                                                          strict=False)):
            column_width = column.get_render_width(self)
            used += column_width
            own = console.get_style(cell.style) if cell.style else None
            if cell.spans:
                text = list(Segment.apply_style(cell.render(console, end=""), own))
            else:
                text = [Segment(cell.plain, own)]
            inner = Segment.adjust_line_length(text, max(0, column_width - 2 * padding))
            if blank is not None:
                inner = [blank, *inner, blank]
            line.extend(Segment.apply_style(inner, under + self._meta(row_index, column_index),
                                            post))
        extend, _post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            False, False)
        extend = row_style + extend + self._meta(row_index, 0, out_of_bounds=True)
        line.append(Segment(" " * max(0, width - used - self._row_label_column_width), extend))
        return line

    def _meta(self, row: int, column: int, out_of_bounds: bool = False) -> Style:
        # What a click on the cell reports (DataTable reads it back from the segment's style).
        key = (row, column, out_of_bounds)
        meta = self._metas.get(key)
        if meta is None:
            found: dict[str, Any] = {"row": row, "column": column}
            if out_of_bounds:
                found["out_of_bounds"] = True
            meta = self._metas[key] = Style.from_meta(found)
        return meta
