"""Checks: the code that rules name, and the rule catalogue.

Rule modules, named after their rule or family, live in family packages (``core``,
``pods``, ``security``, ``data``, ``references``); ``templates`` holds the check logic of
data rules, ``crossref`` the library of cross-object rules. What each rule is (id, slug,
severity, scope, options, doc) is its file in ``rules/``; a Python module registers its
checks under the names those files give (``api.object_check``), and ``registry`` builds
the catalogue from both."""
