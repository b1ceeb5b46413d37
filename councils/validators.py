from django.core.validators import RegexValidator

# DfE local authority codes are three digits (Cambridgeshire: 873).
dfe_la_code_validator = RegexValidator(
    r"^[0-9]{3}\Z", "A DfE local authority code is three digits, for example 873."
)
# ONS GSS codes of councils with children's services: county (E10), unitary (E06),
# metropolitan district (E08) and London borough (E09), then six digits.
gss_code_validator = RegexValidator(
    r"^E(06|08|09|10)[0-9]{6}\Z",
    "An ONS GSS code is E06, E08, E09 or E10 followed by six digits, for example E10000003.",
)
ofsted_urn_validator = RegexValidator(
    r"^[0-9]{5,8}\Z", "An Ofsted URN is five to eight digits, for example 80445."
)

# For the database check constraints. \Z, not $: on SQLite (Python's re) $ also
# matches before a final newline. PostgreSQL reads \Z the same way.
DFE_LA_CODE_PATTERN = r"^[0-9]{3}\Z"
GSS_CODE_PATTERN = r"^E(06|08|09|10)[0-9]{6}\Z"
OFSTED_URN_PATTERN = r"^[0-9]{5,8}\Z"
