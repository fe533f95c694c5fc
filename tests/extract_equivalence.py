"""Differential check of extraction: every field extract_article returns, on every page of some
folders, for this tree and for another revision of it.

    python -m tests.extract_equivalence [--against REV] [DIR ...]
    python -m tests.extract_equivalence --save FILE [DIR ...]

DIR: folders searched for *.htm and *.html pages (default: ../shared/eval, the labelled pages and
GNE's unlabelled ones). A page's URL is the one its folder's labels.json gives, if any. With
--against (default HEAD) the revision is unpacked with `git archive` into a temporary folder and
run there in a subprocess, so a change meant to be only faster can be checked to change nothing.
Prints the pages compared and each difference (page, key, both values); exits 1 on any.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def default_dirs() -> list[Path]:
    return [ROOT.parent / "shared" / "eval"]


def pages(dirs: list[Path]) -> list[tuple[str, Path, str]]:
    """(key, path, url) for each page under the folders, sorted by key."""
    found = []
    for d in dirs:
        urls = {}
        labels = d / "labels.json"
        if labels.is_file():
            urls = {rel: (v.get("url") or "") for rel, v in json.loads(labels.read_text("utf-8")).items()}
        for p in sorted(d.rglob("*.htm*")):
            rel = p.relative_to(d).as_posix()
            found.append((f"{d.name}/{rel}", p, urls.get(rel, "")))
    return found


def extract_all(dirs: list[Path]) -> dict[str, dict]:
    from aggregator.extract import extract_article

    out = {}
    for key, path, url in pages(dirs):
        result = extract_article(path.read_bytes(), url)
        out[key] = json.loads(json.dumps(result, default=repr, ensure_ascii=False, sort_keys=True))
    return out


def extract_at(rev: str, dirs: list[Path]) -> dict[str, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        out = Path(tmp) / "extracted.json"
        env = dict(os.environ, PYTHONPATH=tmp)
        # this file run as a script: its folder holds no `aggregator`, so the revision's is imported
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--save", str(out),
                        *map(str, dirs)], cwd=tmp, env=env, check=True)
        return json.loads(out.read_text("utf-8"))


def differences(old: dict[str, dict], new: dict[str, dict]) -> list[tuple[str, str, object, object]]:
    diffs = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            diffs.append((key, "(page)", a is not None, b is not None))
            continue
        for field in sorted(set(a) | set(b)):
            if a.get(field) != b.get(field):
                diffs.append((key, field, a.get(field), b.get(field)))
    return diffs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, help="folders of pages (default: ../shared/eval)")
    parser.add_argument("--against", default="HEAD", help="the revision to compare with (default HEAD)")
    parser.add_argument("--save", type=Path, help="only write this tree's results to FILE as JSON")
    args = parser.parse_args(argv)
    dirs = [d.resolve() for d in args.dirs] or default_dirs()
    if args.save:
        args.save.write_text(json.dumps(extract_all(dirs), ensure_ascii=False), "utf-8")
        return 0
    old, new = extract_at(args.against, dirs), extract_all(dirs)
    diffs = differences(old, new)
    print(f"{len(new)} pages, {len(diffs)} differences against {args.against}")
    for key, field, a, b in diffs[:40]:
        print(f"- {key} {field}:\n    {args.against}: {str(a)[:300]!r}\n    this tree: {str(b)[:300]!r}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
