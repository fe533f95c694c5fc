import pytest

from aggregator.reading import credit_text, display_time, lag_text, paragraphs


@pytest.mark.parametrize("iso,precision,shown", [
    ("2021-06-30T13:06:00+08:00", "second", "2021-06-30 13:06:00 (UTC+08:00)"),
    ("2021-06-30T13:06:00+08:00", "minute", "2021-06-30 13:06 (UTC+08:00)"),
    ("2021-06-30T00:00:00+08:00", "day", "2021-06-30"),       # never more precise than the page
    ("2021-06-01T00:00:00+08:00", "month", "2021-06"),
    ("2021-01-01T00:00:00+08:00", "year", "2021"),
    ("2021-06-30T13:06:00Z", "minute", "2021-06-30 13:06 (UTC+00:00)"),
    ("2021-06-30T13:06:00+08:00", None, "2021-06-30 13:06:00 (UTC+08:00)"),
    ("2021-06-30", None, "2021-06-30"),
    ("昨天", "day", None),
    ("", "day", None),
    (None, "day", None),
])
def test_display_time(iso, precision, shown):
    assert display_time(iso, precision) == shown


@pytest.mark.parametrize("body,expected", [
    ("第一段。\n第二段。", ["第一段。", "第二段。"]),
    ("  第一段。 \n\n\n第二段。\n", ["第一段。", "第二段。"]),
    ("", []),
    (None, []),
])
def test_paragraphs(body, expected):
    assert paragraphs(body) == expected


@pytest.mark.parametrize("hours,text", [
    (0, "0 min later"),
    (0.5, "30 min later"),
    (20, "20 h later"),
    (26, "1 d 2 h later"),
    (48, "2 d later"),
    (-1, None),
    (None, None),
    ("3", None),
    (True, None),
])
def test_lag_text(hours, text):
    assert lag_text(hours) == text


@pytest.mark.parametrize("value,text", [(1, "credits the original"), (0, "does not credit the original"), (None, None)])
def test_credit_text(value, text):
    assert credit_text(value) == text
