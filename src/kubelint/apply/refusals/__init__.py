"""What the API server (or kubectl itself) would refuse in an apply, judged offline.

``kubectl apply`` computes its request on the client and sends it without checking it:
the API server validates the object the request makes (the simulation's ``result``)
against the object it replaces (the live one) and refuses the whole request on any
error. The checks here follow the API server's own validation code (the Go functions are
named in each docstring) of current releases (1.31 and later), for the kinds and versions
served today:

========  =======================  ===========================================================
code      slug                     refused
========  =======================  ===========================================================
KA001     annotations-too-large    annotations over 262144 bytes in total (creates and patches)
KA002     immutable-field          a change to a field that cannot change after creation
KA003     immutable-object         a change to a ConfigMap or Secret marked ``immutable: true``
KA004     namespace-mismatch       kubectl itself: ``--namespace`` differs from the manifest's
KA005     patch-not-mergeable      the server's strategic merge cannot apply kubectl's patch
KA006     api-not-served           kubectl itself: the cluster does not serve the apiVersion
========  =======================  ===========================================================

A check names paths of the object; :func:`kubelint.apply.refusals.positions.to_finding`
places them in the manifest file.
"""
