provider "aws" {
  region              = var.region
  allowed_account_ids = var.allowed_account_ids

  default_tags {
    tags = merge(var.tags, { "managed-by" = "pglogs" })
  }
}

# Production data is kept three months and must survive mistakes: point-in-time recovery, DynamoDB's own deletion
# protection, and prevent_destroy so that no plan can destroy or replace the table.
module "table" {
  source = "../dynamo_db_tables"

  table_name             = var.table_name
  environment            = "prod"
  shards                 = var.shards
  ttl_days               = var.ttl_days
  redact                 = var.redact
  storage_format         = var.storage_format
  summaries              = var.summaries
  kms_key_arn            = var.kms_key_arn
  point_in_time_recovery = true
  deletion_protection    = true
  prevent_destroy        = true
}

# The module keeps its table at one of two addresses, protected[0] (prevent_destroy) or this[0]. Prod's is protected:
# a prod table that is in the state at the other address (made or adopted before protection was switched on) is moved,
# never replaced. To lift the protection, set prevent_destroy = false and swap from and to here.
moved {
  from = module.table.aws_dynamodb_table.this[0]
  to   = module.table.aws_dynamodb_table.protected[0]
}
