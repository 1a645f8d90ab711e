"""The global pages and the council home render in the GOV.UK layout."""

from tenants.context import council_context
from tenants.features import set_module_enabled


def test_start_page_lists_councils(client, create_council):
    create_council(name="Lambeth Test Council", slug="lambeth-test")
    response = client.get("/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Lambeth Test Council" in body
    assert "govuk-generic-header" in body
    assert "govuk-header__logotype" not in body  # never the crown


def test_council_home_shows_name_and_enabled_modules(client, create_council):
    council = create_council(name="Rochdale Test Borough", slug="rochdale-test")
    with council_context(council.id):
        set_module_enabled("housing", True)
    body = client.get("/c/rochdale-test/").get_data(as_text=True)
    assert "Rochdale Test Borough" in body
    assert "Housing co-operatives" in body
    assert "Youth service choices" not in body


def test_unknown_council_is_a_404_page(client):
    response = client.get("/c/no-such-council/")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_malformed_council_slug_is_404(client):
    assert client.get("/c/NOT_A_SLUG/").status_code == 404


def test_accessibility_statement(client):
    response = client.get("/accessibility")
    assert response.status_code == 200
    assert "WCAG" in response.get_data(as_text=True)


def test_security_headers_on_every_reply(client):
    for path in ("/", "/c/missing/", "/accessibility"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "nonce-" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["Referrer-Policy"]


def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz")
    data = response.get_json()
    assert response.status_code == 200
    assert data["database"] == "ok" and data["redis"] == "ok"
    assert "worker" in data


def test_no_crown_anywhere(client):
    body = client.get("/accessibility").get_data(as_text=True)
    assert "govuk-footer__crown" not in body and "govuk-logo" not in body
    assert "Crown copyright" not in body
    assert "Accessibility statement" in body
