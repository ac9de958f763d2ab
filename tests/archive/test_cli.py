"""`flask docsys import DIR`: progress on stderr, a summary (or --json) on stdout, exit 0
when it finished, the index caught up before it exits."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from docsys.archive import service
from docsys.models import Document
from tests.conftest import make_test_app


def _folder(tmp_path, pdf_of, docx_of):
    folder = tmp_path / "archivo"
    folder.mkdir()
    (folder / "RA.pdf").write_bytes(pdf_of(0))
    (folder / "RGM.docx").write_bytes(docx_of(1))
    (folder / "roto.docx").write_bytes(b"no es un zip")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # hidden: not a norm
    return folder


def test_import_prints_a_summary_and_exits_0_with_failures(app, tmp_path, pdf_of, docx_of, norms):
    folder = _folder(tmp_path, pdf_of, docx_of)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["docsys", "import", str(folder)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Importados: 2 (0 para revisar, 0 con OCR)" in out
    assert "RA.pdf -> documento" in out and norms[0].heading in out
    assert "Duplicados omitidos: 0" in out
    assert "Fallidos: 1" in out and "roto.docx: «roto.docx» tiene extensión .docx" in out
    assert "Importando" in result.stderr and "3/3" in result.stderr  # tqdm: done, rate, eta
    assert "archivos/s" in result.stderr
    # Searchable as soon as the command returns: its last step caught the index up.
    search = app.extensions["docsys.search"]
    assert search.pending() == 0
    found = runner.invoke(args=["docsys", "search", "--public",
                                f"resolución de alcaldía {norms[0].number}-{norms[0].year}"])
    assert norms[0].heading in found.stdout


def test_json_summary_and_a_second_run_skips_everything(app, tmp_path, pdf_of, docx_of):
    folder = _folder(tmp_path, pdf_of, docx_of)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["docsys", "import", str(folder), "--json", "--quiet"])
    assert first.exit_code == 0 and first.stderr == ""
    summary = json.loads(first.stdout)
    assert summary["counts"] == {"imported": 2, "duplicates": 0, "failed": 1,
                                 "needs_review": 0, "ocr": 0}
    assert summary["failed"][0]["code"] == "docx_not_zip"
    assert {f["filename"] for f in summary["imported"]} == {"RA.pdf", "RGM.docx"}
    assert all(f["document_id"] and f["sha256"] for f in summary["imported"])
    again = json.loads(runner.invoke(args=["docsys", "import", str(folder), "--json",
                                           "--quiet"]).stdout)
    assert again["counts"]["imported"] == 0 and again["counts"]["duplicates"] == 2
    assert again["batch_id"] == summary["batch_id"] + 1
    with app.extensions["docsys.sessions"]() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 2


def test_size_limit_option(app, tmp_path, pdf_of, docx_of):
    folder = _folder(tmp_path, pdf_of, docx_of)
    result = app.test_cli_runner().invoke(
        args=["docsys", "import", str(folder), "--json", "--quiet", "--max-size", "0.005"])
    summary = json.loads(result.stdout)
    assert {f["code"] for f in summary["failed"]} == {"too_large", "docx_not_zip"}


def test_ctrl_c_keeps_what_was_done_and_exits_130(app, tmp_path, pdf_of, docx_of, monkeypatch):
    folder = _folder(tmp_path, pdf_of, docx_of)
    real = service.import_path
    calls = []

    def interrupted(*args):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(service, "import_path", interrupted)
    result = app.test_cli_runner().invoke(args=["docsys", "import", str(folder)])
    assert result.exit_code == 130
    assert "Importados: 1" in result.stdout and "interrumpida" in result.stderr
    monkeypatch.setattr(service, "import_path", real)
    resumed = app.test_cli_runner().invoke(args=["docsys", "import", str(folder), "--json"])
    counts = json.loads(resumed.stdout)["counts"]
    assert counts["imported"] == 1 and counts["duplicates"] == 1


def test_errors_exit_1_in_spanish(app, tmp_path, pdf_of, docx_of):
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["docsys", "import", str(tmp_path / "no-existe")])
    assert missing.exit_code == 1 and "no existe" in missing.stderr
    folder = _folder(tmp_path, pdf_of, docx_of)
    drafter = runner.invoke(args=["docsys", "import", str(folder), "--user", "redactor"])
    assert drafter.exit_code == 1 and "no tiene el rol archivist" in drafter.stderr
    nobody = runner.invoke(args=["docsys", "import", str(folder), "--user", "nadie"])
    assert nobody.exit_code == 1 and "no existe" in nobody.stderr


def test_without_any_archivist_it_says_how_to_create_one(tmp_path, pdf_of, docx_of):
    fresh = make_test_app(f"sqlite:///{tmp_path / 'vacia.db'}", tmp_path)
    runner = fresh.test_cli_runner()
    assert runner.invoke(args=["docsys", "init"]).exit_code == 0
    result = runner.invoke(args=["docsys", "import", str(_folder(tmp_path, pdf_of, docx_of))])
    assert result.exit_code == 1 and "--role archivist" in result.stderr
    fresh.extensions["docsys.engine"].dispose()
