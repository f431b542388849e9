# Read role for the local environment: developers and applications.
# Reads the current and past versions of every integration secret under
# local/ in the KV v2 mount "caldron", and lists them. Nothing else.

path "caldron/data/local/*" {
  capabilities = ["read"]
}

path "caldron/metadata/local/*" {
  capabilities = ["read", "list"]
}
