"""The generated part of a Python task's script, independent of any parser.

The wrapper reads each input from an environment variable that Argo fills from
``{{inputs.parameters.x}}`` (values are never pasted into Python source), decodes it by the
parameter's annotation, calls the function and writes the return value to the
output-parameter file, so stdout stays free.
"""

from __future__ import annotations

import json

from tiphys.compiler import ir
from tiphys.compiler.ir.artifacts import ARTIFACT_DIR, ArtifactOutput
from tiphys.compiler.ir.core import INPUT_ENV_PREFIX, OUTPUT_DIR
from tiphys.compiler.ir.records import OutputField

#: Names the generated wrapper binds inside ``_tiphys_main``; a task named like one of them
#: would be shadowed by it.
WRAPPER_NAMES = frozenset({
    "_tiphys_main", "_json", "_os", "_sys", "_arg", "_result", "_text", "_out", "_f",
    "_art", "_field", "_name", "_artifact", "_value", "_path",
})


def encode_for_input(value: object, decode: str) -> str:
    """The string Argo passes for a literal *value* to an input decoded as *decode*."""
    if decode in ("str", "str-or-null") and isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def assemble(imports: list[str], stubs: list[str], constants: list[str], helpers: list[str],
             code: str, main: str) -> str:
    """The script: carried imports, DSL annotation stubs, constants, helpers, the function
    and the wrapper *main*, in that order."""
    parts: list[str] = []
    if imports:
        parts.append("\n".join(imports) + "\n")
    if stubs:
        # The DSL's annotation types are plain paths (str) in the pod.
        parts.append("\n".join(f"{name} = str" for name in stubs) + "\n")
    if constants:
        parts.append("\n".join(constants) + "\n")
    for text in helpers:
        parts.append(text.rstrip("\n") + "\n")
    parts.append(code.rstrip("\n") + "\n")
    parts.append(main)
    # Line ends as Python reads them (it turns \r\n and \r into \n, in strings too): the
    # same script, and the same YAML, from a checkout with CRLF line ends.
    return "\n\n".join(parts).replace("\r\n", "\n").replace("\r", "\n")


def wrapper(order: list[str], posonly: set[str], fname: str, inputs: tuple[ir.Input, ...],
            outs: tuple[ArtifactOutput, ...], returns: bool,
            fields: tuple[OutputField, ...] = ()) -> str:
    """The generated ``_tiphys_main``: *order* is the function's named parameters in order,
    *posonly* those that are positional-only; *fields* those of a record return, each
    written to its own file."""
    reads = {i.name: (f"_art('in/{i.name}', False)" if i.artifact
                      else f"_arg({i.name!r}, {i.decode!r})") for i in inputs}
    reads.update({o.name: f"_art('out/{o.name}', True)" for o in outs})
    args = [reads[n] if n in posonly else f"{n}={reads[n]}" for n in order if n in reads]
    params = tuple(i for i in inputs if not i.artifact)
    call = f"{fname}({', '.join(args)})"
    if len(call) > 80:
        call = f"{fname}(\n" + "".join(f"        {a},\n" for a in args) + "    )"
    lines = [
        "# --- tiphys: inputs come from the environment, the return value goes to a file ---",
        "def _tiphys_main():",
        "    import json as _json, os as _os, sys as _sys",
        "",
    ]
    if inputs != params or outs:
        lines += [
            "    def _art(rel, output):",
            f"        path = _os.path.join(_os.environ.get('TIPHYS_ARTIFACTS_DIR', {ARTIFACT_DIR!r}), rel)",
            "        if output:",
            "            _os.makedirs(_os.path.dirname(path), exist_ok=True)",
            "        return path",
            "",
        ]
    if params:
        lines += [
            "    def _arg(name, decode):",
            f"        raw = _os.environ.get({INPUT_ENV_PREFIX!r} + name)",
            "        if raw is None:",
            "            _sys.exit(f'tiphys: input {name!r} was not passed')",
        ]
        if any(i.decode == "str-or-null" for i in params):
            lines += [
                "        if decode == 'str-or-null':",
                "            return None if raw == 'null' else raw",
            ]
        if any(i.decode == "auto" for i in params):
            lines += [
                "        if decode == 'auto':",
                "            try:",
                "                return _json.loads(raw)",
                "            except ValueError:",
                "                return raw",
            ]
        lines += [
            "        try:",
            "            value = raw if decode == 'str' else _json.loads(raw)",
        ]
        if any(i.decode == "text-items" for i in params):
            lines += [
                "            if decode == 'text-items' and isinstance(value, list):",
                "                value = [None if v == 'null' else v for v in value]",
            ]
        if any(i.decode == "json-items" for i in params):
            lines += [
                "            if decode == 'json-items' and isinstance(value, list):",
                "                # a loop's aggregated outputs: a JSON list of encoded values",
                "                value = [_json.loads(v) if isinstance(v, str) else v for v in value]",
            ]
        lines += [
            "            return value",
            "        except ValueError as exc:",
            "            _sys.exit(f'tiphys: input {name!r} is not valid JSON ({exc}): {raw[:200]!r}')",
            "",
        ]
    if returns and fields:
        lines += _write_fields(call, fname, fields)
    elif returns:
        lines += [
            f"    _result = {call}",
            "    try:",
            "        _text = _result if isinstance(_result, str) else _json.dumps(_result, ensure_ascii=False)",
            "    except (TypeError, ValueError) as exc:",
            f"        _sys.exit(f'tiphys: the return value of {fname} cannot be JSON-encoded: {{exc}}')",
            f"    _out = _os.environ.get('TIPHYS_OUTPUT_DIR', {OUTPUT_DIR!r})",
            "    _os.makedirs(_out, exist_ok=True)",
            "    with open(_os.path.join(_out, 'return'), 'w', encoding='utf-8') as _f:",
            "        _f.write(_text)",
        ]
    else:
        lines.append(f"    {call}")
    lines += ["", "", "if __name__ == '__main__':", "    _tiphys_main()", ""]
    return "\n".join(lines)


def _write_fields(call: str, fname: str, fields: tuple[OutputField, ...]) -> list[str]:
    """Each field of the returned record (attribute, or key of a TypedDict's dict) to its
    output parameter's file, or to its artifact's."""
    table = "".join(f"        ({f.attr!r}, {f.name!r}, {f.artifact!r}),\n" for f in fields)
    return [
        f"    _result = {call}",
        f"    _out = _os.environ.get('TIPHYS_OUTPUT_DIR', {OUTPUT_DIR!r})",
        "    _os.makedirs(_out, exist_ok=True)",
        "    for _field, _name, _artifact in (",
        *table.rstrip("\n").split("\n"),
        "    ):",
        "        try:",
        "            _value = _result[_field] if isinstance(_result, dict) else getattr(_result, _field)",
        "        except (KeyError, AttributeError):",
        f"            _sys.exit(f'tiphys: the return value of {fname} has no field {{_field!r}}')",
        "        try:",
        "            _text = _value if isinstance(_value, str) else _json.dumps(_value, ensure_ascii=False)",
        "        except (TypeError, ValueError) as exc:",
        f"            _sys.exit(f'tiphys: field {{_field!r}} of the return value of {fname} cannot be JSON-encoded: {{exc}}')",
        "        _path = _art('out/' + _name, True) if _artifact else _os.path.join(_out, _name)",
        "        with open(_path, 'w', encoding='utf-8') as _f:",
        "            _f.write(_text)",
    ]
