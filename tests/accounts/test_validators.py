import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from symposia.accounts.validators import normalise_orcid, orcid_check_character, validate_orcid


@pytest.mark.parametrize(
    "orcid",
    [
        "0000-0002-1825-0097",  # ORCID's documentation example
        "0000-0001-5109-3700",
        "0000-0002-1694-233X",  # check character X (10)
    ],
)
def test_valid_orcid_ids_pass(orcid):
    validate_orcid(orcid)


@pytest.mark.parametrize(
    ("orcid", "code"),
    [
        ("0000-0002-1825-0098", "orcid_checksum"),
        ("0000-0002-1694-2330", "orcid_checksum"),
        ("0000-0001-5109-370X", "orcid_checksum"),
        ("0000-0002-1825-009", "orcid_format"),
        ("0000000218250097", "orcid_format"),
        ("0000-0002-1694-233x", "orcid_format"),
        ("O000-0002-1825-0097", "orcid_format"),
        ("0000-0002-1825-0097 ", "orcid_format"),
        ("٠٠٠٠-٠٠٠٢-١٨٢٥-٠٠٩٧", "orcid_format"),  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_invalid_orcid_ids_are_refused_with_a_reason(orcid, code):
    with pytest.raises(ValidationError) as error:
        validate_orcid(orcid)

    assert error.value.code == code


def test_blank_orcid_is_left_to_the_field():
    validate_orcid("")


def test_check_character_of_orcid_documentation_example():
    assert orcid_check_character("000000021825009") == "7"
    assert orcid_check_character("000000021694233") == "X"


def test_check_character_refuses_non_digits():
    with pytest.raises(ValueError):
        orcid_check_character("00000002182500A")


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("http://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("orcid.org/0000-0002-1694-233x", "0000-0002-1694-233X"),
        ("  0000000216942 33x".replace(" ", ""), "0000-0002-1694-233X"),
        (" 0000-0001-5109-3700 ", "0000-0001-5109-3700"),
        ("not an orcid", "NOT AN ORCID"),
    ],
)
def test_normalise_orcid(typed, canonical):
    assert normalise_orcid(typed) == canonical


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_generated_ids_validate(digits):
    orcid = digits + orcid_check_character(digits)

    validate_orcid("-".join(orcid[i : i + 4] for i in range(0, 16, 4)))


@given(
    st.text(alphabet="0123456789", min_size=15, max_size=15),
    st.integers(min_value=0, max_value=14),
    st.integers(min_value=1, max_value=9),
)
def test_every_single_digit_error_is_detected(digits, position, shift):
    """ISO 7064 MOD 11-2 detects all single substitution errors."""
    check = orcid_check_character(digits)
    wrong = digits[:position] + str((int(digits[position]) + shift) % 10) + digits[position + 1 :]

    assert orcid_check_character(wrong) != check
