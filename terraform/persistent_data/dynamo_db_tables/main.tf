locals {
  # The item contract (docs/schema.md): keys, TTL attribute, and how every writer writes (shards, days kept,
  # redaction) published as tags: the one place per environment the collectors and the CLI's writers read them from.
  hash_key      = "pk"
  range_key     = "sk"
  ttl_attribute = "expires_at"

  # The tag keeps true and false for the two levels that existed before literals, so writers of earlier releases go on
  # reading it; they refuse literals, which they cannot honour.
  redact_level = lookup({ "true" = "passwords", "false" = "none" }, lower(var.redact), lower(var.redact))
  redact_tag   = lookup({ passwords = "true", none = "false" }, local.redact_level, local.redact_level)

  # auto writes summaries where they are cheap. A compact item packs a payload's entries, so with the 20-100 line
  # payloads CloudWatch usually delivers a payload's summary costs about as many write units as its entries
  # (bench/report-scale): compact tables go without unless asked.
  summaries = lower(var.summaries) == "auto" ? var.storage_format == "entries" : lower(var.summaries) == "on"

  tags = merge(var.tags, {
    "pglogs:shards"      = tostring(var.shards)
    "pglogs:ttl_days"    = tostring(var.ttl_days)
    "pglogs:redact"      = local.redact_tag
    "pglogs:format"      = var.storage_format
    "pglogs:summaries"   = tostring(local.summaries)
    "pglogs:environment" = var.environment
  })

  table = var.prevent_destroy ? aws_dynamodb_table.protected[0] : aws_dynamodb_table.this[0]
}

# prevent_destroy cannot take a variable, so the table exists in two variants chosen by count; their bodies must stay
# identical (a test checks this).
resource "aws_dynamodb_table" "this" {
  count = var.prevent_destroy ? 0 : 1

  name                        = var.table_name
  billing_mode                = var.billing_mode
  read_capacity               = var.billing_mode == "PROVISIONED" ? var.read_capacity : null
  write_capacity              = var.billing_mode == "PROVISIONED" ? var.write_capacity : null
  hash_key                    = local.hash_key
  range_key                   = local.range_key
  deletion_protection_enabled = var.deletion_protection
  # pglogs tail -f reads what is stored as it is stored, late entries included.
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"

  attribute {
    name = local.hash_key
    type = "S"
  }

  attribute {
    name = local.range_key
    type = "S"
  }

  ttl {
    attribute_name = local.ttl_attribute
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = local.tags
}

resource "aws_dynamodb_table" "protected" {
  count = var.prevent_destroy ? 1 : 0

  name                        = var.table_name
  billing_mode                = var.billing_mode
  read_capacity               = var.billing_mode == "PROVISIONED" ? var.read_capacity : null
  write_capacity              = var.billing_mode == "PROVISIONED" ? var.write_capacity : null
  hash_key                    = local.hash_key
  range_key                   = local.range_key
  deletion_protection_enabled = var.deletion_protection
  # pglogs tail -f reads what is stored as it is stored, late entries included.
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"

  attribute {
    name = local.hash_key
    type = "S"
  }

  attribute {
    name = local.range_key
    type = "S"
  }

  ttl {
    attribute_name = local.ttl_attribute
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}
