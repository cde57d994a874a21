"""Go's text/tabwriter as kubectl configures it, and the table layout of ``kubectl get``.

Mirrors github.com/liggitt/tabwriter (a fork of text/tabwriter) as used by
k8s.io/cli-runtime ``pkg/printers/tabwriter.go`` (minwidth 6, tabwidth 8,
padding 3, pad with spaces) and by kubectl describe (minwidth 0, padding 2).

The algorithm is Go's: text is split into lines and cells; a cell is ended
by a tab, the last cell of a line is not part of any column. A column is a run
of consecutive lines that all have a tab-terminated cell at that index, and
is as wide as its widest cell plus padding (at least minwidth). Widths count
runes, as Go does (not terminal columns).

Left out: the AlignRight/Debug/FilterHTML flags and escape sequences, which
kubectl never uses.
"""

from __future__ import annotations

from itertools import chain


class TabWriter:
    """Collects text and formats it like Go's tabwriter.Writer on flush()."""

    def __init__(self, minwidth: int = 6, padding: int = 3, *, padchar: str = " ") -> None:
        self.minwidth = minwidth
        self.padding = padding
        self.padchar = padchar
        self._buffer: list[str] = []
        self._out: list[str] = []

    def write(self, text: str) -> None:
        self._buffer.append(text)

    def flush(self) -> str:
        """Format what was written so far; returns (and keeps) the whole output."""
        text = "".join(self._buffer)
        self._buffer = []
        self._out.append(format_cells(text, self.minwidth, self.padding, self.padchar))
        return self.getvalue()

    def getvalue(self) -> str:
        return "".join(self._out)


def format_cells(text: str, minwidth: int = 6, padding: int = 3, padchar: str = " ") -> str:
    """Align tab-separated text as tabwriter does (one flush)."""
    if not text:
        return ""
    ends_with_newline = text.endswith("\n")
    raw_lines = text.split("\n")
    if ends_with_newline:
        raw_lines = raw_lines[:-1]
    lines = [line.split("\t") for line in raw_lines]
    out: list[str] = []
    widths: list[int] = []

    def write_lines(line0: int, line1: int) -> None:
        for index in range(line0, line1):
            cells = lines[index]
            parts: list[str] = []
            for j, cell in enumerate(cells):
                if j < len(widths) and j < len(cells) - 1:
                    parts.append(cell + padchar * max(0, widths[j] - len(cell)))
                else:
                    parts.append(cell)
            out.append("".join(parts))

    def format_block(line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            write_lines(line0, this)
            line0 = this
            width = minwidth
            while this < line1:
                cells = lines[this]
                if column >= len(cells) - 1:
                    break
                width = max(width, len(cells[column]) + padding)
                this += 1
            widths.append(width)
            format_block(line0, this)
            widths.pop()
            line0 = this
        write_lines(line0, line1)

    format_block(0, len(lines))
    result = "\n".join(out)
    return result + "\n" if ends_with_newline else result


def render_rows(rows: list[list[str]]) -> str:
    """kubectl's table: cells joined by tabs, aligned with minwidth 6 and padding 3."""
    if not rows:
        return ""
    count = len(rows[0])
    if count > 1 and all(len(row) == count for row in rows):
        cells = "".join(map("".join, rows))  # TypeError for a cell that is not a string, as "\t".join gives
        if "\t" not in cells and "\n" not in cells:
            # Every line has the same cells and no cell holds a tab or a line break: each of the first
            # count-1 cells forms one column over all lines, so format_cells' blocks reduce to one width
            # per column (same output, linear time). "%-Ns" pads like str.ljust, and one format string
            # repeated per row lays the whole table out in a single C call.
            widths = [max(6, max(map(len, column)) + 3) for column in zip(*rows)][:-1]
            line = "".join(f"%-{width}s" for width in widths) + "%s\n"
            return (line * len(rows)) % tuple(chain.from_iterable(rows))
    return format_cells("".join("\t".join(row) + "\n" for row in rows))


def clean_cell(value: object) -> str:
    """printers' cell formatting: a string is cut at its first line break and gets "..."."""
    text = value if type(value) is str else "" if value is None else str(value)
    if "\n" not in text and "\r" not in text and "\f" not in text:  # the common case, three C scans
        return text
    for index, char in enumerate(text):
        if char in "\n\r\f":
            return text[:index] + "..."
    return text
