"""A real ONVIF camera (ipycam) for the ONVIF connector tests."""

from tests.support.onvif_camera import onvif_camera

__all__ = ["onvif_camera"]
