"""The word lists from the other UN languages to the texts' English words (`retrieval/lexicon.py`)."""

import pytest

from assistant.config import Settings
from assistant.errors import CorpusError
from assistant.retrieval.lexicon import Lexicon


@pytest.fixture
def lexicon(tmp_path):
    (tmp_path / "fr.tsv").write_text("# French\nconfisqué\tconfiscation\navoirs\tassets\npartage\tsharing\nréseau\tnetwork\n",
                                     encoding="utf-8")
    (tmp_path / "es.tsv").write_text("decomiso\tconfiscation\nlavado\tlaundering\n", encoding="utf-8")
    (tmp_path / "ru.tsv").write_text("оборот\ttrafficking\nнезаконный\tillicit\n", encoding="utf-8")
    (tmp_path / "ar.tsv").write_text("غير مشروع\tillicit\nاتجار\ttrafficking\n", encoding="utf-8")
    (tmp_path / "zh.tsv").write_text("贩运\ttrafficking\n非法贩运\tillicit\n非法贩运\ttrafficking\n非法\tillicit\n",
                                     encoding="utf-8")
    return Lexicon.load(tmp_path)


def test_french_words_with_or_without_accents_and_with_their_endings(lexicon):
    assert lexicon.english("Que disent les textes sur le partage des avoirs confisqués ?", "fr") == (
        "sharing", "assets", "confiscation")
    assert lexicon.english("reseau des avoirs confisques", "fr") == ("network", "assets", "confiscation")
    assert lexicon.english("partages", "fr") == ("sharing",)


def test_a_short_word_matches_only_as_listed(lexicon):
    assert lexicon.english("lavados y lavar", "es") == ("laundering",)  # "lavar" is not "lavado"
    assert lexicon.english("la", "es") == ()


def test_russian_endings(lexicon):
    assert lexicon.english("незаконного оборота наркотиков", "ru") == ("illicit", "trafficking")


def test_arabic_proclitics_article_and_phrases(lexicon):
    assert lexicon.english("مكافحة الاتجار غير المشروع بالمخدرات", "ar") == ("trafficking", "illicit")
    assert lexicon.english("والاتجار", "ar") == ("trafficking",)


def test_chinese_longest_term_first(lexicon):
    assert lexicon.english("打击非法贩运", "zh") == ("illicit", "trafficking")
    assert lexicon.english("贩运路线", "zh") == ("trafficking",)


def test_other_languages_and_missing_lists(lexicon, tmp_path):
    assert lexicon.english("illicit trafficking", "en") == ()
    assert len(Lexicon.load(tmp_path / "none")) == 0


def test_a_malformed_line_is_named(tmp_path):
    (tmp_path / "fr.tsv").write_text("avoirs assets\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"fr.tsv:1: expected"):
        Lexicon.load(tmp_path)


def test_the_shipped_lists_parse_and_name_words_of_the_texts():
    settings = Settings.from_env()
    lexicon = Lexicon.load(settings.lexicon_dir)
    assert set(lexicon.forms) == {"ar", "es", "fr", "ru", "zh"}
    texts = " ".join(line.lower() for line in settings.paragraphs_path.read_text(encoding="utf-8").splitlines())
    english = {w for table in lexicon.forms.values() for words in table.values() for w in words}
    assert all(w in texts for w in english), sorted(w for w in english if w not in texts)[:10]
    assert all(len(form) >= 2 for form in lexicon.forms["zh"])
