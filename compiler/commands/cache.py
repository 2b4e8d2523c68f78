"""The compile cache: per source file, what compiling it printed and produced.

An entry holds one file's diagnostics and its workflows rendered as YAML (without the
ownership header), so a warm run reproduces stdout, ``-o`` files and diagnostics byte for byte
while reading only the sources and the entries: no libcst, PyYAML or validator import.

Entry file names (*slots*) depend on the source path (as given and as in the header) and the
settings, so a changed file or a new tiphys overwrites its slot instead of growing the cache.
The entry records the full key: sha256 over the slot, the file's bytes, tiphys' version, a
fingerprint of the compiler's own files and of the libraries that shape the output. A slot
whose key differs is a plain miss.

An entry is a header line (format, version, key, and the sha256 of the rest) followed by the
content as JSON. The content is used only when its digest matches, it has the expected shape
and every workflow name in it is one the compiler could have produced; anything else (an
edited or truncated entry, one nested too deep to parse, a FIFO or device in its place, an
entry over ``MAX_ENTRY_SIZE``) is ignored with a warning (TPH050), compiled afresh and
rewritten: a damaged entry never reaches stdout or the output folder. A folder that cannot
be read or written gives one warning (TPH051) and the run goes on without it. Deleting the
folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.bounded_read import InputRefused, read_bounded
from tiphys.compiler.commands.files import TMP_GRACE, discard, is_output_name, running
from tiphys.compiler.diagnostics import Diagnostic, Severity
from tiphys.compiler.version import VERSION

#: Bump when the entry layout or what goes into a key changes.
CACHE_VERSION = 4
CACHE_FORMAT = "tiphys-compile-cache"
#: Default folder name, beside the project's pyproject.toml (or repository root).
DEFAULT_FOLDER = ".tiphys_cache"
#: Entries live in a subfolder: TIPHYS_CACHE_DIR is shared with the validator's CRD cache.
SUBFOLDER = "compile"
#: Libraries whose version changes the output (YAML emission).
_LIBRARIES = ("yaml",)
#: What :meth:`CompileCache.put` writes before renaming it into place.
_ENTRY_TMP = re.compile(r"\A[0-9a-f]{40}\.json\.(\d+)\.tmp\Z")
#: Largest entry read, in bytes; a larger one is treated as corrupt.
MAX_ENTRY_SIZE = 256 * 1024 * 1024

_SEVERITIES = {s.value: s for s in Severity}


@dataclass(frozen=True, slots=True)
class Rendered:
    #: The workflow's metadata name; the output file is ``<name>.yaml``.
    name: str
    #: YAML of the one document, without the ownership header; None when the file has errors
    #: (nothing of a failed run is ever printed or written).
    body: str | None


@dataclass(frozen=True, slots=True)
class Entry:
    """Everything a run needs from one compiled file."""

    diagnostics: tuple[Diagnostic, ...]
    workflows: tuple[Rendered, ...]
    #: Digest of what the result depends on outside the file and the settings (the
    #: CloudHarness front end reads a values file and an applications folder); a reader
    #: recomputes it and treats a difference as a miss. None: the file alone.
    external: str | None = None
    #: What the file provides to and needs from the rest of the run (templateRefs), JSON-able:
    #: see :mod:`tiphys.compiler.check.composition`.
    summary: dict[str, Any] | None = field(default=None, compare=False, hash=False)


def cache_folder(no_cache: bool, configured: bool | str | None, root: str | None) -> str | None:
    """Where the cache lives, or None when it is off: ``--no-cache``, then
    ``TIPHYS_CACHE_DIR`` (empty disables), then the config's ``cache``, then
    ``.tiphys_cache`` in the project root (no project root: no cache)."""
    if no_cache:
        return None
    env = os.environ.get("TIPHYS_CACHE_DIR")
    if env is not None:
        return env or None
    if configured is False:
        return None
    if isinstance(configured, str):
        return configured
    return os.path.join(root, DEFAULT_FOLDER) if root else None


def _canonical(value: Any) -> str:
    # TOML dates are not JSON; str() is stable for them.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def code_fingerprint() -> str:
    """Changes whenever tiphys' compiler files or the output-shaping libraries change, so a
    development checkout (whose version number stays put) never reuses stale entries."""
    import importlib.util

    h = hashlib.sha256(f"{VERSION}\0{sys.version}\0".encode())
    # The whole compiler package (this module lives in its commands/ folder): an edit to the
    # front end or the lowering changes the output as much as one here.
    roots = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
    spec = importlib.util.find_spec("tiphys.schemas")
    if spec is not None and spec.submodule_search_locations:
        roots += list(spec.submodule_search_locations)
    for root in roots:
        _hash_tree(h, root, "")
    for name in _LIBRARIES:
        lib = importlib.util.find_spec(name)
        origin = lib.origin if lib is not None else None
        if origin:
            st = os.stat(origin)
            h.update(f"{name}\0{origin}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _hash_tree(h: Any, folder: str, rel: str) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        if e.is_dir() and e.name != "__pycache__":
            _hash_tree(h, e.path, f"{rel}{e.name}/")
        elif e.name.endswith((".py", ".json")):
            st = e.stat()
            h.update(f"{rel}{e.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


class CompileCache:
    """One run's view of the cache folder; collects its own warnings."""

    def __init__(self, folder: str, settings: Mapping[str, Any],
                 fingerprint: str | None = None,
                 verify: Callable[[str, str], bool] | None = None) -> None:
        """*verify(source, external)* says whether an entry that depends on more than its
        file (``Entry.external``) still holds; without it such entries are misses."""
        self.folder = folder
        self._verify = verify
        self.dir = os.path.join(folder, SUBFOLDER)
        self._settings = _canonical(dict(settings))
        self._salt = f"{CACHE_VERSION}\0{fingerprint or code_fingerprint()}"
        self.warnings: list[Diagnostic] = []
        #: False after the first read or write failure: one warning, then no cache.
        self._usable = True
        self._ready = False
        #: Entries found (for tests and the benchmark's sanity check).
        self.hits = 0

    def slot_and_key(self, path: str, header: str, data: bytes) -> tuple[str, str]:
        """The entry's file name and the full key for source *path* with content *data*."""
        slot = hashlib.sha256(
            _canonical([path, header, self._settings]).encode("utf-8")).hexdigest()[:40]
        digest = hashlib.sha256(data).hexdigest()
        key = hashlib.sha256(f"{self._salt}\0{slot}\0{digest}".encode()).hexdigest()
        return slot, key

    def get(self, slot: str, key: str, source: str) -> Entry | None:
        if not self._usable:
            return None
        entry_path = os.path.join(self.dir, f"{slot}.json")
        try:
            raw = read_bounded(entry_path, MAX_ENTRY_SIZE, "the cache entry size limit")
        except FileNotFoundError:
            return None
        except InputRefused as exc:
            self._corrupt(source, entry_path, exc.strerror or "unreadable")
            return None
        except OSError as exc:
            self._unusable("read", exc)
            return None
        head, _, body = raw.partition(b"\n")
        try:
            header = json.loads(head)
        except (ValueError, RecursionError):
            self._corrupt(source, entry_path, "not a valid entry header")
            return None
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
            self._corrupt(source, entry_path, "not a tiphys cache entry")
            return None
        if header.get("version") != CACHE_VERSION:
            return None  # another tiphys' layout: a miss, overwritten below
        if header.get("key") != key:
            return None
        if header.get("digest") != hashlib.sha256(body).hexdigest():
            self._corrupt(source, entry_path, "its content does not match its digest")
            return None
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            self._corrupt(source, entry_path, "not valid JSON")
            return None
        entry = _decode(data) if isinstance(data, dict) else None
        if entry is None:
            self._corrupt(source, entry_path, "unexpected contents")
            return None
        if entry.external is not None and (
            self._verify is None or not self._verify(source, entry.external)
        ):
            return None  # what the file depends on outside itself has changed
        self.hits += 1
        return entry

    def put(self, slot: str, key: str, entry: Entry) -> None:
        if not self._usable:
            return
        entry_path = os.path.join(self.dir, f"{slot}.json")
        tmp = f"{entry_path}.{os.getpid()}.tmp"
        try:
            self._prepare()
            with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                f.write(_encode(key, entry))
            os.replace(tmp, entry_path)
        except OSError as exc:
            discard(tmp)
            self._unusable("write", exc)

    def _prepare(self) -> None:
        """Create the folder once, marked so backup tools and git leave it alone."""
        if self._ready:
            return
        fresh = not os.path.isdir(self.folder)
        os.makedirs(self.dir, exist_ok=True)
        if not fresh:
            _remove_stale_temporaries(self.dir)
        if fresh:
            with open(os.path.join(self.folder, ".gitignore"), "w", encoding="utf-8") as f:
                f.write("# Created by tiphys: the compile cache, safe to delete.\n*\n")
            with open(os.path.join(self.folder, "CACHEDIR.TAG"), "w", encoding="utf-8") as f:
                f.write("Signature: 8a477f597d28d172789f06886806bc55\n"
                        "# This file is a cache directory tag created by tiphys.\n")
        self._ready = True

    def _unusable(self, what: str, exc: OSError) -> None:
        self._usable = False
        self._warn("TPH051", f"cannot {what} the compile cache ({exc.strerror or exc}); "
                   "continuing without it", self.folder)

    def _corrupt(self, source: str, entry_path: str, reason: str) -> None:
        self._warn("TPH050", f"ignored a corrupt compile-cache entry ({reason}: {entry_path}); "
                   "compiled the file afresh", source)

    def _warn(self, code: str, message: str, path: str) -> None:
        self.warnings.append(Diagnostic(code, Severity.WARNING, message, path))


def _remove_stale_temporaries(folder: str) -> None:
    """Delete ``<slot>.json.<pid>.tmp`` files of writers that were killed (their pid is not
    running here, or the file is over an hour old). Runs once per run that writes an entry,
    so a warm run (all hits) never lists the folder."""
    now = time.time()
    try:
        names = os.listdir(folder)
    except OSError:
        return  # the write that follows reports a folder it cannot use
    for name in names:
        m = _ENTRY_TMP.match(name)
        if m is None:
            continue
        path = os.path.join(folder, name)
        with contextlib.suppress(OSError):
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode) and (
                    now - st.st_mtime >= TMP_GRACE or not running(int(m.group(1)))):
                os.unlink(path)


def _encode(key: str, entry: Entry) -> str:
    body = json.dumps({
        "diagnostics": [
            [d.code, d.severity.value, d.message, d.path, d.line, d.col, d.end_line, d.end_col]
            for d in entry.diagnostics
        ],
        "workflows": [[w.name, w.body] for w in entry.workflows],
        "external": entry.external,
        "summary": entry.summary,
    }, ensure_ascii=False, separators=(",", ":"))
    header = json.dumps({
        "format": CACHE_FORMAT,
        "version": CACHE_VERSION,
        "key": key,
        "digest": hashlib.sha256(body.encode("utf-8")).hexdigest(),
    }, separators=(",", ":"))
    return f"{header}\n{body}"


def _decode(data: dict[str, Any]) -> Entry | None:
    """The entry, or None when any part has the wrong shape."""
    diags = data.get("diagnostics")
    wfs = data.get("workflows")
    if not isinstance(diags, list) or not isinstance(wfs, list):
        return None
    out: list[Diagnostic] = []
    for row in diags:
        if not (isinstance(row, list) and len(row) == 8
                and all(isinstance(x, str) for x in row[:4])
                and all(type(x) is int for x in row[4:])
                and row[1] in _SEVERITIES):
            return None
        out.append(Diagnostic(row[0], _SEVERITIES[row[1]], row[2], row[3], *row[4:]))
    rendered: list[Rendered] = []
    for row in wfs:
        if not (isinstance(row, list) and len(row) == 2 and isinstance(row[0], str)
                and is_output_name(row[0])  # it names a file of the output folder
                and (row[1] is None or isinstance(row[1], str))):
            return None
        rendered.append(Rendered(row[0], row[1]))
    external = data.get("external")
    if external is not None and not isinstance(external, str):
        return None
    summary = data.get("summary")
    if summary is not None and not (isinstance(summary, dict) and
                                    isinstance(summary.get("provides"), list) and
                                    isinstance(summary.get("refs"), list)):
        return None
    return Entry(tuple(out), tuple(rendered), external, summary)
