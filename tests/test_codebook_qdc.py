"""REFI-QDA codebooks (.qdc): export valid against Codebook.xsd, lossless round trips through the
Description layout, lenient import of what real tools write, and refusal of hostile files."""

from __future__ import annotations

import random
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from qcode.codebook import yaml_format
from qcode.codebook.errors import CodebookError
from qcode.codebook.model import RESERVED_SHORTCUTS, Codebook, CodebookCode
from qcode.codebook.model import PATH_NAMESPACE
from qcode.codebook.qdc import (
    MARKER,
    MAX_BYTES,
    MAX_DEPTH,
    description_text,
    export_qdc,
    import_qdc,
    read_description,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "refi-qda" / "samples"
DRAFT = SHARED / "domain" / "qcode-default-codebook.qdc"
DEFAULT_YAML = ROOT / "codebooks" / "role-theory-io.yaml"
NS = "urn:QDA-XML:codebook:1.0"
FIELDS = ("name", "guid", "name_id", "codable", "color", "shortcut", "definition", "description", "when_to_use",
          "when_not_to_use", "example", "keywords_en", "keywords_id")
# A copy of ../shared/refi-qda/schema/Codebook.xsd (REFI-QDA, MIT), so that export is validated even
# where ../shared is absent; test_embedded_schema_is_the_shared_one checks it is the same schema.
CODEBOOK_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns="urn:QDA-XML:codebook:1.0" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
            targetNamespace="urn:QDA-XML:codebook:1.0" elementFormDefault="qualified"
            attributeFormDefault="unqualified" version="1.0">
    <xsd:element name="CodeBook" type="CodeBookType"/>
    <xsd:complexType name="CodeBookType">
        <xsd:sequence>
            <xsd:element name="Codes" type="CodesType"/>
            <xsd:element name="Sets" type="SetsType" minOccurs="0"/>
        </xsd:sequence>
        <xsd:attribute name="origin" type="xsd:string"/>
    </xsd:complexType>
    <xsd:complexType name="CodesType">
        <xsd:sequence>
            <xsd:element name="Code" type="CodeType" maxOccurs="unbounded"/>
        </xsd:sequence>
    </xsd:complexType>
    <xsd:complexType name="SetsType">
        <xsd:sequence>
            <xsd:element name="Set" type="SetType" maxOccurs="unbounded"/>
        </xsd:sequence>
    </xsd:complexType>
    <xsd:complexType name="CodeType">
        <xsd:sequence>
            <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
            <xsd:element name="Code" type="CodeType" minOccurs="0" maxOccurs="unbounded"/>
        </xsd:sequence>
        <xsd:attribute name="guid" type="GUIDType" use="required"/>
        <xsd:attribute name="name" type="xsd:string" use="required"/>
        <xsd:attribute name="isCodable" type="xsd:boolean" use="required"/>
        <xsd:attribute name="color" type="RGBType"/>
    </xsd:complexType>
    <xsd:complexType name="SetType">
        <xsd:sequence>
            <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
            <xsd:element name="MemberCode" type="MemberCodeType" minOccurs="0"
                         maxOccurs="unbounded"/>
        </xsd:sequence>
        <xsd:attribute name="guid" type="GUIDType" use="required"/>
        <xsd:attribute name="name" type="xsd:string" use="required"/>
    </xsd:complexType>
    <xsd:complexType name="MemberCodeType">
        <xsd:attribute name="guid" type="GUIDType" use="required"/>
    </xsd:complexType>
    <xsd:simpleType name="GUIDType">
        <xsd:restriction base="xsd:token">
            <xsd:pattern value="([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})|(\\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\})"/>
        </xsd:restriction>
    </xsd:simpleType>
    <xsd:simpleType name="RGBType">
        <xsd:restriction base="xsd:token">
            <xsd:pattern value="#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})"/>
        </xsd:restriction>
    </xsd:simpleType>
</xsd:schema>
"""


# --------------------------------------------------------------------------------------------------
# helpers

def _schema_tree(text: bytes) -> etree._Element:
    tree = etree.fromstring(text, etree.XMLParser(remove_blank_text=True, remove_comments=True))
    for element in tree.iter():
        if etree.QName(element).localname in ("annotation",):
            element.getparent().remove(element)
    return tree


_SCHEMA = etree.XMLSchema(etree.fromstring(CODEBOOK_XSD.encode()))


def assert_valid(data: bytes) -> etree._Element:
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    data.decode("utf-8")
    root = etree.fromstring(data)
    _SCHEMA.assertValid(root)
    assert root.tag == f"{{{NS}}}CodeBook"
    return root


def guid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012X}"


def fields(code: CodebookCode) -> dict:
    return {name: getattr(code, name) for name in FIELDS}


def snapshot(book: Codebook) -> list[tuple[str, dict]]:
    """Every code, in order, with its path and all its fields: equal snapshots mean equal codes."""
    return [(path, fields(code)) for path, code, _ in book.walk()]


def yaml_model(book: Codebook) -> Codebook:
    """``book`` as the YAML reader gives it back (texts stripped, colours upper case, ...)."""
    return yaml_format.loads(yaml_format.dumps(book), "<test>")


def qdc(codes_xml: str, *, root: str = "CodeBook", ns: str | None = NS, extra: str = "", origin: str = "Tool") -> bytes:
    xmlns = f' xmlns="{ns}"' if ns else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<{root}{xmlns} origin="{origin}">'
            f"<Codes>{codes_xml}</Codes>{extra}</{root}>").encode()


def imported(data: bytes, source: str = "test.qdc") -> tuple[Codebook, list[str]]:
    book, warnings = import_qdc(data, source)
    assert isinstance(warnings, list) and all(isinstance(w, str) for w in warnings)
    return book, warnings


def refused(data: bytes, source: str = "bad.qdc") -> CodebookError:
    started = time.monotonic()
    with pytest.raises(CodebookError) as caught:
        import_qdc(data, source)
    # not a timing test: a guard against a hostile file that hangs the reader
    assert time.monotonic() - started < 10
    error = caught.value
    assert len(error.problems) >= 1
    assert source in str(error)
    return error


def depth(book: Codebook) -> int:
    return max(path.count("/") + 1 for path in book.paths())


def sample_qde(name: str) -> bytes:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/refi-qda/samples is not here")
    with zipfile.ZipFile(SAMPLES / name) as archive:
        member = next(n for n in archive.namelist() if n.lower().endswith(".qde"))
        return archive.read(member)


def rich_code(name: str = "Instrument", n: int = 1, **changes) -> CodebookCode:
    values = {
        "name": name, "guid": guid(n), "name_id": "Instrumen", "codable": True, "color": "#2E75B6", "shortcut": "1",
        "definition": "IOM as a tool of Indonesia.",
        "description": "IOM is used by a member state as a tool.\n\nSecond paragraph: with a colon.",
        "when_to_use": "Indonesia steers IOM.\n  indented line\n\nafter a blank line",
        "when_not_to_use": "When to use: not a label here\n--- qcode ---\nExample: nor here",
        "example": "'The Ministry asked IOM.'",
        "keywords_en": ["at the request of", "a; b", "c, d", "e: f", "back\\slash", "x\\;y"],
        "keywords_id": ["atas permintaan", "Keywords (English): x"],
    }
    values.update(changes)
    return CodebookCode(**values)


# --------------------------------------------------------------------------------------------------
# export: valid against the schema

def test_embedded_schema_is_the_shared_one():
    shared = SHARED / "refi-qda" / "schema" / "Codebook.xsd"
    if not shared.is_file():
        pytest.skip("../shared is not here")
    mine, theirs = _schema_tree(CODEBOOK_XSD.encode()), _schema_tree(shared.read_bytes())
    assert etree.tostring(mine, method="c14n") == etree.tostring(theirs, method="c14n")


def test_the_schema_really_needs_a_code():
    # so an empty codebook cannot be written as a valid .qdc
    assert not _SCHEMA.validate(etree.fromstring(qdc("")))
    assert not _SCHEMA.validate(etree.fromstring(f'<CodeBook xmlns="{NS}"/>'.encode()))
    assert _SCHEMA.validate(etree.fromstring(qdc(f'<Code guid="{guid(1)}" name="a" isCodable="true"/>')))


def test_empty_codebook_is_refused():
    with pytest.raises(CodebookError) as caught:
        export_qdc(Codebook(title="Empty"))
    assert caught.value.problems == [(None, "a .qdc needs at least one code; this codebook has none")]
    assert "Empty" in str(caught.value)


def test_single_code():
    book = Codebook(codes=[CodebookCode(name="Only", guid=guid(7))])
    root = assert_valid(export_qdc(book))
    codes = root.findall(f".//{{{NS}}}Code")
    assert len(codes) == 1
    assert dict(codes[0].attrib) == {"guid": guid(7), "name": "Only", "isCodable": "true"}
    assert codes[0].find(f"{{{NS}}}Description") is None    # nothing to say: no Description
    assert root.get("origin") == "qcode"


def test_single_code_with_every_field():
    assert_valid(export_qdc(Codebook(codes=[rich_code()]), origin="qcode 0.1.0"))


def test_no_sets_are_written():
    root = assert_valid(export_qdc(Codebook(codes=[rich_code()])))
    assert [etree.QName(child).localname for child in root] == ["Codes"]


def test_nested_four_levels_in_model_order():
    book = Codebook(codes=[
        CodebookCode(name="A", guid=guid(1), codable=False, children=[
            CodebookCode(name="B", guid=guid(2), children=[
                CodebookCode(name="C", guid=guid(3), children=[CodebookCode(name="D", guid=guid(4), description="deep")]),
                CodebookCode(name="C2", guid=guid(5))]),
            CodebookCode(name="B2", guid=guid(6))]),
        CodebookCode(name="Z", guid=guid(7))])
    root = assert_valid(export_qdc(book))
    order = [(c.get("name"), c.getparent().get("name")) for c in root.iter(f"{{{NS}}}Code")]
    assert order == [("A", None), ("B", "A"), ("C", "B"), ("D", "C"), ("C2", "B"), ("B2", "A"), ("Z", None)]
    assert root.find(f".//{{{NS}}}Code[@name='A']").get("isCodable") == "false"
    back, warnings = imported(export_qdc(book))
    assert warnings == []
    assert snapshot(back) == snapshot(book)


def test_guids_are_the_models_and_stable_and_colours_upper_case():
    book = Codebook(codes=[CodebookCode(name="a", guid="{0a1b2c3d-0000-4000-8000-00000000abcd}", color="#a1b2c3"),
                           CodebookCode(name="b", guid=guid(2), color="#ABC")])
    first, second = export_qdc(book), export_qdc(book)
    assert first == second
    codes = assert_valid(first).findall(f".//{{{NS}}}Code")
    assert codes[0].get("guid") == "0A1B2C3D-0000-4000-8000-00000000ABCD"
    assert codes[0].get("color") == "#A1B2C3"
    assert codes[1].get("color") == "#AABBCC"


def test_export_refuses_what_the_schema_cannot_hold():
    for book, words in [
        (Codebook(codes=[CodebookCode(name="a", guid="c001")]), "not a GUID"),
        (Codebook(codes=[CodebookCode(name="a", guid=guid(1), color="red")]), "not a colour"),
        (Codebook(codes=[CodebookCode(name="a", guid=guid(1)), CodebookCode(name="b", guid=guid(1).lower())]),
         "same GUID"),
    ]:
        with pytest.raises(CodebookError, match=words):
            export_qdc(book)


AWKWARD = ("ctrl\x00\x01\x08\x0b\x0c\x1f\x7f end <&> \"quotes\" 'single' ]]> emoji 🙂🏳️‍🌈 "
           "lone \ud800 surrogate \ufffe\uffff nonchars\nsecond line\r\nthird\tTabbed\n\n  indented")


def test_awkward_text_is_made_xml_safe():
    code = CodebookCode(name="Name <&> 🙂\x01", guid=guid(1), name_id="Nama\x02", description=AWKWARD,
                        definition=AWKWARD, when_to_use=AWKWARD, when_not_to_use=AWKWARD, example=AWKWARD,
                        keywords_en=[AWKWARD, "plain"], keywords_id=["\x03x"])
    data = export_qdc(Codebook(codes=[code]), origin="qcode\x00 <&>")
    root = assert_valid(data)
    assert root.get("origin") == "qcode <&>"
    back, _ = imported(data)
    got = back.codes[0]
    clean = (AWKWARD.replace("\x00", "").replace("\x01", "").replace("\x08", "").replace("\x0b", "")
             .replace("\x0c", "").replace("\x1f", "").replace("\ud800", "").replace("\ufffe", "").replace("\uffff", ""))
    assert got.name == "Name <&> 🙂"
    assert got.name_id == "Nama"
    for name in ("description", "definition", "when_to_use", "when_not_to_use", "example"):
        assert getattr(got, name) == clean.strip(), name
    assert got.keywords_en == [clean.strip(), "plain"]
    assert got.keywords_id == ["x"]
    assert "\x7f" in got.description   # DEL is allowed in XML 1.0


def test_default_codebook_exports_valid_and_round_trips():
    if not DEFAULT_YAML.is_file():
        pytest.skip("codebooks/role-theory-io.yaml is not written yet")
    book = yaml_format.load(DEFAULT_YAML)
    data = export_qdc(book)
    assert_valid(data)
    back, warnings = imported(data)
    assert warnings == []
    assert snapshot(back) == snapshot(book)
    assert export_qdc(yaml_model(back)) == data


def big_codebook(seed: int = 1, count: int = 3000) -> Codebook:
    rng = random.Random(seed)
    words = ["role", "IOM", "Indonesia", "trafficking", "support", "coordinator", "arena", "instrument",
             "pencegahan", "perlindungan", "when to use:", "Example:", "a;b", "c,d", "e:f", "🙂", "<&>", "--- qcode ---"]
    keys = iter([k for k in "0123456789abfhjklopstwxyzABCDEFHIJKLOPQRSTUWXYZ" if k not in RESERVED_SHORTCUTS])
    counter = iter(range(1, 10**6))

    def text(lines: int) -> str:
        return "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(lines))

    def code(level: int) -> CodebookCode:
        n = next(counter)
        return CodebookCode(
            name=f"Code {n} {rng.choice(words[:10])}", guid=str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(),
            name_id=f"Kode {n}" if rng.random() < .7 else "", codable=rng.random() < .8,
            color=f"#{rng.getrandbits(24):06X}" if rng.random() < .6 else None,
            shortcut=next(keys, None) if rng.random() < .05 else None,
            definition=text(rng.randint(0, 1)), description=text(rng.randint(0, 3)), when_to_use=text(rng.randint(0, 2)),
            when_not_to_use=text(rng.randint(0, 2)), example=text(rng.randint(0, 1)),
            keywords_en=[rng.choice(words) for _ in range(rng.randint(0, 5))],
            keywords_id=[rng.choice(words) for _ in range(rng.randint(0, 5))])

    book = Codebook(title="big")
    levels = [book.codes]
    for _ in range(count):
        level = rng.randint(0, min(len(levels) - 1, 6))
        new = code(level)
        levels[level].append(new)
        del levels[level + 1:]
        levels.append(new.children)
    return book   # texts and keywords without surrounding spaces, as a YAML file gives them


def test_big_synthetic_codebook_validates_and_round_trips():
    book = big_codebook()
    assert len(book) == 3000 and depth(book) >= 5
    data = export_qdc(book)
    assert_valid(data)
    back, warnings = imported(data)
    assert warnings == []
    assert snapshot(back) == snapshot(book)


# --------------------------------------------------------------------------------------------------
# the Description layout

def test_layout_reads_well_and_is_documented():
    code = rich_code(when_not_to_use="IOM sets the agenda itself.", keywords_en=["at the request of", "asked IOM"],
                     keywords_id=["atas permintaan"], when_to_use="Indonesia steers IOM\ntoward a national objective.")
    assert description_text(code) == (
        "IOM is used by a member state as a tool.\n\nSecond paragraph: with a colon.\n"
        "\n"
        "--- qcode ---\n"
        "Name (Indonesian): Instrumen\n"
        "Definition: IOM as a tool of Indonesia.\n"
        "When to use: Indonesia steers IOM\n"
        "  toward a national objective.\n"
        "When not to use: IOM sets the agenda itself.\n"
        "Example: 'The Ministry asked IOM.'\n"
        "Keywords (English): at the request of; asked IOM\n"
        "Keywords (Indonesian): atas permintaan\n"
        "Shortcut: 1")


def test_layout_with_only_a_description_is_just_the_description():
    code = CodebookCode(name="a", description="Just words.\nNo labels: none at all.")
    assert description_text(code) == "Just words.\nNo labels: none at all."
    assert description_text(CodebookCode(name="a")) == ""


def test_layout_without_description_starts_with_the_block():
    assert description_text(CodebookCode(name="a", example="x")) == f"{MARKER}\nExample: x"


@pytest.mark.parametrize("description", [
    "Text\n--- qcode ---",
    "--- qcode ---\nExample: looks like a block",
    "Text\nWHEN TO USE: an upper-case label of the draft",
    "KEYWORDS (en): a; b",
    "Before\n--- qcode ---   \nWhen to use: x\n  more",
])
def test_a_description_that_looks_like_a_block_survives(description):
    for code in (CodebookCode(name="a", guid=guid(1), description=description),
                 CodebookCode(name="a", guid=guid(1), description=description, example="ex\n--- qcode ---")):
        back, _ = imported(export_qdc(Codebook(codes=[code])))
        assert fields(back.codes[0]) == fields(code)


def test_awkward_values_round_trip_exactly():
    code = rich_code()
    back, warnings = imported(export_qdc(Codebook(codes=[code])))
    assert warnings == []
    assert fields(back.codes[0]) == fields(code)


def test_keyword_escapes():
    words = ["a;b", "c\\d", "e\\;f", "g\\", "\\", ";", "multi\nline", "cr\rx", "comma, colon: semi;", "ünï 🙂"]
    code = CodebookCode(name="k", guid=guid(1), keywords_en=words, keywords_id=["x"])
    back, _ = imported(export_qdc(Codebook(codes=[code])))
    assert back.codes[0].keywords_en == words
    line = next(l for l in description_text(code).split("\n") if l.startswith("Keywords (English)"))
    assert line.startswith("Keywords (English): a\\;b; c\\\\d; ")


def test_labels_are_read_without_regard_to_case_and_in_the_drafts_spelling():
    text = (f"Desc\n\n{MARKER}\nname (indonesian): Nama\nWHEN TO USE: w\n  two\nKEYWORDS (en): a; b\n"
            "keywords (id): c\nEXAMPLE: e\nshortcut: 7\nDEFINITION: d")
    found, unknown = read_description(text)
    assert unknown == []
    assert found == {"description": "Desc", "name_id": "Nama", "when_to_use": "w\ntwo", "keywords_en": ["a", "b"],
                     "keywords_id": ["c"], "example": "e", "shortcut": "7", "definition": "d"}


def test_a_description_without_labels_is_all_description():
    text = "  Thoughts about breakfast.\nExample: not a label without the marker\nWhen to use: nor this\n"
    assert read_description(text) == ({"description": text.strip()}, [])


def test_the_drafts_upper_case_labels_are_understood():
    text = ("IOM is used by a member state.\nSecond line.\n"
            "WHEN TO USE: The passage shows it;\ncontinued here.\n"
            "WHEN NOT TO USE: Do not use: when not.\n"
            "EXAMPLE: [fictional] 'x'\n"
            "KEYWORDS (en): at the request of; asked IOM; member state\n"
            "KEYWORDS (id): atas permintaan; sesuai RAN\n"
            "NAME (id): Instrumen\n"
            "SHORTCUT: 1 i\n"
            "KEY: IO.INSTRUMENT")
    found, unknown = read_description(text)
    assert unknown == ["KEY"]
    assert found == {
        "description": "IOM is used by a member state.\nSecond line.\n\nKEY: IO.INSTRUMENT",
        "when_to_use": "The passage shows it;\ncontinued here.", "when_not_to_use": "Do not use: when not.",
        "example": "[fictional] 'x'", "keywords_en": ["at the request of", "asked IOM", "member state"],
        "keywords_id": ["atas permintaan", "sesuai RAN"], "name_id": "Instrumen", "shortcut": "1 i"}


# --------------------------------------------------------------------------------------------------
# round trips

def tricky_book() -> Codebook:
    return Codebook(title="t", codes=[
        rich_code("Top", 1, codable=False, shortcut=None, children=[
            rich_code("Child: with colon", 2, shortcut="2", color=None),
            CodebookCode(name="Empty fields", guid=guid(3)),
            rich_code("a::b stays one name", 4, shortcut="3", description="", definition="",
                      children=[rich_code("Deeper", 5, shortcut="4", keywords_en=[], keywords_id=[])])]),
        rich_code("Second", 6, shortcut=None, when_to_use="", example="Example: x\nWhen to use: y")])


def test_yaml_to_qdc_to_yaml_loses_nothing():
    book = yaml_model(tricky_book())
    back, warnings = imported(export_qdc(book))
    assert warnings == []
    assert snapshot(back) == snapshot(book)
    assert snapshot(yaml_model(back)) == snapshot(book)
    assert yaml_format.dumps(back).split("codes:", 1)[1] == yaml_format.dumps(book).split("codes:", 1)[1]


def test_a_flat_qcode_codebook_keeps_double_colons():
    book = Codebook(codes=[CodebookCode(name="a::b", guid=guid(1)), CodebookCode(name="c", guid=guid(2))])
    back, warnings = imported(export_qdc(book))
    assert warnings == [] and snapshot(back) == snapshot(book)


def qdc_yaml_qdc(data: bytes) -> None:
    """.qdc -> model -> YAML -> model -> .qdc, twice: the second export is the first, byte for byte."""
    book, _ = imported(data)
    first = export_qdc(book)
    again = yaml_model(book)
    assert snapshot(again) == snapshot(book)
    assert export_qdc(again) == first
    back, warnings = imported(first)
    assert warnings == []
    assert export_qdc(yaml_model(back)) == first


def test_qdc_to_yaml_to_qdc_is_byte_identical_for_hand_written_files():
    qdc_yaml_qdc(qdc(f'''
        <Code guid="{{{guid(1).lower()}}}" name=" Coke::diet Coke " isCodable="1" color="#abc"/>
        <Code name="Coke" guid="{guid(2)}" isCodable="true"><Description>  the breakfast  </Description></Code>
        <Code name="x" isCodable="false"/><Code name="x"/><Code name="a/b/c" color="#00ff00"/>''',
                     extra="<Sets/>"))
    qdc_yaml_qdc(qdc(f'<Code guid="{guid(1)}" name="A"><Description>Plain.\nWHEN TO USE: w\nKEY: K\n'
                     f'SHORTCUT: 1 i</Description><Code name="B / C" guid="{guid(2)}"/></Code>'))


def test_qdc_to_yaml_to_qdc_is_byte_identical_for_the_samples_and_the_draft():
    if not SHARED.is_dir():
        pytest.skip("../shared is not here")
    for name in ("atlasti-mac-8.4_standard-project_no-sources.qdpx", "nvivo-mac-15.0_qc-project.qdpx",
                 "qc-1.3.2_demo.qdpx"):
        qdc_yaml_qdc(sample_qde(name))
    qdc_yaml_qdc(DRAFT.read_bytes())


TEXT_PIECES = st.sampled_from([
    "\n", "\n\n", "  ", "\t", ":", ": ", ";", "; ", ",", "\\", "\\;", "\\n", "#", "- ", "'", '"', "<&>", "🙂", "é",
    "--- qcode ---", "\n--- qcode ---\n", "When to use: ", "\nWhen to use: ", "Example:", "\nEXAMPLE: x",
    "\nKEYWORDS (en): ", "Keywords (English): ", "\nKEY: ", "Shortcut: 1", "\nName (Indonesian): ", "\n  ",
    "yes", "null", "~", "%", "@", "*a", "&b", "!c", "{}", "[]", "|", ">", "...", "---"])
TEXT_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"), blacklist_characters="\x85\ufeff")
TEXT = st.lists(st.one_of(TEXT_PIECES, st.text(TEXT_CHARS, max_size=6)), max_size=6).map("".join)
KEYWORD = TEXT
FREE_KEYS = [k for k in "0123456789abfhjklopstwxyzABCDEFHIJKLOPQRSTUWXYZ" if k not in RESERVED_SHORTCUTS]


@st.composite
def codebooks(draw) -> Codebook:
    counter = iter(range(1, 10**6))
    keys = iter(draw(st.permutations(FREE_KEYS)))

    def make(level: int) -> list[CodebookCode]:
        codes, names = [], set()
        for _ in range(draw(st.integers(0 if level else 1, 3 if level < 2 else 0))):
            n = next(counter)
            name = draw(TEXT).replace("/", "").strip()
            while not name or name in names:
                name = f"{name} {n}".strip()
            names.add(name)
            codes.append(CodebookCode(
                name=name, guid=f"{draw(st.integers(0, 2**32 - 1)):08x}-0000-4000-8000-{n:012x}",
                name_id=draw(TEXT).replace("/", ""), codable=draw(st.booleans()),
                color=draw(st.none() | st.from_regex(r"#[0-9a-fA-F]{6}", fullmatch=True)),
                shortcut=next(keys) if draw(st.booleans()) else None,
                definition=draw(TEXT), description=draw(TEXT), when_to_use=draw(TEXT), when_not_to_use=draw(TEXT),
                example=draw(TEXT), keywords_en=draw(st.lists(KEYWORD, max_size=4)),
                keywords_id=draw(st.lists(KEYWORD, max_size=4)), children=make(level + 1)))
        return codes

    return Codebook(codes=make(0))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(codebooks())
def test_yaml_to_qdc_to_yaml_loses_nothing_for_any_codebook(book):
    book = yaml_model(book)   # what the YAML file holds
    data = export_qdc(book)
    _SCHEMA.assertValid(etree.fromstring(data))
    back, warnings = imported(data)
    assert warnings == []
    assert snapshot(back) == snapshot(book)
    assert snapshot(yaml_model(back)) == snapshot(book)
    assert export_qdc(yaml_model(back)) == data


# --------------------------------------------------------------------------------------------------
# the samples (counted from their XML first; see the report of this test file)

def xml_codes(data: bytes) -> tuple[int, int]:
    """(number of <Code> elements, deepest nesting) straight from the XML."""
    root = etree.fromstring(data)
    codes = [e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "Code"]

    def level(element) -> int:
        n = 0
        while etree.QName(element).localname == "Code":
            n, element = n + 1, element.getparent()
        return n

    return len(codes), max(level(code) for code in codes)


def test_atlas_ti_8_sample():
    data = sample_qde("atlasti-mac-8.4_standard-project_no-sources.qdpx")
    assert xml_codes(data) == (14, 1)             # flat, two names 'Coke::...'
    book, warnings = imported(data)
    assert len(book) == 14 and depth(book) == 2 and len(book.codes) == 12
    coke = book.paths()["Coke"]
    # 'Coke' comes after its children in the file: the children go under the real code, not a new one
    assert coke.guid == "7496BA52-9C8D-4396-8FAB-CC438614E453" and coke.codable
    assert coke.description == "the breakfast of champions" and coke.color == "#966450"
    assert [(c.name, c.guid, c.description) for c in coke.children] == [
        ("full-fat Coke", "0983E32E-6866-431A-BD94-DAC9BB963825", "aka regular"),
        ("diet Coke", "D299EFAE-5779-46DC-9827-A3D1A5D544BC", "non sucré")]
    assert book.paths()["milk"].color is None
    assert '"rushed"' in book.paths()
    assert book.paths()["cornflakes"].description == "breakfast cereal made by Kellogg’s"
    assert any("2 names" in w and "Coke::diet Coke" in w for w in warnings)
    assert not any("categor" in w for w in warnings)
    assert_valid(export_qdc(book))


@pytest.mark.parametrize("name", ["nvivo-mac-15.0_qc-project.qdpx", "qc-1.3.2_demo.qdpx"])
def test_nvivo_and_qc_samples(name):
    data = sample_qde(name)
    assert xml_codes(data) == (262, 7)
    book, warnings = imported(data)
    assert warnings == []
    assert len(book) == 262 and depth(book) == 7 and len(book.codes) == 3
    names = [code.name for _, code, _ in book.walk()]
    assert len(names) - len(set(names)) == 10     # the same name under different parents is fine
    assert not any(code.name.endswith(" (2)") for _, code, _ in book.walk())
    root = etree.fromstring(data)
    file_guids = [e.get("guid").upper() for e in root.iter() if isinstance(e.tag, str)
                  and etree.QName(e).localname == "Code"]
    assert [code.guid for _, code, _ in book.walk()] == file_guids
    assert_valid(export_qdc(book))


def test_the_draft_codebook():
    if not DRAFT.is_file():
        pytest.skip("../shared/domain is not here")
    data = DRAFT.read_bytes()
    assert xml_codes(data) == (35, 2)
    book, warnings = imported(data, "qcode-default-codebook.qdc")
    assert len(book) == 35 and depth(book) == 2
    top = book.paths()["Role of IO (Archer)"]
    assert not top.codable and top.color == "#1F4E79"
    assert top.name_id == "Peran organisasi internasional (Archer)"
    assert top.description == ("Category: the three roles Clive Archer assigns to international organizations. "
                               "Not codable; code one of its children.\n\nKEY: IO")
    instrument = book.paths()["Role of IO (Archer)/Instrument"]
    assert instrument.guid == "F16287BF-1B76-577A-AD42-6D7F54471FE6"
    assert instrument.name_id == "Instrumen"
    assert instrument.description.startswith("IOM is used by a member state (here Indonesia) as a tool")
    assert instrument.description.endswith("\n\nKEY: IO.INSTRUMENT")
    assert instrument.when_to_use.startswith("The passage shows Indonesian authorities steering")
    assert instrument.when_not_to_use.startswith("Do not use when IOM sets the agenda itself (IO.ACTOR)")
    assert instrument.example.startswith("[fictional] 'The Ministry of Manpower asked IOM")
    assert instrument.keywords_en == ["at the request of", "asked IOM", "requested by the government",
                                      "on behalf of the government", "in line with the national action plan",
                                      "government-led", "member state"]
    assert instrument.keywords_id[:2] == ["atas permintaan", "permintaan pemerintah"]
    assert instrument.definition == ""
    # its names with ' / ' (a nested codebook: not paths) keep their GUIDs
    arena = book.by_guid()["688C4450-72AA-5EC9-8A6D-63416FE69D4B"]
    assert arena.name == "Arena - forum" and arena.name_id == "Arena - forum"
    assert arena.keywords_id[-1] == "menghadirkan"
    # two-key shortcuts ('1 i') are not qcode's: dropped with a warning
    assert all(code.shortcut is None for _, code, _ in book.walk())
    assert any("dropped 28 shortcuts" in w and "'1 i'" in w for w in warnings)
    assert any("ignored 4 sets" in w for w in warnings)
    assert any("descriptions: KEY: (35 codes)" in w for w in warnings)
    assert any("Arena / forum" in w and "'-'" in w for w in warnings)
    yaml_format.loads(yaml_format.dumps(book))   # a valid qcode codebook
    assert_valid(export_qdc(book))


# --------------------------------------------------------------------------------------------------
# leniency, each with a small hand-written file

CODES = (f'<Code guid="{guid(1)}" name="Parent" isCodable="false" color="#112233">'
         f'<Description>About it.</Description><Code guid="{guid(2)}" name="Child" isCodable="true"/></Code>')


@pytest.mark.parametrize("ns", [NS, "urn:QDA-XML:project:1.0", None, "urn:QDA-XML:codebook:0:4",
                                "urn:QDA-XML:codebook:1:0", "http://example.org/other"])
def test_any_namespace(ns):
    book, warnings = imported(qdc(CODES, ns=ns))
    assert warnings == []
    assert [(p, c.guid, c.codable, c.color) for p, c, _ in book.walk()] == [
        ("Parent", guid(1), False, "#112233"), ("Parent/Child", guid(2), True, None)]
    assert book.codes[0].description == "About it."


def test_prefixed_namespace_and_attributes():
    data = (f'<q:CodeBook xmlns:q="{NS}"><q:Codes><q:Code q:guid="{guid(1)}" name="A" isCodable="true"/>'
            f"</q:Codes></q:CodeBook>").encode()
    book, warnings = imported(data)
    assert [(c.name, c.guid) for c in book.codes] == [("A", guid(1))] and warnings == []


def test_a_project_uses_its_codebook():
    data = (f'<Project xmlns="urn:QDA-XML:project:1.0" name="My study" origin="NVivo"><Users/>'
            f"<CodeBook><Codes>{CODES}</Codes></CodeBook><Sources/>"
            f'<Sets><Set guid="{guid(9)}" name="docs"><MemberSource targetGUID="{guid(8)}"/></Set>'
            f'<Set guid="{guid(10)}" name="codes"><MemberCode targetGUID="{guid(1)}"/></Set></Sets></Project>').encode()
    book, warnings = imported(data, "project.qde")
    assert book.title == "My study"
    assert list(book.paths()) == ["Parent", "Parent/Child"]
    assert warnings == ["ignored 1 set of codes (qcode codebooks have no sets)"]


def test_a_project_without_a_codebook_is_an_empty_codebook():
    book, warnings = imported(b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Users/></Project>')
    assert book.codes == [] and len(warnings) == 1 and "no codebook" in warnings[0]


def test_a_codebook_without_codes_is_empty_with_a_warning():
    book, warnings = imported(qdc(""))
    assert book.codes == [] and warnings == ["the codebook holds no codes"]


@pytest.mark.parametrize("written", ["abcdef01-2345-4678-9abc-def012345678", "{ABCDEF01-2345-4678-9ABC-DEF012345678}",
                                     "{abcdef01-2345-4678-9abc-def012345678}", " ABCDEF01-2345-4678-9ABC-DEF012345678 "])
def test_guid_case_and_braces(written):
    book, warnings = imported(qdc(f'<Code guid="{written}" name="a" isCodable="true"/>'))
    assert book.codes[0].guid == "ABCDEF01-2345-4678-9ABC-DEF012345678" and warnings == []


def test_missing_guids_are_made_from_the_path_and_stable():
    data = qdc('<Code name="A" isCodable="true"><Code name="B" isCodable="true"/></Code>'
               '<Code name="C" isCodable="true" guid=""/>')
    book, warnings = imported(data)
    again, _ = imported(data)
    assert [c.guid for _, c, _ in book.walk()] == [c.guid for _, c, _ in again.walk()]
    assert book.paths()["A/B"].guid == str(uuid.uuid5(PATH_NAMESPACE, "A/B")).upper()
    assert len({c.guid for _, c, _ in book.walk()}) == 3
    assert len(warnings) == 1 and "3 codes had no GUID" in warnings[0] and "'A/B'" in warnings[0]


def test_a_broken_guid_is_replaced_with_a_warning():
    book, warnings = imported(qdc('<Code guid="c001" name="x" isCodable="true"/>'))
    assert book.codes[0].guid == str(uuid.uuid5(PATH_NAMESPACE, "x")).upper()
    assert warnings == ["1 code had a GUID that is not one and got one made from its path: 'x' (c001)"]


def test_atlas_ti_8_flattened_names_become_a_hierarchy():
    data = qdc(f'<Code guid="{guid(1)}" name="Coke::diet" isCodable="true" color="#966450"/>'
               f'<Code guid="{guid(2)}" name="Food :: Fruit :: Apple" isCodable="true"/>'
               f'<Code guid="{guid(3)}" name="Food::Fruit::Pear" isCodable="true"/>'
               f'<Code guid="{guid(4)}" name="Coke" isCodable="true"><Description>real</Description></Code>'
               f'<Code guid="{guid(5)}" name="Coke::full-fat" isCodable="true"/>')
    book, warnings = imported(data)
    assert [(p, c.codable) for p, c, _ in book.walk()] == [
        ("Coke", True), ("Coke/diet", True), ("Coke/full-fat", True),
        ("Food", False), ("Food/Fruit", False), ("Food/Fruit/Apple", True), ("Food/Fruit/Pear", True)]
    coke = book.paths()["Coke"]
    assert coke.guid == guid(4) and coke.description == "real"     # the later real code took the parent's place
    assert book.paths()["Food"].guid == str(uuid.uuid5(PATH_NAMESPACE, "Food")).upper()
    assert book.paths()["Food/Fruit"].guid == str(uuid.uuid5(PATH_NAMESPACE, "Food/Fruit")).upper()
    assert any("4 names" in w for w in warnings)
    assert any("added 2 categories" in w and "'Food'" in w and "'Food/Fruit'" in w for w in warnings)
    assert yaml_format.loads(yaml_format.dumps(book))


def test_taguette_paths_become_a_hierarchy():
    # as Taguette 1.4 writes it: flat, no colour, no description, an empty <Sets/>
    codes = "".join(f'<Code guid="{guid(i)}" name="{name}" isCodable="true"/>'
                    for i, name in enumerate(["emotion/anger", "emotion/joy", "emotion", "place/home/kitchen"], 1))
    book, warnings = imported(qdc(codes, extra="<Sets/>", origin="Taguette 1.4.1"))
    assert list(book.paths()) == ["emotion", "emotion/anger", "emotion/joy", "place", "place/home",
                                  "place/home/kitchen"]
    assert book.paths()["emotion"].guid == guid(3) and book.paths()["emotion"].codable
    assert not book.paths()["place/home"].codable
    assert not any("set" in w for w in warnings)
    assert all("/" not in code.name for _, code, _ in book.walk())


def test_a_nested_codebook_keeps_slashes_and_colons_as_part_of_names():
    data = qdc(f'<Code guid="{guid(1)}" name="Push/pull" isCodable="true">'
               f'<Code guid="{guid(2)}" name="a::b" isCodable="true"/></Code>')
    book, warnings = imported(data)
    assert list(book.paths()) == ["Push-pull", "Push-pull/a::b"]
    assert any("'Push/pull'" in w for w in warnings)


def test_sets_are_ignored_with_a_count():
    sets = "".join(f'<Set guid="{guid(10 + i)}" name="s{i}"><MemberCode guid="{guid(1)}"/></Set>' for i in range(3))
    book, warnings = imported(qdc(CODES, extra=f"<Sets>{sets}</Sets>"))
    assert warnings == ["ignored 3 sets of codes (qcode codebooks have no sets)"]
    assert len(book) == 2


def test_colours_missing_lower_case_and_short():
    data = qdc(f'<Code guid="{guid(1)}" name="a" isCodable="true"/><Code guid="{guid(2)}" name="b" isCodable="true" '
               f'color="#a1b2c3"/><Code guid="{guid(3)}" name="c" isCodable="true" color=" #f0a "/>'
               f'<Code guid="{guid(4)}" name="d" isCodable="true" color=""/>')
    book, warnings = imported(data)
    assert [c.color for c in book.codes] == [None, "#A1B2C3", "#FF00AA", None] and warnings == []


def test_duplicate_names_under_different_parents_are_fine():
    data = qdc(f'<Code guid="{guid(1)}" name="A" isCodable="true"><Code guid="{guid(2)}" name="Other" isCodable="true"/>'
               f'</Code><Code guid="{guid(3)}" name="B" isCodable="true"><Code guid="{guid(4)}" name="Other" '
               f'isCodable="true"/></Code>')
    book, warnings = imported(data)
    assert list(book.paths()) == ["A", "A/Other", "B", "B/Other"] and warnings == []


def test_duplicate_names_under_the_same_parent_are_kept_and_renamed():
    data = qdc(f'<Code guid="{guid(1)}" name="Dup" isCodable="true"><Description>first</Description></Code>'
               f'<Code guid="{guid(2)}" name="Dup " isCodable="true"><Description>second</Description></Code>'
               f'<Code guid="{guid(3)}" name="P" isCodable="true"><Code guid="{guid(4)}" name="x" isCodable="true"/>'
               f'<Code guid="{guid(5)}" name="x" isCodable="true"/><Code guid="{guid(6)}" name="x" isCodable="true"/>'
               f'</Code><Code guid="{guid(7)}" name="Dup" isCodable="true"/>')
    book, warnings = imported(data)
    assert [(p, c.guid) for p, c, _ in book.walk()] == [
        ("Dup", guid(1)), ("Dup (2)", guid(2)), ("P", guid(3)), ("P/x", guid(4)), ("P/x (2)", guid(5)),
        ("P/x (3)", guid(6)), ("Dup (3)", guid(7))]
    assert book.paths()["Dup (2)"].description == "second"
    assert len(warnings) == 1
    assert "'Dup' under the top is now 'Dup (2)'" in warnings[0] and "'x' under 'P' is now 'x (3)'" in warnings[0]
    yaml_format.loads(yaml_format.dumps(book))


@pytest.mark.parametrize("attribute, codable", [("", True), ('isCodable="true"', True), ('isCodable="false"', False),
                                                ('isCodable="0"', False), ('isCodable="1"', True),
                                                ('isCodable=" False "', False), ('isCodable="TRUE"', True)])
def test_is_codable(attribute, codable):
    book, warnings = imported(qdc(f'<Code guid="{guid(1)}" name="a" {attribute}/>'))
    assert book.codes[0].codable is codable and warnings == []


def test_is_codable_nonsense_is_codable_with_a_warning():
    book, warnings = imported(qdc(f'<Code guid="{guid(1)}" name="a" isCodable="maybe"/>'))
    assert book.codes[0].codable and "maybe" in warnings[0]


def test_whitespace_around_names_and_empty_names():
    data = qdc(f'<Code guid="{guid(1)}" name="  padded\t" isCodable="true"/>'
               f'<Code guid="{guid(2)}" name="   " isCodable="true"/><Code guid="{guid(3)}" isCodable="true"/>')
    book, warnings = imported(data)
    assert [c.name for c in book.codes] == ["padded", "(unnamed)", "(unnamed) (2)"]
    assert any("no name" in w for w in warnings)


def test_shortcuts_are_kept_when_free_and_dropped_otherwise():
    def code(n, key):
        return f'<Code guid="{guid(n)}" name="c{n}" isCodable="true"><Description>{MARKER}\nShortcut: {key}</Description></Code>'
    book, warnings = imported(qdc(code(1, "1") + code(2, "1") + code(3, "q") + code(4, "ab") + code(5, "z")))
    assert [c.shortcut for c in book.codes] == ["1", None, None, None, "z"]
    assert len(warnings) == 1 and "dropped 3 shortcuts" in warnings[0]


def test_utf8_bom_and_utf16():
    body = f'<CodeBook xmlns="{NS}"><Codes><Code guid="{guid(1)}" name="Ünï 🙂" isCodable="true"/></Codes></CodeBook>'
    for data in (b"\xef\xbb\xbf" + body.encode(), ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16")):
        assert imported(data)[0].codes[0].name == "Ünï 🙂"


# --------------------------------------------------------------------------------------------------
# refusals: one clear problem naming the file, quickly

@pytest.mark.parametrize("data", [b"", b"just some text", b"\x00\x01\x02PK\x03\x04", b"<CodeBook><Codes>",
                                  b"{\"codes\": []}", b"<a></b>", "<CodeBook>é</CodeBook>".encode("latin-1")])
def test_not_xml(data):
    error = refused(data)
    assert len(error.problems) == 1 and "not XML" in error.problems[0][1]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="00000000-0000-4000-8000-000000000001" name="&lol9;" isCodable="true"/></Codes></CodeBook>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="00000000-0000-4000-8000-000000000001" name="x" isCodable="true"><Description>&passwd;</Description></Code>
</Codes></CodeBook>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE CodeBook SYSTEM "file:///etc/passwd">
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, EXTERNAL_DTD,
                                  b'<!DOCTYPE CodeBook><CodeBook><Codes/></CodeBook>',
                                  BILLION_LAUGHS.decode().encode("utf-16")])
def test_doctype_and_entities(data):
    error = refused(data, "attack.qdc")
    assert len(error.problems) == 1 and "DOCTYPE" in str(error)
    assert "root:" not in str(error)


def test_duplicate_guids_name_both_codes():
    data = qdc(f'<Code guid="{guid(1)}" name="First" isCodable="true"><Code guid="{{{guid(1).lower()}}}" '
               f'name="Second" isCodable="true"/></Code>')
    error = refused(data)
    assert len(error.problems) == 1
    message = error.problems[0][1]
    assert guid(1) in message and "'First'" in message and "'First/Second'" in message


def test_many_problems_are_listed_up_to_a_limit():
    codes = "".join(f'<Code guid="{guid(1)}" name="c{i}" isCodable="true" color="red"/>' for i in range(50))
    error = refused(qdc(codes))
    assert len(error.problems) == 21 and error.problems[-1] == (None, "and 79 more problems like these")


@pytest.mark.parametrize("colour", ["red", "#12345", "#GGGGGG", "12345678", "#1234567", "rgb(1,2,3)"])
def test_a_colour_that_is_not_a_colour(colour):
    error = refused(qdc(f'<Code guid="{guid(1)}" name="Tinted" isCodable="true" color="{colour}"/>'))
    assert len(error.problems) == 1
    assert f"'{colour}'" in error.problems[0][1] and "'Tinted'" in error.problems[0][1]


@pytest.mark.parametrize("data", [b"<html><body/></html>", b"<Codes><Code name='a'/></Codes>",
                                  f'<Codebooks xmlns="{NS}"/>'.encode()])
def test_a_root_that_is_neither_codebook_nor_project(data):
    error = refused(data)
    assert len(error.problems) == 1 and "root element" in error.problems[0][1]


def test_a_file_over_20_mb():
    data = qdc(f'<Code guid="{guid(1)}" name="a" isCodable="true"><Description>' + "x" * MAX_BYTES + "</Description></Code>")
    error = refused(data)
    assert len(error.problems) == 1 and "20 MB" in error.problems[0][1]


def test_codes_nested_too_deep():
    deep = qdc('<Code isCodable="true" name="n">' * (MAX_DEPTH + 1) + "</Code>" * (MAX_DEPTH + 1))
    assert "deep" in refused(deep).problems[0][1]
    flat = qdc('<Code isCodable="true" name="' + "::".join(["n"] * (MAX_DEPTH + 1)) + '"/>')
    assert "deep" in refused(flat).problems[0][1]
    ok, _ = imported(qdc('<Code isCodable="true" name="n">' * MAX_DEPTH + "</Code>" * MAX_DEPTH))
    assert depth(ok) == MAX_DEPTH


@pytest.mark.parametrize("data", [
    b"<CodeBook><Codes>" + b"<Code name='a' isCodable='true'>" * 150_000 + b"</Code>" * 150_000 + b"</Codes></CodeBook>",
    b"<CodeBook><Codes><Code name='a' isCodable='true'/></Codes><Sets>" + b"<Set/>" * 2_000_000 + b"</Sets></CodeBook>",
    b"<CodeBook><Codes><Code name='a' " + b" ".join(b"a%d='1'" % i for i in range(700_000)) + b"/></Codes></CodeBook>",
    b"<CodeBook><Codes>" + b"<Code name='x' isCodable='true'/>" * 25_000 + b"</Codes></CodeBook>",
    b"<CodeBook><Codes>" + b"".join(b"<Code name='c%d::a::b' isCodable='true'/>" % i for i in range(8_000))
    + b"</Codes></CodeBook>",
], ids=["nested", "elements", "attributes", "codes", "categories"])
def test_hostile_sizes_are_refused_quickly(data):
    assert len(data) <= MAX_BYTES
    refused(data)


def test_many_codes_of_one_name_are_handled_quickly():
    started = time.monotonic()
    book, _ = imported(b"<CodeBook><Codes>" + b"<Code name='x' isCodable='true'/>" * 5_000 + b"</Codes></CodeBook>")
    assert time.monotonic() - started < 10   # a guard against quadratic renaming, not a measurement
    assert len(book) == 5000 and book.codes[-1].name == "x (5000)"
