variable "name" {
  description = "DB instance identifier, e.g. realty-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.name)) && !endswith(var.name, "-") && !strcontains(var.name, "--")
    error_message = "name must be a valid RDS identifier: lowercase letters, digits and single hyphens, starting with a letter."
  }
}

variable "engine_version" {
  description = "PostgreSQL major version (minor upgrades are automatic)."
  type        = string
  default     = "15"

  validation {
    condition     = can(regex("^15(\\.[0-9]+)?$", var.engine_version))
    error_message = "The schema and the parameter group target PostgreSQL 15."
  }
}

variable "instance_class" {
  description = "RDS instance class, e.g. db.t4g.micro (dev) or db.r6g.large (prod)."
  type        = string
  default     = "db.t4g.micro"

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must start with db."
  }
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage_gb >= 20 && var.allocated_storage_gb <= 65536
    error_message = "allocated_storage_gb must be between 20 and 65536."
  }
}

variable "max_allocated_storage_gb" {
  description = "Upper bound for storage autoscaling in GiB (must be >= allocated_storage_gb)."
  type        = number
  default     = 100

  validation {
    condition     = var.max_allocated_storage_gb >= 20 && var.max_allocated_storage_gb <= 65536
    error_message = "max_allocated_storage_gb must be between 20 and 65536."
  }
}

variable "multi_az" {
  description = "Synchronous standby in a second AZ (prod)."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "Days of automated backups and point-in-time recovery."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (prod)."
  type        = bool
  default     = false
}

variable "skip_final_snapshot" {
  description = "Delete without a final snapshot (dev only)."
  type        = bool
  default     = false
}

variable "performance_insights_enabled" {
  description = "Enable Performance Insights (not available on every micro class)."
  type        = bool
  default     = false
}

variable "apply_immediately" {
  description = "Apply modifications now instead of in the maintenance window."
  type        = bool
  default     = false
}

variable "database_name" {
  description = "Name of the application database (the /realty in the JDBC URL)."
  type        = string
  default     = "realty"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be lowercase letters, digits or '_', starting with a letter."
  }
}

variable "master_username" {
  description = "Master user the functions connect with (Flyway migrations run as this user)."
  type        = string
  default     = "realty_app"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.master_username)) && !contains(["postgres", "rdsadmin", "admin"], var.master_username)
    error_message = "master_username must be lowercase letters, digits or '_' and not a reserved name."
  }
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets in at least two AZs."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "An RDS subnet group needs subnets in at least two AZs."
  }
}

variable "client_security_groups" {
  description = "Static name => security group id allowed to connect on 5432, e.g. { lambda = <id> }. The names key the ingress rules: they must be literals, known at plan, while the ids may exist only after apply."
  type        = map(string)
}

variable "secret_recovery_window_in_days" {
  description = "Days a deleted database secret can still be restored (0 = delete at once)."
  type        = number
  default     = 7

  validation {
    condition     = var.secret_recovery_window_in_days == 0 || (var.secret_recovery_window_in_days >= 7 && var.secret_recovery_window_in_days <= 30)
    error_message = "secret_recovery_window_in_days must be 0 or between 7 and 30."
  }
}

variable "ca_bundle_path" {
  description = "Path of the RDS CA bundle inside the function (sslrootcert of the JDBC URL). The build puts rds-ca-bundle.pem at the root of every function jar, which Lambda extracts into /var/task."
  type        = string
  default     = "/var/task/rds-ca-bundle.pem"

  validation {
    condition     = startswith(var.ca_bundle_path, "/") && endswith(var.ca_bundle_path, ".pem")
    error_message = "ca_bundle_path must be an absolute path to a .pem file."
  }
}
