"""Plate-reader benchmarks: a cached 10M-read dataset, raw-insert baselines, search latency,
hotlist memory, end-to-end ingest and read-to-alert latency."""
