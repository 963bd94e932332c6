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
    N_("curated"), N_("official"),
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
)
