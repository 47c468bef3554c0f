"""Accuracy and speed harnesses for xling (run with ``make bench``)."""
