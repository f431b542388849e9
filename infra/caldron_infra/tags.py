"""The tags every resource carries, and the one that asks AWS Backup to copy it."""

from caldron_infra.settings import Settings

BACKUP_TAG_KEY = "caldron:backup"
REQUIRED_TAG_KEYS = ("environment", "project", "owner")


def tags_for(settings: Settings, **extra: str) -> dict[str, str]:
    """The standard tags of this stack, plus ``extra`` ones."""
    return {
        "environment": settings.environment,
        "project": settings.project,
        "owner": settings.owner,
        **extra,
    }


def backup_tags_for(settings: Settings) -> dict[str, str]:
    """The standard tags plus the tag the backup selection looks for."""
    return tags_for(settings, **{BACKUP_TAG_KEY: "true"})
