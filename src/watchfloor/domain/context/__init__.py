"""The incident context packet: everything an operator needs about a location, in one call.

Community cameras come through the `CommunityCameras` protocol; until the registry of registered
community cameras exists (issue 8), the default source returns none, so that section is empty."""
