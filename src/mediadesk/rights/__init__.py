"""The rights policy (who may use an asset for what, when) and what exports stamp into files."""

from mediadesk.rights.policy import Decision, credit_line, decide, format_moment, parse_purpose
from mediadesk.rights.stamp import rights_instructions, stamp_fields

__all__ = ["Decision", "credit_line", "decide", "format_moment", "parse_purpose",
           "rights_instructions", "stamp_fields"]
