# Read role for the dev environment: developers and applications.
# Reads the current and past versions of every integration secret under
# dev/ in the KV v2 mount "caldron", and lists them. Nothing else.

path "caldron/data/dev/*" {
  capabilities = ["read"]
}

path "caldron/metadata/dev/*" {
  capabilities = ["read", "list"]
}
