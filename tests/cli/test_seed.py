"""``openvoucher seed FILE`` and ``openvoucher reset`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

from openvoucher.testing import OpenvoucherServer
from tests.cli.dev_server import dev_server, run_cli

__all__ = ["dev_server"]

FIXTURES = """
customers:
  - {source_id: ana, name: Ana, email: ana@example.com}
categories:
  - {name: seasonal, hierarchy: 1}
locations:
  - name: Downtown
    shape: {type: circle, distance: {center: "geo:52.52,13.405", radius: "2.5 km"}}
  - name: Old town
    shape:
      type: polygon
      geojson: {type: Polygon, coordinates: [[[13.40, 52.51], [13.42, 52.51], [13.41, 52.53]]]}
campaigns:
  - name: Winter
    campaign_type: DISCOUNT_COUPONS
    type: STATIC
    voucher: {type: DISCOUNT_VOUCHER, discount: {type: AMOUNT, amount_off: 500}}
    vouchers:
      - {code: WINTER-1}
      - {code: WINTER-2}
vouchers:
  - {code: GIFT-100, type: GIFT_VOUCHER, gift: {amount: 10000}}
loyalty_programs:
  - name: Stars
    voucher:
      type: LOYALTY_CARD
      loyalty_card: {points: 0}
      code_config: {pattern: "ST-#####"}
    members:
      - {customer: {source_id: ana}, points: 150}
"""


def test_seed_then_reset(dev_server: OpenvoucherServer, tmp_path: Path) -> None:
    """Seeding creates every object through the API; reset empties the project, keys survive."""
    path = tmp_path / "fixtures.yaml"
    path.write_text(FIXTURES)
    output = run_cli(dev_server, "seed", str(path))
    assert "1 customer(s)" in output
    assert "3 voucher(s)" in output
    assert "1 member(s)" in output
    assert "2 location(s)" in output
    with dev_server.client() as http:
        assert http.get("/v1/customers/ana").json()["email"] == "ana@example.com"
        assert http.get("/v1/campaigns/Winter").json()["vouchers_count"] == 2
        assert http.get("/v1/vouchers/WINTER-2").json()["discount"]["amount_off"] == 500
        assert http.get("/v1/vouchers/GIFT-100").json()["gift"]["balance"] == 10000
        stars = http.get("/v1/loyalties").json()["campaigns"][0]
        cards = http.get(f"/v1/loyalties/{stars['id']}/members").json()["vouchers"]
        assert cards[0]["loyalty_card"]["balance"] == 150
        places = http.get("/v1/locations", params={"order": "created_at"}).json()["data"]
        assert [p["name"] for p in places] == ["Downtown", "Old town"]
        assert places[0]["shape"]["distance"] == {"center": "geo:52.52,13.405", "radius": "2.5 km"}
        assert places[1]["shape"]["geojson"]["coordinates"][0][-1] == [13.40, 52.51]
        database = dev_server.env["OPENVOUCHER_DATABASE_URL"]
        emptied = run_cli(dev_server, "reset", "--yes", "--database-url", database)
        assert f"project {dev_server.project_id} emptied" in emptied
        assert http.get("/v1/customers/ana").status_code == 404
        assert http.get("/v1/vouchers").json()["total"] == 0
        assert http.get("/v1/campaigns").json()["total"] == 0
        assert http.get("/v1/locations").json()["total"] == 0


def test_seed_refuses_unknown_sections(dev_server: OpenvoucherServer, tmp_path: Path) -> None:
    """A misspelled section is reported, nothing is created."""
    path = tmp_path / "bad.json"
    path.write_text('{"custmers": []}')
    output = run_cli(dev_server, "seed", str(path), check=False)
    assert "Unknown sections: custmers" in output


AGAIN = """
customers:
  - {source_id: bo, name: Bo}
categories:
  - {name: again-cat, hierarchy: 1}
campaigns:
  - name: Again
    campaign_type: DISCOUNT_COUPONS
    type: STATIC
    voucher: {type: DISCOUNT_VOUCHER, discount: {type: AMOUNT, amount_off: 100}}
    vouchers:
      - {code: AGAIN-1}
loyalty_programs:
  - name: Again club
    voucher: {type: LOYALTY_CARD, loyalty_card: {points: 0}, code_config: {pattern: "AG-#####"}}
    members:
      - {customer: {source_id: bo}, points: 20}
"""


def test_seeding_again_changes_nothing(dev_server: OpenvoucherServer, tmp_path: Path) -> None:
    """A second run matches every object by source id, name or code and creates nothing; a
    customer made beforehand is matched on the first run too."""
    with dev_server.client() as http:
        assert http.post("/v1/customers", json={"source_id": "bo"}).status_code == 200
    path = tmp_path / "again.yaml"
    path.write_text(AGAIN)
    first = run_cli(dev_server, "seed", str(path))
    assert "seeded 1 category(s), 1 campaign(s), 1 voucher(s)" in first
    assert "already there, left as they are: 1 customer(s)" in first
    second = run_cli(dev_server, "seed", str(path))
    assert f"seeded nothing from {path}" in second
    assert "1 campaign(s), 1 voucher(s), 1 loyalty program(s), 1 member(s)" in second
    with dev_server.client() as http:
        club = next(
            c for c in http.get("/v1/loyalties").json()["campaigns"] if c["name"] == "Again club"
        )
        cards = http.get(f"/v1/loyalties/{club['id']}/members").json()["vouchers"]
        assert [card["loyalty_card"]["balance"] for card in cards] == [20]
        names = [c["name"] for c in http.get("/v1/categories").json()["data"]]
        assert names.count("again-cat") == 1


def test_a_failing_item_undoes_the_run(dev_server: OpenvoucherServer, tmp_path: Path) -> None:
    """A refused item stops the run with the file and item named; what the run created is
    removed again, so the file can be fixed and seeded from scratch."""
    path = tmp_path / "broken.yaml"
    path.write_text(
        "customers:\n  - {source_id: cy}\n"
        "vouchers:\n  - {code: OK-1, type: DISCOUNT_VOUCHER,"
        " discount: {type: AMOUNT, amount_off: 100}}\n"
        "  - {code: BAD-1, type: TELEPORT_VOUCHER}\n"
    )
    output = run_cli(dev_server, "seed", str(path), check=False)
    assert f"Error: {path}: vouchers[1]: 400 " in output
    assert "nothing seeded (removed the 2 object(s) this run created)" in output
    with dev_server.client() as http:
        assert http.get("/v1/customers/cy").status_code == 404
        assert http.get("/v1/vouchers/OK-1").status_code == 404


def test_file_mistakes_are_one_line(dev_server: OpenvoucherServer, tmp_path: Path) -> None:
    """Malformed YAML and an item without the field it is matched by are one line each,
    naming the file, the place and the field."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("customers:\n  - {source_id: ana\n  - name: x\n")
    output = run_cli(dev_server, "seed", str(broken), check=False)
    assert output.startswith(f"Error: {broken}: not valid YAML: line ")
    assert len(output.strip().splitlines()) == 1
    nameless = tmp_path / "nameless.json"
    nameless.write_text('{"campaigns": [{"name": "A", "vouchers": [{"active": true}]}]}')
    output = run_cli(dev_server, "seed", str(nameless), check=False)
    assert output.strip() == (
        f"Error: {nameless}: campaigns[0].vouchers[0]: 'code' is required "
        "(seeding again matches it by that)"
    )
