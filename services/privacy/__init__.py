"""People's data: export, erasure, retention, consent (GDPR Art. 5, 15, 17, 20)."""
