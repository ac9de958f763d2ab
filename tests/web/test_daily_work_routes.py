"""The administrator's institution pages over HTTP: local holidays and the official name of
each year; the audit page shows details as people read them."""
from __future__ import annotations


def test_admin_keeps_holidays_and_year_names_and_reads_the_audit(browser):
    admin, rosa = browser("admin"), browser("redactor")
    assert rosa.client.get("/admin/feriados").status_code == 403
    assert rosa.post_form("/admin/anios", {"year": "2027", "name": "x"}).status_code == 403

    bad = admin.post_form("/admin/feriados", {"day": "31/02/2026", "name": "Mal"})
    assert bad.status_code == 400 and "dd/mm/aaaa" in bad.get_data(as_text=True)
    ok = admin.post_form("/admin/feriados", {"day": "2026-10-12", "name": "Fiesta patronal"},
                         follow_redirects=True)
    page = ok.get_data(as_text=True)
    assert "12/10/2026 — Fiesta patronal" in page and "Inmaculada Concepción" in page
    again = admin.post_form("/admin/feriados", {"day": "2026-10-12", "name": "Otra vez"})
    assert again.status_code == 400 and "ya figura" in again.get_data(as_text=True)

    names = admin.client.get("/admin/anios").get_data(as_text=True)
    assert "Año de la Esperanza y el Fortalecimiento de la Democracia" in names
    saved = admin.post_form("/admin/anios", {"year": "2027", "name": "Año de la prueba"},
                            follow_redirects=True)
    assert "Año de la prueba" in saved.get_data(as_text=True)
    assert admin.post_form("/admin/anios", {"year": "dos mil", "name": "x"}).status_code == 400

    audit = admin.client.get("/admin/auditoria").get_data(as_text=True)
    assert "holiday: Fiesta patronal" in audit and "\\u00" not in audit
