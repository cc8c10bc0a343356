"""Fault drill and load test (run as scripts, never collected by pytest): see README.md."""
