"""Imported once by the forkserver, so every worker forks with the checker already loaded."""

from xlbudget.batch.worker import warm_up

warm_up()
