"""Delivering notices to people on their chat platform: couriers and the outbox dispatcher."""
