# Test fixture: stands in for the real root with only the built-in terraform_data, so no provider is needed.
# A sleep.auto.tfvars (sleep_seconds) makes the apply slow; a fail.auto.tfvars (fail = true) makes the plan fail.

# As the real roots: pglogs gives the local state's path at init.
terraform {
  backend "local" {}
}

variable "region" {
  type    = string
  default = null
}

variable "table_name" {
  type = string
}

variable "function_name" {
  type = string
}

variable "lambda_jar_path" {
  type = string
}

variable "rds_instance_ids" {
  type = list(string)
}

variable "aurora_cluster_ids" {
  type = list(string)
}

variable "sleep_seconds" {
  type    = number
  default = 0
}

variable "fail" {
  type    = bool
  default = false
}

# Makes and removes in the emulator what the real root would (scripts: ../../fixture_aws.py, with the python that
# PGLOGS_FIXTURE_PYTHON names), so that pglogs' check of AWS after an apply or destroy sees it.
resource "terraform_data" "function" {
  input = {
    function  = var.function_name
    table     = var.table_name
    jar       = var.lambda_jar_path
    groups    = concat(var.rds_instance_ids, var.aurora_cluster_ids)
    instances = var.rds_instance_ids
    clusters  = var.aurora_cluster_ids
    env       = trimprefix(basename(abspath(path.module)), "manage_")
    script    = abspath("${path.module}/../../fixture_aws.py")
  }

  provisioner "local-exec" {
    command = "\"$PGLOGS_FIXTURE_PYTHON\" ${self.input.script} create '${jsonencode(self.input)}'"
  }

  provisioner "local-exec" {
    when    = destroy
    command = "\"$PGLOGS_FIXTURE_PYTHON\" ${self.input.script} destroy '${jsonencode(self.input)}'"
  }
}

resource "terraform_data" "slow" {
  count = var.sleep_seconds > 0 ? 1 : 0

  provisioner "local-exec" {
    command = "sleep ${var.sleep_seconds}"
  }
}

resource "terraform_data" "check" {
  lifecycle {
    precondition {
      condition     = !var.fail
      error_message = "fixture asked to fail"
    }
  }
}
