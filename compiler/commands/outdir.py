"""Bringing an output folder in line with a run's output: check, diff, write, prune.

The run is authoritative for the whole folder: a tiphys-owned ``*.yaml``/``*.yml`` file in it
that the run does not produce is stale. Files whose first line is not exactly the ownership
header, symlinks and anything that is not a regular file are never written, replaced or
deleted, and every path written is a plain ``<workflow-name>.yaml`` directly inside the
resolved folder (names come from the front end or the cache, which both check them; this is
the last guard).

* Up to date means equal text; a file that differs only by CRLF line endings (git's
  ``autocrlf`` on Windows) is up to date.
* ``--check`` and ``--diff`` write nothing. Writing stages every changed file as a temporary
  file first and renames them into place only when all were written, so a failure while
  writing (disk full, permissions) leaves the folder as it was. Temporary files an
  interrupted run left are removed first (:func:`files.stale_temporaries`), and a stale file
  that another run deleted meanwhile is not an error (two ``--prune`` runs at once).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from tiphys.compiler.bounded_read import read_bounded
from tiphys.compiler.commands.files import (
    discard,
    is_output_name,
    is_owned,
    owned_bytes,
    stage,
    stale_temporaries,
)

#: Largest file of the output folder read (to compare or diff); a larger one is in the way.
MAX_OUTPUT_READ = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Output:
    #: File name inside the output folder.
    filename: str
    text: str


@dataclass(frozen=True, slots=True)
class Planned:
    """What a run would do to one file of the output folder."""

    path: str
    #: "create", "update", "delete" (stale), or "foreign" (in the way; never touched).
    action: str
    #: Text now on disk (decoded leniently, for the diff); None when absent or unreadable.
    current: str | None
    #: Text the run produces; None for a stale file.
    wanted: str | None


def plan(outdir: str, outputs: list[Output]) -> tuple[list[Planned], list[str], int]:
    """(changes, errors, exit code for the errors) for syncing *outdir* with *outputs*;
    files already up to date are not listed."""
    blocked = _not_a_folder(outdir)
    if blocked is not None:
        return [], [blocked], 2
    # Names are lower-case DNS names, but the folder may live on a case-insensitive disk.
    owners: dict[str, list[str]] = {}
    for o in outputs:
        owners.setdefault(o.filename.casefold(), []).append(o.filename)
    errors = [f"{len(names)} workflows would all be written to "
              f"{os.path.join(outdir, names[0])}; rename all but one"
              for names in owners.values() if len(names) > 1]
    if errors:
        return [], errors, 1
    folder = os.path.realpath(outdir)
    escaping = [o.filename for o in outputs if not _inside(outdir, folder, o.filename)]
    if escaping:  # the front end and the cache both check names: this is the last guard
        return [], [f"refusing to write {os.path.join(outdir, name)}: not a plain file name "
                    f"inside {outdir}" for name in escaping], 2
    changes: list[Planned] = []
    for o in outputs:
        full = os.path.join(outdir, o.filename)
        state, current = _examine(full, o.text)
        if state == "same":
            continue
        changes.append(Planned(full, "create" if state == "missing" else state, current, o.text))
    for full in _stale(outdir, set(owners)):
        changes.append(Planned(full, "delete", _read_lenient(full), None))
    return changes, [], 0


def _not_a_folder(outdir: str) -> str | None:
    """Why *outdir* cannot be the output folder: it, or the nearest part of its path that
    exists, is not a folder (``-o notes.txt/sub``). None when it is, or can be made."""
    probe = outdir
    while True:
        try:
            st = os.stat(probe)
        except FileNotFoundError:
            parent = os.path.dirname(os.path.normpath(probe))
            if parent in ("", probe):
                return None
            probe = parent
            continue
        except NotADirectoryError:
            probe = os.path.dirname(os.path.normpath(probe))  # a file further up: find it
            continue
        except OSError as exc:
            return f"cannot use output folder {outdir}: {probe}: {exc.strerror or exc}"
        if stat.S_ISDIR(st.st_mode):
            return None
        if probe == outdir:
            return f"output folder {outdir} exists and is not a folder"
        what = "a file" if stat.S_ISREG(st.st_mode) else "something else"
        return f"cannot create output folder {outdir}: {probe} is {what}, not a folder"


def _inside(outdir: str, folder: str, filename: str) -> bool:
    """*filename* is a plain ``<workflow-name>.yaml`` whose path, resolved (symlinks of the
    folder's path included), lies directly in *folder*, the resolved *outdir*."""
    stem, ext = os.path.splitext(filename)
    if ext != ".yaml" or not is_output_name(stem):
        return False
    return os.path.dirname(os.path.realpath(os.path.join(outdir, filename))) == folder or \
        os.path.islink(os.path.join(outdir, filename))  # a link is refused as "foreign" later


def _examine(full: str, text: str) -> tuple[str, str | None]:
    """("missing" | "same" | "update" | "foreign", current text) for one wanted file."""
    try:
        st = os.lstat(full)
    except FileNotFoundError:
        return "missing", None
    except OSError:
        return "foreign", None
    link = stat.S_ISLNK(st.st_mode)
    if link:
        try:
            st = os.stat(full)
        except OSError:
            return "foreign", None  # a dangling link: not ours to replace
    if not stat.S_ISREG(st.st_mode):
        return "foreign", None
    try:
        raw = read_bounded(full, MAX_OUTPUT_READ)
    except FileNotFoundError:
        return "missing", None  # deleted meanwhile (another run's --prune)
    except OSError:
        return "foreign", None
    current = raw.decode("utf-8", errors="replace")
    if raw.replace(b"\r\n", b"\n") == text.encode("utf-8"):
        return "same", current
    if link or not owned_bytes(raw):
        return "foreign", current
    return "update", current


def _stale(outdir: str, wanted: set[str]) -> list[str]:
    try:
        names = sorted(os.listdir(outdir))
    except OSError:
        return []
    return [os.path.join(outdir, n) for n in names
            if n.endswith((".yaml", ".yml")) and n.casefold() not in wanted
            and is_owned(os.path.join(outdir, n))]


def _read_lenient(path: str) -> str | None:
    try:
        return read_bounded(path, MAX_OUTPUT_READ).decode("utf-8", errors="replace")
    except OSError:
        return None


def unified_diff(p: Planned) -> Iterator[str]:
    """A git-style unified diff of one planned change ("\\ No newline at end of file"
    included, so the diff applies with ``git apply``)."""
    import difflib

    old = (p.current or "").splitlines(keepends=True) if p.action != "create" else []
    new = (p.wanted or "").splitlines(keepends=True)
    fromfile = "/dev/null" if p.action == "create" else f"a/{p.path}"
    tofile = "/dev/null" if p.action == "delete" else f"b/{p.path}"
    for line in difflib.unified_diff(old, new, fromfile=fromfile, tofile=tofile):
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


_VERB = {"create": "would create", "update": "would update"}


def sync_outputs(outdir: str, outputs: list[Output], *, check: bool, show_diff: bool,
                 prune: bool) -> int:
    """Check (``check``), show (``show_diff``) or write *outputs* into *outdir*."""
    changes, errors, code = plan(outdir, outputs)
    if errors:
        for e in errors:
            print(f"tiphys: {e}", file=sys.stderr)
        return code
    foreign = [p for p in changes if p.action == "foreign"]
    for p in foreign:
        print(f"tiphys: {p.path} exists and was not written by tiphys (or is a symlink or "
              "not a regular file); refusing to overwrite it", file=sys.stderr)
    edits = [p for p in changes if p.action in ("create", "update")]
    stale = [p for p in changes if p.action == "delete"]
    if check or show_diff:
        for p in edits:
            print(f"{_VERB[p.action]} {p.path}", file=sys.stderr)
        for p in stale:
            print(f"stale {p.path}: no workflow produces it any more (--prune deletes it)",
                  file=sys.stderr)
        if show_diff:
            for p in edits + stale:
                sys.stdout.writelines(unified_diff(p))
        if check and (edits or stale):
            print(f"tiphys: {len(edits)} file(s) out of date, {len(stale)} stale in {outdir}; "
                  "run the same command without --check to update them", file=sys.stderr)
        return 1 if foreign or (check and (edits or stale)) else 0
    if foreign:
        return 1
    return _write(outdir, edits, stale if prune else [], [] if prune else stale)


def _write(outdir: str, edits: list[Planned], delete: list[Planned],
           noted: list[Planned]) -> int:
    for tmp in stale_temporaries(outdir):
        discard(tmp)
        print(f"removed {tmp}, left by an interrupted tiphys run", file=sys.stderr)
    staged: list[tuple[str, str]] = []
    try:
        if edits:
            os.makedirs(outdir, exist_ok=True)
        for p in edits:
            staged.append((stage(p.path, p.wanted or ""), p.path))
    except OSError as exc:
        for tmp, _ in staged:
            discard(tmp)
        print(f"tiphys: cannot write into {outdir}: {exc.strerror or exc}; nothing was "
              "changed", file=sys.stderr)
        return 2
    for i, (tmp, full) in enumerate(staged):
        try:
            os.replace(tmp, full)
        except OSError as exc:
            for rest, _ in staged[i:]:
                discard(rest)
            print(f"tiphys: cannot write {full}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"wrote {full}", file=sys.stderr)
    for p in delete:
        try:
            os.unlink(p.path)
        except FileNotFoundError:
            continue  # already gone: another run pruned it; the folder is as wanted
        except OSError as exc:
            print(f"tiphys: cannot delete {p.path}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"deleted {p.path}", file=sys.stderr)
    for p in noted:
        print(f"note: {p.path} is stale (no workflow produces it); --prune deletes it",
              file=sys.stderr)
    return 0
