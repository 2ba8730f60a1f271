variable "region" {
  description = "AWS region of the dev environment."
  type        = string
  default     = "sa-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as sa-east-1."
  }
}

variable "smtp_host" {
  description = "SMTP server, e.g. email-smtp.sa-east-1.amazonaws.com (Amazon SES)."
  type        = string
}

variable "mail_from" {
  description = "Sender address of notification e-mails (a verified SES identity)."
  type        = string
}

variable "link_base_url" {
  description = "The web app the invitation and password-reset mails link to, e.g. https://app.example.com (no trailing slash)."
  type        = string
}

variable "alarm_email_addresses" {
  description = "Who receives alarm e-mails."
  type        = list(string)
  default     = []
}

variable "secrets_revision" {
  description = "Bump after rotating a secret so every function reads it again (see docs/deploy.md)."
  type        = string
  default     = "1"
}

variable "pinned_versions" {
  description = "Rollback: function key => published version the live alias must serve (see docs/deploy.md)."
  type        = map(string)
  default     = {}
}
