"""What every operation of the JSON API shares: bounded parameters and errors.

The OpenAPI document says exactly what the API accepts and answers: text
parameters cannot hold control characters (cms.request_guards answers 400 to
those for the whole site), numbers have the bounds the database and the pages
can serve, and each operation lists the error statuses it can give with their
JSON bodies.
"""

from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Text without the control characters that cms.request_guards refuses.
TEXT_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F]*$"
Text = Annotated[str, Field(pattern=TEXT_PATTERN)]

# Row ids are PostgreSQL bigints.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class Pagination(LimitOffsetPagination):
    """Django Ninja's limit and offset, bounded (and documented as such)."""

    class Input(Schema):
        limit: int = Field(
            MAX_LIMIT,
            ge=1,
            le=MAX_LIMIT,
            description=f"How many items to return (1 to {MAX_LIMIT}).",
        )
        offset: int = Field(
            0,
            ge=0,
            le=MAX_OFFSET,
            description=f"How many items to skip (0 to {MAX_OFFSET:,}).",
        )

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class ErrorOut(Schema):
    detail: str


class ValidationIssueOut(Schema):
    type: str
    loc: list[str | int]
    msg: str
    ctx: dict[str, Any] | None = None


class ValidationErrorOut(Schema):
    detail: list[ValidationIssueOut]


def responses(ok, *, not_found=False, parameters=True):
    """The statuses of an operation answering `ok` with 200.

    Every operation may answer 400 (cms.request_guards); one with
    `parameters` answers 422 when one is out of its bounds, and one that looks
    up a thing by its path (`not_found`) answers 404 when there is none.
    """
    codes = {200: ok, 400: ErrorOut}
    if parameters:
        codes[422] = ValidationErrorOut
    if not_found:
        codes[404] = ErrorOut
    return codes
