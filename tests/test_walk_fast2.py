"""PageModel.texts read in C (aggregator/extract/_walk.pyx first_items) held to the lines'
texts read in Python, on every page the tests hold."""
from __future__ import annotations

import pytest

import aggregator.extract.page as page
from aggregator.extract import parse_page
from tests.test_walk_compiled import _fixture_pages, _replica_pages


@pytest.mark.skipif(not page.COMPILED, reason="the compiled walk is not built (python setup.py build_ext --inplace)")
def test_the_texts_are_the_lines_texts_on_every_page_the_tests_hold(monkeypatch):
    pages = [p.read_bytes() for p in _fixture_pages()] + [data for _, data in _replica_pages()]
    assert len(pages) > 100
    for data in pages:
        tree = parse_page(data)[0]
        if tree is None:
            continue
        for model in (page.walk(page.page_root(tree)), page.walk_python(page.page_root(tree))):
            fast = model.texts
            assert fast == [ln.text for ln in model.lines]
            with monkeypatch.context() as m:
                m.setattr(page, "_walk", None)
                assert model.texts == fast
    with pytest.raises(TypeError):
        page._walk.first_items([["not a tuple"]])
