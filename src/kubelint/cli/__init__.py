"""The ``kubelint`` command line."""
