"""Marshmallow schemas of the programme API: what goes in, what comes out."""
from programmes.schemas.activities import (  # noqa: F401
    ActivityCreateSchema, ActivityQuerySchema, ActivitySchema, ActivityUpdateSchema,
)
from programmes.schemas.programmes import (  # noqa: F401
    BudgetLineInputSchema, BudgetLineSchema, ProgrammeDetailSchema, ProgrammeQuerySchema, ProgrammeSchema,
    YearTotalSchema,
)
from programmes.schemas.transactions import (  # noqa: F401
    TransactionCorrectionSchema, TransactionCreateSchema, TransactionQuerySchema, TransactionSchema,
)
