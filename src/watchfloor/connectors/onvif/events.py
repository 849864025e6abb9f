"""ONVIF event notifications (WS-BaseNotification `NotificationMessage`s) mapped to
`CameraEvent`s: motion, tampering (global scene change, image too dark, image too blurry), video
signal loss and rule-engine analytics; every other topic is `other`.

Topics (ONVIF topic namespace, Imaging and Analytics service specifications):

- `tns1:VideoSource/MotionAlarm` (Data `State`), `tns1:RuleEngine/CellMotionDetector/Motion`
  (Data `IsMotion`), `tns1:RuleEngine/MotionRegionDetector/Motion` (Data `State`) -> motion
- `tns1:VideoSource/GlobalSceneChange/{ImagingService|AnalyticsService|RecordingService}`
  -> tamper_scene_change; `tns1:VideoSource/ImageTooDark/*` -> tamper_too_dark;
  `tns1:VideoSource/ImageTooBlurry/*` -> tamper_too_blurry (Data `State`)
- `tns1:VideoSource/SignalLoss` (Data `State`) -> signal_loss
- Analytics (ONVIF Analytics Service, rule engine; Source `Rule` names the rule, Key `ObjectId`
  the object): `tns1:RuleEngine/LineDetector/Crossed` (Data `ObjectId`, momentary) ->
  line_crossed; `tns1:RuleEngine/FieldDetector/ObjectsInside` (Data `IsInside`) ->
  objects_inside; `tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering` (Data `IsLoitering`,
  some vendors `State`) -> loitering; `tns1:RuleEngine/ObjectDetection/Object` (Data
  `ClassTypes`, momentary) -> object_detected. Momentary events are always `active`.
- `tns1:RuleEngine/Recognition/Face` is dropped outright, never mapped nor passed on as `other`:
  biometric results stay out of Watchfloor while the biometric switch forbids them (and it is
  not consulted here on purpose; a connector does not decide policy).

The items of a message's `tt:Key` (the object a property is about) join its Source items.
Devices write booleans as true/false, 1/0 or on/off (all seen in recordings). Messages with
`PropertyOperation="Deleted"` are skipped, as are known topics whose state cannot be read. Topic
prefixes are dropped before matching (zeep hands the topic as text, without its namespaces).

Two inputs: raw XML (a `wsnt:Notify`, a `PullMessagesResponse` or a `tt:MetadataStream`), parsed
with defusedxml, and the `NotificationMessage` objects zeep builds from a PullMessages answer.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as safe_parse

from watchfloor.core.errors import FieldProblem, MalformedInput
from watchfloor.events.cameras import CameraEvent, CameraEventKind

NS_WSNT = "http://docs.oasis-open.org/wsn/b-2"
NS_TT = "http://www.onvif.org/ver10/schema"

_DROPPED = frozenset({"RuleEngine/Recognition/Face"})
_MOMENTARY = frozenset({CameraEventKind.LINE_CROSSED, CameraEventKind.OBJECT_DETECTED})
_TRUE = frozenset({"true", "1", "on", "yes", "active"})
_FALSE = frozenset({"false", "0", "off", "no", "inactive"})
_MAX_ITEMS = 32

# topic path (prefixes dropped) -> (kind, the Data item holding the state)
_EXACT: dict[str, tuple[CameraEventKind, str]] = {
    "VideoSource/MotionAlarm": (CameraEventKind.MOTION, "State"),
    "RuleEngine/CellMotionDetector/Motion": (CameraEventKind.MOTION, "IsMotion"),
    "RuleEngine/MotionRegionDetector/Motion": (CameraEventKind.MOTION, "State"),
    "VideoSource/SignalLoss": (CameraEventKind.SIGNAL_LOSS, "State"),
    "RuleEngine/LineDetector/Crossed": (CameraEventKind.LINE_CROSSED, "ObjectId"),
    "RuleEngine/FieldDetector/ObjectsInside": (CameraEventKind.OBJECTS_INSIDE, "IsInside"),
    "RuleEngine/LoiteringDetector/ObjectIsLoitering": (CameraEventKind.LOITERING, "IsLoitering"),
    "RuleEngine/ObjectDetection/Object": (CameraEventKind.OBJECT_DETECTED, "ClassTypes"),
}
_FAMILIES: dict[str, CameraEventKind] = {
    "VideoSource/GlobalSceneChange": CameraEventKind.TAMPER_SCENE_CHANGE,
    "VideoSource/ImageTooDark": CameraEventKind.TAMPER_TOO_DARK,
    "VideoSource/ImageTooBlurry": CameraEventKind.TAMPER_TOO_BLURRY,
}


def topic_path(topic: str) -> str:
    """The topic without namespace prefixes: `tns1:VideoSource/MotionAlarm` ->
    `VideoSource/MotionAlarm`."""
    return "/".join(part.rpartition(":")[2] for part in topic.strip().split("/"))


def classify(topic: str) -> tuple[CameraEventKind, str | None]:
    """The kind of event a topic carries and the Data item that holds its state."""
    path = topic_path(topic)
    if path in _EXACT:
        return _EXACT[path]
    family = path.rsplit("/", 1)[0]
    if family in _FAMILIES:
        return _FAMILIES[family], "State"
    return CameraEventKind.OTHER, None


def parse_bool(value: str | None) -> bool | None:
    """A device's boolean (true/false, 1/0, on/off), or None when it is not one."""
    text = (value or "").strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def build_event(
    camera: str,
    topic: str,
    at: datetime | None,
    operation: str | None,
    items: tuple[dict[str, str], dict[str, str]],
    received_at: datetime,
) -> CameraEvent | None:
    """The CameraEvent for one message, or None when it has to be skipped."""
    if operation == "Deleted" or topic_path(topic) in _DROPPED:
        return None
    source, data = items
    kind, state_item = classify(topic)
    active = _active(kind, state_item, data)
    if active is None:
        return None
    moment = at or received_at
    return CameraEvent(
        camera=camera,
        kind=kind,
        active=active,
        topic=topic.strip()[:300],
        at=moment if moment.tzinfo else moment.replace(tzinfo=UTC),
        operation=operation,
        source=source,
        data=data,
    )


def _active(kind: CameraEventKind, state_item: str | None, data: dict[str, str]) -> bool | None:
    if kind in _MOMENTARY:
        return True  # a crossing or a detection happens; nothing ends it
    if state_item is not None:
        value = data.get(state_item)
        if value is None and kind is CameraEventKind.LOITERING:
            value = data.get("State")  # vendors differ on the loitering item's name
        return parse_bool(value)
    known = [flag for value in data.values() if (flag := parse_bool(value)) is not None]
    return known[0] if len(known) == 1 else True


# --- raw XML ---------------------------------------------------------------------------------


def parse_notifications(xml: bytes, camera: str, received_at: datetime) -> list[CameraEvent]:
    """The camera events in a Notify, PullMessagesResponse or MetadataStream document;
    MalformedInput when the XML cannot be parsed."""
    root = _parse(xml)
    events = []
    for notification in root.iter(f"{{{NS_WSNT}}}NotificationMessage"):
        topic = notification.findtext(f"{{{NS_WSNT}}}Topic")
        message = notification.find(f"{{{NS_WSNT}}}Message/{{{NS_TT}}}Message")
        if topic is None or message is None:
            continue
        event = event_from_element(camera, topic, message, received_at)
        if event is not None:
            events.append(event)
    return events


def event_from_element(
    camera: str, topic: str, message: Any, received_at: datetime
) -> CameraEvent | None:
    """The event in one `tt:Message` element (ElementTree or lxml)."""
    source = _element_items(message, "Source") | _element_items(message, "Key")
    items = (source, _element_items(message, "Data"))
    at = _utc_time(message.get("UtcTime"))
    return build_event(camera, topic, at, message.get("PropertyOperation"), items, received_at)


def _parse(xml: bytes) -> Element:
    try:
        root: Element | None = safe_parse(io.BytesIO(xml)).getroot()
    except ParseError as exc:
        raise MalformedInput("not well-formed XML", [FieldProblem("", str(exc))]) from None
    except DefusedXmlException as exc:
        reason = f"forbidden XML feature: {type(exc).__name__}"
        raise MalformedInput("XML uses forbidden features", [FieldProblem("", reason)]) from None
    if root is None:
        raise MalformedInput("no XML document", [FieldProblem("", "empty document")])
    return root


def _element_items(message: Any, section: str) -> dict[str, str]:
    found = message.find(f"{{{NS_TT}}}{section}")
    if found is None:
        return {}
    pairs = ((item.get("Name"), item.get("Value")) for item in found.iter(f"{{{NS_TT}}}SimpleItem"))
    return _limited(pairs)


def _utc_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _limited(pairs: Iterable[tuple[Any, Any]]) -> dict[str, str]:
    items: dict[str, str] = {}
    for name, value in pairs:
        if name and len(items) < _MAX_ITEMS:
            items[str(name)[:64]] = str(value if value is not None else "")[:256]
    return items


# --- zeep objects (PullMessages) -------------------------------------------------------------


def event_from_zeep(camera: str, notification: Any, received_at: datetime) -> CameraEvent | None:
    """The event in one NotificationMessage as zeep deserialised it (or None to skip)."""
    topic_value = getattr(getattr(notification, "Topic", None), "_value_1", None)
    message = getattr(getattr(notification, "Message", None), "_value_1", None)
    if not isinstance(topic_value, str) or message is None:
        return None
    if hasattr(message, "tag"):  # zeep left it as an XML element (a type it did not know)
        return event_from_element(camera, topic_value, message, received_at)
    source = _zeep_items(message, "Source") | _zeep_items(message, "Key")
    items = (source, _zeep_items(message, "Data"))
    at = _utc_time(getattr(message, "UtcTime", None))
    operation = getattr(message, "PropertyOperation", None)
    return build_event(camera, topic_value, at, operation, items, received_at)


def _zeep_items(message: Any, section: str) -> dict[str, str]:
    found = getattr(message, section, None)
    simple = getattr(found, "SimpleItem", None) or []
    return _limited((getattr(item, "Name", None), getattr(item, "Value", None)) for item in simple)
