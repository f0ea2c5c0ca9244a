"""Background work on arq: one WorkerSettings registry; jobs are thin and call services."""
