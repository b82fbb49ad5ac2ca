"""Checks: the code that rules name, and the rule catalogue.

Rule modules, named after their rule or family, live in family packages (``core``,
``pods``, ``security``, ``data``, ``references``); ``templates`` holds the check logic of
data rules, ``crossref`` the library of cross-object rules; ``registry`` finds the
``RuleSpec`` of every module below this package."""
