"""The audit trail: who changed what, through what, when."""
