"""Input-output propagation: the pymrio-style formulas and the hypothetical extraction.

:mod:`~geolever.models.io.calc` holds the formulas (``total_output``, ``leontief_inverse``,
...), :mod:`~geolever.models.io.extraction` the extraction of one or all bilateral links.
"""

from geolever.models.io.calc import (
    allocation_coefficients,
    cost_push_prices,
    ghosh_inverse,
    ghosh_output,
    leontief_inverse,
    leontief_output,
    output_multipliers,
    technical_coefficients,
    total_output,
    value_added,
    value_added_coefficients,
    value_added_multipliers,
)
from geolever.models.io.extraction import (
    ExtractionResult,
    PairChunk,
    PreparedTable,
    extract_link,
    iter_all_pairs_extraction,
    prepare_table,
)

__all__ = [
    "ExtractionResult",
    "PairChunk",
    "PreparedTable",
    "allocation_coefficients",
    "cost_push_prices",
    "extract_link",
    "ghosh_inverse",
    "ghosh_output",
    "iter_all_pairs_extraction",
    "leontief_inverse",
    "leontief_output",
    "output_multipliers",
    "prepare_table",
    "technical_coefficients",
    "total_output",
    "value_added",
    "value_added_coefficients",
    "value_added_multipliers",
]
