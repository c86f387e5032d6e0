"""What changed between two codebooks: codes matched by GUID, then by path."""

from __future__ import annotations

from dataclasses import dataclass

from qcode.codebook.model import FIELD_LABELS, TEXT_FIELDS, Codebook

_COMPARED = ("name_id", "codable", "color", "shortcut", *TEXT_FIELDS, "keywords_en", "keywords_id")
_META = ("title", "version", "description", "licence", "language", "authors", "changelog")


@dataclass
class Change:
    kind: str  # "added", "removed", "moved" (renamed or moved), "changed", "codebook"
    path: str
    detail: str = ""

    def line(self) -> str:
        mark = {"added": "+", "removed": "-", "moved": ">", "changed": "~", "codebook": "*"}[self.kind]
        return f"{mark} {self.path}" + (f": {self.detail}" if self.detail else "")

    def as_json(self) -> dict:
        return {"change": self.kind, "code": self.path, "detail": self.detail}


def diff(old: Codebook, new: Codebook) -> list[Change]:
    changes = [Change("codebook", key, f"{getattr(old, key)!r} -> {getattr(new, key)!r}")
               for key in _META if key in ("title", "version", "licence") and getattr(old, key) != getattr(new, key)]
    changes += [Change("codebook", key, "changed") for key in _META
                if key not in ("title", "version", "licence") and getattr(old, key) != getattr(new, key)]
    old_paths = {code.guid: path for path, code, _ in old.walk()}
    old_by_guid = old.by_guid()
    old_by_path = old.paths()
    matched = set()
    for path, code, _ in new.walk():
        before = old_by_guid.get(code.guid) or old_by_path.get(path)
        if before is None or id(before) in matched:
            changes.append(Change("added", path))
            continue
        matched.add(id(before))
        before_path = old_paths[before.guid]
        if before_path != path:
            changes.append(Change("moved", before_path, f"now {path}"))
        fields = [FIELD_LABELS.get(f, f.replace("_", " ")) for f in _COMPARED if getattr(before, f) != getattr(code, f)]
        if before.guid != code.guid:
            fields.append("GUID")
        if fields:
            changes.append(Change("changed", path, ", ".join(fields)))
    for path, code, _ in old.walk():
        if id(code) not in matched:
            changes.append(Change("removed", path))
    return changes
