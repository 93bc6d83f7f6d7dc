"""Benchmarks of the almanach build against a plain MyST floor (see README.md)."""
