"""RTSP sources: open a camera's stream with PyAV, relay its packets, sample its frames."""
