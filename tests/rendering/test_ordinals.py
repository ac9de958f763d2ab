

def test_feminine_ordinals_for_disposiciones():
    from docsys.rendering.ordinals import ordinal_upper_feminine
    assert ordinal_upper_feminine(1) == "PRIMERA"
    assert ordinal_upper_feminine(3) == "TERCERA"
    assert ordinal_upper_feminine(12) == "DÉCIMA SEGUNDA"
    assert ordinal_upper_feminine(21) == "VIGÉSIMA PRIMERA"


def test_feminine_numbering_label():
    from docsys.rendering.layout import item_label
    assert item_label("ordinal_feminine", 2) == "SEGUNDA.-"
