output "table_name" {
  description = "Name of the log table."
  value       = local.table.name
}

output "table_arn" {
  description = "ARN of the log table."
  value       = local.table.arn
}

output "shards" {
  description = "Shards per instance and day, as published in the pglogs:shards tag."
  value       = var.shards
}

output "ttl_days" {
  description = "Days entries are kept, as published in the pglogs:ttl_days tag."
  value       = var.ttl_days
}

output "redact" {
  description = "The redaction level (none, passwords or literals), published in the pglogs:redact tag as false, true or literals."
  value       = local.redact_level
}

output "storage_format" {
  description = "How entries are stored (entries or compact), as published in the pglogs:format tag."
  value       = var.storage_format
}

output "summaries" {
  description = "Whether the writers store summary items (summaries, auto resolved by the storage format), as published in the pglogs:summaries tag (true or false)."
  value       = local.summaries
}

output "ttl_attribute" {
  description = "The table's TTL attribute."
  value       = local.ttl_attribute
}

output "stream_arn" {
  description = "ARN of the table's stream (NEW_IMAGE), which pglogs tail -f reads."
  value       = local.table.stream_arn
}
