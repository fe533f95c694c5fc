"""The compiled page-model walk (aggregator/extract/_walk.pyx), built when it can be.

Everything else about the package is in pyproject.toml. The extension is optional: without a C
compiler, Cython or lxml's headers the package installs without it and runs the Python walk
(aggregator.extract.page.COMPILED says which one runs; `aggregator eval` and the extraction
bench print it).
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
    built = cythonize([walk], language_level=3, quiet=True)
    for ext in built:  # optional: a failed compile is a warning, the package installs without it
        ext.optional = True
    return built


setup(ext_modules=extensions())
