"""REFI-QDA codebooks (``.qdc``): what NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette exchange.

Export
------
``export_qdc`` writes a ``<CodeBook>`` in ``urn:QDA-XML:codebook:1.0`` (UTF-8, with an XML
declaration) that validates against ``Codebook.xsd``: nested ``<Code guid name isCodable color?>``
elements in the model's order, each with a ``<Description>`` when it has anything to say. No
``<Sets>`` (qcode has none, and an empty ``<Sets/>`` is invalid). GUIDs are the model's, upper case,
so every export of a codebook names its codes the same way; colours are ``#RRGGBB`` in upper case.
Characters XML 1.0 cannot hold (C0 controls other than tab, newline and carriage return; U+FFFE,
U+FFFF; lone surrogates) are dropped. The schema needs at least one code, so an empty codebook is
refused.

The Description layout
----------------------
The format has one text slot per code. qcode puts the full definition (``description``) there
first, as it is, so that NVivo, ATLAS.ti or MAXQDA show it as the code's description. The fields
REFI-QDA has no slot for follow after a blank line, in a block opened by the marker line
``--- qcode ---``, one labelled line per field that is not empty, always in this order::

    IOM is used by a member state as a tool to pursue that state's own policy goals.

    --- qcode ---
    Name (Indonesian): Instrumen
    Definition: IOM as a tool of Indonesia.
    When to use: Indonesian authorities steer or fund IOM activity
      toward a national objective.
    When not to use: IOM sets the agenda itself.
    Example: 'The Ministry asked IOM to deliver its modules.'
    Keywords (English): at the request of; asked IOM; government-led
    Keywords (Indonesian): atas permintaan; kepentingan nasional
    Shortcut: 1

- A label starts a line and is followed by ``": "`` and the value. The labels are the model's
  ``FIELD_LABELS`` plus ``Shortcut``.
- A value of several lines continues on lines indented by two spaces (an empty line of the value is
  written as the two spaces alone). Since every line of a value after its first is indented, a
  value can hold anything, the labels and the marker included: only an unindented line starts a
  field.
- Keywords are joined with ``"; "``. Inside a keyword ``\\`` is written ``\\\\``, ``;`` is written
  ``\\;`` and a line break ``\\n`` (``\\r`` for a carriage return), so a keyword list is always one
  line and commas and colons need no escape.
- Empty fields are left out, and with them the whole block when every field is empty, unless the
  description itself holds a line that would read as the marker or as a labelled field (see below):
  then the marker is written anyway, so the description reads back unchanged.

Reading takes the last line that is exactly the marker (trailing spaces allowed); everything before
it is the description, every line after it belongs to the labelled block (labels are matched without
regard to case, and the draft's labels below are understood there too). A ``<Description>`` without
the marker is read leniently: if a line starts with one of the upper-case labels of the draft
codebook (``NAME (id):``, ``DEFINITION:``, ``WHEN TO USE:``, ``WHEN NOT TO USE:``, ``EXAMPLE:``,
``KEYWORDS (en):``, ``KEYWORDS (id):``, ``SHORTCUT:``), the text before the first such line is the
description and each label's value runs until the next upper-case label; other upper-case labels
(``KEY:``) have no field in qcode and are kept at the end of the description, with a warning.
Otherwise all of it is the description. Every value read is stripped of surrounding white space,
and keywords are split at unescaped ``;``, stripped, and empty ones dropped (as the YAML reader
does), so a codebook read from YAML goes to ``.qdc`` and back without losing anything.

Import
------
``import_qdc`` reads a ``.qdc`` or the ``project.qde`` of a ``.qdpx`` (root ``<Project>``: its
``<CodeBook>`` is used) and returns the codebook and a list of warnings for the user. It is lenient
where real tools are sloppy: elements and attributes are matched by local name (any namespace, or
none); GUIDs may be braced or lower case; a missing or broken GUID is replaced by a uuid5 of the
code's path (so importing the same file twice gives the same GUIDs); ``isCodable`` may be missing
(true), ``true``/``false`` or ``1``/``0``; colours may be lower case or ``#RGB``; an empty
``<Sets/>`` is fine, and sets are ignored with a warning. Names are stripped of white space.
ATLAS.ti 8 writes a hierarchy as ``Parent::Child`` and Taguette as ``Parent/Child`` in flat
codebooks: these names become nested codes, parents that do not exist become non-codable categories,
and a parent that does exist at that level (even later in the file) is used instead. A codebook that
already nests its codes, or that qcode wrote (``origin`` starting with ``qcode``), means its names as
they are: there ``::`` stays, and ``/`` (``Arena / forum``), which qcode keeps for joining code
paths, becomes ``-``. Two codes of the same name under the same parent are both kept, the later one
renamed ``Name (2)``. Shortcuts that are not one free key (the draft's ``1 i``, reserved keys,
clashes) are dropped with a warning.

Refused with ``CodebookError``: a file over 20 MB, anything that is not XML, XML with a DOCTYPE or
entities, a root that is neither ``CodeBook`` nor ``Project``, two codes with one GUID, a colour that
is not a colour, and codes nested more than 100 deep.
"""

from __future__ import annotations

import re
import uuid
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from lxml import etree

from qcode.codebook.errors import CodebookError
from qcode.codebook.model import (
    FIELD_LABELS,
    RESERVED_SHORTCUTS,
    SHORTCUT,
    Codebook,
    CodebookCode,
    normalise_guid,
    path_guid,
)

NAMESPACE = "urn:QDA-XML:codebook:1.0"
MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 100
MAX_CODES = 20_000
MAX_PROBLEMS = 20
MAX_NODES = 400_000   # '<' plus attributes: bounds the parser's time (about 2 s on a slow machine)
MARKER = "--- qcode ---"
# uuid5 namespace for the GUIDs qcode makes for codes that came without one (from the code's path)

# The labelled block: (model field, label), in the order written.
BLOCK_FIELDS = (
    ("name_id", FIELD_LABELS["name_id"]),
    ("definition", FIELD_LABELS["definition"]),
    ("when_to_use", FIELD_LABELS["when_to_use"]),
    ("when_not_to_use", FIELD_LABELS["when_not_to_use"]),
    ("example", FIELD_LABELS["example"]),
    ("keywords_en", FIELD_LABELS["keywords_en"]),
    ("keywords_id", FIELD_LABELS["keywords_id"]),
    ("shortcut", "Shortcut"),
)
KEYWORD_FIELDS = ("keywords_en", "keywords_id")
# The labels of the draft codebook (../shared/domain/qcode-default-codebook.qdc) and a few
# spellings of ours, upper case; the key is the label upper-cased.
DRAFT_LABELS = {
    "NAME (ID)": "name_id", "NAME (INDONESIAN)": "name_id",
    "DEFINITION": "definition",
    "WHEN TO USE": "when_to_use",
    "WHEN NOT TO USE": "when_not_to_use",
    "EXAMPLE": "example", "EXAMPLES": "example",
    "KEYWORDS (EN)": "keywords_en", "KEYWORDS (ENGLISH)": "keywords_en",
    "KEYWORDS (ID)": "keywords_id", "KEYWORDS (INDONESIAN)": "keywords_id",
    "SHORTCUT": "shortcut",
}
_BLOCK_LABELS = {label.upper(): name for name, label in BLOCK_FIELDS} | DRAFT_LABELS
# an upper-case label at the start of a line: "WHEN TO USE: ...", "NAME (id): ...", "KEY: ..."
_DRAFT_LABEL = re.compile(r"([A-Z][A-Z ]*[A-Z](?: \([A-Za-z]{1,20}\))?):(?: |$)")
_XML_UNSAFE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RGB = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_SPLIT = re.compile(r"::")
_ATTRIBUTE = re.compile(rb"=\s*[\"']")


# ---------------------------------------------------------------------------------------------
# export

def export_qdc(book: Codebook, *, origin: str = "qcode") -> bytes:
    """``book`` as REFI-QDA Codebook XML; ``CodebookError`` if the schema cannot hold it."""
    source = book.title or "<codebook>"
    if not book.codes:
        raise CodebookError(source, [(None, "a .qdc needs at least one code; this codebook has none")])
    problems: list[tuple[int | None, str]] = []
    guids: dict[str, str] = {}
    root = etree.Element(f"{{{NAMESPACE}}}CodeBook", nsmap={None: NAMESPACE})
    root.set("origin", xml_safe(origin))
    codes_element = etree.SubElement(root, f"{{{NAMESPACE}}}Codes")
    # iterative, so that no depth of nesting can exhaust the stack
    stack: list[tuple[etree._Element, list[CodebookCode], str]] = [(codes_element, book.codes, "")]
    while stack:
        parent, codes, prefix = stack.pop()
        for code in codes:
            path = f"{prefix}/{code.name}" if prefix else code.name
            element = etree.SubElement(parent, f"{{{NAMESPACE}}}Code")
            try:
                guid = normalise_guid(code.guid)
            except (ValueError, AttributeError, TypeError):
                problems.append((None, f"code '{path}' has '{code.guid}' as its GUID, which is not a GUID"))
                guid = str(uuid.UUID(int=0))
            else:
                if guid in guids:
                    problems.append((None, f"codes '{guids[guid]}' and '{path}' have the same GUID {guid}"))
                guids.setdefault(guid, path)
            element.set("guid", guid)
            element.set("name", xml_safe(code.name))
            element.set("isCodable", "true" if code.codable else "false")
            if code.color:
                color = _colour(code.color)
                if color is None:
                    problems.append((None, f"code '{path}' has colour '{code.color}', which is not a colour (#RRGGBB)"))
                else:
                    element.set("color", color)
            text = description_text(code)
            if text:
                etree.SubElement(element, f"{{{NAMESPACE}}}Description").text = text
            if code.children:
                stack.append((element, code.children, path))
    if problems:
        raise CodebookError(source, problems)
    # the declaration in double quotes, as the spec's examples and the other tools write it
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (controls, U+FFFE/FFFF, lone surrogates)."""
    return _XML_UNSAFE.sub("", text or "")


def _colour(value: str) -> str | None:
    match = _RGB.fullmatch(value.strip())
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.upper()


def description_text(code: CodebookCode) -> str:
    """The text of a code's ``<Description>``: its description, then the labelled block (see above)."""
    description = xml_safe(code.description)
    lines = []
    for name, label in BLOCK_FIELDS:
        value = getattr(code, name)
        if not value:
            continue
        if name in KEYWORD_FIELDS:
            text = "; ".join(_escape_keyword(xml_safe(word)) for word in value)
        else:
            text = xml_safe(value).replace("\n", "\n  ")
        lines.append(f"{label}: {text}")
    if not lines and read_description(description)[0] == {"description": description.strip()}:
        return description
    block = "\n".join([MARKER, *lines])
    return f"{description}\n\n{block}" if description else block


def _escape_keyword(word: str) -> str:
    return word.replace("\\", "\\\\").replace(";", "\\;").replace("\n", "\\n").replace("\r", "\\r")


# ---------------------------------------------------------------------------------------------
# reading a Description

def read_description(text: str) -> tuple[dict, list[str]]:
    """The fields a ``<Description>`` holds, and the labels in it that qcode has no field for.

    Only fields that are present are in the dict; text values are stripped, keywords are lists.
    """
    if not text.strip():
        return {"description": ""}, []
    lines = text.split("\n")
    marker = None
    for index in range(len(lines) - 1, -1, -1):
        if _is_marker(lines[index]):
            marker = index
            break
    if marker is not None:
        return _read_block(lines[:marker], lines[marker + 1:]), []
    return _read_draft(lines)


def _is_marker(line: str) -> bool:
    return line.rstrip() == MARKER


def _read_block(before: list[str], block: list[str]) -> dict:
    values: dict[str, list[str]] = {}
    loose: list[str] = []  # lines before the first label: they belong to the description
    current = None
    for line in block:
        field, rest = _block_label(line)
        if field is not None:
            current = field
            if field in values:   # a label given twice: keep both values
                values[field].append("\n" if field not in KEYWORD_FIELDS else ";")
            values.setdefault(field, []).append(rest)
        elif current is None:
            loose.append(line)
        else:
            values[current].append("\n" + (line.removeprefix("  ")))
    description = "\n".join(before)
    if any(line.strip() for line in loose):
        description = description + "\n" + "\n".join(loose)
    fields = {"description": description.strip()}
    for field, parts in values.items():
        fields[field] = _value(field, "".join(parts), escaped=True)
    return fields


def _block_label(line: str) -> tuple[str | None, str]:
    head, colon, rest = line[:60].partition(":")
    if not colon or head != head.lstrip():
        return None, ""
    field = _BLOCK_LABELS.get(head.strip().upper())
    if field is None:
        return None, ""
    rest = line[len(head) + 1:]
    return field, rest.removeprefix(" ")


def _read_draft(lines: list[str]) -> tuple[dict, list[str]]:
    start = None
    for index, line in enumerate(lines):
        match = _DRAFT_LABEL.match(line[:60])
        if match and match.group(1).upper() in DRAFT_LABELS:
            start = index
            break
    if start is None:
        return {"description": "\n".join(lines).strip()}, []
    values: dict[str, list[str]] = {}
    extra: list[list[str]] = []
    unknown: list[str] = []
    current: list[str] | None = None
    for line in lines[start:]:
        match = _DRAFT_LABEL.match(line[:60])
        if match:
            field = DRAFT_LABELS.get(match.group(1).upper())
            if field is None:
                unknown.append(match.group(1))
                current = [line]
                extra.append(current)
            else:
                current = values.setdefault(field, [])
                if current:
                    current.append(";" if field in KEYWORD_FIELDS else "\n")
                current.append(line[match.end():])
        else:
            current.append("\n" + line)
    description = "\n".join(lines[:start]).strip()
    if extra:
        kept = "\n".join("".join(part).strip() for part in extra)
        description = f"{description}\n\n{kept}" if description else kept
    fields = {"description": description}
    for field, parts in values.items():
        fields[field] = _value(field, "".join(parts), escaped=False)
    return fields, unknown


def _value(field: str, text: str, *, escaped: bool):
    if field in KEYWORD_FIELDS:
        words = _split_keywords(text) if escaped else text.split(";")
        return [w.strip() for w in words if w.strip()]
    if field == "shortcut":
        return text.strip() or None
    return text.strip()


def _split_keywords(text: str) -> list[str]:
    words, current, chars = [], [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "\\")
            current.append({"n": "\n", "r": "\r"}.get(following, following))
        elif char == ";":
            words.append("".join(current))
            current = []
        else:
            current.append(char)
    words.append("".join(current))
    return words


# ---------------------------------------------------------------------------------------------
# import

class _Raw:
    """A ``<Code>`` as the file has it, before names are turned into a hierarchy."""

    __slots__ = ("bad_guid", "children", "codable", "color", "fields", "guid", "name", "path")

    def __init__(self):
        self.children: list[_Raw] = []


def import_qdc(data: bytes, source: str) -> tuple[Codebook, list[str]]:
    """The codebook in a ``.qdc`` (or a ``.qde``) and warnings for the user; ``CodebookError`` if refused."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise CodebookError(source, [(None, f"larger than {MAX_BYTES // 2**20} MB: not a codebook")])
    root = _parse(data, source)
    kind = _local(root.tag)
    warnings: list[str] = []
    if kind.lower() == "codebook":
        codebook_element, title = root, ""
    elif kind.lower() == "project":
        title = (_attributes(root).get("name") or "").strip()
        codebook_element = _child(root, "codebook")
        if codebook_element is None:
            return Codebook(title=title), ["the project holds no codebook (no <CodeBook> element): no codes to import"]
    else:
        problem = (f"not a REFI-QDA codebook: the root element is <{kind}>, "
                   "not <CodeBook> (a .qdc) or <Project> (a .qde)")
        raise CodebookError(source, [(None, problem)])
    sets = _count_sets(root, codebook_element)
    if sets:
        warnings.append(f"ignored {sets} set{'s' if sets != 1 else ''} of codes (qcode codebooks have no sets)")
    raws = _read_codes(codebook_element, source, warnings)
    book = Codebook(title=title)
    if not raws:
        warnings.append("the codebook holds no codes")
        return book, warnings
    # Paths flattened into names are split only where the codebook is flat (ATLAS.ti 8, Taguette): a
    # codebook that nests its codes, or that qcode wrote, means its names as they are.
    origin = (_attributes(root).get("origin") or "").strip().lower()
    split = not any(raw.children for raw in raws) and not origin.startswith("qcode")
    _Builder(book, source, warnings).build(raws, split=split)
    return book, warnings


def _parse(data: bytes, source: str):
    # The parser's cost grows with the number of elements and attributes; a few megabytes of empty
    # elements or of attributes on one element would keep it busy for many seconds. Count them first
    # (in UTF-16 or UTF-32 the NUL bytes are dropped so that the count still sees them).
    probe = data.replace(b"\x00", b"") if b"\x00" in data[:64] else data
    nodes = probe.count(b"<") + len(_ATTRIBUTE.findall(probe))
    if nodes > MAX_NODES:
        problem = f"more than {MAX_NODES:,} XML elements and attributes: not a codebook qcode can use"
        raise CodebookError(source, [(None, problem)])
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        problem = "the XML carries a DOCTYPE, which qcode refuses (it can declare entities that attack the reader)"
    except EntitiesForbidden:
        problem = "the XML declares entities, which qcode refuses (they can expand without end or read other files)"
    except ExternalReferenceForbidden:
        problem = "the XML refers to an external resource, which qcode refuses"
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        reason = str(exc).split(": line ")[0]
        raise CodebookError(source, [(line, f"not XML ({reason}), so not a REFI-QDA codebook")]) from None
    except (ValueError, TypeError, UnicodeError, RecursionError) as exc:
        raise CodebookError(source, [(None, f"not XML ({exc}), so not a REFI-QDA codebook")]) from None
    raise CodebookError(source, [(None, problem)])


def _too_deep(source: str) -> CodebookError:
    return CodebookError(source, [(None, f"codes nested more than {MAX_DEPTH} deep: not a codebook")])


def _too_many(source: str) -> CodebookError:
    return CodebookError(source, [(None, f"more than {MAX_CODES:,} codes: not a codebook qcode can use")])


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _attributes(element) -> dict[str, str]:
    """The attributes by lower-case local name (``guid``, ``GUID`` and ``{ns}guid`` alike)."""
    return {_local(key).lower(): value for key, value in element.attrib.items()}


def _child(element, name: str):
    for child in element:
        if _local(child.tag).lower() == name:
            return child
    return None


def _count_sets(root, codebook_element) -> int:
    count = 0
    for sets in (child for child in codebook_element if _local(child.tag).lower() == "sets"):
        count += sum(1 for s in sets if _local(s.tag).lower() == "set")
    if root is not codebook_element:   # a project: its own <Sets> may group codes too
        for sets in (child for child in root if _local(child.tag).lower() == "sets"):
            count += sum(1 for s in sets if _local(s.tag).lower() == "set"
                         and any(_local(m.tag).lower() == "membercode" for m in s))
    return count


def _code_children(element) -> list:
    return [child for child in element if _local(child.tag).lower() == "code"]


def _read_codes(codebook_element, source: str, warnings: list[str]) -> list[_Raw]:
    """Every ``<Code>`` as a ``_Raw``; GUIDs and colours checked, all problems reported at once."""
    tops = []
    for child in codebook_element:
        local = _local(child.tag).lower()
        if local == "codes":
            tops.extend(_code_children(child))
        elif local == "code":   # a <Code> without <Codes> around it
            tops.append(child)
    problems: list[tuple[int | None, str]] = []
    guids: dict[str, str] = {}
    odd_codable: list[str] = []
    unknown_labels: dict[str, int] = {}
    raws: list[_Raw] = []
    stack = [(element, raws, "", 1) for element in reversed(tops)]
    while stack:
        element, siblings, prefix, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(source)
        attributes = _attributes(element)
        raw = _Raw()
        raw.name = (attributes.get("name") or "").strip()
        raw.path = f"{prefix}/{raw.name}" if prefix else raw.name
        raw.guid = raw.bad_guid = None
        value = (attributes.get("guid") or "").strip()
        if value:
            try:
                raw.guid = normalise_guid(value)
            except ValueError:
                raw.bad_guid = value
            else:
                if raw.guid in guids:
                    problems.append((None, f"two codes have the GUID {raw.guid}: '{guids[raw.guid]}' and '{raw.path}'"))
                else:
                    guids[raw.guid] = raw.path
        codable = (attributes.get("iscodable") or "true").strip().lower()
        if codable not in ("true", "false", "1", "0"):
            odd_codable.append(f"'{raw.path}' ({codable})")
        raw.codable = codable not in ("false", "0")
        raw.color = None
        value = (attributes.get("color") or attributes.get("colour") or "").strip()
        if value:
            raw.color = _colour(value)
            if raw.color is None:
                problems.append((None, f"code '{raw.path}' has colour '{value}', which is not a colour (#RRGGBB)"))
        description = _child(element, "description")
        text = "".join(description.itertext()) if description is not None else ""
        raw.fields, unknown = read_description(text)
        for label in unknown:
            unknown_labels[label] = unknown_labels.get(label, 0) + 1
        siblings.append(raw)
        for child in reversed(_code_children(element)):
            stack.append((child, raw.children, raw.path, depth + 1))
    if problems:
        more = len(problems) - MAX_PROBLEMS
        raise CodebookError(source, problems[:MAX_PROBLEMS] + ([(None, f"and {more} more problems like these")]
                                                               if more > 0 else []))
    if odd_codable:
        warnings.append(f"isCodable is neither true nor false for {_count(odd_codable, 'code')} (taken as "
                        f"codable): {_some(odd_codable)}")
    if unknown_labels:
        labels = ", ".join(f"{label}: ({_count([None] * n, 'code')})" for label, n in unknown_labels.items())
        warnings.append(f"kept the labelled lines qcode has no field for at the end of the codes' descriptions: "
                        f"{labels}")
    return raws


class _Builder:
    """Places the raw codes in a ``Codebook``: splits paths, merges parents, renames duplicates."""

    def __init__(self, book: Codebook, source: str, warnings: list[str]):
        self.book, self.source, self.warnings = book, source, warnings
        self.names: dict[int, dict[str, CodebookCode]] = {id(book): {}}   # per parent: name -> code
        self.free: dict[tuple[int, str], int] = {}                      # next number to try for 'Name (n)'
        self.depth: dict[int, int] = {id(book): 0}
        self.categories: dict[int, CodebookCode] = {}                   # made for a path, not yet claimed
        self.needs_guid: set[int] = set()
        self.split: list[str] = []
        self.slashed: list[str] = []
        self.unnamed: list[str] = []
        self.renamed: list[str] = []
        self.parents: dict[int, object] = {}
        self.bad_guids: dict[int, str] = {}

    def build(self, raws: list[_Raw], *, split: bool) -> None:
        """``split``: names with ``::`` and ``/`` are paths (a flat codebook from another tool)."""
        stack = [(self.book, raw) for raw in reversed(raws)]
        while stack:
            parent, raw = stack.pop()
            code = self.place(parent, raw, split)
            for child in reversed(raw.children):
                stack.append((code, child))
        self.finish()

    def segments(self, raw: _Raw, split: bool) -> list[str]:
        if split:
            parts = [piece.strip() for part in _SPLIT.split(raw.name) for piece in part.split("/")]
            parts = [part for part in parts if part]
            if len(parts) > 1:
                self.split.append(f"'{raw.name}'")
        else:
            parts = [raw.name] if raw.name else []
            if "/" in raw.name:
                self.slashed.append(f"'{raw.name}'")
                parts = [raw.name.replace("/", "-")]
        if not parts:
            self.unnamed.append(f"'{raw.path}'" if raw.path else "a code")
            parts = ["(unnamed)"]
        return parts

    def level(self, parent) -> tuple[list[CodebookCode], dict[str, CodebookCode]]:
        children = parent.codes if parent is self.book else parent.children
        return children, self.names.setdefault(id(parent), {})

    def place(self, parent, raw: _Raw, split: bool) -> CodebookCode:
        parts = self.segments(raw, split)
        if len(self.depth) > MAX_CODES:   # the book and every code so far
            raise _too_many(self.source)
        depth = self.depth[id(parent)] + len(parts)
        if depth > MAX_DEPTH:
            raise _too_deep(self.source)
        for part in parts[:-1]:
            children, names = self.level(parent)
            code = names.get(part)
            if code is None:
                code = CodebookCode(name=part, guid="", codable=False)
                children.append(code)
                names[part] = code
                self.categories[id(code)] = code
                self.needs_guid.add(id(code))
                self.depth[id(code)] = self.depth[id(parent)] + 1
                self.parents[id(code)] = parent
            parent = code
        children, names = self.level(parent)
        name = parts[-1]
        existing = names.get(name)
        if existing is not None and id(existing) in self.categories:
            del self.categories[id(existing)]     # a parent made for a path: this code is it
            code = existing
            self.needs_guid.discard(id(code))
        else:
            if existing is not None:
                base, number = name, self.free.get((id(parent), name), 2)
                while f"{base} ({number})" in names:
                    number += 1
                self.free[(id(parent), base)] = number + 1
                name = f"{base} ({number})"
                where = self.path_of(parent)
                self.renamed.append(f"'{base}' under {f'{where!r}' if where else 'the top'} is now '{name}'")
            code = CodebookCode(name=name, guid="")
            children.append(code)
            names[name] = code
            self.depth[id(code)] = self.depth[id(parent)] + 1
        self.fill(code, raw)
        self.parents[id(code)] = parent
        return code

    def path_of(self, code) -> str:
        names = []
        while code is not self.book:
            names.append(code.name)
            code = self.parents.get(id(code), self.book)
        return "/".join(reversed(names))

    def fill(self, code: CodebookCode, raw: _Raw) -> None:
        code.codable = raw.codable
        code.color = raw.color
        if raw.guid:
            code.guid = raw.guid
        else:
            self.needs_guid.add(id(code))
            if raw.bad_guid:
                self.bad_guids[id(code)] = raw.bad_guid
        fields = raw.fields
        code.description = fields.get("description", "")
        for name in ("definition", "when_to_use", "when_not_to_use", "example"):
            setattr(code, name, fields.get(name, ""))
        name_id = fields.get("name_id", "")
        if "/" in name_id:
            self.slashed.append(f"'{name_id}' (an Indonesian name)")
            name_id = name_id.replace("/", "-")
        code.name_id = name_id
        code.keywords_en = list(fields.get("keywords_en", []))
        code.keywords_id = list(fields.get("keywords_id", []))
        code.shortcut = fields.get("shortcut")

    def finish(self) -> None:
        used = {code.guid for _, code, _ in self.book.walk() if id(code) not in self.needs_guid}
        made_guid, made_category, dropped, replaced = [], [], [], []
        shortcuts: dict[str, str] = {}
        for path, code, _ in self.book.walk():
            if id(code) in self.needs_guid:
                guid, salt = path_guid(path), 1
                while guid in used:
                    guid, salt = path_guid(f"{path}#{salt}"), salt + 1
                code.guid = guid
                used.add(guid)
                if id(code) in self.categories:
                    made_category.append(f"'{path}'")
                elif id(code) in self.bad_guids:
                    replaced.append(f"'{path}' ({self.bad_guids[id(code)]})")
                else:
                    made_guid.append(f"'{path}'")
            if code.shortcut is not None:
                key = code.shortcut
                if not SHORTCUT.fullmatch(key) or key in RESERVED_SHORTCUTS:
                    dropped.append(f"'{key}' ({path})")
                    code.shortcut = None
                elif key in shortcuts:
                    dropped.append(f"'{key}' ({path}: also {shortcuts[key]})")
                    code.shortcut = None
                else:
                    shortcuts[key] = path
        w = self.warnings
        if self.split:
            w.append(f"made a hierarchy of {_count(self.split, 'name')} with '::' or '/': {_some(self.split)}")
        if made_category:
            w.append(f"added {_count(made_category, 'category', 'categories')} (not codable) that the file names "
                     f"only as a parent: {_some(made_category)}")
        if self.slashed:
            w.append(f"'/' joins code paths in qcode, so it became '-' in {_count(self.slashed, 'name')}: "
                     f"{_some(self.slashed)}")
        if self.unnamed:
            w.append(f"{_count(self.unnamed, 'code')} had no name and {'is' if len(self.unnamed) == 1 else 'are'} "
                     f"now '(unnamed)': {_some(self.unnamed)}")
        if self.renamed:
            w.append(f"two codes of one name under the same parent: {_some(self.renamed)}")
        if made_guid:
            w.append(f"{_count(made_guid, 'code')} had no GUID and got one made from its path: {_some(made_guid)}")
        if replaced:
            w.append(f"{_count(replaced, 'code')} had a GUID that is not one and got one made from its path: "
                     f"{_some(replaced)}")
        if dropped:
            w.append(f"dropped {_count(dropped, 'shortcut')} that {'is' if len(dropped) == 1 else 'are'} not one "
                     f"free key (a digit or letter the workbench does not use, once): {_some(dropped)}")


def _count(items: list, singular: str, plural: str | None = None) -> str:
    return f"{len(items)} {singular if len(items) == 1 else (plural or singular + 's')}"


def _some(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")

