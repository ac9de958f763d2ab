import pytest
pytestmark = pytest.mark.browser
def test_shots(new_page, make_draft, screenshot, live_server):
    doc = make_draft()
    anon = new_page()
    anon.goto("/ingresar"); screenshot(anon, "p-login")
    page = new_page("redactora")
    screenshot(page, "p-inbox")
    page.goto("/documentos/nuevo"); screenshot(page, "p-choose")
    page.goto("/documentos/nuevo/resolucion-gerencia-municipal"); screenshot(page, "p-create")
    page.goto(f"/documentos/{doc}"); page.wait_for_timeout(300); screenshot(page, "p-editor-top")
    page.goto(f"/documentos/{doc}/historial"); screenshot(page, "p-history")
    page.goto(f"/documentos/{doc}/versiones/1"); screenshot(page, "p-version")
    page.goto(f"/documentos/999"); screenshot(page, "p-404")
    m = new_page("redactora", width=390, height=844)
    m.goto(f"/documentos/{doc}"); m.wait_for_timeout(300); screenshot(m, "p-mobile")
    m.evaluate("window.scrollTo(0, 2400)"); screenshot(m, "p-mobile2")
    t = new_page("redactora", width=1024, height=768)
    t.goto(f"/documentos/{doc}"); t.wait_for_timeout(300); screenshot(t, "p-tablet")
