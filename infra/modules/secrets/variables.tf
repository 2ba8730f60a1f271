variable "name" {
  description = "Prefix for secret names, e.g. realty-prod. Secrets are named <name>/jwt, <name>/platform-admin, <name>/smtp."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "platform_admin_username" {
  description = "Login name of the platform administrator (the SaaS operator, not a tenant user)."
  type        = string
  default     = "platform-admin"

  validation {
    condition     = can(regex("^[a-zA-Z0-9._@-]{3,64}$", var.platform_admin_username))
    error_message = "platform_admin_username must be 3-64 characters of letters, digits, '.', '_', '@' or '-'."
  }
}

variable "smtp_username" {
  description = "Initial SMTP user name stored in the SMTP secret. Later changes are made in Secrets Manager, not here (see docs/deploy.md)."
  type        = string
  default     = ""
  sensitive   = true
}

variable "smtp_password" {
  description = "Initial SMTP password stored in the SMTP secret. Later changes are made in Secrets Manager, not here."
  type        = string
  default     = ""
  sensitive   = true
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored. 0 deletes at once (only for throw-away environments)."
  type        = number
  default     = 7

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "recovery_window_in_days must be 0 or between 7 and 30."
  }
}
