"""The tiphys language server (placeholder; being implemented)."""


def run_server() -> int:
    import sys

    print("tiphys lsp: not implemented yet", file=sys.stderr)
    return 2
