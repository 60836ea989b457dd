"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from tracker.codes import CATEGORIES
from tracker.database import include_in_migrations
from tracker.extensions import db
from tracker.models import Category


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        options = {"compare_type": True, "include_object": include_in_migrations}
        context = MigrationContext.configure(connection, opts=options)
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_seed_the_product_categories(app):
    codes = set(db.session.scalars(select(Category.code)))
    assert codes == set(CATEGORIES)
