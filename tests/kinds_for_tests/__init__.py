"""Request kinds that exist only for tests: proof that a kind plugs in with no change elsewhere."""
