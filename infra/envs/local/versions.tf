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

  # Local state: LocalStack is thrown away with its container.
  backend "local" {}
}

# Every service this root touches points at LocalStack (docker-compose.yml at the
# repository root). The dummy credentials and skip_* flags keep the provider from
# calling real AWS.
provider "aws" {
  region                      = var.region
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  skip_region_validation      = true
  s3_use_path_style           = true

  endpoints {
    apigatewayv2   = var.localstack_endpoint
    cloudwatch     = var.localstack_endpoint
    cloudwatchlogs = var.localstack_endpoint
    ec2            = var.localstack_endpoint
    iam            = var.localstack_endpoint
    lambda         = var.localstack_endpoint
    mq             = var.localstack_endpoint
    rds            = var.localstack_endpoint
    scheduler      = var.localstack_endpoint
    secretsmanager = var.localstack_endpoint
    sns            = var.localstack_endpoint
    sts            = var.localstack_endpoint
  }

  default_tags {
    tags = {
      Project     = "realty"
      Environment = "local"
      ManagedBy   = "terraform"
    }
  }
}
