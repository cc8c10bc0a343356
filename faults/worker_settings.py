"""Settings for the fault drill and the load test: the project's settings, mail to files.

``council/settings.py`` picks SMTP or the console from the environment; the drill needs
every message as a file it can count, optionally delivered slowly. Point
``DJANGO_SETTINGS_MODULE`` at this module (the Celery worker, gunicorn and the drill's own
process all do) and set:

- ``FAULTS_MAIL_DIR``: directory that receives one ``.eml`` file per message (required
  here: this module never sends real mail, whatever ``SMTP_HOST`` says);
- ``FAULTS_MAIL_DELAY``: seconds to wait before writing a message (a slow mail server);
- ``FAULTS_MAIL_DELAY_AFTER``: seconds to wait after writing it, before returning (the
  server accepted the message, the sender has not committed yet: the documented window).
"""

import os

from council.settings import *  # noqa: F403  (this module only overrides the project's settings)

_mail_dir = os.environ.get("FAULTS_MAIL_DIR", "")
if not _mail_dir:
    raise RuntimeError("faults.worker_settings needs FAULTS_MAIL_DIR (a directory)")

MAILERS = {
    "default": {
        "BACKEND": "faults.slow_backend.SlowFileBackend",
        "OPTIONS": {
            "file_path": _mail_dir,
            "delay": float(os.environ.get("FAULTS_MAIL_DELAY", "0") or 0),
            "delay_after": float(os.environ.get("FAULTS_MAIL_DELAY_AFTER", "0") or 0),
        },
    }
}
