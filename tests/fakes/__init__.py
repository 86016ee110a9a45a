"""Fakes of the platforms Staffroom talks to, served on loopback for tests and benchmarks."""
