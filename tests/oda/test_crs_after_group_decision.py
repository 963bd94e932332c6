"""Every reader sees a group decision: the CRS workbook of 2024 reconciles to the cent once the
open group is decided, and the decided lines appear where the decision puts them."""
from decimal import Decimal

from oda.services.group_decisions import decide_group
from oda.services.review_groups import GroupFilter, group_page
from tests.exports.conftest import portfolio  # noqa: F401
from tests.exports.test_services_crs import export, money, net_crs, table

LEDGER_2024 = Decimal("2416985.98")  # every 2024 disbursement minus the refund (tests.builders.exports)


def test_a_rejected_group_reconciles_the_crs_workbook_to_the_cent(session, portfolio, tmp_path):  # noqa: F811
    [group] = group_page(session, GroupFilter(year=2024), 1, 10).items
    assert group.activity.code == "MWI-2024-NR" and group.amount_eur == Decimal("10000.00")
    decide_group(session, group.activity_id, 2024, group.explanation_id, "reject", "Recipient unknown: not reported")
    sheets, result = export(session, 2024, tmp_path)
    not_oda = table(sheets["Not ODA"])
    assert sum(money(r["NonODA_Disbursement_EUR"] or 0) for r in not_oda) + net_crs(sheets) == LEDGER_2024
    assert any("B-2024-0201" in map(str, r.values()) for r in not_oda)
    assert result.totals.spending.reconciled and result.totals.spending.still_open == 0
    assert [r for r in table(sheets["Needs review"]) if r["InReconciliationAs"] == "open"] == []
