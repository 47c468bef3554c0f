"""Batch alignment at corpus scale: a manifest of pairs or groups in, one contract table and summaries out.

    manifest.py -> chunks.py -> engines.py (local | Dask) -> runstore.py (parts + journal) -> assemble.py
    run.py      ``run_batch``: the whole run, resumable
"""
