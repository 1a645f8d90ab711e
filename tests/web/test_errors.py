"""Every error a person can meet has a page in the service's style, never a stack trace."""

import pytest
from flask import abort
from sqlalchemy.exc import OperationalError

from app import create_app


@pytest.fixture
def error_app(app_config):
    """A separate app with routes that fail on purpose (the shared app must not grow test routes)."""
    application = create_app({**app_config, "PROPAGATE_EXCEPTIONS": False})

    @application.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    @application.get("/database-gone")
    def database_gone():
        # What psycopg raises when PostgreSQL restarts under a pooled connection.
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    for code in (400, 403, 409, 429):

        @application.get(f"/fail/{code}", endpoint=f"fail_{code}")
        def fail(code=code):
            abort(code)

    return application


@pytest.mark.parametrize(
    ("path", "code", "heading"),
    [
        ("/fail/400", 400, "Sorry, there is a problem with your request"),
        ("/fail/403", 403, "You do not have permission to see this page"),
        ("/no/such/page", 404, "Page not found"),
        ("/fail/409", 409, "Sorry, that conflicts with what is already there"),
        ("/fail/429", 429, "Too many attempts"),
        ("/boom", 500, "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages(error_app, path, code, heading):
    response = error_app.test_client().get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in body
    assert "govuk-generic-header" in body
    assert "secret internal detail" not in body
    assert "Traceback" not in body


def test_a_lost_database_is_a_503_page_asking_to_retry(error_app):
    response = error_app.test_client().get("/database-gone")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert '<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>' in body
    assert "Nothing you sent was saved" in body
    assert "server closed the connection" not in body and "Traceback" not in body


def test_unexpected_error_is_logged(error_app, caplog):
    error_app.test_client().get("/boom")
    assert any("secret internal detail" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_wrong_method_is_405_not_500(client):
    response = client.delete("/accessibility")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_oversized_body_is_413_with_a_message(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/sign-in", data={"x": "a" * (limit + 10)})
    assert response.status_code == 413
    assert "smaller than 2 MB" in response.get_data(as_text=True)


def test_huge_ids_are_404(client, create_council):
    create_council(slug="ids-test")
    assert client.get("/c/ids-test/admin/neighbourhoods/99999999999999999999999").status_code in (404, 302)
