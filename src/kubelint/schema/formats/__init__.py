"""Value syntax that the Kubernetes API server (and the kubelet) enforce, one module per
syntax family: ``names`` (DNS names), ``labels`` (label and annotation keys and values, data
keys), ``ports``, ``percent`` (int-or-percent), ``quantities``, ``cron`` and
``images``; ``text`` holds what they share.

Each ``check`` function takes one value and returns a list of human-readable problems; an empty
list means the value is valid. The rules follow ``k8s.io/apimachinery`` (``util/validation``,
``api/validate/content`` and ``api/resource``), the CronJob schedule parser (robfig/cron v3) and
the image reference grammar (distribution/reference) that the kubelet applies. Messages are
phrased like the API server's, without its regular expressions, and say what to write instead
where the intent is clear.

Lengths are counted in UTF-8 bytes, as the API server counts them; for the ASCII values that can
be valid this is the number of characters.

Everything here is pure and cheap: the regular expressions are compiled once, at import.
"""
