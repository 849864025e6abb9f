"""Tables of audited camera viewing and the biometric-analytics policy switch."""
