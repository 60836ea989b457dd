"""Outbound messages and time-based jobs: the outbox, emails, reminders, digests, scheduler."""
