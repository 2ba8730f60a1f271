terraform {
  required_version = ">= 1.6.0"

  required_providers {
    # 6.25: the provider schema infra-check validates every resource against
    # (@cdktf/provider-aws 21.22.1 is generated from hashicorp/aws 6.25.0).
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.25"
    }
  }
}
