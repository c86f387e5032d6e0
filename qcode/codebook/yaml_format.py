"""The native codebook format: a readable, versionable YAML file (docs/codebook-format.md).

Reading never builds Python objects from tags: the file is first read as a stream of events, and
tags, anchors and aliases are refused (a 9-level alias bomb parses in milliseconds and explodes
later). Then ruamel's round-trip loader, which knows the line of every key, gives the tree to
validate; every problem is reported with its line.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from qcode.codebook.errors import CodebookError
from qcode.codebook.model import (
    COLOR,
    RESERVED_SHORTCUTS,
    SHORTCUT,
    TEXT_FIELDS,
    Codebook,
    CodebookCode,
    normalise_guid,
    path_guid,
)

FORMAT = "qcode-codebook/1"
MAX_BYTES = 5 * 1024 * 1024
TOP_KEYS = ("format", "title", "version", "language", "authors", "licence", "description", "changelog", "codes")
CODE_KEYS = ("name", "name_id", "guid", "codable", "color", "shortcut", *TEXT_FIELDS, "keywords", "children")


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CodebookError(str(path), [(None, "no such file")]) from None
    except OSError as exc:
        raise CodebookError(str(path), [(None, exc.strerror or str(exc))]) from None
    if len(data) > MAX_BYTES:
        raise CodebookError(str(path), [(None, f"larger than {MAX_BYTES // 2**20} MB: not a codebook")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodebookError(str(path), [(None, "not UTF-8 text")]) from None


def load(path: Path, *, fill_guids: bool = False, warnings: list[str] | None = None) -> Codebook:
    """Read and validate a YAML codebook; ``CodebookError`` lists every problem with its line.

    With ``fill_guids``, a code without a GUID gets one made from its path (the same every time)
    and a warning, instead of an error.
    """
    return loads(read_text(path), str(path), fill_guids=fill_guids, warnings=warnings)


def loads(text: str, source: str = "<codebook>", *, fill_guids: bool = False,
          warnings: list[str] | None = None) -> Codebook:
    _refuse_tags_and_aliases(text, source)
    try:
        tree = YAML(typ="rt").load(io.StringIO(text))
    except (MarkedYAMLError, YAMLError) as exc:
        raise CodebookError(source, [(_line_of(exc), f"not valid YAML ({_problem(exc)})")]) from None
    validator = _Validator(source, fill_guids)
    book = validator.codebook(tree)
    if warnings is not None:
        warnings.extend(validator.warnings)
    return book


def _line_of(exc) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _problem(exc) -> str:
    return (getattr(exc, "problem", None) or str(exc).splitlines()[0]).strip()


def _refuse_tags_and_aliases(text: str, source: str) -> None:
    problems = []
    try:
        for event in YAML(typ="rt").parse(io.StringIO(text)):
            line = event.start_mark.line + 1
            if isinstance(event, AliasEvent):
                problems.append((line, f"alias *{event.anchor}: aliases are not allowed in a codebook"))
            elif getattr(event, "anchor", None):
                problems.append((line, f"anchor &{event.anchor}: anchors are not allowed in a codebook"))
            if getattr(event, "tag", None):
                problems.append((line, f"tag {event.tag}: tags are not allowed in a codebook"))
            if len(problems) >= 20:
                break
    except (MarkedYAMLError, YAMLError) as exc:
        raise CodebookError(source, [(_line_of(exc), f"not valid YAML ({_problem(exc)})")]) from None
    if problems:
        raise CodebookError(source, problems)


class _Validator:
    def __init__(self, source: str, fill_guids: bool = False):
        self.source = source
        self.fill_guids = fill_guids
        self.warnings: list[str] = []
        self.problems: list[tuple[int | None, str]] = []
        self.guids: dict[str, tuple[int | None, str]] = {}
        self.shortcuts: dict[str, tuple[int | None, str]] = {}

    def fail(self, line: int | None, message: str) -> None:
        self.problems.append((line, message))

    @staticmethod
    def line(node, key=None) -> int | None:
        try:
            if key is not None and isinstance(node, CommentedMap):
                return node.lc.key(key)[0] + 1
            return node.lc.line + 1
        except (AttributeError, KeyError, TypeError):
            return None

    def text(self, node, key, required=False) -> str:
        value = node.get(key)
        if value is None:
            if required:
                self.fail(self.line(node), f"'{key}' is missing")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.fail(self.line(node, key), f"'{key}' must be text")
            return ""
        return value.strip()

    def codebook(self, tree) -> Codebook:
        if not isinstance(tree, CommentedMap):
            raise CodebookError(self.source, [(None, "not a codebook: the file must be a mapping with 'codes'")])
        for key in tree:
            if key not in TOP_KEYS:
                self.fail(self.line(tree, key), f"unknown key '{key}' (expected one of: {', '.join(TOP_KEYS)})")
        fmt = tree.get("format")
        if fmt is not None and fmt != FORMAT:
            self.fail(self.line(tree, "format"), f"format '{fmt}' is not '{FORMAT}'")
        book = Codebook(title=self.text(tree, "title"), version=self.text(tree, "version"),
                        description=self.text(tree, "description"), licence=self.text(tree, "licence"))
        language = tree.get("language")
        if language is not None:
            if isinstance(language, list) and all(isinstance(x, str) for x in language):
                book.language = list(language)
            else:
                self.fail(self.line(tree, "language"), "'language' must be a list of language codes")
        book.authors = self.records(tree, "authors")
        book.changelog = self.records(tree, "changelog")
        codes = tree.get("codes")
        if codes is None:
            self.fail(None, "'codes' is missing")
        elif not isinstance(codes, CommentedSeq):
            self.fail(self.line(tree, "codes"), "'codes' must be a list")
        else:
            book.codes = self.codes(codes, "")
        if self.problems:
            raise CodebookError(self.source, sorted(self.problems, key=lambda p: p[0] or 0))
        return book

    def records(self, tree, key) -> list[dict]:
        value = tree.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
            self.fail(self.line(tree, key), f"'{key}' must be a list of mappings")
            return []
        return [_plain(x) for x in value]

    def codes(self, nodes, parent_path: str) -> list[CodebookCode]:
        found, names = [], {}
        for node in nodes:
            if not isinstance(node, CommentedMap):
                self.fail(self.line(nodes), "every code must be a mapping with at least 'name' and 'guid'")
                continue
            code = self.code(node, parent_path)
            if code is None:
                continue
            if code.name in names:
                self.fail(self.line(node, "name"), f"two codes named '{code.name}' under "
                          f"{parent_path or 'the top'} (the other is on line {names[code.name]})")
            names[code.name] = self.line(node, "name")
            found.append(code)
        return found

    def code(self, node, parent_path: str) -> CodebookCode | None:
        for key in node:
            if key not in CODE_KEYS:
                self.fail(self.line(node, key), f"unknown key '{key}' in a code (expected one of: {', '.join(CODE_KEYS)})")
        name = self.text(node, "name", required=True)
        if not name:
            return None
        path = f"{parent_path}/{name}" if parent_path else name
        if "/" in name:
            self.fail(self.line(node, "name"), f"code name '{name}' contains '/', which joins code paths")
        code = CodebookCode(name=name, name_id=self.text(node, "name_id"))
        if "/" in code.name_id:
            self.fail(self.line(node, "name_id"), f"code name '{code.name_id}' contains '/', which joins code paths")
        raw_guid = node.get("guid")
        if raw_guid is None and self.fill_guids:
            raw_guid = path_guid(path)
            self.warnings.append(f"code '{path}' had no guid: gave it {raw_guid}")
        if raw_guid is None:
            self.fail(self.line(node), f"code '{path}' has no guid (qcode codebook import FILE OUT.yaml adds them)")
        else:
            try:
                code.guid = normalise_guid(str(raw_guid))
            except ValueError:
                self.fail(self.line(node, "guid"), f"'{raw_guid}' is not a GUID")
            else:
                if code.guid in self.guids:
                    other_line, other = self.guids[code.guid]
                    cycle = " (a cycle: the code would contain itself)" if path.startswith(other + "/") else ""
                    self.fail(self.line(node, "guid"),
                              f"duplicate guid {code.guid}: also '{other}' on line {other_line}{cycle}")
                self.guids[code.guid] = (self.line(node, "guid"), path)
        codable = node.get("codable", True)
        if not isinstance(codable, bool):
            self.fail(self.line(node, "codable"), "'codable' must be true or false")
        code.codable = codable is not False
        color = node.get("color")
        if color is not None:
            if not isinstance(color, str) or not COLOR.fullmatch(color.strip()):
                self.fail(self.line(node, "color"), f"colour '{color}' is not a colour (write it as \"#RRGGBB\")")
            else:
                code.color = color.strip().upper()
        shortcut = node.get("shortcut")
        if shortcut is not None:
            shortcut = str(shortcut)
            if not SHORTCUT.fullmatch(shortcut):
                self.fail(self.line(node, "shortcut"), f"shortcut '{shortcut}' must be one digit or letter")
            elif shortcut in RESERVED_SHORTCUTS:
                self.fail(self.line(node, "shortcut"), f"shortcut '{shortcut}' is a key of the coding workbench "
                          f"(reserved: {' '.join(sorted(RESERVED_SHORTCUTS))})")
            elif shortcut in self.shortcuts:
                other_line, other = self.shortcuts[shortcut]
                self.fail(self.line(node, "shortcut"), f"shortcut '{shortcut}' clashes with '{other}' on line {other_line}")
            else:
                self.shortcuts[shortcut] = (self.line(node, "shortcut"), path)
                code.shortcut = shortcut
        for field_name in TEXT_FIELDS:
            setattr(code, field_name, self.text(node, field_name))
        keywords = node.get("keywords")
        if keywords is not None:
            if not isinstance(keywords, dict) or any(k not in ("en", "id") for k in keywords) or any(
                    not isinstance(v, list) or not all(isinstance(w, (str, int)) for w in v) for v in keywords.values()):
                self.fail(self.line(node, "keywords"), "'keywords' must map 'en' and 'id' to lists of words")
            else:
                code.keywords_en = [str(w).strip() for w in keywords.get("en") or [] if str(w).strip()]
                code.keywords_id = [str(w).strip() for w in keywords.get("id") or [] if str(w).strip()]
        children = node.get("children")
        if children is not None:
            if not isinstance(children, CommentedSeq):
                self.fail(self.line(node, "children"), "'children' must be a list of codes")
            else:
                code.children = self.codes(children, path)
        return code


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def dumps(book: Codebook) -> str:
    """The codebook as YAML, fields in a fixed order, so that diffs between versions stay small."""
    root = CommentedMap()
    root["format"] = FORMAT
    for key in ("title", "version"):
        root[key] = getattr(book, key)
    root["language"] = _flow(book.language)
    root["authors"] = book.authors
    root["licence"] = book.licence
    root["description"] = book.description
    root["changelog"] = book.changelog
    root["codes"] = [_code_map(code) for code in book.codes]
    out = io.StringIO()
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.dump(root, out)
    return out.getvalue()


_PLAIN_IN_FLOW = re.compile(r"[^\s:?\-!&*#|>'\"%@`,\[\]{}](?:[^,\[\]{}:#]|:(?=\S)|(?<=\S)#)*")


def _flow(items: list[str]) -> CommentedSeq:
    """A one-line list; an item that YAML could misread in one (``: x``, ``a, b``) is quoted."""
    seq = CommentedSeq(item if _PLAIN_IN_FLOW.fullmatch(item) and item == item.strip() else DoubleQuotedScalarString(item)
                       for item in items)
    seq.fa.set_flow_style()
    return seq


def _code_map(code: CodebookCode) -> CommentedMap:
    node = CommentedMap()
    node["name"] = code.name
    node["name_id"] = code.name_id
    node["guid"] = code.guid
    node["codable"] = code.codable
    node["color"] = code.color
    node["shortcut"] = code.shortcut
    for field_name in TEXT_FIELDS:
        node[field_name] = getattr(code, field_name)
    keywords = CommentedMap()
    keywords["en"] = _flow(code.keywords_en)
    keywords["id"] = _flow(code.keywords_id)
    node["keywords"] = keywords
    if code.children:
        node["children"] = [_code_map(child) for child in code.children]
    return node
