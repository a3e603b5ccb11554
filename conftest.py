"""pytest set-up shared by every test run by scripts/test.sh."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def load_static_paths_once(load_registry):
    """Map the addons' static folders (reading every manifest) once, in this
    thread, before any browser test: the browser's first parallel requests
    would otherwise read the manifests in several server threads at once, and
    Python 3.11.7's compile() is not thread-safe there (CPython gh-106905,
    "SystemError: AST constructor recursion depth mismatch"), which fails a
    tour now and then."""
    from odoo import http

    return http.root.statics
