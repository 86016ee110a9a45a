"""Request kinds: one module per kind (working from home, equipment loans, leave of absence, course
requests) behind the interface in `base`, found by `registry` from the `form:` in school.yaml."""
