variable "name" {
  description = "Prefix for resource names, e.g. realty-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC. Private subnets take the first /20s, public subnets (NAT only) start at the ninth /20."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 16
    error_message = "vpc_cidr must be a valid IPv4 CIDR of size /16 or larger."
  }
}

variable "az_count" {
  description = "Number of availability zones (one private subnet each). Use 3 for a CLUSTER_MULTI_AZ broker."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3 (RDS subnet groups need two AZs, an Amazon MQ cluster uses up to three)."
  }
}

variable "enable_nat_gateway" {
  description = "Create public subnets and NAT gateways. Needed for outbound SMTP and webhooks from the notification function."
  type        = bool
  default     = true
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all AZs (cheaper, not zone-redundant). Set false in prod for one NAT per AZ."
  type        = bool
  default     = true
}

variable "secrets_manager_endpoint" {
  description = "Create the Secrets Manager interface endpoint: the functions (AWS SDK, at start-up) and the Amazon MQ event source pollers read secrets from the private subnets. Only LocalStack sets false."
  type        = bool
  default     = true
}

variable "interface_endpoints" {
  description = "Further AWS services reached through interface VPC endpoints instead of the NAT: lambda and sts (Amazon MQ event source pollers), logs."
  type        = list(string)
  default     = ["lambda", "sts"]

  validation {
    condition     = alltrue([for s in var.interface_endpoints : contains(["secretsmanager", "lambda", "sts", "logs"], s)])
    error_message = "interface_endpoints may only contain secretsmanager, lambda, sts and logs."
  }
}
