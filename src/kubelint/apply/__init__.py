"""Offline simulation of ``kubectl apply``: the request kubectl would send, the object it
would produce, what the API server or kubectl would refuse, and what that means in plain
language.

``command`` reads the files (``read/``) and runs a client-side apply (``client_side/``)
or a server-side preview (``server_side/``); both match each manifest object with its
live object (``matching``), report refusals (``refusals/``) and share ``model``;
``render`` writes the client-side outcome. Outside this package only the command line
imports it; the refusals' rules are files of ``rules/apply/`` like every other rule.
"""
