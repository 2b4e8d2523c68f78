"""tiphys' strict Argo schema: a closed JSON schema (no unknown keys) and its checker.

In: JSON-shaped values (whole documents, or option fragments such as an affinity). Out:
:class:`SchemaViolation` records with the path of each offending value. Imports nothing of the
compiler: the front end (for option fragments), the document checks and the CloudHarness
lowering all use it.
"""

from tiphys.compiler.strict_schema.messages import SchemaViolation as SchemaViolation
from tiphys.compiler.strict_schema.messages import format_path as format_path
from tiphys.compiler.strict_schema.patterns import ecma_pattern as ecma_pattern
from tiphys.compiler.strict_schema.schema import SCHEMA_FILE as SCHEMA_FILE
from tiphys.compiler.strict_schema.schema import check_strict as check_strict
from tiphys.compiler.strict_schema.schema import is_strictly_valid as is_strictly_valid
from tiphys.compiler.strict_schema.schema import load_schema as load_schema
from tiphys.compiler.strict_schema.schema import strict_validator as strict_validator
