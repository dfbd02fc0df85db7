"""Tests of the bambu client library."""
