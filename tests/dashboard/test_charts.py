"""The overview's SVG bar geometry (no database)."""

from __future__ import annotations

from openvoucher.dashboard.charts import grouped, nice_top


def test_axis_tops_are_round() -> None:
    """The axis maximum is the next 1, 2 or 5 × 10ⁿ."""
    assert [nice_top(v) for v in (0, 1, 3, 7, 10, 11, 180, 2001)] == [
        1,
        1,
        5,
        10,
        10,
        20,
        200,
        5000,
    ]


def test_bars_scale_to_the_plot() -> None:
    """The tallest bar fills the plot in proportion to the round top; series sit side by side."""
    chart = grouped("t", ("a", "b"), [("d1", (10, 5)), ("d2", (0, 20))])
    heights = [round(bar.height, 1) for bar in chart.bars]
    plot = chart.bottom - 10
    assert heights == [plot / 2, plot / 4, 0, plot]
    assert [bar.series for bar in chart.bars] == [0, 1, 0, 1]
    assert chart.bars[1].x > chart.bars[0].x
    assert chart.bars[0].title == "d1: 10 a"
    assert [label for _, label in chart.ticks] == ["0", "5", "10", "15", "20"]


def test_ticks_are_whole_numbers() -> None:
    """An axis up to 5 is ticked 0 to 5, one to 1 only at 0 and 1."""
    five = grouped("t", ("a",), [("d", (4,))])
    assert [label for _, label in five.ticks] == ["0", "1", "2", "3", "4", "5"]
    one = grouped("t", ("a",), [("d", (1,))])
    assert [label for _, label in one.ticks] == ["0", "1"]


def test_labels_can_be_thinned() -> None:
    """Only every n-th group gets an x label."""
    chart = grouped("t", ("a",), [(f"d{n}", (n,)) for n in range(10)], label_every=5)
    assert [label for _, label in chart.labels] == ["d0", "d5"]
