"""The people contract of DESIGN.md: the columns every list of people shares."""

# Input to import and to `ansinh dedupe`; the first columns of the households template too.
PEOPLE_COLUMNS = (
    "person_id",
    "household_id",
    "full_name",
    "birth_date",
    "sex",
    "citizen_id",
    "commune_code",
    "address",
    "source",
)
