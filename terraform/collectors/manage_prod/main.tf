provider "aws" {
  region              = var.region
  allowed_account_ids = var.allowed_account_ids

  default_tags {
    tags = merge(var.tags, { "managed-by" = "pglogs" })
  }
}

# Starts and stops the prod collectors. The table is persistent_data's: this root never makes or destroys it.
module "collectors" {
  source = "../postgres_logs"

  environment                    = "prod"
  function_name                  = var.function_name
  table_name                     = var.table_name
  lambda_jar_path                = coalesce(var.lambda_jar_path, "${path.module}/../../../lambda/target/pglogs-forwarder.jar")
  rds_instance_ids               = var.rds_instance_ids
  aurora_cluster_ids             = var.aurora_cluster_ids
  architecture                   = var.architecture
  memory_size                    = var.memory_size
  snapstart                      = var.snapstart
  reserved_concurrent_executions = var.reserved_concurrent_executions
  log_timezone                   = var.log_timezone
  tags                           = var.tags
}
