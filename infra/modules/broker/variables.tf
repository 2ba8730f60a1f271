variable "name" {
  description = "Broker name, e.g. realty-prod. Also the value of the Broker dimension of the AWS/AmazonMQ metrics."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,50}$", var.name))
    error_message = "name must be 1-50 letters, digits, '-' or '_'."
  }
}

variable "engine_version" {
  description = "RabbitMQ engine version. Stay on 3.x: Amazon MQ publishes per-queue CloudWatch metrics (Queue and VirtualHost dimensions), which the alarms use, only for RabbitMQ 3.x brokers."
  type        = string
  default     = "3.13"

  validation {
    condition     = can(regex("^3\\.[0-9]+(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be a RabbitMQ 3.x version such as 3.13."
  }
}

variable "host_instance_type" {
  description = "Broker instance type. mq.t3.micro is single-instance only; a cluster needs mq.m5.large or larger."
  type        = string
  default     = "mq.t3.micro"

  validation {
    condition     = can(regex("^mq\\.[a-z0-9]+\\.[a-z0-9]+$", var.host_instance_type))
    error_message = "host_instance_type must look like mq.m5.large."
  }
}

variable "deployment_mode" {
  description = "SINGLE_INSTANCE (dev) or CLUSTER_MULTI_AZ (prod, three nodes behind one endpoint)."
  type        = string
  default     = "SINGLE_INSTANCE"

  validation {
    condition     = contains(["SINGLE_INSTANCE", "CLUSTER_MULTI_AZ"], var.deployment_mode)
    error_message = "deployment_mode must be SINGLE_INSTANCE or CLUSTER_MULTI_AZ."
  }
}

variable "vpc_id" {
  description = "VPC of the broker."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets. A single instance uses the first one; a cluster spreads over all of them."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "At least one subnet is required."
  }
}

variable "client_security_groups" {
  description = "Static name => security group id allowed to open AMQPS (5671) and management HTTPS (443) connections, e.g. { lambda = <id> }. The names key the ingress rules: they must be literals, known at plan, while the ids may exist only after apply."
  type        = map(string)
}

variable "admin_username" {
  description = "Broker user the functions and the Lambda event source mappings log in with."
  type        = string
  default     = "realty"

  validation {
    condition     = can(regex("^[a-zA-Z0-9._-]{2,100}$", var.admin_username)) && var.admin_username != "guest"
    error_message = "admin_username must be 2-100 letters, digits, '.', '_' or '-', and not guest."
  }
}

variable "apply_immediately" {
  description = "Apply broker changes now (the broker reboots) instead of in the maintenance window."
  type        = bool
  default     = false
}

variable "maintenance_day_of_week" {
  description = "Day of the weekly maintenance window (minor version upgrades, reboots)."
  type        = string
  default     = "SUNDAY"

  validation {
    condition     = contains(["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"], var.maintenance_day_of_week)
    error_message = "maintenance_day_of_week must be an upper-case English day name."
  }
}

variable "maintenance_time_of_day" {
  description = "Start of the maintenance window, HH:MM in UTC."
  type        = string
  default     = "04:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_time_of_day))
    error_message = "maintenance_time_of_day must be HH:MM (24 h)."
  }
}

variable "general_logs" {
  description = "Publish the broker's general log to CloudWatch Logs."
  type        = bool
  default     = true
}

variable "secret_recovery_window_in_days" {
  description = "Days a deleted broker secret can still be restored (0 = delete at once)."
  type        = number
  default     = 7

  validation {
    condition     = var.secret_recovery_window_in_days == 0 || (var.secret_recovery_window_in_days >= 7 && var.secret_recovery_window_in_days <= 30)
    error_message = "secret_recovery_window_in_days must be 0 or between 7 and 30."
  }
}
