# Write role for the local environment: operators and CI.
# Creates and updates integration secrets under local/ in the KV v2 mount
# "caldron" (check-and-set writes), reads and lists them. It cannot destroy
# versions or delete a secret's metadata.

path "caldron/data/local/*" {
  capabilities = ["create", "read", "update"]
}

path "caldron/metadata/local/*" {
  capabilities = ["read", "list"]
}
