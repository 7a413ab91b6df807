from symposia.registration.text import fold, matches


def test_fold_drops_accents_and_case():
    assert fold("Zoë ÅNGSTRÖM Łukasz") == "zoe angstrom łukasz"


def test_matches_every_word_anywhere():
    assert matches("angstrom zoe", "Zoë Ångström", "zoe@example.org")
    assert matches("lyon", "Zoë", "", "Université de Lyon")
    assert not matches("zoe smith", "Zoë Ångström")
    assert matches("", "anything")
