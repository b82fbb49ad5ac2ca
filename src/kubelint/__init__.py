"""kubelint: a Kubernetes manifest linter and validator."""

__version__ = "0.1.0"
