"""Reading a CAP 1.2 document safely and validating it against the bundled OASIS schema.

Two passes over at most `max_bytes`: defusedxml first refuses any DTD, entity declaration or
external reference (the classic XML attacks: billion laughs, XXE); then lxml, with a parser that
never touches the network, resolves no entities and loads no DTD, builds the tree the schema
validates. Problems name the failing element as a path (`/alert/info[1]/urgency`).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as screen
from lxml import etree

from watchfloor.core.errors import FieldProblem, InvalidInput, MalformedInput, PayloadTooLarge

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
SCHEMA_FILE = "CAP-v1.2.xsd"
MAX_PROBLEMS = 20
_OTHER_CAP = re.compile(r"urn:oasis:names:tc:emergency:cap:1\.[01]")
_PREFIXED = re.compile(r"[A-Za-z_][\w.-]*:")


def _parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


@functools.cache
def cap_schema() -> Any:
    """The OASIS CAP 1.2 schema bundled with this package (loaded once)."""
    data = resources.files(__package__).joinpath(SCHEMA_FILE).read_bytes()
    return etree.XMLSchema(etree.fromstring(data, _parser()))


def parse_cap(raw: bytes, max_bytes: int) -> Any:
    """The `cap:alert` element of a valid CAP 1.2 document; MalformedInput when it is not XML or
    uses forbidden features, InvalidInput naming each element the schema refuses."""
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"CAP document is larger than {max_bytes} bytes")
    _screen(raw)
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedInput("not well-formed XML", [FieldProblem("", str(exc)[:300])]) from None
    _check_root(root)
    schema = cap_schema()
    if not schema.validate(root):
        entries = list(schema.error_log)[:MAX_PROBLEMS]
        problems = [_problem(root, entry) for entry in entries]
        raise InvalidInput(f"not a valid CAP 1.2 alert: {problems[0].reason}", problems)
    return root


def _screen(raw: bytes) -> None:
    try:
        screen(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as exc:
        raise MalformedInput("not well-formed XML", [FieldProblem("", str(exc))]) from None
    except DefusedXmlException as exc:
        reason = f"forbidden XML feature: {type(exc).__name__}"
        raise MalformedInput("XML uses forbidden features", [FieldProblem("", reason)]) from None


def _check_root(root: Any) -> None:
    namespace = etree.QName(root).namespace or ""
    if root.tag == f"{{{CAP_NS}}}alert":
        return
    if _OTHER_CAP.fullmatch(namespace):
        reason = f"CAP namespace {namespace} is not CAP 1.2 ({CAP_NS})"
    else:
        reason = f"root element is {etree.QName(root).localname!r} in namespace {namespace!r}"
        reason += f", not 'alert' in {CAP_NS}"
    raise InvalidInput("not a CAP 1.2 alert", [FieldProblem("/" + _local(root.tag), reason)])


def _problem(root: Any, entry: Any) -> FieldProblem:
    message = re.sub(r"\{" + re.escape(CAP_NS) + r"\}", "", entry.message or "")
    return FieldProblem(_element_path(root, entry.path or ""), message[:300])


def _element_path(root: Any, xpath: str) -> str:
    """`/alert/info[1]/urgency` for lxml's `/*/*[8]/*[4]` (indexes only where repeated)."""
    try:
        found = root.getroottree().xpath(xpath) if xpath else []
    except etree.XPathError:
        found = []
    if not found or not hasattr(found[0], "tag"):
        return _PREFIXED.sub("", xpath)
    steps = []
    for element in [found[0], *found[0].iterancestors()]:
        name = _local(element.tag)
        parent = element.getparent()
        same = [e for e in parent if e.tag == element.tag] if parent is not None else [element]
        steps.append(f"{name}[{same.index(element) + 1}]" if len(same) > 1 else name)
    return "/" + "/".join(reversed(steps))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
