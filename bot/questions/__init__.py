"""Learning from the questions staff ask: 👍/👎 on answers, the question log (without who asked),
the policy lead's report and digest, teaching new wordings, and suggested questions."""
