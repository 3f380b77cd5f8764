variable "region" {
  description = "AWS region of the table; null takes it from AWS_REGION or the profile."
  type        = string
  default     = null
}

variable "allowed_account_ids" {
  description = "The only AWS accounts this root may act on (pglogs passes <env>.account_id); null allows any."
  type        = list(string)
  default     = null
}

variable "table_name" {
  description = "Name of the production log table."
  type        = string
  default     = "pglogs-prod"
}

variable "shards" {
  description = "Shards per instance and day. The collectors take it from the table's tag: set it here only."
  type        = number
  default     = 4
}

variable "ttl_days" {
  description = "Days entries are kept. The collectors take it from the table's tag: set it here only."
  type        = number
  default     = 90
}

variable "redact" {
  description = "What is replaced by [redacted] before entries are stored: none, passwords (the default) or literals (also every SQL literal and bind parameter value); true and false mean passwords and none. The collectors take it from the table's tag: set it here only."
  type        = string
  default     = "passwords"

  validation {
    condition     = contains(["none", "passwords", "literals", "true", "false"], lower(var.redact))
    error_message = "redact must be none, passwords or literals (true is passwords, false is none)."
  }
}

variable "storage_format" {
  description = "entries (one item per entry) or compact (packed, compressed items; about a tenth of the cost). Chosen when the table is created; the collectors and the CLI take it from the table's tag."
  type        = string
  default     = "entries"
}

variable "summaries" {
  description = "Whether the writers store the summary items pglogs report counts from: on, off, or auto (the default: on for entries, off for compact, where with the usual small payloads summaries cost about as much as the entries). The collectors and the CLI's writers take it from the table's tag: set it here only; changing it is a tag change, in place."
  type        = string
  default     = "auto"

  validation {
    condition     = contains(["auto", "on", "off"], lower(var.summaries))
    error_message = "summaries must be auto, on or off."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the table; null uses the AWS managed key."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource of this root."
  type        = map(string)
  default     = {}
}
