"""Building the demo project (IOM and Indonesia against trafficking) from ``projects/iom-indonesia``.

The project starts from the default role-theory codebook. The manifest names the cases with their attributes, the documents with their case, title and
attributes, and example codings given by quotation (found in the imported text, so that they do not
depend on how a format counts characters). The project is built under a temporary name and moved
into place only when complete: a failed build leaves nothing behind.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from ruamel.yaml import YAML

from qcode.codebook.apply import apply as apply_codebook
from qcode.codebook.files import default_codebook
from qcode.codebook.yaml_format import load as load_yaml_codebook
from qcode.core import create_project
from qcode.core.codings import CodingRequest
from qcode.core.errors import QcodeError
from qcode.core.resources import demo_dir
from qcode.ingest import import_file

DEMO_CODER = "demo"


def load_manifest(folder: Path) -> dict[str, Any]:
    yaml = YAML(typ="safe", pure=True)
    with open(folder / "manifest.yaml", encoding="utf-8") as handle:
        return yaml.load(handle)


def build_demo(target: Path, *, progress: Callable[[str], None] = lambda message: None) -> Path:
    """Build the demo project at ``target`` (which must not exist yet)."""
    folder = demo_dir()
    manifest = load_manifest(folder)
    if target.exists():
        raise QcodeError(f"{target} already exists")
    partial = target.with_name(f".{target.name}.building-{os.getpid()}.qcode")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    try:
        project = create_project(partial, name=manifest["name"], coder=DEMO_CODER)
        try:
            _fill(project, folder, manifest, progress)
        finally:
            project.close()
        os.replace(partial, target)
    except BaseException:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return target


def _fill(project, folder: Path, manifest: dict[str, Any], progress) -> None:
    with project.write():
        codebook = default_codebook()
        apply_codebook(project, load_yaml_codebook(codebook), source=codebook.name)
        progress(f"applied the codebook {codebook.name}")
        for case in manifest.get("cases") or []:
            project.cases.add(case["name"], case.get("description") or "")
            for key, value in (case.get("attributes") or {}).items():
                project.attributes.set("case", case["name"], key, str(value))
        for entry in manifest.get("documents") or []:
            outcome = import_file(project, folder / entry["file"], case=entry.get("case"), title=entry.get("title"))
            if outcome.status != "imported":
                raise QcodeError(f"demo: {outcome.message}")
            progress(outcome.message)
            for key, value in (entry.get("attributes") or {}).items():
                project.attributes.set("document", outcome.name, key, str(value))
        requests = []
        for number, coding in enumerate(manifest.get("codings") or [], start=1):
            text = project.documents.text(coding["document"])
            start = text.find(coding["quote"])
            if start < 0:
                raise QcodeError(f"demo coding {number}: quote not found in {coding['document']}")
            requests.append(CodingRequest(coding["document"], start, start + len(coding["quote"]),
                                          coding["code"], coding.get("memo")))
        project.codings.add_many(requests)
        notice = manifest.get("notice")
        if notice:
            project.memos.add("project", None, f"{manifest.get('description', '').strip()}\n\n{notice}",
                              title="About this demo")
