variable "table_name" {
  description = "Name of the DynamoDB table that holds the PostgreSQL log entries of every instance."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.table_name))
    error_message = "A DynamoDB table name is 3 to 255 characters of letters, digits, '_', '-' and '.'."
  }
}

variable "environment" {
  description = "Environment the table belongs to (devel, prod); recorded as a tag."
  type        = string
}

variable "shards" {
  description = "Shards per instance and day in the partition key; published as the pglogs:shards tag, which readers, the forwarder (PGLOGS_SHARDS) and the CLI's writers follow."
  type        = number
  default     = 4

  validation {
    condition     = var.shards >= 1 && var.shards <= 256 && floor(var.shards) == var.shards
    error_message = "shards must be a whole number from 1 to 256."
  }
}

variable "ttl_days" {
  description = "Days after an entry's own time when DynamoDB may delete it; published as the pglogs:ttl_days tag, which the forwarder (PGLOGS_TTL_DAYS) and the CLI's writers follow."
  type        = number
  default     = 90

  validation {
    condition     = var.ttl_days >= 1 && var.ttl_days <= 3650 && floor(var.ttl_days) == var.ttl_days
    error_message = "ttl_days must be a whole number from 1 to 3650."
  }
}

variable "redact" {
  description = "What the writers replace by [redacted] before storing an entry: none, passwords (every credential form the forwarder knows; the default) or literals (also every SQL literal and bind parameter value); docs/schema.md. true and false, as before levels existed, mean passwords and none. Published as the pglogs:redact tag (true, false or literals), which the forwarder (PGLOGS_REDACT) and the CLI's writers follow."
  type        = string
  default     = "passwords"

  validation {
    condition     = contains(["none", "passwords", "literals", "true", "false"], lower(var.redact))
    error_message = "redact must be none, passwords or literals (true is passwords, false is none)."
  }
}

variable "storage_format" {
  description = "How entries are stored: entries (one item per entry, readable in the console) or compact (an instance's entries packed into compressed items of at most 1 KB, about a tenth of the write and storage cost); docs/schema.md. Chosen when the table is created: published as the pglogs:format tag, which the forwarder (PGLOGS_FORMAT), the CLI's writers and the readers follow; pglogs start refuses to change it on an existing table."
  type        = string
  default     = "entries"

  validation {
    condition     = contains(["entries", "compact"], var.storage_format)
    error_message = "storage_format must be entries or compact."
  }
}

variable "summaries" {
  description = "Whether the writers store, beside the entries, the summary items pglogs report counts from (docs/schema.md \"Summary items\"): on, off, or auto (the default): on for the entries format, off for compact. Summaries cost write units: with the 20-100 line payloads CloudWatch usually delivers they add about 2-5 % on an entries table, but 26-51 % on a compact one, up to half as much as the entries themselves; without them pglogs report reads the entries (slower for long windows, same numbers). Published as the pglogs:summaries tag (true or false), which the forwarder (PGLOGS_SUMMARIES) and the CLI's writers follow; changing it changes the tag in place, from the next payload on."
  type        = string
  default     = "auto"

  validation {
    condition     = contains(["auto", "on", "off"], lower(var.summaries))
    error_message = "summaries must be auto, on or off."
  }
}

variable "billing_mode" {
  description = "PAY_PER_REQUEST (on demand, the default) or PROVISIONED."
  type        = string
  default     = "PAY_PER_REQUEST"

  validation {
    condition     = contains(["PAY_PER_REQUEST", "PROVISIONED"], var.billing_mode)
    error_message = "billing_mode must be PAY_PER_REQUEST or PROVISIONED."
  }
}

variable "read_capacity" {
  description = "Read capacity units when billing_mode is PROVISIONED."
  type        = number
  default     = 5
}

variable "write_capacity" {
  description = "Write capacity units when billing_mode is PROVISIONED."
  type        = number
  default     = 25
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for server-side encryption; null uses the AWS managed key for DynamoDB."
  type        = string
  default     = null
}

variable "point_in_time_recovery" {
  description = "Keep continuous backups for point-in-time recovery (35 days)."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Make DynamoDB refuse DeleteTable until this is turned off."
  type        = bool
  default     = false
}

variable "prevent_destroy" {
  description = "Make every plan that would destroy or replace the table fail (lifecycle prevent_destroy)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the table."
  type        = map(string)
  default     = {}
}
