"""Readers and writers: the edges of the pipeline. Only this package knows file formats."""
