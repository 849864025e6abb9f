"""NENA EIDO: CAD incidents in and out (NENA-STA-021), and the CAD link (NENA-STA-024)."""
