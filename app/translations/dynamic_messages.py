"""Words that templates translate from a value (``_(kind.title)``, ``_(c.status…)``), listed
here so that ``flask i18n extract`` puts them in the catalogs. Never imported."""


def N_(message):  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


DYNAMIC_MESSAGES = (
    # transaction kinds and ODA outcomes shown by the oda pages
    N_("commitment"), N_("disbursement"), N_("refund"),
    N_("eligible"), N_("not eligible"), N_("needs review"),
    N_("pass"), N_("fail"), N_("unknown"),
    N_("accept"), N_("reject"), N_("set share"),
    N_("active"), N_("needs reconfirmation"), N_("superseded"),
    N_("curated"), N_("official"), N_("officer"), N_("imf"),
    # rule names of the ODA classification
    N_("Official"), N_("Main objective"), N_("Concessional"), N_("Recipient"), N_("Multilateral / Annex 2"),
    N_("Codes valid in the year"), N_("Exchange rate"),
    # reference lists
    N_("DAC recipients"), N_("DAC List of ODA Recipients by year"), N_("Purpose codes"),
    N_("Sector categories (3-digit)"), N_("Types of aid"), N_("Types of flow"), N_("Types of finance"),
    N_("Channels of delivery"), N_("Bi/multi"), N_("Policy markers"), N_("Policy marker scores"),
    N_("Annex 2 coefficients"), N_("Exchange rates"),
    # what an import file contains
    N_("Activities (CRS attributes)"), N_("Budget lines"), N_("Programmes"), N_("Spending (ledger lines)"),
    # what a typed value should be (app.values messages: "not a year: 'twenty'")
    N_("a marker score"), N_("a number of repayments"), N_("a whole number"), N_("a year"), N_("text"),
    N_("description"), N_("geography"), N_("keywords"), N_("name"), N_("source"), N_("status"), N_("title"),
    N_("year"), N_("programme kind"), N_("policy area"), N_("main objective"),
    # event types in words (app/events/labels.py): the audit trail and the recent changes
    N_("Activity changed"), N_("Activity created"), N_("Allowance rate set"), N_("Api token revoked"),
    N_("Application approved"), N_("Application changed"), N_("Application closed"), N_("Application created"),
    N_("Application rejected"), N_("Application submitted"), N_("Application withdrawn"), N_("Assessment recorded"),
    N_("Assessment started"), N_("Budget line changed"), N_("Budget overrun"), N_("Call changed"),
    N_("Call closed"), N_("Call opened"), N_("Classification overridden"), N_("Classification override flagged"),
    N_("Commitment decreased"), N_("Commitment recorded"), N_("Disbursement recorded"), N_("Exchange rate missing"),
    N_("Exchange rate set"), N_("Export generated"), N_("Export ready"), N_("Final report requested"),
    N_("Grant committed"), N_("Import batch accepted"), N_("Import batch rejected"),
    N_("Ledger mismatch dismissed"), N_("Ledger payment unmatched"), N_("Login failed"), N_("Login locked"),
    N_("Login unlocked"), N_("Payment recorded"), N_("Person erased"), N_("Programme changed"),
    N_("Programme created"), N_("Reference data loaded"), N_("Refund recorded"), N_("Reminder dismissed"),
    N_("Reminder issued"), N_("Report overdue"), N_("Report received"), N_("Report requested"),
    N_("Reporting deadline near"), N_("Reporting deadline set"), N_("Scheme changed"), N_("Scheme created"),
    N_("Tranche cancelled"), N_("Tranche changed"), N_("Tranche scheduled"), N_("Transaction corrected"),
    N_("Transactions classified"), N_("Transactions revalued"), N_("User changed"), N_("User created"),
    # export runs: statuses and the stages the writers report (exports/views.py run_state_text)
    N_("queued"), N_("running"), N_("done"), N_("failed"), N_("Not ODA"), N_("Needs review"), N_("Summary"),
    N_("Done"), N_("CRS"), N_("ODA by policy area"), N_("Climate finance"), N_("Budget execution"),
    N_("ready"),
    # grant statuses, kinds and conditions as the grants pages word them (value with spaces for "_")
    N_("draft"), N_("submitted"), N_("in assessment"), N_("approved"), N_("rejected"), N_("committed"),
    N_("final report due"), N_("closed"), N_("withdrawn"), N_("open"), N_("decrease"), N_("withdrawal"),
    N_("closure"), N_("manual"), N_("ledger"), N_("tranche due"), N_("report due"), N_("report overdue"),
    N_("interim"), N_("final"), N_("none"), N_("interim report received"), N_("final report received"),
    N_("planned"), N_("paid"), N_("cancelled"),
)
