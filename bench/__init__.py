"""Benchmarks: they generate data at scale, measure, and write JSON under bench/results/ (ARCHITECTURE.md §9).
Tests never assert on wall-clock time; these scripts are where time is measured."""
