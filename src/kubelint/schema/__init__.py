"""Schemas: the bundled API schemas and CRDs, and what they and the API server accept."""
