terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.46"
    }
  }

  # One state per root. Local by default; for S3 see README.md.
  backend "local" {}
}
