"""Name normalisation: each step, and invariants over arbitrary text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from threatscape.resolve.sanctions.normalise import (
    country_code,
    fold,
    is_acronym,
    name_form,
    phonetic_key,
    split_acronym,
)


def test_transliteration_variants_meet() -> None:
    assert name_form("Noor Wali Masoud").tokens == name_form("NOOR WALI MEHSUD").tokens
    assert name_form("Tehreek-e-Taliban").tokens == name_form("Tehrik-i-Taliban").tokens
    assert name_form("Lashkar-e-Toiba").tokens == name_form("LASHKAR-E-TAYYIBA").tokens
    assert name_form("Al-Qaeda").tokens == name_form("AL-QAIDA").tokens


def test_particles_honorifics_and_demonyms() -> None:
    assert name_form("Jamaat-ul-Ahrar").tokens == ("jamat", "ahrar")
    mufti = name_form("Mufti Noor Wali")
    assert mufti.tokens == ("nur", "wali") and mufti.titles == ("mufti",)
    assert name_form("Mufti Noor Wali", person=False).titles == ()  # organisations keep every word
    assert name_form("Mehbooba Mufti").tokens[-1] == "mufti"  # only leading titles are titles
    assert name_form("Pakistani Taliban").tokens == ("pakistan", "taliban")
    assert name_form("Amir Khan Motaqi").tokens[0] == "amir"  # a given name as much as a title


def test_possessive_and_surname_first() -> None:
    assert name_form("Islamic State's Khorasan Province").tokens == ("islamic", "state", "korasan", "province")
    assert name_form("Omar, Ramzi").tokens == ("ramzi", "omar")


def test_acronyms() -> None:
    assert split_acronym("HAQQANI NETWORK (HQN)") == ("HAQQANI NETWORK", "HQN")
    assert split_acronym("HARAKAT UL-MUJAHIDIN / HUM") == ("HARAKAT UL-MUJAHIDIN", "HUM")
    assert split_acronym("X (Pvt) Ltd") == ("X (Pvt) Ltd", None)
    assert is_acronym("TTP") and is_acronym("JuA") and is_acronym("ISIL-K")
    assert not is_acronym("Imran") and not is_acronym("Taliban") and not is_acronym("Tehrik-e Taliban")


def test_phonetic_key_and_fold() -> None:
    assert phonetic_key("mesud") == phonetic_key("masud") == "msd"
    assert fold("Jama’at Ṭālibān") == "jamaat taliban"


def test_country_code() -> None:
    assert country_code("Pakistan") == "PK" and country_code("pk") == "PK"
    assert country_code("Afghan") == "AF"
    assert country_code("Iran (Islamic Republic of)") == "IR"
    assert country_code("Atlantis") is None and country_code(None) is None


@given(st.text(max_size=60))
def test_any_text_normalises_to_plain_words(text: str) -> None:
    form = name_form(text)
    assert all(t and t.isascii() and t.isalnum() for t in form.tokens)
    assert len(form.keys) == len(form.tokens)
