"""Infrastructure: migrations, embedded PostgreSQL/Redis, fake Twilio, deployment files."""
