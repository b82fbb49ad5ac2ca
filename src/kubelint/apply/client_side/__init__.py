"""Client-side ``kubectl apply``: the last-applied annotation, the three-way patch kubectl
computes (strategic merge for built-in kinds, JSON merge for custom resources), the API
server's merge of it, and what the outcome means."""
