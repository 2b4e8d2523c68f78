"""The tiphys language server: ``tiphys lsp`` (needs the extra: ``pip install 'tiphys[lsp]'``).

Only :func:`run_server` touches pygls, and only when called: the rest of tiphys (``tiphys
compile``, ``tiphys lint``) never imports it. :mod:`.analysis`, :mod:`.fixes`,
:mod:`.positions` (with :mod:`tiphys.compiler.frontend.chunked_parse`) are plain Python over the compiler, usable and
tested without pygls.
"""

from __future__ import annotations

import sys

INSTALL_HINT = (
    "tiphys lsp: the language server needs pygls, which is not installed.\n"
    "Install the extra: pip install 'tiphys[lsp]'"
)


def run_server() -> int:
    """Serve the Language Server Protocol over stdin/stdout until the client exits."""
    try:
        import lsprotocol.types  # noqa: F401
        import pygls.server  # noqa: F401
    except ImportError as exc:
        print(f"{INSTALL_HINT}\n(import failed: {exc})", file=sys.stderr)
        return 2
    from tiphys.compiler.lsp.server import serve

    return serve()
