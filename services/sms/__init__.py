"""SMS: the outbox, reminders, Twilio (real or the fake in infra/), replies and status callbacks."""
