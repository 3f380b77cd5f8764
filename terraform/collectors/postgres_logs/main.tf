data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# The table belongs to persistent_data: looked up by name, so destroying the collectors cannot touch it.
data "aws_dynamodb_table" "logs" {
  name = var.table_name
}

locals {
  log_group_arn_prefix = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group"

  postgres_log_groups = toset(concat(
    [for id in var.rds_instance_ids : "/aws/rds/instance/${id}/postgresql"],
    [for id in var.aurora_cluster_ids : "/aws/rds/cluster/${id}/postgresql"],
  ))

  # How entries are written comes from the table's tags (persistent_data sets them, once per environment), so the
  # forwarder, the CLI's writers and the readers cannot disagree. Defaults for a table tagged before they existed.
  table_tags = data.aws_dynamodb_table.logs.tags
  ttl_days   = lookup(local.table_tags, "pglogs:ttl_days", "90")
  shards     = lookup(local.table_tags, "pglogs:shards", "4")
  redact     = lookup(local.table_tags, "pglogs:redact", "true")
  format     = lookup(local.table_tags, "pglogs:format", "entries")
  # Absent: what "auto" gives the format (persistent_data's summaries variable), as the CLI's writers take it.
  summaries = lookup(local.table_tags, "pglogs:summaries", local.format == "compact" ? "false" : "true")

  # With SnapStart the subscriptions invoke the alias (a published, snapshotted version), not $LATEST.
  invoke_qualifier = var.snapstart ? aws_lambda_alias.live[0].name : null
  invoke_arn       = var.snapstart ? aws_lambda_alias.live[0].arn : aws_lambda_function.forwarder.arn
}

resource "aws_cloudwatch_log_group" "lambda" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_sqs_queue" "failed" {
  name                      = "${var.function_name}-failed"
  sqs_managed_sse_enabled   = true
  message_retention_seconds = 1209600
  # Said explicitly: the service default has changed (256 KiB, now 1 MiB) and the provider waits for the value it
  # expects; 256 KiB is the most the provider 5.x accepts.
  max_message_size = 262144
  tags             = var.tags
}

# Only the forwarder's role may send to the failure queue: `pglogs failed redrive` replays its messages as log
# entries, so a message sent by anyone else in the account would be stored as one. Inside an account, identity
# policies grant sqs:SendMessage on every queue to whoever holds sqs:*; only an explicit deny here stops them.
# Receiving and deleting (the CLI's failed show and redrive) stay with the account's identity policies.
data "aws_iam_policy_document" "failed_queue" {
  statement {
    sid       = "OnlyTheForwarderSends"
    effect    = "Deny"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failed.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [aws_iam_role.forwarder.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "failed" {
  queue_url = aws_sqs_queue.failed.id
  policy    = data.aws_iam_policy_document.failed_queue.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "forwarder" {
  name               = var.function_name
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

# Least privilege: write items to this one table, write the function's own log group, hand failed invocations to
# its own queue (Lambda sends on-failure records with the function's role). No wildcard resources.
data "aws_iam_policy_document" "forwarder" {
  statement {
    sid       = "WriteLogItems"
    actions   = ["dynamodb:BatchWriteItem", "dynamodb:PutItem"]
    resources = [data.aws_dynamodb_table.logs.arn]
  }

  # Rollups (docs/schema.md "Rollup items"): a late payload's writer marks its span's rollup stale (UpdateItem); the
  # roller reads a span's rollup (GetItem) and summaries, or with summaries off its entries (Query), before writing
  # the rollup (PutItem, above).
  statement {
    sid       = "RollUpSummaries"
    actions   = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]
    resources = [data.aws_dynamodb_table.logs.arn]
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda.arn}:*"]
  }

  statement {
    sid       = "KeepFailedInvocations"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failed.arn]
  }
}

resource "aws_iam_role_policy" "forwarder" {
  name   = "pglogs-forwarder"
  role   = aws_iam_role.forwarder.id
  policy = data.aws_iam_policy_document.forwarder.json
}

# Stopping must work without the jar, so the hash is only read when the file is there; apply checks it exists.
resource "aws_lambda_function" "forwarder" {
  function_name    = var.function_name
  description      = "pglogs: PostgreSQL log entries from CloudWatch Logs into ${var.table_name}"
  role             = aws_iam_role.forwarder.arn
  filename         = var.lambda_jar_path
  source_code_hash = fileexists(var.lambda_jar_path) ? filebase64sha256(var.lambda_jar_path) : null
  handler          = "io.pglogs.forwarder.ForwarderHandler::handleRequest"
  runtime          = var.runtime
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = var.timeout
  publish          = var.snapstart

  reserved_concurrent_executions = var.reserved_concurrent_executions

  environment {
    variables = {
      PGLOGS_TABLE             = var.table_name
      PGLOGS_TTL_DAYS          = local.ttl_days
      PGLOGS_SHARDS            = local.shards
      PGLOGS_REDACT            = local.redact
      PGLOGS_FORMAT            = local.format
      PGLOGS_SUMMARIES         = local.summaries
      PGLOGS_WRITE_PARALLELISM = tostring(var.write_parallelism)
      PGLOGS_LOG_TIMEZONE      = var.log_timezone
      # C1 only: the work per invocation is short, so a quick JIT beats a thorough one (and halves the cold start).
      JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
    }
  }

  dynamic "snap_start" {
    for_each = var.snapstart ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.lambda, aws_iam_role_policy.forwarder]
}

resource "aws_lambda_alias" "live" {
  count = var.snapstart ? 1 : 0

  name             = "live"
  function_name    = aws_lambda_function.forwarder.function_name
  function_version = aws_lambda_function.forwarder.version
}

resource "aws_lambda_function_event_invoke_config" "forwarder" {
  function_name                = aws_lambda_function.forwarder.function_name
  qualifier                    = local.invoke_qualifier
  maximum_retry_attempts       = var.maximum_retry_attempts
  maximum_event_age_in_seconds = var.maximum_event_age_in_seconds

  destination_config {
    on_failure {
      destination = aws_sqs_queue.failed.arn
    }
  }

  depends_on = [aws_iam_role_policy.forwarder]
}

# Two permissions, one for the instances' and one for the clusters' PostgreSQL log groups of this account and region,
# however many groups are subscribed: a function's resource policy is limited to 20 KB, which one statement per group
# exceeds at about 57 groups. ArnLike matches the pattern; source_account closes the confused-deputy gap.
# (Named anew: state from the per-group "logs" permissions is replaced, and pglogs start adds these first.)
resource "aws_lambda_permission" "postgres_log_groups" {
  for_each = {
    instances = "instance"
    clusters  = "cluster"
  }

  statement_id   = "pglogs-postgresql-${each.key}"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.forwarder.function_name
  qualifier      = local.invoke_qualifier
  principal      = "logs.amazonaws.com"
  source_arn     = "${local.log_group_arn_prefix}:/aws/rds/${each.value}/*/postgresql:*"
  source_account = data.aws_caller_identity.current.account_id
}

# CloudWatch allows two subscription filters per log group: devel and prod collectors take one each.
resource "aws_cloudwatch_log_subscription_filter" "postgres" {
  for_each = local.postgres_log_groups

  name            = "pglogs-${var.environment}"
  log_group_name  = each.value
  filter_pattern  = var.filter_pattern
  destination_arn = local.invoke_arn

  depends_on = [aws_lambda_permission.postgres_log_groups]
}
