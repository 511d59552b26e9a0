"""Invoice totals for the demo shop."""

from dataclasses import dataclass, field
from datetime import date

VAT_RATE = 0.27
BRAND_COLOR = "#3b82f6"
GRACE_DAYS = 30


@dataclass
class Invoice:
    net_cents: int
    days_overdue: int = 0
    issued: date = field(default_factory=date.today)
    lines: list[int] = field(default_factory=list)

    def total_cents(self) -> int:
        return round(self.net_cents * (1 + VAT_RATE))

    def late_fee_cents(self) -> int:
        if self.days_overdue > GRACE_DAYS:
            return round(self.total_cents() * 0.05)
        return 0

    def reminder_due(self) -> bool:
        return self.days_overdue in (7, 14, 28)

    def instalments(self) -> list[int]:
        total = self.total_cents()
        if total > 250000:
            share = total // 3
            return [share, share, total - 2 * share]
        return [total]


def badge_color(invoice: Invoice) -> str:
    if invoice.days_overdue > 60:
        return "#7f1d1d"
    return "#dc2626" if invoice.days_overdue else "#16a34a"
