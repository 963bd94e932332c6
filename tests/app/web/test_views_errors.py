"""Error pages for people, the JSON error shape for the API."""
import logging

from app.auth.roles import Role
from tests.builders.web import web  # noqa: F401


def test_unknown_page_is_a_styled_404_with_a_way_back(web):
    response = web.signed_in(Role.VIEWER).get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in html and 'href="/"' in html and "aidledger.css" in html


def test_forbidden_page_explains_that_the_role_does_not_allow_it(web):
    response = web.signed_in(Role.VIEWER).get("/audit")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)


def test_server_error_page_hides_the_details_and_logs_them(web, app, monkeypatch, caplog):
    def broken_home():
        raise RuntimeError("database password is hunter2")

    client = web.signed_in(Role.ADMIN)
    monkeypatch.setitem(app.view_functions, "web.home", broken_home)
    with caplog.at_level(logging.ERROR):
        response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html and "hunter2" not in html
    assert any("unhandled error on GET /" in r.getMessage() for r in caplog.records)


def test_api_errors_keep_the_json_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"]["status"] == 404 and body["error"]["code"] == "not_found"


def test_error_pages_for_anonymous_users_offer_sign_in(client):
    response = client.get("/static/no-such-file.css")
    assert response.status_code == 404
    assert 'href="/login"' in response.get_data(as_text=True)
