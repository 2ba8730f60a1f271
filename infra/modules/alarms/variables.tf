variable "name" {
  description = "Prefix of alarm names and of the SNS topic, e.g. realty-prod."
  type        = string
}

variable "alarm_email_addresses" {
  description = "Addresses subscribed to the alarm topic (each must confirm the subscription e-mail)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+$", a))])
    error_message = "alarm_email_addresses must be e-mail addresses."
  }
}

variable "monitor_broker" {
  description = "Create the queue alarms (needs an Amazon MQ broker)."
  type        = bool
  default     = true
}

variable "broker_name" {
  description = "Broker dimension of the AWS/AmazonMQ metrics."
  type        = string
  default     = null
}

variable "virtual_host" {
  description = "VirtualHost dimension of the queue metrics."
  type        = string
  default     = "/"
}

variable "work_queues" {
  description = "Work queues to watch; each has a dead-letter queue <queue>.dlq (output work_queues of the event_sources module)."
  type        = list(string)
  default     = []
}

variable "queue_depth_threshold" {
  description = "Work queue => ready messages above which the backlog alarm fires (after 5 minutes)."
  type        = map(number)
  default = {
    audit_events        = 5000
    commission_events   = 200
    notification_events = 1000
  }
}

variable "backlog_age_minutes" {
  description = "Minutes a work queue may stay non-empty without once draining before the backlog-age alarm fires. Amazon MQ publishes no oldest-message-age metric; this stands in for it."
  type        = number
  default     = 15

  validation {
    condition     = var.backlog_age_minutes >= 2 && var.backlog_age_minutes <= 1440
    error_message = "backlog_age_minutes must be between 2 and 1440."
  }
}

variable "function_names" {
  description = "Function key => function name (output function_names of the functions module)."
  type        = map(string)
}

variable "relay_function_key" {
  description = "Key of the outbox relay in function_names; its invocations are watched."
  type        = string
  default     = "relay"
}

variable "monitor_relay_schedule" {
  description = "Alarm when the outbox relay stops being invoked (the schedule exists)."
  type        = bool
  default     = true
}

variable "monitor_api" {
  description = "Create the API Gateway alarms."
  type        = bool
  default     = true
}

variable "api_id" {
  description = "ApiId dimension of the AWS/ApiGateway metrics."
  type        = string
  default     = null
}

variable "api_5xx_threshold" {
  description = "5xx responses per 5 minutes above which the API alarm fires."
  type        = number
  default     = 5
}

variable "monitor_database" {
  description = "Create the RDS alarms."
  type        = bool
  default     = true
}

variable "db_instance_identifier" {
  description = "DBInstanceIdentifier dimension of the AWS/RDS metrics."
  type        = string
  default     = null
}

variable "db_connections_threshold" {
  description = "Open database connections above which the connection-exhaustion alarm fires. Set to about 80 % of max_connections of the instance class."
  type        = number
  default     = 80

  validation {
    condition     = var.db_connections_threshold > 0
    error_message = "db_connections_threshold must be positive."
  }
}
