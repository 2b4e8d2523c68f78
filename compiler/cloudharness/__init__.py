"""Static front end for CloudHarness Operations API code (placeholder; being implemented)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tiphys.compiler.diagnostics import Diagnostics
    from tiphys.compiler.driver import FileResult
    from tiphys.compiler.lower import Settings
    from tiphys.compiler.source import SourceFile


def compile_cloudharness(
    source: SourceFile, settings: Settings, diags: Diagnostics, validate: bool = True
) -> FileResult:
    from tiphys.compiler.driver import FileResult

    diags.warning("TPH020", "CloudHarness operations are not supported yet", source.path)
    return FileResult(source.path, diags)
