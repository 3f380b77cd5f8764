output "function_name" {
  description = "Name of the forwarder function."
  value       = module.collectors.function_name
}

output "log_group_name" {
  description = "The forwarder's own log group."
  value       = module.collectors.log_group_name
}

output "failure_queue_url" {
  description = "Queue keeping invocations that failed after Lambda's retries."
  value       = module.collectors.failure_queue_url
}

output "subscribed_log_groups" {
  description = "PostgreSQL log groups subscribed to the forwarder."
  value       = module.collectors.subscribed_log_groups
}
