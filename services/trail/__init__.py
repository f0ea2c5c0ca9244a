"""Reading the audit trail: an organisation's coordinators see who changed what."""
