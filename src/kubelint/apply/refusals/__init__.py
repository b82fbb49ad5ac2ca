"""What the API server (or kubectl itself) would refuse in an apply, judged offline.

``kubectl apply`` computes its request on the client and sends it without checking it:
the API server validates the object the request makes (the simulation's ``result``)
against the object it replaces (the live one) and refuses the whole request on any
error. The checks here follow the API server's own validation code (the Go functions are
named in each docstring) of current releases (1.31 and later), for the kinds and versions
served today.

Each refusal is a rule of stage ``apply`` with its file in ``rules/apply/`` (KA001
annotations-too-large ... KA006 api-not-served): ``kubelint rules`` lists them.

A check names paths of the object; :func:`kubelint.apply.refusals.positions.to_finding`
places them in the manifest file.
"""
