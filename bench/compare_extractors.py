"""Compare the project's extractor with trafilatura and GNE on a labelled eval folder.

    python bench/compare_extractors.py [EVAL_DIR] [--rounds N]   (default: ../shared/eval beside the checkout, 3)

The first line says which page-model walk extract_article ran: the compiled one or the Python
fallback (aggregator.extract.page.COMPILED). EVAL_DIR is any folder of pages with a labels.json of the same shape (a held-out set kept
outside the repository, for one). `--profile TOP` prints instead where the project's extractor
spends its time on those pages (cProfile, the TOP functions by their own time); `--stages` the
time of each stage extract_article calls (decode and parse, the page model's walk, body, title,
cleaning, fields ...) per page and as a ratio to a bare lxml parse of the same pages, timed beside
it (no profiler's overhead per call).

Prints one markdown table per part of the folder (the tune part, the measure part, the
whole; see aggregator.evaluate.split_of for the fixed rule): right day, right minute,
author F1, title right, body F1, snippets ok, for each extractor; then the speed table:
pages/s and median ms per page of each extractor and of a bare lxml parse of the same
decoded pages (`lxml.html.document_fromstring`, the floor any lxml-based extractor
stands on), and the project's pages/s as ratios to GNE's and to that parse's. Scores
come from aggregator.evaluate, the same functions `aggregator eval` uses.

Speed is measured apart from the scores, in N rounds over the pages, every extractor run on
each page in turn: a change in the machine's load (a shared machine) hits all of them alike.
Fairness: every extractor gets the same page bytes. The project decodes them
itself inside the timed call; the peers get the text the project's decoder
produced (decoded outside their timing, so their pages/s is, if anything,
flattered). trafilatura and GNE are optional (`pip install .[bench]`); a
missing one is reported, not fatal.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aggregator.evaluate import evaluate_dir, load_labels, project_prediction, summarize_parts  # noqa: E402
from aggregator.extract.encoding import decode_html  # noqa: E402


def _decoded(data: bytes) -> str:
    text, _ = decode_html(data)
    return text or ""


def trafilatura_extractor():
    import trafilatura

    def run(data, url, text=None):
        doc = trafilatura.bare_extraction(text, url=url, with_metadata=True)
        doc = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
        authors = [a.strip() for a in (doc.get("author") or "").split(";") if a.strip()]
        return {"title": doc.get("title"), "body": doc.get("text"), "published": doc.get("date"),
                "authors": authors}
    return run


def gne_extractor():
    from gne import GeneralNewsExtractor
    extractor = GeneralNewsExtractor()

    def run(data, url, text=None):
        doc = extractor.extract(text) or {}
        author = (doc.get("author") or "").strip()
        return {"title": doc.get("title"), "body": doc.get("content"), "published": doc.get("publish_time"),
                "authors": [author] if author else []}
    return run


COLUMNS = (("day_right", "right day"), ("minute_right", "right minute"), ("author_f1", "author F1"),
           ("title_right", "title right"), ("body_f1", "body F1"), ("snippets_ok", "snippets ok"))


def bare_parse_extractor():
    from lxml import html as lxml_html

    def run(data, url, text=None):
        lxml_html.document_fromstring(text) if text and text.strip() else None
        return {}
    return run


def project_extractor():
    from aggregator.extract import extract_article

    def run(data, url, text=None):
        return project_prediction(extract_article(data, url or ""))
    return run


def run_all(path, rounds=3, corrections=None):
    """Scores of every extractor (one pass each; `corrections` a file of corrected labels, see
    aggregator.evaluate.load_corrections), then their speed measured in `rounds` rounds that take
    the pages one by one and run every extractor on the page in turn, so a change in the machine's
    load hits all of them alike."""
    runners = {"project": project_extractor(), "bare lxml parse": bare_parse_extractor()}
    results = {}
    for name, factory in (("trafilatura", trafilatura_extractor), ("GNE", gne_extractor)):
        try:
            runners[name] = factory()
        except Exception as exc:  # noqa: BLE001 - a missing peer is reported, not fatal
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
    for name, run in runners.items():
        if name == "project":
            results[name] = evaluate_dir(path, corrections=corrections)
        else:
            results[name] = evaluate_dir(path, corrections=corrections,
                                         extractor=lambda data, url, run=run: run(data, url, text=_decoded(data)))
    for name, (pages_per_s, ms) in _speed(path, runners, rounds).items():
        results[name].update(pages_per_s=pages_per_s, ms_per_page=ms)
    return results


def _speed(path, runners, rounds):
    """{name: (pages/s, median ms per page)}. The project decodes the page bytes inside its timed
    call; the others get the text the project's decoder produced, decoded outside their timing."""
    root, labels = load_labels(path)
    pages = []
    for rel, label in sorted(labels.items()):
        try:
            data = (root / rel).read_bytes()
        except OSError:
            continue
        pages.append((data, label.get("url"), _decoded(data)))
    spent = {name: [0.0] * len(pages) for name in runners}
    for _ in range(rounds):
        for i, (data, url, text) in enumerate(pages):
            for name, run in runners.items():
                start = time.perf_counter()
                try:
                    run(data, url, text=text)
                except Exception:  # noqa: BLE001 - a peer failing on a page still spent the time
                    pass
                spent[name][i] += time.perf_counter() - start
    out = {}
    for name, per_page in spent.items():
        total = sum(per_page)
        out[name] = ((len(pages) * rounds / total) if total else None,
                     statistics.median(per_page) / rounds * 1000 if per_page else None)
    return out


PARTS = (("tune", "tune part"), ("measure", "measure part"), ("all", "whole folder"))


def format_table(results, part="all") -> str:
    """The scores of every extractor on one part of the folder."""
    head = "| extractor | " + " | ".join(label for _, label in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 1)]
    for name, result in results.items():
        if name == "bare lxml parse":
            continue
        if "error" in result:
            lines.append(f"| {name} | " + " | ".join("-" for _ in COLUMNS[:-1]) + f" | not run: {result['error']} |")
            continue
        scores = summarize_parts(result["rows"])[part]
        cells = []
        for key, _ in COLUMNS:
            mean, n = scores.get(key, (None, 0))
            cells.append("-" if mean is None else f"{mean:.3f} (n={n})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def format_speed(results) -> str:
    """pages/s and median ms per page of every extractor, the project's pages/s against the others'."""
    project = results.get("project", {}).get("pages_per_s")
    lines = ["| extractor | pages/s | median ms/page | project's pages/s as a ratio to it |", "|---|---|---|---|"]
    for name, result in results.items():
        pps, ms = result.get("pages_per_s"), result.get("ms_per_page")
        if not pps:
            lines.append(f"| {name} | - | - | not run: {result.get('error', 'no pages')} |")
            continue
        ratio = f"{project / pps:.2f}x" if project and name != "project" else "-"
        lines.append(f"| {name} | {pps:.1f} | {ms:.1f} | {ratio} |")
    return "\n".join(lines)


def _default_eval_dir():
    """../shared/eval beside the checkout, or beside the folder of worktrees it sits in."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "eval" / "labels.json").is_file():
            return base / "shared" / "eval"
    return REPO.parent / "shared" / "eval"


def profile(path, top=15):
    """cProfile of the project's extractor over the folder's pages (one warm-up pass, then two):
    the `top` functions by their own time, as pstats prints them."""
    import cProfile
    import io
    import pstats
    root, labels = load_labels(path)
    pages = [((root / rel).read_bytes(), label.get("url")) for rel, label in sorted(labels.items())
             if (root / rel).is_file()]
    run = project_extractor()
    for data, url in pages:
        run(data, url)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(2):
        for data, url in pages:
            run(data, url)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


# the stages of aggregator.extract.extract_article, as it calls them
STAGES = ("parse_page", "read_meta", "move_script_body", "prepare_tree", "page_root", "walk", "find_body",
          "body_lines", "extract_title", "lead_nodes", "clean_body", "_header_lines", "mojibake_reason",
          "extract_fields")


def stages(path, rounds=3):
    """[(stage, ms per page, share of the project's time, ratio to the bare parse)], then the totals:
    the project's extractor over the folder's pages with every stage extract_article calls timed
    (each name in aggregator.extract wrapped in a timer), each page's bare parse timed right
    before it and a loop that only reads every element after it, in `rounds` rounds after a
    warm-up pass."""
    from lxml import html as lxml_html

    import aggregator.extract as ex
    spent = dict.fromkeys(STAGES, 0.0)
    originals = {name: getattr(ex, name) for name in STAGES}

    def timed(name, func):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start
        return run

    root, labels = load_labels(path)
    pages = [((root / rel).read_bytes(), label.get("url") or "") for rel, label in sorted(labels.items())
             if (root / rel).is_file()]
    pages = [(data, url, _decoded(data)) for data, url in pages]
    for data, url, _ in pages:
        ex.extract_article(data, url)
    total = bare = touched = 0.0
    try:
        for name, func in originals.items():
            setattr(ex, name, timed(name, func))
        for _ in range(rounds):
            for data, url, text in pages:
                start = time.perf_counter()
                tree = lxml_html.document_fromstring(text)
                parsed = time.perf_counter()
                ex.extract_article(data, url)
                bare += parsed - start
                total += time.perf_counter() - parsed
                touched += _touch_every_element(tree)
    finally:
        for name, func in originals.items():
            setattr(ex, name, func)
    n = len(pages) * rounds
    rows = [(name, spent[name] / n * 1000, spent[name] / total, spent[name] / bare)
            for name in sorted(STAGES, key=spent.get, reverse=True)]
    rows.append(("(a Python loop reading every element's tag, text and tail)", touched / n * 1000, None, touched / bare))
    return rows, (total / n * 1000, bare / n * 1000, total / bare)


def _touch_every_element(tree):
    """Seconds a loop takes that only reads the tag, text and tail of every element of the
    prepared <body>: the least any walk over the page in Python costs."""
    from lxml import etree

    from aggregator.extract.body import prepare_tree
    from aggregator.extract.page import page_root
    body = page_root(prepare_tree(tree))
    start = time.perf_counter()
    for el in body.iter(etree.Element):
        el.tag, el.text, el.tail  # reading them is what is timed
    return time.perf_counter() - start


def format_stages(rows, totals) -> str:
    lines = ["| stage | ms/page | share | ratio to the bare parse |", "|---|---|---|---|"]
    lines += [f"| {name} | {ms:.2f} | {'-' if share is None else f'{share:.1%}'} | {ratio:.2f}x |"
              for name, ms, share, ratio in rows]
    total, bare, ratio = totals
    lines.append(f"| extract_article | {total:.2f} | 100% | {ratio:.2f}x |")
    lines.append(f"| bare lxml parse | {bare:.2f} | - | 1.00x |")
    return "\n".join(lines)


def walk_kind() -> str:
    """Which page-model walk extract_article runs here: the compiled one, or the Python fallback."""
    from aggregator.extract import page
    if page.COMPILED:
        return f"page-model walk: compiled ({Path(page._walk.__file__).name})"
    return f"page-model walk: Python ({page.NOT_COMPILED}; to build it: python setup.py build_ext --inplace)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=str(_default_eval_dir()),
                        help="a folder of pages with a labels.json (default: ../shared/eval from the checkout)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the speed measurement (default 3)")
    parser.add_argument("--profile", type=int, metavar="TOP", default=0,
                        help="print instead the cProfile of the project's extractor over the pages (TOP functions)")
    parser.add_argument("--stages", action="store_true",
                        help="print instead each stage's time per page, beside a bare lxml parse of the same pages")
    parser.add_argument("--corrections", metavar="FILE", default=None,
                        help="a JSON file of corrected labels applied over labels.json for every extractor "
                             "(bench/eval_corrections.json for ../shared/eval)")
    args = parser.parse_args(argv)
    if not (Path(args.eval_dir) / "labels.json").is_file():
        parser.error(f"no labels.json in {args.eval_dir}")
    print(walk_kind() + "\n")
    if args.profile:
        print(profile(args.eval_dir, args.profile))
        return 0
    if args.stages:
        rows, totals = stages(args.eval_dir, rounds=max(1, args.rounds))
        print(f"## stages of extract_article ({args.eval_dir}, {args.rounds} rounds)\n\n{format_stages(rows, totals)}")
        return 0
    try:
        results = run_all(args.eval_dir, rounds=max(1, args.rounds), corrections=args.corrections)
    except ValueError as exc:
        parser.error(str(exc))
    for part, title in PARTS:
        print(f"## {title} ({args.eval_dir})\n\n{format_table(results, part)}\n")
    print(f"## speed ({results['project']['pages']} pages, {args.rounds} rounds, extractors in turn on each page)\n\n"
          f"{format_speed(results)}")
    pps = {name: r.get("pages_per_s") for name, r in results.items() if r.get("pages_per_s")}
    if "project" in pps and "GNE" in pps:
        print(f"\nproject / GNE pages/s: {pps['project'] / pps['GNE']:.1f}x")
    if "project" in pps and "bare lxml parse" in pps:
        print(f"project time / bare lxml parse time: {pps['bare lxml parse'] / pps['project']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
