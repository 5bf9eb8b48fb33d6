"""The officer's documents from the store: HTML/CSV/XLSX/JSON reports and the act of destruction.

from pdscan.report import FORMATS, write_report
from pdscan.report.data import load_report
write_report("html", load_report(store, policy), "report.html")   # file created 0600
write_report("xlsx", data, "report.xlsx", language="en")            # English sheets and names
"""

from __future__ import annotations

import os

from pdscan.report.data import ReportData

FORMATS = ("html", "csv", "xlsx", "json")


def write_report(fmt: str, data: ReportData, path: str | os.PathLike, language: str | None = None) -> None:
    """Write the report in one of FORMATS to path; the file is readable by its owner only.

    language: "ru" or "en" (default: the current one, ``--lang`` / PDSCAN_LANG). JSON has none:
    its keys and codes are the same in every language."""
    from pdscan.i18n import lang
    from pdscan.output import open_private

    language = language or lang()
    path = os.fspath(path)
    if fmt == "xlsx":
        from pdscan.report.export import write_xlsx

        write_xlsx(data, path, language)
        return
    with open_private(path) as stream:
        if fmt == "html":
            from pdscan.report.html import write_html

            write_html(data, stream, language)
        elif fmt == "csv":
            from pdscan.report.export import write_csv

            write_csv(data, stream, language)
        elif fmt == "json":
            from pdscan.report.export import write_json

            write_json(data, stream)
        else:
            raise ValueError(f"неизвестный формат отчёта: {fmt}")
