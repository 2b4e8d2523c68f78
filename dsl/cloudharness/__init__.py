"""CloudHarness Operations API, rebuilt on tiphys (placeholder; being implemented)."""
