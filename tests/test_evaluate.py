import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator.cli import main
from aggregator.evaluate import (
    author_f1, bigram_f1, date_agrees, evaluate_dir, fold, format_report, load_corrections,
    parse_label_date, score_page, title_right,
)


@pytest.mark.parametrize("got,want,expected", [
    ("教育新闻", "教育新闻", 1.0),
    ("教育 新闻\n", "\u3000\u3000教育新闻", 1.0),   # whitespace folded away
    ("", "教育新闻", 0.0),
    ("完全不同", "教育新闻", 0.0),
    ("", "", 1.0),
])
def test_bigram_f1(got, want, expected):
    assert bigram_f1(got, want) == pytest.approx(expected)


def test_bigram_f1_counts_repeats():
    assert bigram_f1("教育新闻教育新闻", "教育新闻") < 0.7


@pytest.mark.parametrize("label,fields,precision", [
    ("2005-5-7 21:23:57", (2005, 5, 7, 21, 23, 57), "second"),
    ("2022-03-14 10:58", (2022, 3, 14, 10, 58), "minute"),
    ("2020-02-19", (2020, 2, 19), "day"),
    ("1998-3", (1998, 3), "month"),
    ("2018", (2018,), "year"),
    (None, None, None),
])
def test_parse_label_date(label, fields, precision):
    assert parse_label_date(label) == (fields, precision)


@pytest.mark.parametrize("got,label,to,expected", [
    ("2021-06-30T13:06:00+08:00", "2021-06-30 13:06", None, True),
    ("2021-06-30T13:07:00+08:00", "2021-06-30 13:06", None, False),
    ("2021-06-30T13:07:00+08:00", "2021-06-30 13:06", "day", True),
    ("2021-06-30T00:00:00+08:00", "2021-06", None, True),      # to the label's precision
    ("2021-06-30", "2021-06-30 13:06", "minute", False),        # a day cannot be right to the minute
    (None, None, None, True),                                   # no date on the page, none given
    ("2021-06-30", None, None, False),
])
def test_date_agrees(got, label, to, expected):
    assert date_agrees(got, label, to) is expected


@pytest.mark.parametrize("got,want,expected", [
    (["杨阳"], ["杨阳"], 1.0), (["杨阳", "王明"], ["杨阳"], 2 / 3), ([], [], 1.0), ([], ["杨阳"], 0.0),
])
def test_author_f1(got, want, expected):
    assert author_f1(got, want) == pytest.approx(expected)


@pytest.mark.parametrize("got,want,expected", [
    ("话剧《约定无期限》 ", "话剧《约定无期限》", True), ("话剧", "话剧《约定无期限》", False), (None, "标题", False),
])
def test_title_right(got, want, expected):
    assert title_right(got, want) is expected


def test_score_page_checks_snippets():
    row = score_page({"body": "正文内容，能过关。"}, {"title": "t", "with": ["能过关。"], "without": ["纠错"]})
    assert row["snippets_ok"] is True
    row = score_page({"body": "正文 纠错"}, {"title": "t", "with": ["能过关。"], "without": ["纠错"]})
    assert row["snippets_ok"] is False and row["missing"] == ["能过关。"] and row["unwanted"] == ["纠错"]


def test_fold_removes_every_kind_of_whitespace():
    assert fold(" a\u3000b\n\tc ") == "abc"


@pytest.fixture
def eval_dir(tmp_path):
    page = ("<html><head><meta name='ArticleTitle' content='暑期安全提醒'>"
            "<meta name='PubDate' content='2021-06-30 13:06'></head><body><div class='content'>"
            "<p>各位家长，暑期将至，请做好学生安全教育，防溺水、防交通事故。</p></div></body></html>")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_bytes(page.encode("gbk"))
    labels = {"pages/a.html": {"title": "暑期安全提醒", "published": "2021-06-30 13:06", "authors": [],
                               "content": "各位家长，暑期将至，请做好学生安全教育，防溺水、防交通事故。"},
              "pages/missing.html": {"title": "x"}}
    (tmp_path / "labels.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_evaluate_dir_scores_the_project(eval_dir):
    result = evaluate_dir(eval_dir)
    rows = {r["page"]: r for r in result["rows"]}
    assert rows["pages/a.html"]["title_right"] and rows["pages/a.html"]["body_f1"] == pytest.approx(1.0)
    assert rows["pages/a.html"]["minute_right"]
    assert "error" in rows["pages/missing.html"]
    assert result["scores"]["body_f1"] == (pytest.approx(1.0), 1)


def test_evaluate_dir_survives_a_crashing_extractor(eval_dir):
    def boom(data, url):
        raise RuntimeError("boom")
    result = evaluate_dir(eval_dir, extractor=boom)
    assert result["scores"]["title_right"][0] == 0.0


def test_format_report_is_a_markdown_table(eval_dir):
    report = format_report(evaluate_dir(eval_dir))
    assert "| body F1 | 1.000 | 1 |" in report and "pages/s" in report


def test_evaluate_dir_without_labels_is_empty(tmp_path):
    assert evaluate_dir(tmp_path)["pages"] == 0


def write_corrections(tmp_path, data):
    path = tmp_path / "corrections.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_corrections_replace_a_labels_fields(eval_dir, tmp_path):
    fix = write_corrections(tmp_path, {"pages/a.html": {"title": "另一个标题", "note": "the headline reads so"}})
    result = evaluate_dir(eval_dir, corrections=fix)
    row = {r["page"]: r for r in result["rows"]}["pages/a.html"]
    assert row["corrected"] and row["title_right"] is False
    assert "1 labels corrected" in format_report(result)


@pytest.mark.parametrize("data, message", [
    ({"pages/a.html": {"title": "x"}}, "non-empty note"),
    ({"pages/a.html": {"title": "x", "note": " "}}, "non-empty note"),
    ({"pages/none.html": {"title": "x", "note": "why"}}, "without a label: pages/none.html"),
    (["pages/a.html"], "JSON object"),
])
def test_corrections_of_the_wrong_shape_are_refused(eval_dir, tmp_path, data, message):
    with pytest.raises(ValueError, match=message):
        evaluate_dir(eval_dir, corrections=write_corrections(tmp_path, data))


def test_the_shipped_corrections_are_well_formed():
    """bench/eval_corrections.json: each correction a labelled field or more and a note."""
    shipped = Path(__file__).resolve().parents[1] / "bench" / "eval_corrections.json"
    corrections = load_corrections(shipped)
    assert corrections
    for page, fields in corrections.items():
        assert page.endswith(".html") and set(fields) - {"note"} <= {"authors", "title", "published", "source"}


def test_the_eval_command_says_what_is_wrong_with_corrections(eval_dir, tmp_path):
    fix = write_corrections(tmp_path, {"pages/a.html": {"title": "x"}})
    result = CliRunner().invoke(main, ["eval", str(eval_dir), "--corrections", str(fix)])
    assert result.exit_code == 2 and "non-empty note" in result.output
