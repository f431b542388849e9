"""Logging in to Vault: the four login methods, token storage and whoami."""

METHODS = ("token", "userpass", "approle", "jwt")
