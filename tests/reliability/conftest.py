"""Print the bad-input matrix's figures after the run: tracebacks / silent acceptances /
partial outputs / unclear messages (target 0 each) and valid variants accepted."""

from collections import Counter


def pytest_terminal_summary(terminalreporter):
    from tests.reliability.helpers import OUTCOMES

    if not OUTCOMES:
        return
    bad = Counter(OUTCOMES.get("bad", {}).values())
    valid = Counter(OUTCOMES.get("valid", {}).values())
    terminalreporter.write_line(
        f"bad-input matrix: {sum(bad.values())} cases — clear {bad['clear']}, "
        f"tracebacks {bad['traceback']}, silent acceptances {bad['silent']}, "
        f"partial outputs {bad['partial']}, unclear {bad['unclear']}; valid variants accepted "
        f"{valid['accepted']} of {sum(valid.values())}"
    )
    for case, outcome in sorted(OUTCOMES.get("bad", {}).items()):
        if outcome not in ("clear", "warned"):
            terminalreporter.write_line(f"  {outcome}: {case}")
    for case, outcome in sorted(OUTCOMES.get("valid", {}).items()):
        if outcome != "accepted":
            terminalreporter.write_line(f"  refused: {case}")
