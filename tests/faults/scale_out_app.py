"""The app as gunicorn and ``flask scheduler`` load it in the scale-out run (test settings).

``SCALE_OUT_DATABASE_URL`` names the database (PgBouncer's address in the run) and
``SCALE_OUT_SETTINGS`` (JSON) adds to the test settings: the mail server, the lease, limits.
"""

from __future__ import annotations

import json
import os

from tests.conftest import test_settings
from tracker import create_app

app = create_app(
    test_settings(
        os.environ["SCALE_OUT_DATABASE_URL"],
        **json.loads(os.environ.get("SCALE_OUT_SETTINGS", "{}")),
    )
)
