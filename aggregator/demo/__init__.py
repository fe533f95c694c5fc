"""Offline demo sites of Chinese education bureaus (Hanweb JCMS, TRS WCM, a GBK site, an RSS site).

`DemoSites` (aggregator.demo.server) serves them on 127.0.0.1 for `aggregator demo` and the
end-to-end tests; aggregator.demo.content writes the fictional articles they carry.
"""

__all__ = ["DemoSites"]


def __getattr__(name):
    # lazy, so `python -m aggregator.demo.server` does not import the module twice
    if name == "DemoSites":
        from aggregator.demo.server import DemoSites
        return DemoSites
    raise AttributeError(name)
