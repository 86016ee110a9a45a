"""Microsoft Teams: the Bot Framework adapter, Adaptive Card rendering and proactive delivery."""
