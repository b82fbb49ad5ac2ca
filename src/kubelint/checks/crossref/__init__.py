"""The library of the rules that look across objects: the pods an object makes
(``pods``), label selectors (``selectors``), the pods of a run by label (``pod_index``),
files near one another (``near``), references by name (``names``), scale targets
(``scale_targets``) and the facts' helpers (``facts``); and when a run knows enough to
call a target missing.

A run rarely holds a whole cluster. A reference to an object that is not in the run may
well resolve in the cluster, so these rules stay quiet about it unless the run can judge:
for selectors, the run must hold at least one workload in the namespace; for named
references, ``--strict-refs`` says that the run is the whole truth.
"""
