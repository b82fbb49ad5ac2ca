"""Checks: the code that rules name (one module per Python rule or tight family, the
templates of data rules, the cross-object library) and the rule catalogue."""
