"""``python -m tiphys.compiler`` is the ``tiphys`` command."""

from tiphys.compiler.cli import main

main(prog_name="tiphys")
