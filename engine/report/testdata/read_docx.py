# Reads a .docx with python-docx (a reader independent of jifen) and prints, one line each,
# the body's paragraphs and table rows, the headers and footers. A paragraph is written as its
# runs with text, adjacent runs of the same formatting merged, each as text{formatting}:
# b bold, i italic, the font (w:rFonts ascii or eastAsia) and the size in pt; {} plain.
# A table row is its cells' paragraphs joined by " | ".
import sys
import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.oxml.ns import qn


def fmt(r):
    f = []
    if r.bold:
        f.append("b")
    if r.italic:
        f.append("i")
    rpr = r._r.rPr
    font = r.font.name
    if rpr is not None and rpr.rFonts is not None and not font:
        font = rpr.rFonts.get(qn("w:eastAsia"))
    if font:
        f.append(font)
    if r.font.size is not None:
        f.append("%g" % r.font.size.pt)
    return ",".join(f)


def para(p):
    out = []
    for r in p.runs:
        if r.text == "":
            continue
        k = fmt(r)
        if out and out[-1][1] == k:
            out[-1][0] += r.text
        else:
            out.append([r.text, k])
    return "".join("%s{%s}" % (t, k) for t, k in out)


d = docx.Document(sys.argv[1])
body = d.element.body
for child in body.iterchildren():
    if child.tag == qn("w:p"):
        print("P " + para(Paragraph(child, d)))
    elif child.tag == qn("w:tbl"):
        t = Table(child, d)
        for row in t.rows:
            print("R " + " | ".join(" ".join(para(p) for p in c.paragraphs) for c in row.cells))
for s in d.sections:
    for p in s.header.paragraphs:
        print("H " + para(p))
    for p in s.footer.paragraphs:
        print("F " + para(p))
