"""Every slip in every format, for a ticket built to overflow: long Chinese names, long fault
texts, every accessory. Text is measured in cells, ESC/POS is read back byte by byte, PDF is
rasterised and its QR code decoded, its text extracted."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from rich.cells import cell_len

from repairdesk import i18n
from repairdesk.desk import Desk
from repairdesk.printing.model import CELLS, SLIPS

from .conftest import FULL_PHONE, LONG_NAME, MASKED_PHONE, PASSCODE, need_tool
from .escpos_parse import parse

WIDTHS = (80, 58)


@pytest.fixture(params=["zh", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    i18n.set_language(request.param)
    return str(request.param)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", SLIPS)
def test_text_fits_the_paper_in_cells(desk: Desk, long_ticket: str, kind: str, width: int,
                                      lang: str) -> None:
    text = desk.printing.render_slip(long_ticket, kind, "text", width)
    assert isinstance(text, str)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= CELLS[width]
    assert any(long_ticket in line for line in lines)  # the number is never cut
    if kind != "label":
        assert any(MASKED_PHONE in line for line in lines)
    assert PASSCODE not in text and FULL_PHONE not in text


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", SLIPS)
def test_escpos_reads_back(desk: Desk, long_ticket: str, kind: str, width: int,
                           lang: str) -> None:
    data = desk.printing.render_slip(long_ticket, kind, "escpos", width)
    assert isinstance(data, bytes)
    job = parse(data)
    names = job.names()
    assert names[0] == "init" and names[1] == "chinese"  # GB18030 from the first line on
    assert names[-1] == "cut"
    assert job.qr_native == [long_ticket]
    # Every printed line fits the paper at its own size (double width counts twice).
    for line, scale in job.lines:
        assert cell_len(line) * scale <= CELLS[width], line
    text = job.text
    assert long_ticket in text
    if kind != "label":
        assert MASKED_PHONE in text
    for secret in (PASSCODE, FULL_PHONE):
        assert secret.encode() not in data and secret.encode("gb18030") not in data
    if lang == "zh":
        assert "欧阳" in text


def test_escpos_gb18030_text_of_the_intake_slip(desk: Desk, long_ticket: str) -> None:
    i18n.set_language("zh")
    job = parse(desk.printing.render_slip(long_ticket, "intake", "escpos", 80))  # type: ignore[arg-type]
    joined = job.text.replace("\n", "")
    assert "维修受理单" in joined and "手写笔" in joined
    assert "".join(LONG_NAME.split("·")[0]) in joined


def test_escpos_qr_as_a_raster_image_for_printers_without_the_qr_command(
        desk: Desk, long_ticket: str, tmp_path: Path) -> None:
    out = tmp_path / "slip.bin"
    desk.printing.print_slip(long_ticket, "label", fmt="escpos",
                    printer=f"file:{out}?qr=image")
    job = parse(out.read_bytes())
    assert job.qr_native == [] and len(job.rasters) == 1
    width, height = job.rasters[0]
    assert 100 <= width <= 384 and 100 <= height <= 384
    assert job.names()[-1] == "cut"


@pytest.mark.parametrize("width", [None, 80, 58])
@pytest.mark.parametrize("kind", SLIPS)
def test_pdf_qr_decodes_to_the_ticket_and_chinese_is_text(
        desk: Desk, long_ticket: str, kind: str, width: int | None, tmp_path: Path) -> None:
    pdftoppm = need_tool("pdftoppm", "poppler-utils")
    pdftotext = need_tool("pdftotext", "poppler-utils")
    zbarimg = need_tool("zbarimg", "zbar-tools")
    i18n.set_language("zh")
    data = desk.printing.render_slip(long_ticket, kind, "pdf", width)
    assert isinstance(data, bytes) and data.startswith(b"%PDF")
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(data)
    subprocess.run([pdftoppm, "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    page = next(tmp_path.glob("page*.png"))
    scan = subprocess.run([zbarimg, "--quiet", "--raw", str(page)], capture_output=True,
                          text=True, timeout=60)
    assert scan.stdout.strip() == long_ticket, scan.stderr
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    if kind == "label":
        assert "欧阳" in text
    else:
        assert "欧阳翀喆" in text.replace(" ", "")
        assert MASKED_PHONE in text
    assert PASSCODE not in text and FULL_PHONE not in text


def test_pdf_embeds_its_font(desk: Desk, ticket: str, tmp_path: Path) -> None:
    pdffonts = need_tool("pdffonts", "poppler-utils")
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(desk.printing.render_slip(ticket, "record", "pdf"))  # type: ignore[arg-type]
    listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True,
                             timeout=60).stdout.splitlines()[2:]
    assert listing, "no font in the PDF"
    for row in listing:
        name, *_rest = row.split()
        emb, sub = row.split()[-5], row.split()[-4]
        assert (emb, sub) == ("yes", "yes"), row  # embedded subset: shows on any machine
        assert "WenQuanYi" in name


def test_a5_intake_slip_fits_one_sheet(desk: Desk, ticket: str, tmp_path: Path) -> None:
    pdfinfo = need_tool("pdfinfo", "poppler-utils")
    pdf = tmp_path / "intake.pdf"
    pdf.write_bytes(desk.printing.render_slip(ticket, "intake", "pdf"))  # type: ignore[arg-type]
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert re.search(r"^Page size:\s+419.53 x 595.28 pts", info, re.M), info  # A5


@pytest.mark.parametrize("kind", ["intake", "label"])
def test_a_pdf_slip_for_an_emoji_name_marks_what_the_font_lacks_and_says_nothing(
        desk: Desk, intake_doc: dict, kind: str, tmp_path: Path,
        capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    import warnings

    from repairdesk.printing.glyphs import MISSING

    pdftotext = need_tool("pdftotext", "poppler-utils")
    intake_doc["customer"]["name"] = "😀张伟👨\u200d👩\u200d👧"
    number = desk.tickets.intake(intake_doc).ticket
    capfd.readouterr()
    with warnings.catch_warnings(record=True) as warned, caplog.at_level("WARNING"):
        warnings.simplefilter("always")
        data = desk.printing.render_slip(number, kind, "pdf")
    assert not warned and not caplog.records
    assert capfd.readouterr().err == ""
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(data)
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    # The whole name on the slip, one mark per emoji; the label's "surname" is the emoji.
    assert ("□张伟□" if kind == "intake" else "□") in text.replace(" ", "")
    assert MISSING == "□" and "😀" not in text


def test_drawable_keeps_what_the_font_has() -> None:
    from repairdesk.printing.glyphs import drawable

    has = {ord(c) for c in "张伟李娜 ab"}
    assert drawable("张伟 ab", has) == "张伟 ab"
    assert drawable("张伟😀", has) == "张伟□"
    assert drawable("👨\u200d👩\u200d👧李娜", has) == "□李娜"
    assert drawable("❤\ufe0f李娜", has) == "□李娜"
    assert drawable("😀😀", has) == "□□"
