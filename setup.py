"""The compiled page-model walk (aggregator/extract/_walk.pyx), the GB18030 -> UTF-8 transcoder
(aggregator/extract/_transcode.pyx) and the story index's compiled lookup loops
(aggregator/_syn.pyx), built when they can be.

Everything else about the package is in pyproject.toml. The extensions are optional: without a C
compiler, Cython or lxml's headers the package installs without them and runs the Python walk
(aggregator.extract.page.COMPILED says which one runs; `aggregator eval` and the extraction
bench print it) and the Python loops (aggregator.syndication_bands.COMPILED).
"""
import sys

from setuptools import setup


def extensions():
    try:
        import lxml
        from Cython.Build import cythonize
        from setuptools import Extension
    except ImportError as exc:  # a build without the build requirements (--no-build-isolation)
        print(f"warning: the compiled page-model walk is not built ({exc}); the Python walk runs",
              file=sys.stderr)
        return []
    # lxml's public C API (etreepublic.pxd, etree_api.h) and the libxml2 headers ship in its wheel
    walk = Extension("aggregator.extract._walk", ["aggregator/extract/_walk.pyx"], include_dirs=lxml.get_include())
    syn = Extension("aggregator._syn", ["aggregator/_syn.pyx"])
    transcode = Extension("aggregator.extract._transcode", ["aggregator/extract/_transcode.pyx"])
    built = cythonize([walk, syn, transcode], language_level=3, quiet=True)
    for ext in built:  # optional: a failed compile is a warning, the package installs without it
        ext.optional = True
    return built


setup(ext_modules=extensions())
