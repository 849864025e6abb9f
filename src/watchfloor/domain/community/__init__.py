"""Community Connect: residents and businesses register cameras; the RTCC finds them near an
incident and asks for footage through an owner-controlled, audited request."""
