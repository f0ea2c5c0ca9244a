"""SMS, a channel for notices: the send loop over the outbox's SMS rows, segments, Twilio (real or the
fake in infra/), status callbacks and webhook checks."""
