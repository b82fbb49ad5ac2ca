"""Rules written in Python: one module per rule (or per tight family), each defining RuleSpecs."""
