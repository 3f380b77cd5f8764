output "function_name" {
  description = "Name of the forwarder function."
  value       = aws_lambda_function.forwarder.function_name
}

output "function_arn" {
  description = "ARN of the forwarder function."
  value       = aws_lambda_function.forwarder.arn
}

output "invoke_arn" {
  description = "What the subscriptions invoke: the SnapStart alias, or the function."
  value       = local.invoke_arn
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.forwarder.arn
}

output "log_group_name" {
  description = "The function's own log group."
  value       = aws_cloudwatch_log_group.lambda.name
}

output "failure_queue_url" {
  description = "SQS queue that keeps invocations that failed after Lambda's retries."
  value       = aws_sqs_queue.failed.url
}

output "subscribed_log_groups" {
  description = "PostgreSQL log groups subscribed to the forwarder."
  value       = sort(tolist(local.postgres_log_groups))
}
