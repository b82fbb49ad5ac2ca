"""The check run: one file to findings, the passes over a run, workers, cross-object rules."""
