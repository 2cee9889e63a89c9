"""threatscape.batch: the same pipeline over many machines, on Dask distributed.

    threatscape batch INPUT... --out DIR    plan.py, run.py (the driver), worker.py (on each worker)
    threatscape load DIR                    load.py

``plan`` cuts JSONL and Parquet inputs (paths or fsspec URLs) into numbered partitions and writes
``DIR/manifest.json``; ``run`` sends each partition not yet done to the cluster; on a worker,
``ResourcesPlugin`` holds the pipeline's resources and ``process_partition`` structures and
extracts a partition with the pipeline's own functions, writes its Parquet tables (``tables``)
under ``DIR/part-NNNNN/`` and its done marker last (``files``: each file whole or not at all).
``load`` stores the tables as ``ingest`` would and runs fusion.

Only ``worker`` and ``run`` import Dask: ``threatscape load`` (``load``, ``tables``, ``plan``,
``files``) runs without it.
"""
