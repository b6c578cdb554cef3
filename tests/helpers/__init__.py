"""Shared test helpers (LibreOffice via UNO: see ``lo``)."""
