variable "name_prefix" {
  description = "Prefix of function, role and log group names, e.g. realty-prod. Functions are named <prefix>-<key>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name_prefix))
    error_message = "name_prefix must be 3-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Value of REALTY_ENVIRONMENT: dev, prod or local."
  type        = string

  validation {
    condition     = contains(["dev", "prod", "local"], var.environment)
    error_message = "environment must be dev, prod or local."
  }
}

variable "artifacts_dir" {
  description = "Directory that contains the Maven modules, i.e. the repository root; the jars are <module>/target/<module>-lambda.jar under it."
  type        = string
}

variable "architecture" {
  description = "Instruction set of all functions."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "subnet_ids" {
  description = "Private subnets the functions run in."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the functions."
  type        = list(string)
}

variable "db_jdbc_url" {
  description = "DB_JDBC_URL, e.g. jdbc:postgresql://host:5432/realty?sslmode=verify-full&sslrootcert=/var/task/rds-ca-bundle.pem."
  type        = string

  validation {
    condition     = startswith(var.db_jdbc_url, "jdbc:postgresql://")
    error_message = "db_jdbc_url must start with jdbc:postgresql://."
  }

  # An RDS endpoint is only ever reached with the server certificate verified.
  validation {
    condition     = !strcontains(var.db_jdbc_url, ".rds.amazonaws.com") || (strcontains(var.db_jdbc_url, "sslmode=verify-full") && strcontains(var.db_jdbc_url, "sslrootcert="))
    error_message = "A JDBC URL of an RDS endpoint must carry sslmode=verify-full and sslrootcert=<RDS CA bundle>."
  }
}

variable "db_secret_arn" {
  description = "DB_SECRET_ARN: secret with the database username and password."
  type        = string
}

variable "amqp_uri" {
  description = "AMQP_URI, e.g. amqps://b-xxx.mq.sa-east-1.amazonaws.com:5671."
  type        = string

  validation {
    condition     = can(regex("^amqps?://", var.amqp_uri))
    error_message = "amqp_uri must start with amqp:// or amqps://."
  }
}

variable "rabbitmq_management_uri" {
  description = "RABBITMQ_MANAGEMENT_URI: the broker's management HTTP API (Amazon MQ: its console URL), read by GET /api/v1/admin/queues."
  type        = string

  validation {
    condition     = can(regex("^https?://", var.rabbitmq_management_uri))
    error_message = "rabbitmq_management_uri must start with http:// or https://."
  }
}

variable "amqp_vhost" {
  description = "AMQP_VHOST: RabbitMQ virtual host of the topology."
  type        = string
  default     = "/"
}

variable "db_pool_size" {
  description = "DB_POOL_SIZE: JDBC connections per function instance. Open connections ~ concurrent instances x this (docs/operations.md)."
  type        = number
  default     = 2

  validation {
    condition     = var.db_pool_size >= 1 && var.db_pool_size <= 10
    error_message = "db_pool_size must be between 1 and 10."
  }
}

variable "bcrypt_cost" {
  description = "BCRYPT_COST of password hashes (api). Each +1 doubles login and user-creation CPU time."
  type        = number
  default     = 10

  validation {
    condition     = var.bcrypt_cost >= 10 && var.bcrypt_cost <= 14
    error_message = "bcrypt_cost must be between 10 and 14."
  }
}

variable "broker_secret_arn" {
  description = "BROKER_SECRET_ARN: secret with the broker username and password."
  type        = string
}

variable "jwt_secret_arn" {
  description = "JWT_SECRET_ARN: secret with the token signing key (api, relay and deploy task)."
  type        = string
}

variable "platform_admin_secret_arn" {
  description = "PLATFORM_ADMIN_SECRET_ARN: secret with the platform administrator's first credentials (the deploy task only)."
  type        = string
}

variable "invitation_secret_arn" {
  description = "INVITATION_SECRET_ARN: secret with the key invitation links are derived with (api functions and notification)."
  type        = string
}

variable "smtp_host" {
  description = "SMTP_HOST of the notification function, e.g. email-smtp.sa-east-1.amazonaws.com."
  type        = string
}

variable "smtp_port" {
  description = "SMTP_PORT of the notification function (587 = STARTTLS)."
  type        = number
  default     = 587

  validation {
    condition     = var.smtp_port >= 1 && var.smtp_port <= 65535
    error_message = "smtp_port must be a TCP port."
  }
}

variable "smtp_secret_arn" {
  description = "SMTP_SECRET_ARN: secret with the SMTP username and password."
  type        = string
}

variable "mail_from" {
  description = "MAIL_FROM: sender address of notification e-mails."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+$", var.mail_from))
    error_message = "mail_from must be an e-mail address."
  }
}

variable "link_base_url" {
  description = "LINK_BASE_URL: the web app the invitation and password-reset mails link to (<url>/invitations/<token>, <url>/reset-password?token=<token>)."
  type        = string

  validation {
    condition     = can(regex("^https?://.*[^/]$", var.link_base_url))
    error_message = "link_base_url must be an http(s) URL without a trailing slash."
  }
}

variable "memory_mb" {
  description = "Function key => memory in MB. Absent keys get 512, which fits every function (target P8); raise only after measuring."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.memory_mb : contains(["api", "relay", "deploy", "audit", "commission", "notification", "housekeeping"], k) && v >= 128 && v <= 10240])
    error_message = "Keys must be function keys and sizes between 128 and 10240 MB."
  }
}

variable "timeout_seconds" {
  description = "Function key => timeout in seconds. Defaults: api 20 (under the 30 s API Gateway limit), relay 70 (polls 55 s of each minute, then a last pass), deploy 300 (Flyway), audit 60, commission 120, notification 120 (a whole batch), housekeeping 120 (above its 90 s time budget)."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.timeout_seconds : contains(["api", "relay", "deploy", "audit", "commission", "notification", "housekeeping"], k) && v >= 3 && v <= 900])
    error_message = "Keys must be function keys and timeouts between 3 and 900 seconds."
  }

  validation {
    condition     = lookup(var.timeout_seconds, "api", 20) <= 29 && lookup(var.timeout_seconds, "relay", 70) >= 60 && lookup(var.timeout_seconds, "relay", 70) <= 120 && lookup(var.timeout_seconds, "housekeeping", 120) > 90
    error_message = "api must time out before API Gateway does (30 s); relay must outlast its 55 s of polling and end before the run after next (60-120 s); housekeeping must outlast its 90 s time budget."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions per function key (api, relay, deploy, audit, commission, notification, housekeeping); -1 or absent = unreserved. Caps database connections: see docs/operations.md."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.reserved_concurrency : contains(["api", "relay", "deploy", "audit", "commission", "notification", "housekeeping"], k) && v >= -1])
    error_message = "Keys must be function keys and values >= -1."
  }
}

variable "log_retention_days" {
  description = "Retention of the function log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "secrets_revision" {
  description = "Bump after rotating a secret: the new value of REALTY_SECRETS_REVISION publishes new versions (and a new api SnapStart snapshot), so every function reads the secrets again."
  type        = string
  default     = "1"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.secrets_revision))
    error_message = "secrets_revision must be 1-64 letters, digits, '.', '_' or '-'."
  }
}

variable "run_deploy_task" {
  description = "Invoke the deploy task (Flyway migrations + RabbitMQ topology) during apply whenever the api artifact or its configuration changes."
  type        = bool
  default     = true
}

variable "deploy_task_input" {
  description = "JSON payload sent to the deploy task."
  type        = string
  default     = "{}"

  validation {
    condition     = can(jsondecode(var.deploy_task_input))
    error_message = "deploy_task_input must be JSON."
  }
}

variable "create_relay_schedule" {
  description = "Create the EventBridge Scheduler schedule that runs the outbox relay."
  type        = bool
  default     = true
}

variable "relay_schedule_expression" {
  description = "Schedule of the outbox relay."
  type        = string
  default     = "rate(1 minute)"

  validation {
    condition     = can(regex("^(rate|cron)\\(.+\\)$", var.relay_schedule_expression))
    error_message = "relay_schedule_expression must be a rate() or cron() expression."
  }
}

variable "create_housekeeping_schedule" {
  description = "Create the EventBridge Scheduler schedule that runs housekeeping."
  type        = bool
  default     = true
}

variable "housekeeping_schedule_expression" {
  description = "Schedule of the housekeeping function (prunes, held summary mails)."
  type        = string
  default     = "rate(5 minutes)"

  validation {
    condition     = can(regex("^(rate|cron)\\(.+\\)$", var.housekeeping_schedule_expression))
    error_message = "housekeeping_schedule_expression must be a rate() or cron() expression."
  }
}

variable "pinned_versions" {
  description = "Rollback switch: function key => published version the live alias must point at. Empty = latest published version."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.pinned_versions : contains(["api", "relay", "deploy", "audit", "commission", "notification", "housekeeping"], k) && can(regex("^[0-9]+$", v))])
    error_message = "Keys must be function keys and values version numbers."
  }
}
