variable "region" {
  description = "AWS region of the collectors; null takes it from AWS_REGION or the profile."
  type        = string
  default     = null
}

variable "allowed_account_ids" {
  description = "The only AWS accounts this root may act on (pglogs passes <env>.account_id); null allows any."
  type        = list(string)
  default     = null
}

variable "function_name" {
  description = "Name of the forwarder function."
  type        = string
  default     = "pglogs-forwarder-prod"
}

variable "table_name" {
  description = "Name of the prod log table made by persistent_data/manage_prod."
  type        = string
  default     = "pglogs-prod"
}

variable "lambda_jar_path" {
  description = "Path of the forwarder jar; null means lambda/target/pglogs-forwarder.jar of this repository."
  type        = string
  default     = null
}

variable "rds_instance_ids" {
  description = "RDS PostgreSQL instances whose logs are collected."
  type        = list(string)
  default     = []
}

variable "aurora_cluster_ids" {
  description = "Aurora PostgreSQL clusters whose logs are collected."
  type        = list(string)
  default     = []
}

variable "architecture" {
  description = "x86_64 or arm64."
  type        = string
  default     = "x86_64"
}

variable "memory_size" {
  description = "Memory of the function in MB."
  type        = number
  default     = 512
}

variable "reserved_concurrent_executions" {
  description = "Concurrent executions reserved for the forwarder (also its cap); null leaves it unreserved."
  type        = number
  default     = null
}

variable "snapstart" {
  description = "Use Lambda SnapStart (published version and alias)."
  type        = bool
  default     = true
}

variable "log_timezone" {
  description = "The instances' log_timezone, e.g. Europe/Berlin (RDS's default: UTC)."
  type        = string
  default     = "UTC"
}

variable "tags" {
  description = "Tags added to every resource of this root."
  type        = map(string)
  default     = {}
}
