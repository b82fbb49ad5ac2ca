"""Rules about what a pod may do to its node: privileges, capabilities, users, the root
filesystem and host paths."""
