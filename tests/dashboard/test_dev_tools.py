"""With dev features: the project clock (show, advance, reset) and project reset from the
dashboard; without them the pages are not there."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.dashboard.conftest import csrf_of, sign_in
from tests.support.server import Project, RunningServer, new_project, start_server


@pytest.fixture(scope="module")
def dev_server(database_url: str) -> Iterator[RunningServer]:
    """A second server on the same database, with dev features on."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    running = start_server(database_url, backend, dev_features=True, run_relay=False)
    yield running
    running.stop()


def test_clock_advances_and_resets(dev_server: RunningServer) -> None:
    """Advancing moves the project's clock; a bad duration is refused at its field."""
    project = new_project(dev_server, "clock project")
    with sign_in(project.base_url, project.app_id, project.app_token) as dash:
        path = f"/dashboard/p/{project.id}/developers/clock"
        page = dash.get(path).text
        before = page.split('<dd id="now">')[1].split("<")[0]
        token = csrf_of(page)
        bad = dash.post(path, data={"csrf": token, "advance": "a while"})
        assert bad.status_code == 422
        assert 'value="a while"' in bad.text
        moved = dash.post(path, data={"csrf": token, "advance": "30d"})
        after = moved.text.split('<dd id="now">')[1].split("<")[0]
        assert after[:10] > before[:10]
        reset = dash.post(path, data={"csrf": token, "reset": "true"})
        assert reset.status_code == 303
        now = dash.get(path).text.split('<dd id="now">')[1].split("<")[0]
        assert now[:10] == before[:10]


def test_project_reset_needs_the_name(dev_server: RunningServer) -> None:
    """Resetting empties the project only when its name is typed."""
    project = new_project(dev_server, "reset me")
    with project.client() as http:
        http.post("/v1/customers", json={"source_id": "gone"})
        with sign_in(project.base_url, project.app_id, project.app_token) as dash:
            path = f"/dashboard/p/{project.id}/developers/reset"
            token = csrf_of(dash.get(f"/dashboard/p/{project.id}/developers/clock").text)
            refused = dash.post(path, data={"csrf": token, "confirm": "wrong"})
            assert refused.status_code == 422
            assert http.get("/v1/customers").json()["total"] == 1
            done = dash.post(path, data={"csrf": token, "confirm": "reset me"})
            assert done.status_code == 303
        assert http.get("/v1/customers").json()["total"] == 0


def test_no_clock_without_dev_features(project: Project, dash: httpx.Client) -> None:
    """The ordinary server has no clock page and no reset."""
    assert dash.get(f"/dashboard/p/{project.id}/developers/clock").status_code == 404
    token = csrf_of(dash.get(f"/dashboard/p/{project.id}").text)
    reply = dash.post(
        f"/dashboard/p/{project.id}/developers/reset", data={"csrf": token, "confirm": "x"}
    )
    assert reply.status_code == 404
