"""Server-side ``kubectl apply``: structured-merge-diff's typed values, field sets and merge,
the field managers of ``metadata.managedFields``, and the preview built from them."""
