"""Passages two texts share."""
from docsys.compliance.passages import Words, common_runs


def test_shared_runs_ignore_accents_case_and_spacing():
    a = Words.of("Primero. APROBAR el Plan Anual de Contrataciones de la Municipalidad "
                 "Distrital de Megantoni para el año fiscal 2026. Otra cosa distinta aquí.")
    b = Words.of("Se resuelve aprobar el plan anual de   contrataciones de la municipalidad "
                 "distrital de megantoni para el ano fiscal 2026, con cargo al canon.")
    (run,) = common_runs(a, b)
    assert run.words == 17
    assert a.snippet(run.a, run.words).startswith("APROBAR el Plan Anual")
    assert b.snippet(run.b, run.words).endswith("fiscal 2026")
    assert (run.a, run.b) == (1, 2)


def test_short_or_unrelated_texts_share_nothing():
    assert common_runs(Words.of("uno dos tres"), Words.of("uno dos tres")) == []
    assert common_runs(Words.of("a b c d e f g h i j"), Words.of("k l m n o p q r s t")) == []
