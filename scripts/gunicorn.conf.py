"""Gunicorn settings of ``make run`` (scripts/run-dev.sh), and a starting point for production.

A spreadsheet of tens of thousands of rows is imported in one request that runs for minutes
(the web upload streams its progress meanwhile). Gunicorn's default sync worker is killed when
it has been silent for ``timeout`` seconds, even while it is busy with a request: a 20,000-row
import was cut at 30 s, rolled back and answered with a bare 500. gthread workers answer the
arbiter from their main thread while requests run in others, so a long import finishes; the
timeout still catches a worker that really hangs.
"""

bind = "127.0.0.1:5000"
workers = 2
worker_class = "gthread"
threads = 4
timeout = 30
accesslog = "-"
