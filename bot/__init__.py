"""Staffroom's conversation core: it acts on what `intents` understood."""
