# Read role for the prod environment: developers and applications.
# Reads the current and past versions of every integration secret under
# prod/ in the KV v2 mount "caldron", and lists them. Nothing else.

path "caldron/data/prod/*" {
  capabilities = ["read"]
}

path "caldron/metadata/prod/*" {
  capabilities = ["read", "list"]
}
