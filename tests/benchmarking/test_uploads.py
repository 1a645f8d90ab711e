"""The quarterly upload is checked line by line and every problem listed (pure)."""

from __future__ import annotations

from datetime import date

from app.modules.benchmarking.uploads import parse_upload

TODAY = date(2026, 11, 22)
HEAD = "metric,period,unit,value,denominator\n"


def test_a_good_file_gives_its_rows():
    parsed = parse_upload(
        (HEAD + "local_spend_share,2026-Q2,percent,41.5,1200\ncoop_enterprises_supported,2026-Q2,count,37,\n").encode(),
        today=TODAY,
    )
    assert parsed.ok and not parsed.problems
    assert [(r.metric_code, r.period_start, r.value, r.denominator) for r in parsed.rows] == [
        ("local_spend_share", date(2026, 4, 1), 41.5, 1200.0),
        ("coop_enterprises_supported", date(2026, 4, 1), 37.0, None),
    ]


def test_every_problem_is_listed_and_no_row_is_kept():
    body = (
        HEAD
        + "no_such_metric,2026-Q2,percent,4,100\n"  # line 2: unknown code
        + "local_spend_share,2025-Q3,count,41.5,1200\n"  # line 3: wrong unit
        + "local_spend_share,2026-Q2,percent,41.5,1200\n"  # line 4: fine on its own
        + "local_spend_share,2026-Q2,percent,42,1200\n"  # line 5: duplicate period (of line 4)
        + "local_spend_share,2026-Q1,percent,140,1200\n"  # line 6: out of range
        + "priorities_turnout,2026-Q1,percent,40,100\n"  # line 7: computed by the platform
        + "coop_enterprises_supported,2026-Q4,count,5,\n"  # line 8: quarter not over
        + "coop_enterprises_supported,2026-Q1,count,5,\n"  # line 9: already uploaded
        + "local_spend_share,2025-Q4,percent,lots,\n"  # line 10: not a number, no denominator
    )
    parsed = parse_upload(body.encode(), today=TODAY, existing={("coop_enterprises_supported", date(2026, 1, 1))})
    assert parsed.rows == []
    by_line = {}
    for p in parsed.problems:
        by_line.setdefault(p.line, []).append(p.message)
    assert "no metric with the code" in by_line[2][0]
    assert "unit" in by_line[3][0]
    assert 4 not in by_line
    assert "also on line 4" in by_line[5][0]
    assert "outside its range" in by_line[6][0]
    assert "computes" in by_line[7][0]
    assert "has not finished" in by_line[8][0]
    assert "already has a figure" in by_line[9][0]
    assert any("must be a number" in m for m in by_line[10]) and any("denominator" in m for m in by_line[10])


def test_bad_files_are_refused():
    assert parse_upload(b"", today=TODAY).problems[0].line is None
    assert parse_upload(b"a,b\n1,2\n", today=TODAY).problems[0].line == 1
    assert parse_upload(b"\xff\xfe", today=TODAY).problems
