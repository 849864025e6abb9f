"""CAD incidents: stored, merged, ranked, claimed, annotated and exported as EIDO."""
