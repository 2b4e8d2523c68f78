"""tiphys.compiler: static front end, IR, lowering to Argo, validation and emission."""

from tiphys.compiler import dataclass_code

# Before any compiler module defines its dataclasses: their generated methods come from a
# bytecode cache instead of being compiled again in every process (see dataclass_code).
dataclass_code.install()
