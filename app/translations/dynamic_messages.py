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
    # reference lists
    N_("DAC recipients"), N_("DAC List of ODA Recipients by year"), N_("Purpose codes"),
    N_("Sector categories (3-digit)"), N_("Types of aid"), N_("Types of flow"), N_("Types of finance"),
    N_("Channels of delivery"), N_("Bi/multi"), N_("Policy markers"), N_("Policy marker scores"),
    N_("Annex 2 coefficients"), N_("Exchange rates"),
    # what an import file contains
    N_("Activities (CRS attributes)"), N_("Budget lines"), N_("Programmes"), N_("Spending (ledger lines)"),
    N_("IATI activities (XML)"),
    # what a typed value should be (app.values messages: "not a year: 'twenty'")
    N_("a marker score"), N_("a number of repayments"), N_("a whole number"), N_("a year"), N_("text"),
    N_("description"), N_("geography"), N_("keywords"), N_("name"), N_("source"), N_("status"), N_("title"),
    N_("year"), N_("programme kind"), N_("policy area"), N_("main objective"),
    # the audit trail's record types in words (event_label of an aggregate type)
    N_("Activity"), N_("Api token"), N_("Budget line"), N_("Exchange rate"), N_("Export run"), N_("Grant call"),
    N_("Grant person"), N_("Grant scheme"), N_("Import batch"), N_("Login"), N_("Programme"), N_("Reference set"),
    N_("Reporting year"), N_("Transaction"), N_("User"),
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
    N_("Invitation accepted"), N_("Ledger lines imported"), N_("Review group decided"),
    N_("Review group decision undone"), N_("Review group decision flagged"), N_("User invited"),
    N_("User deactivated"), N_("User reactivated"), N_("User roles changed"), N_("Year reopened"),
    N_("Year submitted"), N_("Iati file published"),
    # what each scheduled job does: the first line of its docstring (tests/app/web/test_dutch_pages.py checks them)
    N_('On the configured date (AIDLEDGER_CRS_DRAFT_DATE, MM-DD), the draft CRS workbook of the previous year.'),
    N_("Alert on programme-years whose disbursements exceed the year's plan."),
    N_('Deliver new events to every handler (projections, alerts) from its checkpoint.'),
    N_('Safety net: match ledger lines of planned tranches that the event handler did not link.'),
    N_('Reminders before tranche due dates and report deadlines; overdue reports flagged.'),
    N_('Classify transactions waiting in the pending-work queue (every 5 minutes).'),
    N_('Remind the ODA officer when a reporting deadline is near and something blocks the final CRS file,'),
    N_('Alert when the current reporting year has spending without its EUR/USD or currency rate (daily).'),
    N_('Produce the files of exports queued from the browser or the API, with progress.'),
    N_('On the first of each month, the IATI activity and organisation files, published when they validate.'),
    N_('Import queued uploads one by one (each in its own transaction) and report counts.'),
    # export runs: statuses and the stages the writers report (exports/views.py run_state_text)
    N_("queued"), N_("running"), N_("done"), N_("failed"), N_("Not ODA"), N_("Needs review"), N_("Summary"),
    N_("Done"), N_("CRS"), N_("ODA by policy area"), N_("Climate finance"), N_("Budget execution"),
    N_("ready"),
    # who asked for an IATI publication (exports/templates/exports/iati.html)
    N_("schedule"), N_("browser"), N_("api"),
    # grant statuses, kinds and conditions as the grants pages word them (value with spaces for "_")
    N_("draft"), N_("submitted"), N_("in assessment"), N_("approved"), N_("rejected"), N_("committed"),
    N_("final report due"), N_("closed"), N_("withdrawn"), N_("open"), N_("decrease"), N_("withdrawal"),
    N_("closure"), N_("manual"), N_("ledger"), N_("tranche due"), N_("report due"), N_("report overdue"),
    N_("interim"), N_("final"), N_("none"), N_("interim report received"), N_("final report received"),
    N_("planned"), N_("paid"), N_("cancelled"),
    # fields of event payloads in words (app/events/labels.py field_label): the audit trail's before → after
    N_("Active"), N_("Activity id"), N_("Aid type"), N_("Amount"), N_("Amount eur"), N_("Amount minor"),
    N_("Amount requested"), N_("Application id"), N_("Assessment id"), N_("Assessor id"), N_("Bi multi"),
    N_("Blocks tranches"), N_("Budget article"), N_("Budget ceiling"), N_("Budget override"), N_("Call id"),
    N_("Change id"), N_("Changes truncated"), N_("Channel code"), N_("Checklist"), N_("Closes on"), N_("Code"),
    N_("Comment"), N_("Commitment amount"), N_("Commitment date"), N_("Condition"), N_("Count"), N_("Criteria"),
    N_("Crs defaults"), N_("Crs overrides"), N_("Currency"), N_("Date"), N_("Decided by"), N_("Decision id"),
    N_("Description"), N_("Destination"), N_("Document number"), N_("Due date"), N_("Email"), N_("End date"),
    N_("End year"), N_("Evaluation id"), N_("Final report days"), N_("Final report required"), N_("Finance type"),
    N_("Flag associated financing"), N_("Flag ftc"), N_("Flag investment project"), N_("Flag pba"), N_("Flow type"),
    N_("Focus sectors"), N_("Four eyes"), N_("Geography"), N_("Host organisation"), N_("Import batch id"),
    N_("Inserted"), N_("Kept official"), N_("Keywords"), N_("Kind"), N_("Late days"), N_("List"),
    N_("Loan final repayment date"), N_("Loan first repayment date"), N_("Loan interest rate 1"),
    N_("Loan interest rate 2"), N_("Loan interest rate 2 date"), N_("Loan repayment type"),
    N_("Loan repayments per year"), N_("Locale"), N_("Main objective"), N_("Marker biodiversity"),
    N_("Marker climate adaptation"), N_("Marker climate mitigation"), N_("Marker desertification"),
    N_("Marker disability"), N_("Marker drr"), N_("Marker environment"), N_("Marker gender"),
    N_("Marker nutrition"), N_("Marker pdgg"), N_("Marker rmnch"), N_("Marker trade"), N_("Max months"),
    N_("Max score"), N_("Min months"), N_("Name"), N_("Number"), N_("Oda amount minor"), N_("Opens on"),
    N_("Organisation id"), N_("Origin"), N_("Override id"), N_("Override reason"), N_("Paid amount"), N_("Paid on"),
    N_("Paid total"), N_("Partner country"), N_("Payload"), N_("Payment id"), N_("Person id"), N_("Planned amount"),
    N_("Policy area"), N_("Previous status"), N_("Programme id"), N_("Purpose code"), N_("Reason"),
    N_("Received on"), N_("Recipient code"), N_("Recommendation"), N_("Recommended amount"), N_("Reference"),
    N_("Reference version"), N_("Released amount"), N_("Reminder days"), N_("Report id"), N_("Requires assessment"),
    N_("Roles"), N_("Rules version"), N_("Run id"), N_("Scheme id"), N_("Scores"), N_("Sdg focus"), N_("Sector"),
    N_("Sha256"), N_("Share e10"), N_("Source"), N_("Start date"), N_("Start year"), N_("Status"),
    N_("Tied status"), N_("Title"), N_("Total score"), N_("Tranche id"), N_("Tranche number"), N_("Tranche status"),
    N_("Transaction id"), N_("Transaction ids"), N_("Travel lump sum europe"), N_("Travel lump sum outside europe"),
    N_("Unchanged"), N_("Units per eur"), N_("Units per eur e10"), N_("Units per usd"), N_("Updated"),
    N_("Version"), N_("Was committed"), N_("Year"), N_("Organisation ref"), N_("Activity count"),
    N_("Transaction count"), N_("Warning count"), N_("Size bytes"), N_("Trigger"), N_("Triggered by"),
    N_("Publication id"),
)

#: what the scheduled jobs count (``JobRun.counts`` keys, shown as words on the Job runs page)
JOB_COUNTS = (
    N_("already made"), N_("crs rows"), N_("due on"), N_("made"), N_("run id"), N_("interrupted"),
    N_("overdue reports"), N_("report reminders"), N_("tranche reminders"), N_("alerts"), N_("missing"),
    N_("overruns"), N_("reminders"), N_("years checked"), N_("processed"), N_("skipped parked"),
    N_("skipped locked"), N_("transactions checked"), N_("contexts"), N_("evaluations changed"),
    N_("results changed"), N_("overrides flagged"), N_("group decisions flagged"), N_("changed to eligible"),
    N_("changed to not eligible"), N_("changed to needs review"), N_("refused"), N_("looked at"),
    N_("ignored"), N_("already matched"), N_("already flagged"), N_("no tranche"), N_("mismatch"),
    N_("matched"), N_("not in ledger"),
)
