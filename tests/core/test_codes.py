import pytest

from mediadesk.catalog.codes import CodeStore
from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.services.codes import CodeTable, export_codes, import_codes, parse_code_text, read_code_file, set_code


def test_expand_known_unknown_case_and_columns():
    table = CodeTable({"rutte": "NATO Secretary General Mark Rutte",
                       "duda": "Andrzej Duda, President of Poland\tDuda\tAndrzej"})
    assert table.expand("=rutte= meets =duda=") == (
        "NATO Secretary General Mark Rutte meets Andrzej Duda, President of Poland")
    assert table.expand("=RUTTE=") == "NATO Secretary General Mark Rutte"
    assert table.expand("=duda#2= / =duda#3= / =duda#9=") == "Duda / Andrzej / =duda#9="
    assert table.expand("2 + 2 = 4, =nobody= stays") == "2 + 2 = 4, =nobody= stays"
    assert table.unknown_in("=rutte= =nobody=") == ["=nobody="]


def test_tsv_import_reports_malformed_lines_with_numbers(catalog, tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text(
        "# Photo Mechanic codes\n"
        "rutte\tNATO Secretary General Mark Rutte\n"
        "\n"
        "duda Andrzej Duda\n"            # spaces, no tab
        "=vucic=\tAleksandar Vučić, President of Serbia\n"
        "empty\t\n"                      # no expansion
        "two words\tx\n"                 # space in code
        "rutte\tMark Rutte\n",           # duplicate: later wins, reported
        encoding="utf-8")
    parsed = import_codes(catalog, path)
    assert CodeStore(catalog).all() == {"rutte": "Mark Rutte",
                                        "vucic": "Aleksandar Vučić, President of Serbia"}
    messages = "\n".join(parsed.errors)
    assert "codes.txt line 4: no tab" in messages
    assert "line 6" in messages and "no expansion" in messages
    assert "line 7" in messages and "spaces" in messages
    assert "line 8" in messages and "line 2" in messages
    assert len(parsed.errors) == 4


def test_file_without_good_lines_imports_nothing(catalog, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("just text\nmore text\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 1"):
        import_codes(catalog, path)
    assert CodeStore(catalog).all() == {}
    with pytest.raises(NotFound):
        import_codes(catalog, tmp_path / "missing.txt")
    binary = tmp_path / "x.jpg"
    binary.write_bytes(b"\xff\xd8\x00\x00\x10")
    with pytest.raises(InvalidInput, match="not a text file"):
        read_code_file(binary)


def test_windows_ansi_and_crlf_files(tmp_path):
    path = tmp_path / "pm.txt"
    path.write_bytes("zel\tVolodymyr Zelensky\r\nbr\tBrüssel\r\n".encode("cp1252"))
    parsed = read_code_file(path)
    assert parsed.encoding == "cp1252"
    assert parsed.entries == {"zel": "Volodymyr Zelensky", "br": "Brüssel"}


def test_export_round_trip(catalog, tmp_path):
    set_code(catalog, "kb", "Kęstutis Budrys, Minister of Foreign Affairs of Lithuania")
    set_code(catalog, "dj", "Đorđe Đorđević\tĐorđević")
    out = tmp_path / "out.txt"
    assert export_codes(catalog, out) == 2
    text = out.read_text(encoding="utf-8")
    assert "kb\tKęstutis Budrys, Minister of Foreign Affairs of Lithuania\n" in text
    assert parse_code_text(text).entries == CodeStore(catalog).all()


def test_replace_all(catalog, tmp_path):
    set_code(catalog, "old", "Old")
    path = tmp_path / "c.txt"
    path.write_text("new\tNew\n", encoding="utf-8")
    import_codes(catalog, path, replace_all=True)
    assert CodeStore(catalog).all() == {"new": "New"}


def test_bad_code_names_are_refused(catalog):
    with pytest.raises(InvalidInput, match="cannot contain"):
        set_code(catalog, "a b", "x")
    with pytest.raises(InvalidInput, match="needs an expansion"):
        set_code(catalog, "ab", "  ")
