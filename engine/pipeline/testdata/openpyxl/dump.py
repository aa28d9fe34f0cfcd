"""Dump every sheet of an .xlsx as JSON with a reader that is not excelize: openpyxl when it is
installed (.ci/run installs Debian's python3-openpyxl), else Python's own zipfile and
ElementTree reading the Office Open XML parts.

Usage: python3 dump.py FILE.xlsx  ->  {"reader": ..., "sheets": [{"name", "rows", "merged",
"freeze", "print_titles", "paper", "orientation", "footer", "charts"}]}
Numbers stay numbers, text stays text, empty cells are null.
"""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET


def with_openpyxl(path):
    import openpyxl
    wb = openpyxl.load_workbook(path, data_only=True)
    out = []
    for ws in wb.worksheets:
        out.append({
            "name": ws.title,
            "rows": [list(r) for r in ws.iter_rows(values_only=True)],
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "freeze": ws.freeze_panes,
            "print_titles": ws.print_title_rows,
            "paper": str(ws.page_setup.paperSize),
            "orientation": ws.page_setup.orientation,
            "footer": ws.oddFooter.center.text,
            "charts": len(ws._charts),
        })
    return out


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def col_index(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def with_stdlib(path):
    z = zipfile.ZipFile(path)
    sst = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            sst.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    titles = {}
    for dn in wb.iter("{%s}definedName" % NS["m"]):
        if dn.get("name") == "_xlnm.Print_Titles":
            titles[int(dn.get("localSheetId"))] = dn.text.split("!")[1]
    out = []
    for i, sh in enumerate(wb.find("m:sheets", NS)):
        part = "xl/" + rels[sh.get("{%s}id" % NS["r"])].lstrip("/").replace("xl/", "")
        x = ET.fromstring(z.read(part))
        rows = []
        for row in x.iter("{%s}row" % NS["m"]):
            r = int(row.get("r")) - 1
            while len(rows) <= r:
                rows.append([])
            cells = rows[r]
            for c in row.findall("m:c", NS):
                j = col_index(c.get("r"))
                while len(cells) <= j:
                    cells.append(None)
                t, v = c.get("t"), c.find("m:v", NS)
                if t == "s":
                    cells[j] = sst[int(v.text)]
                elif t == "inlineStr":
                    cells[j] = "".join(e.text or "" for e in c.iter("{%s}t" % NS["m"]))
                elif t == "str":
                    cells[j] = v.text if v is not None else ""
                elif v is not None:
                    f = float(v.text)
                    cells[j] = int(f) if f == int(f) else f
        width = max((len(r) for r in rows), default=0)
        rows = [r + [None] * (width - len(r)) for r in rows]
        pane = x.find(".//m:pane", NS)
        setup = x.find("m:pageSetup", NS)
        footer = x.find(".//m:oddFooter", NS)
        rels_part = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
        charts = 0
        if rels_part in z.namelist():
            for rel in ET.fromstring(z.read(rels_part)):
                if rel.get("Type", "").endswith("/drawing"):
                    drawing = "xl/" + rel.get("Target").replace("../", "")
                    charts += z.read(drawing).decode().count("<c:chart ")
        out.append({
            "name": sh.get("name"),
            "rows": rows,
            "merged": sorted(m.get("ref") for m in x.iter("{%s}mergeCell" % NS["m"])),
            "freeze": pane.get("topLeftCell") if pane is not None else None,
            "print_titles": titles.get(i),
            "paper": setup.get("paperSize") if setup is not None else None,
            "orientation": setup.get("orientation") if setup is not None else None,
            "footer": (footer.text or "").replace("&C", "", 1) if footer is not None else None,
            "charts": charts,
        })
    return out


def main(path):
    try:
        sheets, reader = with_openpyxl(path), "openpyxl"
    except ImportError:
        sheets, reader = with_stdlib(path), "python-stdlib"
    json.dump({"reader": reader, "sheets": sheets}, sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
