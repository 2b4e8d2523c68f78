"""Package data: the JSON schemas tiphys ships (tiphys.schemas)."""
