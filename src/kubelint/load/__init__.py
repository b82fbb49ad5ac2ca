"""Loading: which files a run reads, and YAML documents with their positions, read as
kubectl reads them."""
