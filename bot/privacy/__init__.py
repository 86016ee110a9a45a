"""Data protection: the retention schedule and its purge, subject access, erasure and the data inventory."""
