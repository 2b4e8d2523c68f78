# mypy: ignore-errors
"""The task image: adds its two arguments and writes the result into the shared directory."""
import os
import sys

a, b = float(sys.argv[1]), float(sys.argv[2])
shared = os.environ.get("shared_directory", "/mnt/shared")  # noqa: SIM112
with open(os.path.join(shared, "result"), "w") as f:
    f.write(str(a + b))
