"""Rules about the data objects carry: ConfigMap and Secret contents."""
