"""Dump every sheet of an .xlsx as JSON with openpyxl (a reader that is not excelize).

Usage: python3 dump.py FILE.xlsx  ->  {"sheets": [{"name": ..., "rows": [[value, ...], ...],
"merged": ["A1:H1", ...], "freeze": "A3", "print_titles": "$1:$2", "paper": "9", "orientation": ...}]}
Numbers stay numbers, text stays text, empty cells are null.
"""
import json
import sys

import openpyxl


def main(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    out = []
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        out.append({
            "name": ws.title,
            "rows": rows,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "freeze": ws.freeze_panes,
            "print_titles": ws.print_title_rows,
            "paper": str(ws.page_setup.paperSize),
            "orientation": ws.page_setup.orientation,
            "fit_width": ws.page_setup.fitToWidth,
            "footer": ws.oddFooter.center.text,
            "charts": len(ws._charts),
        })
    json.dump({"sheets": out}, sys.stdout, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
