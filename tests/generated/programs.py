"""A generator of DSL programs, for the soundness properties (tests/generated/test_programs.py).

A program is a set of typed tasks and invocations wired with literals, workflow parameters and
other invocations' outputs, with conditions and loops, laid out as one ``dag``, a pipeline of
parallel groups, or a pipeline of dags. Each task checks at run time that every input arrived
with its annotated type (an ``assert`` per parameter) and returns a constant of its return type,
so running a program proves its inputs were decoded as annotated.

The rules a well-typed program follows are written here independently of the compiler's type
model: a table of annotations, the values of each, the outputs each accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

# annotation → (values, runtime check of variable {v}, annotations of outputs it accepts)
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="{}"),
    max_size=6)
_INTS = st.integers(-1000, 1000)
TYPES: dict[str, tuple[st.SearchStrategy[Any], str, tuple[str, ...]]] = {
    "int": (_INTS, "isinstance({v}, int)", ("int", "bool")),
    "float": (st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False) | _INTS,
              "isinstance({v}, (int, float))", ("float", "int", "bool")),
    "bool": (st.booleans(), "isinstance({v}, bool)", ("bool",)),
    "str": (_TEXT, "isinstance({v}, str)", ("str", 'Literal["a", "b"]')),
    "list[int]": (st.lists(_INTS, max_size=3),
                  "isinstance({v}, list) and all(isinstance(i, int) for i in {v})",
                  ("list[int]",)),
    "list[str]": (st.lists(_TEXT, max_size=3),
                  "isinstance({v}, list) and all(isinstance(i, str) for i in {v})",
                  ("list[str]",)),
    "dict[str, int]": (st.dictionaries(_TEXT, _INTS, max_size=2),
                       "isinstance({v}, dict) and all(isinstance(k, str) and isinstance(i, "
                       "int) for k, i in {v}.items())", ("dict[str, int]",)),
    "Optional[int]": (st.none() | _INTS, "{v} is None or isinstance({v}, int)",
                      ("Optional[int]", "int", "bool")),
    # The text "null" is None for such a parameter (TPH194 at a literal; docs/dsl.md).
    "str | None": (st.none() | _TEXT.filter(lambda t: t != "null"),
                   "{v} is None or isinstance({v}, str)",
                   ("str | None", "str", 'Literal["a", "b"]')),
    "list[str | None]": (st.lists(st.none() | _TEXT.filter(lambda t: t != "null"), max_size=3),
                         "isinstance({v}, list) and all(i is None or isinstance(i, str) "
                         "for i in {v})",
                         ("list[str | None]", "list[str]", 'list[Literal["a", "b"]]')),
    'Literal["a", "b"]': (st.sampled_from(["a", "b"]), '{v} in ("a", "b")',
                          ('Literal["a", "b"]',)),
    "Any": (st.none() | _INTS | _TEXT | st.lists(_INTS, max_size=2), "True",
            tuple(["Any", "int", "str", "float", "bool", "list[int]"])),
}
#: A literal that does not fit each annotation (Any has none).
WRONG = {"int": '"ten"', "float": '"1.5"', "bool": '"yes"', "str": "5", "list[int]": '["x"]',
         "list[str]": "[1]", "list[str | None]": "[2]", "dict[str, int]": '{"k": "v"}', "Optional[int]": '"3"', "str | None": "7",
         'Literal["a", "b"]': '"c"'}
#: A return annotation whose outputs each parameter annotation does not accept.
WRONG_OUTPUT = {"int": "str", "float": "str", "bool": "int", "str": "int", "list[int]": "str",
                "list[str]": "list[int]", "list[str | None]": "list[int]",
                "dict[str, int]": "list[int]",
                "Optional[int]": "str", "str | None": "int", 'Literal["a", "b"]': "str"}
NAMES = ("alpha", "bravo", "charlie", "delta", "foxtrot", "golf", "hotel", "india", "juliet")
#: Return annotations a task may have ("None": no output).
RETURNS = ("int", "float", "bool", "str", "list[int]", "dict[str, int]", "Optional[int]",
           "str | None",
           'Literal["a", "b"]', "None")


@dataclass
class Task:
    name: str
    params: list[tuple[str, str]]  # (name, annotation)
    returns: str
    value: Any  # the constant it returns


@dataclass
class Arg:
    param: str
    #: "literal", "param" or "output".
    kind: str
    text: str  # the Python expression
    source: int | None = None  # the invocation read, for "output"


@dataclass
class Invocation:
    var: str
    task: Task
    args: list[Arg]
    #: (producer index, literal) for ``.when(producer.output == literal)``.
    when: tuple[int, str] | None = None
    #: The parameter a ``.map()`` loops over (its arg's text is the list).
    loop: str | None = None
    #: Producers this one runs after ``.succeeded`` (guards reads of skippable outputs).
    guards: list[int] = field(default_factory=list)

    def reads(self) -> list[int]:
        out = [a.source for a in self.args if a.source is not None]
        if self.when is not None:
            out.append(self.when[0])
        return out + self.guards


@dataclass
class Program:
    tasks: list[Task]
    invocations: list[Invocation]
    #: "dag", "pipeline" (of parallel groups) or "pipeline-of-dags".
    layout: str
    params: dict[str, str] = field(default_factory=dict)  # workflow parameter → default text

    def output_type(self, index: int) -> str:
        inv = self.invocations[index]
        return f"list[{inv.task.returns}]" if inv.loop else inv.task.returns

    def skippable(self, index: int) -> bool:
        inv = self.invocations[index]
        return inv.when is not None or bool(inv.guards)

    def render(self) -> tuple[str, dict[int, int]]:
        """The file's text, and each invocation's line."""
        lines = ["from typing import Any, Literal, Optional", "",
                 "from tiphys import dag, parallel, param, pipeline, task, workflow", ""]
        for t in self.tasks:
            lines += ["", "@task"]
            signature = ", ".join(f"{n}: {a}" for n, a in t.params)
            lines.append(f"def {t.name}({signature}) -> {t.returns}:")
            for n, a in t.params:
                check = TYPES[a][1].format(v=n)
                lines.append(f"    assert {check}, repr({n})")
            lines.append(f"    return {t.value!r}" if t.returns != "None" else "    pass")
        lines.append("")
        where: dict[int, int] = {}
        for i, inv in enumerate(self.invocations):
            args = ", ".join(f"{a.param}={a.text}" for a in inv.args)
            call = f"{inv.task.name}.map({args})" if inv.loop else f"{inv.task.name}({args})"
            if inv.when is not None:
                call += f".when({self.invocations[inv.when[0]].var}.output == {inv.when[1]})"
            if inv.guards:
                call += ".after(" + ", ".join(f"{self.invocations[g].var}.succeeded"
                                              for g in inv.guards) + ")"
            where[i] = len(lines) + 1
            lines.append(f"{inv.var} = {call}")
        lines.append(f'wf = workflow("generated", {self._body()})')
        return "\n".join(lines) + "\n", where

    def layers(self) -> list[list[int]]:
        depth: dict[int, int] = {}
        for i, inv in enumerate(self.invocations):
            depth[i] = 1 + max((depth[r] for r in inv.reads()), default=-1)
        out: list[list[int]] = [[] for _ in range(max(depth.values()) + 1)]
        for i, d in depth.items():
            out[d].append(i)
        return out

    def _body(self) -> str:
        var = [inv.var for inv in self.invocations]
        if self.layout == "dag":
            return f"dag({', '.join(var)})"
        groups = []
        for layer in self.layers():
            names = ", ".join(var[i] for i in layer)
            if len(layer) == 1:
                groups.append(names)
            else:
                groups.append(f"{'dag' if self.layout == 'pipeline-of-dags' else 'parallel'}"
                              f"({names})")
        return f"pipeline({', '.join(groups)})"


def literal(draw: Any, annotation: str) -> str:
    return repr(draw(TYPES[annotation][0]))


@st.composite
def programs(draw: Any) -> Program:
    tasks = []
    for n in range(draw(st.integers(1, 4))):
        count = draw(st.integers(0, 3))
        names = draw(st.permutations(NAMES))[:count]
        params = [(p, draw(st.sampled_from(sorted(TYPES)))) for p in names]
        returns = draw(st.sampled_from(RETURNS))
        value = draw(TYPES[returns][0]) if returns != "None" else None
        tasks.append(Task(f"task_{n}", params, returns, value))
    layout = draw(st.sampled_from(["dag", "pipeline", "pipeline-of-dags"]))
    program = Program(tasks, [], layout)
    for i in range(draw(st.integers(1, 6))):
        task = draw(st.sampled_from(tasks))
        inv = Invocation(f"n{i}", task, [])
        # .map() loops over the first argument that is a list (literal, list output or
        # parameter): the first parameter, here; the others are passed whole to every run.
        if task.params and draw(st.integers(0, 4)) == 0:
            inv.loop = task.params[0][0]
        for p, annotation in task.params:
            inv.args.append(_argument(draw, program, inv, p, annotation))
        _maybe_condition(draw, program, inv)
        program.invocations.append(inv)
    return program


def _argument(draw: Any, program: Program, inv: Invocation, p: str, annotation: str) -> Arg:
    if inv.loop == p:
        # Argo's withItems holds no null (ARG505): None is not a loop item.
        items = draw(st.lists(TYPES[annotation][0].filter(lambda v: v is not None),
                              min_size=1, max_size=3))
        return Arg(p, "literal", repr(items))
    accepted = TYPES[annotation][2]
    producers = [i for i, other in enumerate(program.invocations)
                 if program.output_type(i) in accepted and
                 (program.layout == "dag" or not program.skippable(i))]
    kind = draw(st.sampled_from(["literal", "param", "output"] if producers
                                else ["literal", "param"]))
    if kind == "output":
        source = draw(st.sampled_from(producers))
        if program.skippable(source) and source not in inv.guards:
            inv.guards.append(source)  # read only after it succeeded (a dag)
        return Arg(p, "output", program.invocations[source].var, source)
    if kind == "param":
        name = f"{inv.var}_{p}"
        # param(..., default=None) declares no default (the value is asked at submission).
        default = repr(draw(TYPES[annotation][0].filter(lambda v: v is not None)))
        program.params[name] = default
        return Arg(p, "param", f'param("{name}", default={default})')
    if inv.loop is not None and annotation == "Any":
        # A second list in a .map() for an Any parameter: a loop or a whole list? TPH414.
        return Arg(p, "literal", repr(draw(TYPES[annotation][0].filter(
            lambda v: not isinstance(v, list)))))
    return Arg(p, "literal", literal(draw, annotation))


def _maybe_condition(draw: Any, program: Program, inv: Invocation) -> None:
    comparable = [i for i, other in enumerate(program.invocations)
                  if not other.loop and other.task.returns in ("int", "str")
                  and not program.skippable(i)]
    if comparable and draw(st.integers(0, 3)) == 0:
        source = draw(st.sampled_from(comparable))
        produced = program.invocations[source].task.value
        value = produced if draw(st.booleans()) else draw(TYPES[
            program.invocations[source].task.returns][0])
        inv.when = (source, repr(value))
