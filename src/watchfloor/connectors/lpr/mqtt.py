"""Plate reads over MQTT: a persistent QoS 1 subscription whose messages are acknowledged only
after the intake has them (stored or quarantined).

Readers publish the JSON read format (json_reads) to `watchfloor/lpr/<reader>/reads`. The
subscription, its manual acknowledgement and its reconnection are the shared
`connectors.mqtt.subscriber.MqttSubscriber`'s; this module names the readers' topic.
"""

from __future__ import annotations

from watchfloor.connectors.mqtt.broker import BrokerAddress, broker_address
from watchfloor.connectors.mqtt.subscriber import Deliver, DeliveryFailed, MqttSubscriber
from watchfloor.core.health import HealthRegistry

__all__ = [
    "BrokerAddress",
    "Deliver",
    "DeliveryFailed",
    "MqttReadFeed",
    "broker_address",
    "reader_from_topic",
]

_TOPIC_ROOT = ("watchfloor", "lpr")
_TOPIC_LEAF = "reads"


def reader_from_topic(topic: str) -> str | None:
    """The reader a topic names: "watchfloor/lpr/<reader>/reads" -> "<reader>", else None."""
    parts = topic.split("/")
    if len(parts) != 4 or tuple(parts[:2]) != _TOPIC_ROOT or parts[3] != _TOPIC_LEAF:
        return None
    reader = parts[2]
    return reader if reader and reader not in ("+", "#") else None


class MqttReadFeed(MqttSubscriber):
    """Subscribes to the readers' topic and hands each message to `deliver`, acknowledging it
    to the broker only after `deliver` returned."""

    def __init__(
        self,
        url: str,
        topic: str,
        deliver: Deliver,
        health: HealthRegistry,
        *,
        source: str = "lpr-mqtt",
        client_id: str = "watchfloor-lpr",
        backoff_initial_s: float = 1.0,
        backoff_max_s: float = 30.0,
    ) -> None:
        super().__init__(
            url,
            [topic],
            deliver,
            health,
            feed=source,
            client_id=client_id,
            backoff_initial_s=backoff_initial_s,
            backoff_max_s=backoff_max_s,
        )
