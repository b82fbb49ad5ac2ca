"""Rules about pod specs and the workloads that hold them: containers, images, probes,
resources, volumes, selectors of their own pods, restart policies and schedules."""
