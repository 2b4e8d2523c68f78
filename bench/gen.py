"""Generate N-task DSL files (tiphys and, for comparison, Hera) in two shapes.

chain    task i takes task i-1's output (data passing).
layered  layers of 10 tasks; every task runs after all 10 tasks of the previous layer
         (dependencies without data; N=10 is one layer of 10 independent tasks).

Every task is a distinct function (N templates, N bodies serialised), as in the peers study.
"""

from __future__ import annotations

import argparse
from pathlib import Path

WIDTH = 10


def _deps(shape: str, i: int) -> list[int]:
    if shape == "chain":
        return [i - 1] if i > 0 else []
    layer = i // WIDTH
    if layer == 0:
        return []
    return list(range((layer - 1) * WIDTH, layer * WIDTH))


def tiphys_source(shape: str, n: int) -> str:
    out = ["from tiphys import dag, task, workflow", ""]
    for i in range(n):
        params = "x: int" if shape == "chain" and i > 0 else ""
        body = f"x + {i}" if params else str(i)
        out += ["", "@task", f"def t{i}({params}) -> int:", f"    return {body}", ""]
    for i in range(n):
        deps = _deps(shape, i)
        if shape == "chain":
            out.append(f"n{i} = t{i}({f'x=n{deps[0]}' if deps else ''})")
        else:
            after = f".after({', '.join(f'n{d}' for d in deps)})" if deps else ""
            out.append(f"n{i} = t{i}(){after}")
    # The last layer (or the chain's end) pulls in everything upstream.
    last = [i for i in range(n) if i >= n - (1 if shape == "chain" else WIDTH)]
    out.append(f"wf = workflow(\"bench-{shape}-{n}\", dag({', '.join(f'n{i}' for i in last)}))")
    return "\n".join(out) + "\n"


def hera_source(shape: str, n: int) -> str:
    out = [
        "from hera.workflows import DAG, WorkflowTemplate, script",
        "",
    ]
    for i in range(n):
        params = "x: int" if shape == "chain" and i > 0 else ""
        body = f"x + {i}" if params else str(i)
        out += ["", "@script()", f"def t{i}({params}) -> int:", f"    print({body})", ""]
    out += [
        f"with WorkflowTemplate(name=\"bench-{shape}-{n}\", entrypoint=\"d\") as w:",
        "    with DAG(name=\"d\"):",
    ]
    for i in range(n):
        deps = _deps(shape, i)
        if shape == "chain" and deps:
            out.append(f"        n{i} = t{i}(name=\"n{i}\", arguments={{\"x\": n{deps[0]}.result}})")
        else:
            out.append(f"        n{i} = t{i}(name=\"n{i}\")")
        if deps:
            out.append(f"        [{', '.join(f'n{d}' for d in deps)}] >> n{i}"
                       if len(deps) > 1 else f"        n{deps[0]} >> n{i}")
    out += ["", "import sys", "sys.stdout.write(w.to_yaml())"]
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--sizes", default="10,100,1000,5000")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for shape in ("chain", "layered"):
        for n in map(int, args.sizes.split(",")):
            (args.out / f"tiphys_{shape}_{n}.py").write_text(tiphys_source(shape, n))
            (args.out / f"hera_{shape}_{n}.py").write_text(hera_source(shape, n))


if __name__ == "__main__":
    main()
