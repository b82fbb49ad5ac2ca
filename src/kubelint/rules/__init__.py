"""Rules as every stage names them: a rule's identity and documentation, the compiled index
of the bundled rule files (``rules/`` at the top of the repository), and the rules the
pipeline reports itself. It imports nothing of the pipeline, so every stage may import it."""
