"""Score extraction against a labelled folder of real pages (`aggregator eval DIR`).

    evaluate_dir(path, *, extractor=None) -> dict
    format_report(result) -> str

The scoring functions are shared with bench/compare_extractors.py so the
project and its peers are scored identically:

    fold(text)                      whitespace folded away (Chinese has no word spaces)
    bigram_f1(got, want)            character-bigram F1 after folding (multiset overlap)
    parse_label_date(text)          ("2005-5-7 21:23:57" | "2018" | "1998-3") -> (fields, precision)
    date_agrees(got, label, to=None) the prediction agrees with the label to its precision
                                    (or to "day"/"minute" when `to` is given)
    author_f1(got, want)            set F1 of names (both empty: 1.0)
    title_right(got, want)          folded-equal
    split_of(page)                  "tune" or "measure": the fixed rule that splits a labelled
                                    folder into the part rules may be tuned on and the part
                                    only measured on (the md5 of the page's relative path:
                                    even -> "tune", odd -> "measure")

`labels.json` in the folder maps a page path to {"url", "title", "authors",
"published", "content", "with", "without"} (see the folder's README).
A prediction is a dict {"title", "body", "published", "authors"}.
"""
from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
from collections import Counter
from pathlib import Path

_WS = re.compile(r"\s+")
_DATE = re.compile(r"(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[T\s]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?)?)?")
PRECISIONS = ("year", "month", "day", "hour", "minute", "second")
# roles the labels count as authors (chinese-wce lists reporters and authors together; an
# official document's issuing organ, 发文机关, is its author)
AUTHOR_ROLES = frozenset({"author", "reporter", "correspondent", "issuer"})


def fold(text) -> str:
    """Text with all whitespace removed (full-width spaces and newlines included)."""
    return _WS.sub("", text) if isinstance(text, str) else ""


def _bigrams(text):
    return Counter(text[i:i + 2] for i in range(len(text) - 1)) if len(text) > 1 else Counter(text)


def bigram_scores(got, want):
    """(precision, recall, f1) of character bigrams after whitespace folding."""
    g, w = _bigrams(fold(got)), _bigrams(fold(want))
    if not g and not w:
        return 1.0, 1.0, 1.0
    if not g or not w:
        return 0.0, 0.0, 0.0
    overlap = sum((g & w).values())
    p, r = overlap / sum(g.values()), overlap / sum(w.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bigram_f1(got, want) -> float:
    return bigram_scores(got, want)[2]


def parse_label_date(text):
    """("2005-5-7 21:23:57") -> ((2005, 5, 7, 21, 23, 57), "second"); (None, None) if no date."""
    if not isinstance(text, str):
        return None, None
    m = _DATE.search(text)
    if not m:
        return None, None
    fields = tuple(int(x) for x in m.groups() if x is not None)
    # a time without seconds is minute precision (hour never stands alone here)
    precision = {1: "year", 2: "month", 3: "day", 5: "minute", 6: "second"}.get(len(fields))
    return fields, precision


def date_agrees(got, label, to=None) -> bool:
    """`got` (ISO or printed date) agrees with `label` to the label's precision, or to `to`.

    With `to`, a label less precise than `to` cannot be agreed with (False).
    A null label agrees only with no prediction.
    """
    want, precision = parse_label_date(label)
    have, _ = parse_label_date(got)
    if want is None:
        return have is None and to is None
    n = len(want) if to is None else {"day": 3, "minute": 5}[to]
    if len(want) < n or have is None or len(have) < n:
        return False
    return have[:n] == want[:n]


def author_f1(got, want) -> float:
    g = {fold(x) for x in (got or []) if fold(x)}
    w = {fold(x) for x in (want or []) if fold(x)}
    if not g and not w:
        return 1.0
    if not g or not w:
        return 0.0
    hit = len(g & w)
    p, r = hit / len(g), hit / len(w)
    return 2 * p * r / (p + r) if hit else 0.0


def title_right(got, want) -> bool:
    return bool(fold(want)) and fold(got) == fold(want)


SPLITS = ("tune", "measure")


def split_of(page: str) -> str:
    """The part of the eval folder a page belongs to, from its relative path alone, so the split
    never depends on what the extractor does with the page: "tune" (rules may be fitted to it)
    or "measure" (only scored)."""
    digest = hashlib.md5(page.replace("\\", "/").encode("utf-8")).digest()
    return SPLITS[digest[-1] % 2]


def score_page(pred: dict, label: dict) -> dict:
    """One page's scores; keys absent where the label has nothing to score against."""
    row = {"title_right": title_right(pred.get("title"), label.get("title"))}
    if label.get("title") is None:
        row.pop("title_right")
    published = label.get("published")
    row["date_right"] = date_agrees(pred.get("published"), published)
    _, precision = parse_label_date(published)
    if precision and PRECISIONS.index(precision) >= PRECISIONS.index("day"):
        row["day_right"] = date_agrees(pred.get("published"), published, to="day")
    if precision and PRECISIONS.index(precision) >= PRECISIONS.index("minute"):
        row["minute_right"] = date_agrees(pred.get("published"), published, to="minute")
    if "authors" in label:
        row["author_f1"] = author_f1(pred.get("authors"), label.get("authors"))
    body = pred.get("body") or ""
    if label.get("content"):
        row["body_p"], row["body_r"], row["body_f1"] = bigram_scores(body, label["content"])
    folded = fold(body)
    if label.get("with") or label.get("without"):
        missing = [s for s in label.get("with", []) if fold(s) not in folded]
        present = [s for s in label.get("without", []) if fold(s) in folded]
        row["snippets_ok"] = not missing and not present
        if missing:
            row["missing"] = missing
        if present:
            row["unwanted"] = present
    return row


SCORE_KEYS = ("title_right", "date_right", "day_right", "minute_right", "author_f1", "body_f1", "snippets_ok")


def summarize(rows) -> dict:
    """Mean of every score over the rows that have it: {key: (mean, n)}."""
    out = {}
    for key in SCORE_KEYS:
        values = [float(r[key]) for r in rows if key in r]
        out[key] = (sum(values) / len(values) if values else None, len(values))
    return out


def load_labels(path, corrections=None):
    """(folder Path, {relative page path: label}) of an eval folder; ({}) when it has no labels.json.

    `corrections` (a JSON file's path, see load_corrections) replaces fields of some labels."""
    root = Path(path)
    try:
        labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        labels = {}
    labels = {k: v for k, v in labels.items() if isinstance(v, dict)}
    if corrections is not None:
        labels = apply_corrections(labels, load_corrections(corrections))
    return root, labels


def load_corrections(path) -> dict:
    """{relative page path: {field: value, ..., "note": why}} from a JSON file: labels a careful read
    of their page contradicts, as the eval folder's README allows. ValueError (saying what is wrong)
    for a file that is not that shape: every correction must say why in its note."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read corrections {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"corrections {path}: a JSON object of page -> fields expected")
    for page, fields in data.items():
        if not isinstance(fields, dict) or not str(fields.get("note") or "").strip():
            raise ValueError(f"corrections {path}: {page}: an object with a non-empty note expected")
    return data


def apply_corrections(labels: dict, corrections: dict) -> dict:
    """The labels with the corrected fields replaced, each corrected label with its correction's
    note and `corrected` true; ValueError for a correction naming a page that has no label."""
    unknown = sorted(set(corrections) - set(labels))
    if unknown:
        raise ValueError(f"corrections name pages without a label: {', '.join(unknown)}")
    return {page: ({**label, **corrections[page], "corrected": True} if page in corrections else label)
            for page, label in labels.items()}


def project_prediction(article: dict) -> dict:
    """extract_article()'s result as a prediction to score."""
    people = article.get("people") or []
    return {
        "title": article.get("title"),
        "body": article.get("body"),
        "published": article.get("published_at"),
        "authors": [p.get("name") for p in people if p.get("role") in AUTHOR_ROLES and p.get("name")],
    }


def _project_extractor(data: bytes, url):
    from aggregator.extract import extract_article
    return project_prediction(extract_article(data, url or ""))


def evaluate_dir(path, *, extractor=None, split=None, corrections=None) -> dict:
    """Run `extractor(page_bytes, url) -> prediction` (default: the project's) over a labelled folder,
    or over one part of it (`split` "tune" or "measure", see split_of); `corrections` a file of
    corrected labels (load_corrections).

    Returns {"path", "split", "pages", "seconds", "pages_per_s", "ms_per_page" (median),
    "scores": {key: (mean, n)}, "rows": [...]} where each row is {"page", "split", **score_page(...)}.
    Pages that cannot be read are rows with "error".
    """
    if split not in (None, *SPLITS):
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    extractor = extractor or _project_extractor
    root, labels = load_labels(path, corrections)
    rows, elapsed, timed, times = [], 0.0, 0, []
    for rel, label in sorted(labels.items()):
        if split is not None and split_of(rel) != split:
            continue
        try:
            data = (root / rel).read_bytes()
        except OSError as exc:
            rows.append({"page": rel, "error": f"unreadable: {exc}"})
            continue
        start = time.perf_counter()
        try:
            pred = extractor(data, label.get("url"))
        except Exception as exc:  # noqa: BLE001 - a crashing extractor scores zero, the run goes on
            pred, error = {}, f"{type(exc).__name__}: {exc}"
        else:
            error = None
        times.append(time.perf_counter() - start)
        elapsed += times[-1]
        timed += 1
        row = {"page": rel, "split": split_of(rel), **score_page(pred, label)}
        if label.get("corrected"):
            row["corrected"] = True
        if error:
            row["error"] = error
        rows.append(row)
    return {
        "path": str(root), "split": split, "pages": len(rows), "seconds": elapsed,
        "pages_per_s": (timed / elapsed) if elapsed else None,
        "ms_per_page": statistics.median(times) * 1000 if times else None,
        "scores": summarize(rows), "rows": rows,
    }


def summarize_parts(rows) -> dict:
    """{"tune": scores, "measure": scores, "all": scores} of one run's rows (see summarize)."""
    parts = {name: summarize([r for r in rows if r.get("split") == name]) for name in SPLITS}
    parts["all"] = summarize(rows)
    return parts


_LABELS = {"title_right": "title right", "date_right": "date right", "day_right": "right day",
           "minute_right": "right minute", "author_f1": "author F1", "body_f1": "body F1",
           "snippets_ok": "snippets ok"}


def _cell(value):
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def format_report(result) -> str:
    """A markdown report: one table of scores, then the pages that missed."""
    part = f", {result['split']} part" if result.get("split") else ""
    corrected = sum(1 for r in result.get("rows", []) if r.get("corrected"))
    part += f", {corrected} labels corrected" if corrected else ""
    lines = [f"# Extraction on {result.get('path')} ({result.get('pages')} pages{part})", "",
             "| score | value | pages |", "|---|---|---|"]
    for key, (mean, n) in result.get("scores", {}).items():
        lines.append(f"| {_LABELS.get(key, key)} | {_cell(mean)} | {n} |")
    pps = result.get("pages_per_s")
    lines.append(f"| pages/s | {_cell(pps)} | {result.get('pages')} |")
    misses = [r for r in result.get("rows", []) if r.get("error") or r.get("title_right") is False
              or r.get("body_f1", 1) < 0.9 or r.get("snippets_ok") is False]
    if misses:
        lines += ["", "## Pages below the bar", "", "| page | title | body F1 | note |", "|---|---|---|---|"]
        for r in misses:
            note = r.get("error") or "; ".join(f"{k}: {v}" for k, v in r.items() if k in ("missing", "unwanted"))
            lines.append(f"| {r['page']} | {_cell(r.get('title_right'))} | {_cell(r.get('body_f1'))} | {note} |")
    return "\n".join(lines) + "\n"
