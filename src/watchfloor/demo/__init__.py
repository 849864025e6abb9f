"""The demo: a simulated CAD feeding a local Watchfloor."""
