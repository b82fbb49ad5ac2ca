"""Rules about the object as the API server sees it first: its apiVersion and kind (the
other core rules are written in ``load/``, ``schema/`` and ``run/``)."""
