"""Manifest files read as kubectl reads them: its YAML and JSON decoders, their errors and
quirks, and list documents opened into their items."""
