"""Compare the project's extractor with trafilatura and GNE on a labelled eval folder.

    python bench/compare_extractors.py [EVAL_DIR]      (default: ../shared/eval from the repo root)

Prints one markdown table: right day, right minute, author F1, title right,
body F1, snippets ok, pages/s, for each extractor. Scores come from
aggregator.evaluate, the same functions `aggregator eval` uses.

Fairness: every extractor gets the same page bytes. The project decodes them
itself inside the timed call; the peers get the text the project's decoder
produced (decoded outside their timing, so their pages/s is, if anything,
flattered). trafilatura and GNE are optional (`pip install .[bench]`); a
missing one is reported, not fatal.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aggregator.evaluate import evaluate_dir  # noqa: E402
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


def run_all(path):
    results = {}
    results["project"] = evaluate_dir(path)
    for name, factory in (("trafilatura", trafilatura_extractor), ("GNE", gne_extractor)):
        try:
            run = factory()
        except Exception as exc:  # noqa: BLE001 - a missing peer is reported, not fatal
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        results[name] = _evaluate_peer(path, run)
    return results


def _evaluate_peer(path, run):
    """evaluate_dir with the peer's time measured around the peer only (decoding excluded)."""
    spent = [0.0]

    def extractor(data, url):
        text = _decoded(data)
        start = time.perf_counter()
        try:
            return run(data, url, text=text)
        finally:
            spent[0] += time.perf_counter() - start
    result = evaluate_dir(path, extractor=extractor)
    result["seconds"] = spent[0]
    result["pages_per_s"] = result["pages"] / spent[0] if spent[0] else None
    return result


def format_table(results) -> str:
    head = "| extractor | " + " | ".join(label for _, label in COLUMNS) + " | pages/s |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 2)]
    for name, result in results.items():
        if "error" in result:
            lines.append(f"| {name} | " + " | ".join("-" for _ in COLUMNS) + f" | not run: {result['error']} |")
            continue
        cells = []
        for key, _ in COLUMNS:
            mean, n = result["scores"].get(key, (None, 0))
            cells.append("-" if mean is None else f"{mean:.3f} (n={n})")
        pps = result.get("pages_per_s")
        lines.append(f"| {name} | " + " | ".join(cells) + (f" | {pps:.1f} |" if pps else " | - |"))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=str(REPO.parent / "shared" / "eval"))
    args = parser.parse_args(argv)
    if not (Path(args.eval_dir) / "labels.json").is_file():
        parser.error(f"no labels.json in {args.eval_dir}")
    results = run_all(args.eval_dir)
    print(format_table(results))
    pps = {name: r.get("pages_per_s") for name, r in results.items() if r.get("pages_per_s")}
    if "project" in pps and "GNE" in pps:
        print(f"\nproject / GNE speed: {pps['project'] / pps['GNE']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
