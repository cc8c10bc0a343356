"""The one cleaning rule every output uses (``council.text``)."""

import pytest
from docx import Document

from council.text import download_name, one_line, xml_safe


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Line one\x0bline two", "Line one\nline two"),  # Word's manual line break
        ("page\x0cbreak", "page\nbreak"),
        ("a\r\nb\rc\x85d\u2028e\u2029f", "a\nb\nc\nd\ne\nf"),
        ("tab\tkept", "tab\tkept"),
        ("nul\x00 bell\x07 esc\x1b us\x1f", "nul bell esc us"),
        ("lone \ud800 surrogate \udfff", "lone  surrogate "),
        ("non\ufffe\uffffcharacters", "noncharacters"),
        ("<b>&amp;</b> \"'", "<b>&amp;</b> \"'"),  # markup is the writer's to escape
        ("Протокол – 🏔️ \u202e", "Протокол – 🏔️ \u202e"),
        (None, ""),
        (13, "13"),
    ],
)
def test_xml_safe(raw, clean):
    assert xml_safe(raw) == clean


def test_xml_safe_text_goes_into_a_word_document():
    nasty = "".join(chr(c) for c in range(0x20)) + "\ud800\ufffe\uffff\u2028 end"
    Document().add_paragraph(xml_safe(nasty))  # python-docx refuses anything XML cannot hold


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("Due in 7 days:\n 1.1  Trade\u2028route\x85\r\nnow", "Due in 7 days: 1.1 Trade route now"),
        ("\x01\x0bcontrol\x7f\x9f", "control"),
        ("  spaced  ", "spaced"),
    ],
)
def test_one_line(raw, line):
    assert one_line(raw) == line


def test_one_line_cuts_long_text_at_a_word_with_an_ellipsis():
    line = one_line("word " * 20_000)
    assert len(line) <= 200 and line.endswith("word…")
    unbroken = one_line("x" * 500)
    assert len(unbroken) == 200 and unbroken.endswith("x…")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Протокол 13-го заседания – решения.docx", "Протокол 13-го заседания – решения.docx"),
        ('Report "final"; filename="evil.exe".pdf', "Report 'final'; filename='evil.exe'.pdf"),
        ("two\r\nlines\x0b.pdf", "two lines.pdf"),
        ("../../etc/passwd", "-..-etc-passwd"),
        ("C:\\Users\\a.xlsx", "C--Users-a.xlsx"),
        ("...", "download"),
        ("", "download"),
    ],
)
def test_download_name(name, safe):
    assert download_name(name) == safe


def test_download_name_keeps_the_extension_of_a_long_name():
    name = download_name("Решение " * 100 + ".docx")
    assert name.endswith("….docx") and len(name) <= 160
