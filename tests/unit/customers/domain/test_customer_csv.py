"""Reading customer import CSV files (pure)."""

from __future__ import annotations

import pytest

from openvoucher.customers.domain.customer_csv import CsvError, header, rows


def test_standard_columns_address_and_metadata() -> None:
    """Standard headers match in any case; address columns nest; others are metadata."""
    text = "SOURCE_ID,Name,Address_Postal_Code,Id,Color\nann,Ann,10115,cust_1,red\n,,,,\n"
    (row,) = list(rows(text))
    assert row.line == 2
    assert row.fields == {
        "name": "Ann",
        "source_id": "ann",
        "address": {"postal_code": "10115"},
        "metadata": {"Color": "red"},
    }


def test_bad_rows_and_headers() -> None:
    """Long values and extra cells fail their row; an empty or duplicated header fails the file."""
    text = f"source_id,name\nbob,{'x' * 301}\ncat,Cat,extra\n"
    first, second = rows(text)
    assert (first.line, first.source_id, first.error) == (
        2,
        "bob",
        "name is longer than 300 characters",
    )
    assert (second.line, second.error) == (3, "The row has more cells than the header")
    for bad in ("\n", "name,Name\n", "name,,x\n"):
        with pytest.raises(CsvError):
            header(bad)
