variable "name" {
  description = "Name prefix (project-environment); the bucket is <name>-audit-archive-<account id>, S3 bucket names being global."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be lower-case letters, digits and dashes (an S3 bucket name part), at most 31 characters."
  }
}

variable "glacier_after_days" {
  description = "Archived months move to S3 Glacier Flexible Retrieval this many days after they are written (they are read only for an investigation); 0 keeps them in S3 Standard."
  type        = number
  default     = 30

  validation {
    condition     = var.glacier_after_days >= 0 && floor(var.glacier_after_days) == var.glacier_after_days
    error_message = "glacier_after_days must be a whole number of days, 0 or more."
  }
}

variable "expire_after_days" {
  description = "Archived months are deleted this many days after they are written; 0 keeps them until an operator deletes them. The archive holds the same personal data as the audit rows did: set the period the controller decided (LGPD art. 16)."
  type        = number
  default     = 0

  validation {
    condition     = var.expire_after_days == 0 || var.expire_after_days >= 180
    error_message = "expire_after_days must be 0 (keep) or at least 180: rows reach the archive after the Marco Civil's six months, and the archive is then the only copy."
  }
}

variable "export_expire_after_days" {
  description = "Asynchronous audit exports (key prefix exports/) are deleted this many days after they are written; their download links expire long before."
  type        = number
  default     = 7

  validation {
    condition     = var.export_expire_after_days >= 1 && var.export_expire_after_days <= 90
    error_message = "export_expire_after_days must be between 1 and 90."
  }
}

variable "force_destroy" {
  description = "Whether terraform destroy may delete a bucket that still holds archives (dev only; never in prod, where the archive is the only copy of past audit rows)."
  type        = bool
  default     = false
}
