"""NMEA 0183 from in-vehicle routers and GPS receivers: sentences to positions."""
