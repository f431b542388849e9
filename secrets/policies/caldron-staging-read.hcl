# Read role for the staging environment: developers and applications.
# Reads the current and past versions of every integration secret under
# staging/ in the KV v2 mount "caldron", and lists them. Nothing else.

path "caldron/data/staging/*" {
  capabilities = ["read"]
}

path "caldron/metadata/staging/*" {
  capabilities = ["read", "list"]
}
