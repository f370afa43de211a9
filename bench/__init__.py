"""Benchmarks for `make bench`. Each prints one `BENCH name key=value ...` line per figure.

They target 127.0.0.1 only, are bounded in time and count, and compare against a
baseline measured in the same run.
"""
