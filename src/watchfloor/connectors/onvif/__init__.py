"""ONVIF devices: event notifications (WS-BaseNotification) translated into typed reports."""
