"""Build hooks; everything else is in pyproject.toml.

One file is installed beside the packages in site-packages: ``tiphys-safe-start.pth``. The
interpreter runs it at start-up, before ``python -m`` puts the working directory first on
``sys.path``; for ``python -m tiphys...`` it installs the guard of
``tiphys.compiler.safe_start``, so that a ``tiphys.py`` (or ``click.py``, ``yaml.py``) in the
folder where the command runs is never imported. Any other Python process only pays for one
test of its command line.
"""

from __future__ import annotations

import os
from typing import Any

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.editable_wheel import editable_wheel

PTH_NAME = "tiphys-safe-start.pth"
# site runs a .pth line that starts with "import"; one line, quiet whatever happens.
PTH_TEXT = (
    "import sys; exec('try:\\n import tiphys.compiler.safe_start as m\\n m.install()\\n"
    "except Exception:\\n pass') if any('tiphys' in a for a in getattr(sys, 'orig_argv', ())[1:])"
    " else None\n"
)


class BuildPyWithSafeStart(build_py):
    """Wheels: the .pth goes to the root of the build folder, so to site-packages."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            with open(os.path.join(self.build_lib, PTH_NAME), "w", encoding="utf-8") as f:
                f.write(PTH_TEXT)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs: list[str] = list(super().get_outputs(include_bytecode))
        if not self.editable_mode:
            outputs.append(os.path.join(self.build_lib, PTH_NAME))
        return outputs


class _StrategyWithSafeStart:
    """Wraps setuptools' editable strategy: writes what it writes, plus the .pth."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __call__(self, wheel: Any, files: list[str], mapping: dict[str, str]) -> object:
        result = self._inner(wheel, files, mapping)
        wheel.writestr(PTH_NAME, PTH_TEXT.encode("utf-8"))
        return result

    def __enter__(self) -> _StrategyWithSafeStart:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: object) -> object:
        return self._inner.__exit__(*exc)


class EditableWheelWithSafeStart(editable_wheel):
    """``pip install -e``: the editable wheel gets the .pth too. (A setuptools that no
    longer has this hook builds an editable install without it; tests/regressions catches
    that.)"""

    def _select_strategy(self, *args: Any, **kwargs: Any) -> Any:
        return _StrategyWithSafeStart(super()._select_strategy(*args, **kwargs))


setup(cmdclass={"build_py": BuildPyWithSafeStart, "editable_wheel": EditableWheelWithSafeStart})
