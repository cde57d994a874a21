"""Go text/tabwriter semantics as kubectl get (minwidth 6, padding 3) and describe (0, 2) use them."""

from kubenb.kubectl.printers.table import TabWriter, clean_cell, format_cells, render_rows


def test_columns_are_widest_cell_plus_three_and_at_least_six():
    text = render_rows([["NAME", "READY", "STATUS"], ["a", "1/1", "Running"], ["longer-name", "10/10", "X"]])
    assert text == ("NAME          READY   STATUS\n"
                    "a             1/1     Running\n"
                    "longer-name   10/10   X\n")


def test_minimum_width_six_and_last_column_unpadded():
    assert render_rows([["A", "B"], ["", "C"]]) == "A     B\n      C\n"
    assert all(not line.endswith(" ") for line in render_rows([["A", "B"], ["x", "yy"]]).splitlines())
    # An empty last cell still leaves the padding of the column before it, as Go does.
    assert render_rows([["A", "B"], ["x", ""]]).splitlines()[1] == "x     "


def test_no_rows_prints_nothing():
    assert render_rows([]) == ""


def test_rune_widths_not_bytes():
    assert render_rows([["日本", "x"], ["ab", "y"]]) == "日本    x\nab    y\n"


def test_describe_blocks_restart_after_a_line_without_tab():
    text = format_cells("Name:\tx\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tRS/a\n", 0, 2)
    assert text == ("Name:       x\nNamespace:  default\nIPs:\n"
                    "  IP:           10.0.0.1\nControlled By:  RS/a\n")


def test_uneven_rows_form_column_blocks_like_go():
    # Column 1 exists only on the first two lines: the third line's cell is its last, unaligned.
    text = format_cells("a\tb\tc\nlong\tb\tc\nx\ty\n", 0, 1)
    assert text == "a    b c\nlong b c\nx    y\n"


def test_tabwriter_flush_separates_alignment():
    writer = TabWriter(0, 2)
    writer.write("Key:\tvalue\n")
    writer.flush()
    writer.write("Much-longer-key:\tv\n")
    assert writer.flush() == "Key:  value\nMuch-longer-key:  v\n"


def test_clean_cell_cuts_at_first_line_break():
    assert clean_cell("first\nsecond") == "first..."
    assert clean_cell("a\rb") == "a..."
    assert clean_cell(None) == ""
