terraform {
  required_version = ">= 1.6.0"

  required_providers {
    # 6.25: the provider schema infra-check validates every resource against
    # (@cdktf/provider-aws 21.22.1 is generated from hashicorp/aws 6.25.0).
    # .terraform.lock.hcl beside this file locks exactly 6.25.0 (commit it).
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.25"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # Partial configuration: terraform init -backend-config=backend.hcl
  # (copy backend.hcl.example; one state per environment).
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "realty"
      Environment = "prod"
      ManagedBy   = "terraform"
    }
  }
}
