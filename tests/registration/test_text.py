from symposia.registration.text import clean_typed, fold, matches


def test_fold_drops_accents_and_case():
    assert fold("Zoë ÅNGSTRÖM Łukasz") == "zoe angstrom łukasz"


def test_matches_every_word_anywhere():
    assert matches("angstrom zoe", "Zoë Ångström", "zoe@example.org")
    assert matches("lyon", "Zoë", "", "Université de Lyon")
    assert not matches("zoe smith", "Zoë Ångström")
    assert matches("", "anything")


def test_clean_typed_drops_bidi_overrides_and_controls():
    assert clean_typed("\u202eevil\u202c Name\u2066x\u2069") == "evil Namex"
    assert clean_typed("Zoë\x07\x1b Å") == "Zoë Å"
    assert clean_typed("two\r\nlines\tand tab") == "two lines and tab"


def test_clean_typed_keeps_right_to_left_text_and_marks_and_lines_when_asked():
    assert clean_typed("אוניברסיטת תל אביב\u200f") == "אוניברסיטת תל אביב\u200f"
    assert clean_typed("محمد حسن") == "محمد حسن"
    assert clean_typed(" a\r\nb\tc \x00", multiline=True) == "a\nb\tc"
