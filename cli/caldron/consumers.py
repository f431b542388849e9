"""The parsers a rendered environment file can be written for."""

CONSUMERS = (
    "python-dotenv",
    "node-dotenv",
    "phpdotenv",
    "symfony",
    "shell",
    "docker",
    "github-actions",
    "json",
    "portable",
)
