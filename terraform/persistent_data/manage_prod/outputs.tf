output "table_name" {
  description = "Name of the log table."
  value       = module.table.table_name
}

output "table_arn" {
  description = "ARN of the log table."
  value       = module.table.table_arn
}

output "shards" {
  description = "Shards per instance and day."
  value       = module.table.shards
}
