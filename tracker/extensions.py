"""Flask extensions, created unbound and initialised in ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from tracker.read_replica import ReplicaSession

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for Alembic."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Sessions route plain reads of replica-reading views to READ_DATABASE_URL (read_replica.py).
db = SQLAlchemy(model_class=Base, session_options={"class_": ReplicaSession})
migrate = Migrate()
mail = Mail()
# Limits are declared on the routes; storage comes from RATELIMIT_STORAGE_URI (Redis in production).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# The web UI: cookie sessions (Flask-Login), CSRF on forms (Flask-WTF), English/Khmer (Flask-Babel).
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
