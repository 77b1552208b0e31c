"""The Python peer runner of ptcbench (scripts/python/peer.py): ptc-run's grid with Python's
models, writing ptc-run's CSV columns plus `runtime`."""
