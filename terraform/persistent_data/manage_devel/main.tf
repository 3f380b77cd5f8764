provider "aws" {
  region              = var.region
  allowed_account_ids = var.allowed_account_ids

  default_tags {
    tags = merge(var.tags, { "managed-by" = "pglogs" })
  }
}

# Cheap and easy to destroy: on demand, no point-in-time recovery, no deletion protection.
module "table" {
  source = "../dynamo_db_tables"

  table_name             = var.table_name
  environment            = "devel"
  shards                 = var.shards
  ttl_days               = var.ttl_days
  redact                 = var.redact
  storage_format         = var.storage_format
  summaries              = var.summaries
  kms_key_arn            = var.kms_key_arn
  point_in_time_recovery = false
  deletion_protection    = false
  prevent_destroy        = false
}

# The module keeps its table at one of two addresses, protected[0] (prevent_destroy) or this[0]. Devel's is this[0]:
# switching prevent_destroy moves the table in the state instead of planning a replacement. To protect devel's table,
# set prevent_destroy = true and swap from and to here.
moved {
  from = module.table.aws_dynamodb_table.protected[0]
  to   = module.table.aws_dynamodb_table.this[0]
}
