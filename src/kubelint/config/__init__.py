"""Configuration: the configuration file, file and flags to run options, and which
findings a run keeps (policy, suppressions)."""
