"""ONVIF license plate recognition events -> PlateReadReports, and what cannot be mapped."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from watchfloor.connectors.onvif.plates import parse_plate_notifications
from watchfloor.core.errors import FieldProblem, MalformedInput
from watchfloor.events.lpr import ImageRef, PlateReadReport, VehicleSeen

PNG = b"\x89PNG\r\n\x1a\nfake-plate-crop"
JPEG = b"\xff\xd8\xff\xe0fake-vehicle"
NAMESPACES = (
    'xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:wsa="http://www.w3.org/2005/08/addressing" '
    'xmlns:tev="http://www.onvif.org/ver10/events/wsdl" '
    'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" '
    'xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:tns1="http://www.onvif.org/ver10/topics"'
)
SOURCE = """
        <tt:Source>
          <tt:SimpleItem Name="VideoSourceConfigurationToken" Value="VideoSourceConfig_1"/>
          <tt:SimpleItem Name="VideoAnalyticsConfigurationToken" Value="VideoAnalyticsConfig_1"/>
          <tt:SimpleItem Name="Rule" Value="LPR-Lane-1"/>
        </tt:Source>"""


def notification(
    data: str,
    *,
    topic: str = "tns1:RuleEngine/Recognition/LicensePlate",
    time: str = 'UtcTime="2026-11-21T14:00:00.123Z"',
    operation: str = "",
) -> str:
    return f"""
    <wsnt:NotificationMessage>
      <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">{topic}</wsnt:Topic>
      <wsnt:ProducerReference>
        <wsa:Address>http://192.0.2.10/onvif/Events</wsa:Address>
      </wsnt:ProducerReference>
      <wsnt:Message>
        <tt:Message {time} {operation}>{SOURCE}
          <tt:Data>{data}
          </tt:Data>
        </tt:Message>
      </wsnt:Message>
    </wsnt:NotificationMessage>"""


def pull_response(*messages: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope {NAMESPACES}>
  <env:Header>
    <wsa:Action>http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesResponse</wsa:Action>
  </env:Header>
  <env:Body>
    <tev:PullMessagesResponse>
      <tev:CurrentTime>2026-11-21T14:00:05Z</tev:CurrentTime>
      <tev:TerminationTime>2026-11-21T14:10:05Z</tev:TerminationTime>{"".join(messages)}
    </tev:PullMessagesResponse>
  </env:Body>
</env:Envelope>""".encode()


def notify(*messages: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope {NAMESPACES}>
  <env:Header>
    <wsa:Action>http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify</wsa:Action>
  </env:Header>
  <env:Body>
    <wsnt:Notify>{"".join(messages)}
    </wsnt:Notify>
  </env:Body>
</env:Envelope>""".encode()


SIMPLE_ITEMS = """
            <tt:SimpleItem Name="ObjectId" Value="1187"/>
            <tt:SimpleItem Name="Likelihood" Value="0.91"/>
            <tt:SimpleItem Name="PlateNumber" Value="ABC 1234"/>
            <tt:SimpleItem Name="CountryCode" Value="US"/>
            <tt:SimpleItem Name="IssuingEntity" Value="CA"/>
            <tt:SimpleItem Name="PlateType" Value="Normal"/>
            <tt:SimpleItem Name="Direction" Value="Approaching"/>"""
PROFILE_M_ITEMS = f"""
            <tt:SimpleItem Name="ImageURI" Value="http://192.0.2.10/lpr/plate/1188.png"/>
            <tt:ElementItem Name="LicensePlateInfo">
              <tt:LicensePlateInfo>
                <tt:PlateNumber Likelihood="0.87">XYZ987</tt:PlateNumber>
                <tt:PlateType Likelihood="0.9">Normal</tt:PlateType>
                <tt:CountryCode Likelihood="0.95">FI</tt:CountryCode>
              </tt:LicensePlateInfo>
            </tt:ElementItem>
            <tt:ElementItem Name="VehicleInfo">
              <tt:VehicleInfo>
                <tt:Type Likelihood="0.8">Car</tt:Type>
                <tt:Brand Likelihood="0.7">Volvo</tt:Brand>
                <tt:Model Likelihood="0.6">V70</tt:Model>
              </tt:VehicleInfo>
            </tt:ElementItem>
            <tt:ElementItem Name="Image">{base64.b64encode(PNG).decode()}</tt:ElementItem>
            <tt:ElementItem Name="VehicleImage">
              {base64.encodebytes(JPEG).decode()}
            </tt:ElementItem>"""
MOTION = notification(
    '<tt:SimpleItem Name="IsMotion" Value="true"/>',
    topic="tns1:RuleEngine/CellMotionDetector/Motion",
)


def test_a_pull_messages_response_maps_simple_items_and_profile_m_elements() -> None:
    xml = pull_response(
        notification(SIMPLE_ITEMS),
        MOTION,
        notification(PROFILE_M_ITEMS, time='UtcTime="2026-11-21T14:00:01Z"'),
    )
    reports, problems = parse_plate_notifications(xml, "ALPR-0042")
    assert problems == []
    assert reports == [
        PlateReadReport(
            reader="ALPR-0042",
            captured_at=datetime(2026, 11, 21, 14, 0, 0, 123000, tzinfo=UTC),
            plate="ABC 1234",
            region="CA",
            confidence=0.91,
            direction="Approaching",
            vendor_id="1187",
        ),
        PlateReadReport(
            reader="ALPR-0042",
            captured_at=datetime(2026, 11, 21, 14, 0, 1, tzinfo=UTC),
            plate="XYZ987",
            region="FI",
            confidence=0.87,
            plate_image=ImageRef(data=PNG, media_type="image/png"),
            vehicle_image=ImageRef(data=JPEG, media_type="image/jpeg"),
            vehicle=VehicleSeen(make="Volvo", model="V70", kind="Car"),
        ),
    ]


def test_a_message_without_plate_number_is_a_problem_and_the_rest_is_mapped() -> None:
    without = '<tt:SimpleItem Name="Likelihood" Value="0.5"/>'
    reports, problems = parse_plate_notifications(
        notify(notification(without), notification(SIMPLE_ITEMS)), "ALPR-0042"
    )
    assert [r.plate for r in reports] == ["ABC 1234"]
    assert problems == [
        FieldProblem("/NotificationMessage/0/Data/PlateNumber", "required field is missing")
    ]


def test_only_license_plate_topics_are_mapped() -> None:
    reports, problems = parse_plate_notifications(notify(MOTION), "ALPR-0042")
    assert (reports, problems) == ([], [])


def test_the_topic_prefix_is_resolved_by_its_namespace() -> None:
    other_prefix = notification(SIMPLE_ITEMS, topic="ot:RuleEngine/Recognition/LicensePlate")
    xml = notify(other_prefix).replace(
        b"<wsnt:Notify>", b'<wsnt:Notify xmlns:ot="http://www.onvif.org/ver10/topics">'
    )
    assert len(parse_plate_notifications(xml, "R")[0]) == 1
    vendor = notify(notification(SIMPLE_ITEMS)).replace(
        b'xmlns:tns1="http://www.onvif.org/ver10/topics"',
        b'xmlns:tns1="http://vendor.example/topics"',
    )
    assert parse_plate_notifications(vendor, "R") == ([], [])


def test_a_deleted_property_is_not_a_read() -> None:
    xml = notify(notification(SIMPLE_ITEMS, operation='PropertyOperation="Deleted"'))
    assert parse_plate_notifications(xml, "R") == ([], [])


def test_a_time_without_offset_is_utc() -> None:
    xml = notify(notification(SIMPLE_ITEMS, time='UtcTime="2026-11-21T14:00:00"'))
    [report] = parse_plate_notifications(xml, "R")[0]
    assert report.captured_at == datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "time", "pointer", "reason"),
    [
        (SIMPLE_ITEMS, "", "/UtcTime", "required field is missing"),
        (SIMPLE_ITEMS, 'UtcTime="yesterday"', "/UtcTime", "not an xs:dateTime: 'yesterday'"),
        (
            SIMPLE_ITEMS.replace('Value="0.91"', 'Value="91"'),
            'UtcTime="2026-11-21T14:00:00Z"',
            "/Data/Likelihood",
            "must be a number 0..1",
        ),
        (
            SIMPLE_ITEMS.replace('Value="ABC 1234"', 'Value="- -"'),
            'UtcTime="2026-11-21T14:00:00Z"',
            "/Data/PlateNumber",
            "plate has no letters or digits",
        ),
        (
            '<tt:SimpleItem Name="PlateNumber" Value="AB1"/>'
            '<tt:ElementItem Name="Image">***</tt:ElementItem>',
            'UtcTime="2026-11-21T14:00:00Z"',
            "/Data/Image",
            "not base64",
        ),
        (
            '<tt:SimpleItem Name="PlateNumber" Value="AB1"/>'
            f'<tt:SimpleItem Name="ObjectId" Value="{"9" * 129}"/>',
            'UtcTime="2026-11-21T14:00:00Z"',
            "/Data/ObjectId",
            "longer than 128 characters",
        ),
    ],
)
def test_problems_name_the_message_and_item(
    data: str, time: str, pointer: str, reason: str
) -> None:
    xml = pull_response(MOTION, notification(data, time=time))
    assert parse_plate_notifications(xml, "R") == (
        [],
        [FieldProblem(f"/NotificationMessage/1{pointer}", reason)],
    )


@pytest.mark.parametrize(
    "xml",
    [
        b"<env:Envelope><wsnt:Notify>",
        b"not xml at all",
        b"",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>',
    ],
)
def test_malformed_or_forbidden_xml_is_refused(xml: bytes) -> None:
    with pytest.raises(MalformedInput) as caught:
        parse_plate_notifications(xml, "R")
    assert caught.value.problems[0].pointer == ""
