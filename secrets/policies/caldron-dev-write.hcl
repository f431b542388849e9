# Write role for the dev environment: operators and CI.
# Creates and updates integration secrets under dev/ in the KV v2 mount
# "caldron" (check-and-set writes), reads and lists them. It cannot destroy
# versions or delete a secret's metadata.

path "caldron/data/dev/*" {
  capabilities = ["create", "read", "update"]
}

path "caldron/metadata/dev/*" {
  capabilities = ["read", "list"]
}
