from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, SmallInteger, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, Money, Rate
from programmes.models.organisation import Organisation
from programmes.models.programme import Programme


class Activity(Base):
    """A project, a contribution or a grant, with its CRS attributes."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    recipient_code: Mapped[str | None] = mapped_column(String(5))
    purpose_code: Mapped[str | None] = mapped_column(String(5))
    aid_type: Mapped[str | None] = mapped_column(String(4))
    flow_type: Mapped[str] = mapped_column(String(3), default="10")
    finance_type: Mapped[str] = mapped_column(String(4), default="110")
    channel_code: Mapped[str | None] = mapped_column(String(5))
    bi_multi: Mapped[str | None] = mapped_column(String(1))
    geography: Mapped[str | None] = mapped_column(String(120))
    main_objective: Mapped[str] = mapped_column(String(30), default="development")
    commitment_date: Mapped[date | None] = mapped_column(Date)
    commitment_amount: Mapped[Decimal | None] = mapped_column("commitment_amount_minor", Money())
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active")

    marker_gender: Mapped[int | None] = mapped_column(SmallInteger)
    marker_environment: Mapped[int | None] = mapped_column(SmallInteger)
    marker_pdgg: Mapped[int | None] = mapped_column(SmallInteger)
    marker_trade: Mapped[int | None] = mapped_column(SmallInteger)
    marker_biodiversity: Mapped[int | None] = mapped_column(SmallInteger)
    marker_climate_mitigation: Mapped[int | None] = mapped_column(SmallInteger)
    marker_climate_adaptation: Mapped[int | None] = mapped_column(SmallInteger)
    marker_desertification: Mapped[int | None] = mapped_column(SmallInteger)
    marker_rmnch: Mapped[int | None] = mapped_column(SmallInteger)
    marker_drr: Mapped[int | None] = mapped_column(SmallInteger)
    marker_nutrition: Mapped[int | None] = mapped_column(SmallInteger)
    marker_disability: Mapped[int | None] = mapped_column(SmallInteger)
    # the CRS flags (enums.CRS_FLAGS)
    flag_ftc: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    flag_pba: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    flag_investment_project: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    flag_associated_financing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: IATI TiedStatus of the commitment (3 partially untied, 4 tied, 5 untied); None = installation default
    tied_status: Mapped[str | None] = mapped_column(String(1))
    # a loan's terms (CRS items 44–49); interest rates in percent
    loan_repayment_type: Mapped[int | None] = mapped_column(SmallInteger)
    loan_repayments_per_year: Mapped[int | None] = mapped_column(SmallInteger)
    loan_interest_rate_1: Mapped[Decimal | None] = mapped_column("loan_interest_rate_1_e10", Rate())
    loan_interest_rate_2: Mapped[Decimal | None] = mapped_column("loan_interest_rate_2_e10", Rate())
    loan_interest_rate_2_date: Mapped[date | None] = mapped_column(Date)
    loan_first_repayment_date: Mapped[date | None] = mapped_column(Date)
    loan_final_repayment_date: Mapped[date | None] = mapped_column(Date)
    #: SDG goals or targets this activity serves ("4;5.2"), up to 10
    sdg_focus: Mapped[str | None] = mapped_column(String(120))
    keywords: Mapped[str | None] = mapped_column(String(500))

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    programme: Mapped[Programme] = relationship(lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
