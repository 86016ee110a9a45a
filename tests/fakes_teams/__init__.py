"""Fakes for the Teams tests: a Bot Connector on loopback and real-shaped activities."""
