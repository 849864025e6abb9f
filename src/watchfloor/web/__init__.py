"""HTTP layer: app factory, policy, errors, limits. Thin: routes call services."""
