"""The bare reference endpoint for ``bench_web_vote.py``: Flask + Flask-SQLAlchemy, one INSERT per POST.

    BARE_DATABASE_URL=postgresql://... gunicorn -w 2 -k sync 'bench.web_bare_app:create_app()'

No sign-in, no CSRF, no tenancy, no templates: the floor any vote endpoint on
this stack stands on (performance.md 2c measured about 640 requests/s here).
"""

from __future__ import annotations

import os

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import BigInteger, Identity, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class BareVote(db.Model):
    __tablename__ = "bench_bare_votes"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    voter: Mapped[str] = mapped_column(String(40))
    choice: Mapped[str] = mapped_column(String(40))


def create_app() -> Flask:
    app = Flask(__name__)
    url = os.environ["BARE_DATABASE_URL"]
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url.split("://", 1)[1]

    db.init_app(app)

    @app.post("/vote")
    def vote():
        db.session.add(BareVote(voter=request.form.get("voter", ""), choice=request.form.get("choice", "")))
        db.session.commit()
        return "ok"

    return app
