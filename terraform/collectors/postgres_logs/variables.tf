variable "environment" {
  description = "Environment these collectors serve (devel, prod); names the subscription filters."
  type        = string
}

variable "function_name" {
  description = "Name of the forwarder Lambda function."
  type        = string
}

variable "table_name" {
  description = "Name of the existing log table (made by persistent_data). Looked up, never managed here."
  type        = string
}

variable "lambda_jar_path" {
  description = "Path of the forwarder's shaded jar (lambda/target/pglogs-forwarder.jar after mvn package)."
  type        = string
}

variable "runtime" {
  description = "Lambda runtime for the forwarder: java21 (Amazon Linux 2023; supported until 2029-06-30), or java25 with an AWS provider release that knows it (5.46.0 does not). java17 ran on Amazon Linux 2, past its end of life since 2026-06-30."
  type        = string
  default     = "java21"

  validation {
    condition     = contains(["java21", "java25"], var.runtime)
    error_message = "runtime must be java21 or java25: java17, java11 and java8.al2 run on Amazon Linux 2, past its end of life (2026-06-30), and Lambda blocks updates to them from 2026-08-31."
  }
}

variable "architecture" {
  description = "Instruction set of the function: x86_64, or arm64 (Graviton, cheaper per GB-second)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB; CPU grows with it, and 512 MB parses a full payload in well under a second."
  type        = number
  default     = 512
}

variable "timeout" {
  description = "Timeout of one invocation in seconds. The forwarder retries writes until 1.5 s before it, then fails so Lambda retries."
  type        = number
  default     = 60
}

variable "reserved_concurrent_executions" {
  description = "Concurrent executions reserved for (and capped at) the forwarder, so a burst of logs cannot take the account's whole Lambda concurrency; null leaves it unreserved."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrent_executions == null ? true : var.reserved_concurrent_executions >= 1
    error_message = "reserved_concurrent_executions must be null (unreserved) or at least 1; 0 would stop the forwarder."
  }
}

variable "snapstart" {
  description = "Use Lambda SnapStart: publish a version, point an alias at it and subscribe the alias."
  type        = bool
  default     = false
}

variable "log_timezone" {
  description = "The instances' log_timezone (PGLOGS_LOG_TIMEZONE), e.g. Europe/Berlin: resolves zone abbreviations that name several offsets (CST, IST, PST). RDS's default is UTC."
  type        = string
  default     = "UTC"
}

variable "write_parallelism" {
  description = "BatchWriteItem calls in flight at once per invocation (PGLOGS_WRITE_PARALLELISM)."
  type        = number
  default     = 4
}

variable "rds_instance_ids" {
  description = "RDS PostgreSQL instances whose /aws/rds/instance/<id>/postgresql log groups are subscribed. The groups must exist (they do once the instance exports its postgresql log)."
  type        = list(string)
  default     = []
}

variable "aurora_cluster_ids" {
  description = "Aurora PostgreSQL clusters whose /aws/rds/cluster/<id>/postgresql log groups are subscribed."
  type        = list(string)
  default     = []
}

variable "filter_pattern" {
  description = "CloudWatch Logs filter pattern of the subscriptions; empty forwards every entry."
  type        = string
  default     = ""
}

variable "log_retention_days" {
  description = "Retention of the function's own log group /aws/lambda/<function>."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "maximum_retry_attempts" {
  description = "Times Lambda retries a failed asynchronous invocation before handing it to the on-failure queue."
  type        = number
  default     = 2

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 2
    error_message = "maximum_retry_attempts must be 0, 1 or 2."
  }
}

variable "maximum_event_age_in_seconds" {
  description = "Oldest an event may be for Lambda to still retry it (60 to 21600 seconds)."
  type        = number
  default     = 21600

  validation {
    condition     = var.maximum_event_age_in_seconds >= 60 && var.maximum_event_age_in_seconds <= 21600
    error_message = "maximum_event_age_in_seconds must be from 60 to 21600."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
