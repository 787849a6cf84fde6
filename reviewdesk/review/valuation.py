"""Kept for callers of the former location: valuation lives in `reviewdesk.valuation`."""

from reviewdesk.valuation import MissingRate, ReportTotals, report_totals, to_report

__all__ = ["MissingRate", "ReportTotals", "report_totals", "to_report"]
