"""Offline simulation of ``kubectl apply`` (client-side): the patch kubectl would send,
the object it would produce, and what that means in plain language."""
