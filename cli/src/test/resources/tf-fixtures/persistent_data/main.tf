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

variable "sleep_seconds" {
  type    = number
  default = 0
}

variable "fail" {
  type    = bool
  default = false
}

resource "terraform_data" "table" {
  input = var.table_name
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
