"""Rules that look across objects: references by name and by label selector, which must
find their target in the run (built on :mod:`kubelint.checks.crossref`)."""
