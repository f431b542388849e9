"""Values that rendered files must carry: the users' hard cases and a
hypothesis strategy built from the characters that break dotenv dialects.
Every value is fake."""

from hypothesis import strategies as st

PEM_KEY = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIBfakeLINEone\n"
    "QUJDfakeLINEtwo\n"
    "-----END PRIVATE KEY-----\n"
)

HARD_CASES = (
    ("SIGNING_KEY", PEM_KEY),
    ("DB_PASSWORD", "Tr0ub4dor#3"),
    ("HOOK_URL", "https://hooks.example.test/in#frag"),
    ("SMTP_PASS", "open sesame #42"),
    ("BRAND_COLOR", "#00AAFF"),
    ("PG_PASSWORD", "zX$9${USER}wq!"),
    ("API_SALT", "$$literal$"),
    ("USER_IN_PASSWORD", "pa$USERword"),
    ("FEATURE_FLAGS", '{"beta": true, "tier": "gold"}'),
    ("GREETING", 'It\'s "fine"'),
    ("API_SECRET", "  padded-secret  "),
    ("TAB_SEP", "\tx\t"),
    ("TRAILING_NEWLINE", "tok-123\n"),
    ("EMPTY", ""),
    ("BLANK", "   "),
    ("COMMANDS", "$(echo fake-injected)`echo fake-tick`"),
    ("EQUALS", "a=b==c="),
    ("TRAILING_BACKSLASH", "C:\\fake\\path\\"),
    ("HASH_AFTER_BACKSLASH", "#after"),
    ("DOUBLE_BACKSLASH", "fake\\\\n"),
    ("NON_ASCII", "pässwörd-☃-日本"),
    ("ALL_QUOTES", "fake'\"`mix"),
    ("QUOTES_AND_HASH", "fake'\"`#1"),
    ("CARRIAGE_RETURN", "fake\r\nline"),
    ("EXPORT_LOOKALIKE", "export FAKE=1"),
    ("EQUALS_QUOTE", 'fake="x'),
    ("EQUALS_QUOTES", 'fake="x"'),
    ("port_number", "8000"),
    ("REPORT_TOKEN", "rt-fake-01"),
    ("exported_flag", "yes"),
)

REFUSED_HARD_CASES = {
    "python-dotenv": set(),
    "node-dotenv": {"QUOTES_AND_HASH"},
    "phpdotenv": set(),
    "symfony": set(),
    "shell": set(),
    "docker": {"SIGNING_KEY", "TRAILING_NEWLINE", "CARRIAGE_RETURN"},
    "github-actions": {"CARRIAGE_RETURN"},
    "json": set(),
    "portable": {
        "PG_PASSWORD",
        "GREETING",
        "TRAILING_BACKSLASH",
        "DOUBLE_BACKSLASH",
        "ALL_QUOTES",
        "QUOTES_AND_HASH",
        "EQUALS_QUOTE",
    },
}

TRICKY_PIECES = (
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "  ",
    '"',
    "'",
    "`",
    "$",
    "${",
    "}",
    "${USER}",
    "$USER",
    "$(",
    ")",
    "#",
    " #",
    "=",
    "\\",
    "\\n",
    "\\r",
    "\\\\",
    "é",
    "☃",
    "export ",
    "<<",
    "CALDRON_EOF",
    "\f",
    "\v",
)

plain_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
    max_size=6,
)
env_values = st.lists(
    st.one_of(st.sampled_from(TRICKY_PIECES), plain_text), max_size=8
).map("".join)
