# Write role for the staging environment: operators and CI.
# Creates and updates integration secrets under staging/ in the KV v2 mount
# "caldron" (check-and-set writes), reads and lists them. It cannot destroy
# versions or delete a secret's metadata.

path "caldron/data/staging/*" {
  capabilities = ["create", "read", "update"]
}

path "caldron/metadata/staging/*" {
  capabilities = ["read", "list"]
}
