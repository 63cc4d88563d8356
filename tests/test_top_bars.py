"""A bar chart shows at most TOP_BARS bars: the largest in their order, the rest as one bar."""

from fundalloc.commands.charts import TOP_BARS, top_bars


def test_few_bars_unchanged():
    assert top_bars(["a", "b"], [2, 1]) == (["a", "b"], [2.0, 1.0])


def test_many_bars_keep_the_largest_and_the_total():
    values = [float((i * 37) % 101) for i in range(500)]
    labels = [f"id{i}" for i in range(500)]
    lab, val = top_bars(labels, values)
    assert len(lab) == TOP_BARS and abs(sum(val) - sum(values)) < 1e-6
    kept = lab[:-1]
    assert kept == [x for x in labels if x in set(kept)]  # original order
    assert min(val[:-1]) >= max(v for x, v in zip(labels, values) if x not in set(kept))
    assert "499" not in lab[-1] and str(500 - TOP_BARS + 1) in lab[-1]
