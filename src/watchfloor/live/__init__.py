"""The console's live channel: domain events fanned out over WebSockets, with catch-up."""
