import csv

import pytest

from mediadesk.catalog.assets import AssetStore
from mediadesk.domain.errors import InvalidInput
from mediadesk.services.csv_io import export_csv, import_csv, protect_cell, unprotect_cell
from mediadesk.services.edits import undo

from tests.support.factories import insert


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_round_trip_with_edits(catalog, tmp_path):
    a = insert(catalog, caption="Vučić in Łódź", keywords=["Places|Europe|Poland", "NATO"], rating=3)
    b = insert(catalog, caption="Kęstutis Budrys", city="Vilnius")
    path = tmp_path / "out.csv"
    assert export_csv(catalog, [a, b], path, ["caption", "keywords", "city", "rating"]) == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _rows(path)
    assert rows[0] == ["id", "file_name", "caption", "keywords", "city", "rating"]
    assert rows[1][3] == "Places|Europe|Poland; NATO"
    # unchanged file: nothing to do
    assert import_csv(catalog, path).preview == []
    rows[1][2] = "Vučić in Łódź, Poland"
    rows[2][4] = "Žemaitija"
    rows[1][3] = "NATO; summit"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    preview = import_csv(catalog, path, dry_run=True)
    assert {(p[0], p[1]) for p in preview.preview} == {(a, "caption"), (a, "keywords"), (b, "city")}
    assert AssetStore(catalog).get(a).caption == "Vučić in Łódź"
    result = import_csv(catalog, path)
    assert AssetStore(catalog).get(a).keywords == ("NATO", "summit")
    assert AssetStore(catalog).get(b).city == "Žemaitija"
    assert result.operation_id is not None
    undo(catalog)
    assert AssetStore(catalog).get(b).city == "Vilnius"


def test_bad_rows_are_reported_not_guessed(catalog, tmp_path):
    a = insert(catalog, caption="one", file_name="a.jpg")
    b = insert(catalog, caption="two", file_name="b.jpg")
    path = tmp_path / "edit.csv"
    path.write_text(
        "id,file_name,caption,rating,date_created\n"
        f"{a},a.jpg,new one,4,2025-06-24\n"          # good
        f"{b},WRONG.jpg,new two,,\n"                  # file name mismatch
        "999,x.jpg,ghost,,\n"                         # no such asset
        "abc,a.jpg,x,,\n"                             # not an id
        f"{b},b.jpg,x,seven,24/06/2025\n"             # bad rating and date
        f"{a},a.jpg,again,,\n"                        # duplicate id
        f"{b},b.jpg\n",                               # short row
        encoding="utf-8")
    result = import_csv(catalog, path)
    assert AssetStore(catalog).get(a).caption == "new one"
    assert AssetStore(catalog).get(a).rating == 4
    assert AssetStore(catalog).get(b).caption == "two"
    text = "\n".join(result.problems)
    assert len(result.problems) == 6
    for expected in ("line 3", "WRONG.jpg", "line 4: there is no asset with id 999", "line 5",
                     "line 6", "seven", "24/06/2025", "line 7", "already has a row on line 2", "line 8"):
        assert expected in text


def test_formula_injection_is_neutralised_and_reversed(catalog, tmp_path):
    a = insert(catalog, caption="=HYPERLINK(\"http://evil\")", headline="-5 dead", title="'=quoted",
               city="+48 Warszawa", source="@agency")
    path = tmp_path / "f.csv"
    export_csv(catalog, [a], path, ["caption", "headline", "title", "city", "source", "rating"])
    row = _rows(path)[1]
    assert row[2].startswith("'=") and row[3] == "'-5 dead" and row[4] == "''=quoted"
    assert row[5] == "'+48 Warszawa" and row[6] == "'@agency"
    assert import_csv(catalog, path).preview == []  # the quotes come off again: no change
    assert unprotect_cell(protect_cell("-1")) == "-1" and protect_cell("-1") == "-1"


def test_semicolon_csv_from_european_excel(catalog, tmp_path):
    a = insert(catalog, caption="x")
    path = tmp_path / "semi.csv"
    path.write_text(f"id;caption\n{a};Brussels; Belgium\n", encoding="utf-8-sig")
    # the cell holds an unquoted ';' -> a column count problem, reported with the line
    result = import_csv(catalog, path)
    assert "line 2" in result.problems[0]
    path.write_text(f'id;caption\n{a};"Brussels; Belgium"\n', encoding="utf-8-sig")
    import_csv(catalog, path)
    assert AssetStore(catalog).get(a).caption == "Brussels; Belgium"


def test_header_and_encoding_errors(catalog, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("file_name,caption\nx.jpg,y\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="no \"id\" column"):
        import_csv(catalog, path)
    path.write_text("id,captoin\n1,y\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown column"):
        import_csv(catalog, path)
    path.write_bytes("id,caption\n1,Łódź\n".encode("cp1250"))
    with pytest.raises(InvalidInput, match="line 2 is not UTF-8"):
        import_csv(catalog, path)
