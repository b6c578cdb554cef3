"""A report as published (PDF, Word or text), read back for checking: :class:`Document`."""
