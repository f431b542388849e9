# Write role for the prod environment: operators and CI.
# Creates and updates integration secrets under prod/ in the KV v2 mount
# "caldron" (check-and-set writes), reads and lists them. It cannot destroy
# versions or delete a secret's metadata.

path "caldron/data/prod/*" {
  capabilities = ["create", "read", "update"]
}

path "caldron/metadata/prod/*" {
  capabilities = ["read", "list"]
}
