"""/api/v1/auth: who am I, my tokens, revoking one."""
from sqlalchemy import select

from app.auth.models import ApiToken
from app.auth.roles import Role
from app.events.models import Event
from tests.builders.api import api, assert_error  # noqa: F401 - fixture
from tests.builders.programmes import malawi_agriculture_programme


def test_me_names_the_user_and_their_roles(api):
    programme_id = api.seed(lambda s: malawi_agriculture_programme(s).id)
    token = api.token(Role.PROGRAMME_MANAGER, programme_id, email="griet.janssens@vlaanderen.test")
    body = api.get("/api/v1/auth/me", token).get_json()
    assert body["email"] == "griet.janssens@vlaanderen.test"
    assert body["roles"] == [{"role": "programme_manager", "programme_id": programme_id}]
    assert "password_hash" not in body


def test_my_tokens_are_listed_without_secrets_and_only_mine(api):
    mine = api.token(Role.FINANCE)
    api.token(Role.VIEWER)
    response = api.get("/api/v1/auth/tokens", mine)
    tokens = response.get_json()
    assert len(tokens) == 1 and tokens[0]["current"] is True and tokens[0]["revoked"] is False
    assert mine.startswith(tokens[0]["prefix"])
    assert mine not in response.get_data(as_text=True)
    assert "token_hash" not in tokens[0]


def test_revoking_my_token_ends_it_and_is_recorded(api):
    token = api.token(Role.FINANCE)
    token_id = api.get("/api/v1/auth/tokens", token).get_json()[0]["id"]
    assert api.delete(f"/api/v1/auth/tokens/{token_id}", token).status_code == 204
    assert_error(api.get("/api/v1/auth/me", token), 401)
    event = api.query(lambda s: s.scalar(select(Event).where(Event.type == "ApiTokenRevoked")))
    assert event.aggregate_id == str(token_id)
    assert token not in str(event.payload) and set(event.payload) == {"user_id", "name"}


def test_revoking_twice_is_harmless(api):
    token = api.token(Role.FINANCE)
    spare = api.seed(lambda s: _second_token(s, "finance@vlaanderen.test"))
    spare_id = api.query(lambda s: s.scalar(select(ApiToken.id).where(ApiToken.name == "spare")))
    assert api.delete(f"/api/v1/auth/tokens/{spare_id}", token).status_code == 204
    assert api.delete(f"/api/v1/auth/tokens/{spare_id}", token).status_code == 204
    assert api.query(lambda s: len(s.scalars(select(Event).where(Event.type == "ApiTokenRevoked")).all())) == 1
    assert_error(api.get("/api/v1/auth/me", spare), 401)
    assert api.get("/api/v1/auth/me", token).status_code == 200


def _second_token(session, email):
    from app.auth.models import User

    token, secret = ApiToken.issue(session.scalar(select(User).where(User.email == email)), "spare")
    session.add(token)
    return secret


def test_someone_elses_token_cannot_be_revoked(api):
    victim = api.token(Role.ADMIN)
    attacker = api.token(Role.VIEWER)
    victim_id = api.query(lambda s: s.scalar(select(ApiToken.id).order_by(ApiToken.id)))
    events = api.count(Event)
    assert_error(api.delete(f"/api/v1/auth/tokens/{victim_id}", attacker), 404)
    for path in ("424242", "-1", "0", "9" * 12):
        assert_error(api.delete(f"/api/v1/auth/tokens/{path}", attacker), 404)
    assert api.get("/api/v1/auth/me", victim).status_code == 200
    assert api.count(Event) == events


def test_tokens_cannot_be_minted_over_the_api(api):
    token = api.token(Role.ADMIN)
    assert_error(api.post("/api/v1/auth/tokens", token, {"name": "persistence"}), 405)
    assert api.count(ApiToken) == 1


def test_the_bearer_scheme_is_case_insensitive(api):
    token = api.token(Role.VIEWER, email="jan.claes@vlaanderen.test")
    for scheme in ("bearer", "BEARER", "Bearer"):
        response = api.get("/api/v1/auth/me", headers={"Authorization": f"{scheme} {token}"})
        assert response.status_code == 200, scheme
        assert response.get_json()["email"] == "jan.claes@vlaanderen.test"
    assert_error(api.get("/api/v1/auth/me", headers={"Authorization": f"Basic {token}"}), 401)
