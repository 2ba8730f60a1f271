# ---------------------------------------------------------------- identity

variable "project" {
  description = "Project name, first part of every resource name."
  type        = string
  default     = "realty"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.project))
    error_message = "project must be 2-16 lowercase letters or digits, starting with a letter."
  }
}

variable "environment" {
  description = "dev, prod or local. Also REALTY_ENVIRONMENT of the functions."
  type        = string

  validation {
    condition     = contains(["dev", "prod", "local"], var.environment)
    error_message = "environment must be dev, prod or local."
  }
}

variable "artifacts_dir" {
  description = "Repository root: the jars are read from <module>/target/<module>-lambda.jar below it (built by mvn package)."
  type        = string
}

# ---------------------------------------------------------------- toggles (LocalStack)

variable "enable_broker" {
  description = "Create the Amazon MQ broker and the event source mappings. false (LocalStack) uses external_amqp_uri instead."
  type        = bool
  default     = true
}

variable "enable_database" {
  description = "Create the RDS instance. false (LocalStack) uses external_db_jdbc_url instead."
  type        = bool
  default     = true
}

variable "enable_http_api" {
  description = "Create the API Gateway HTTP API."
  type        = bool
  default     = true
}

variable "enable_alarms" {
  description = "Create the CloudWatch alarms and their SNS topic."
  type        = bool
  default     = true
}

variable "external_amqp_uri" {
  description = "AMQP_URI when enable_broker = false, e.g. amqp://rabbitmq:5672 for docker-compose."
  type        = string
  default     = null
}

variable "external_rabbitmq_management_uri" {
  description = "RABBITMQ_MANAGEMENT_URI when enable_broker = false, e.g. http://rabbitmq:15672 for docker-compose."
  type        = string
  default     = "http://rabbitmq:15672"
}

variable "external_db_jdbc_url" {
  description = "DB_JDBC_URL when enable_database = false, e.g. jdbc:postgresql://postgres:5432/realty."
  type        = string
  default     = null
}

variable "external_broker_credentials" {
  description = "Broker username/password stored in the broker secret when enable_broker = false."
  type = object({
    username = string
    password = string
  })
  default   = null
  sensitive = true
}

variable "external_db_credentials" {
  description = "Database username/password stored in the database secret when enable_database = false."
  type = object({
    username = string
    password = string
  })
  default   = null
  sensitive = true
}

# ---------------------------------------------------------------- network

variable "vpc_cidr" {
  description = "CIDR of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Availability zones used (2 or 3)."
  type        = number
  default     = 2
}

variable "enable_nat_gateway" {
  description = "NAT gateway(s) for SMTP and webhooks."
  type        = bool
  default     = true
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway instead of one per AZ."
  type        = bool
  default     = true
}

variable "secrets_manager_endpoint" {
  description = "Secrets Manager interface endpoint in the VPC: every function reads its *_SECRET_ARN secrets with the AWS SDK from the private subnets. Only LocalStack sets false."
  type        = bool
  default     = true
}

variable "interface_endpoints" {
  description = "Further interface VPC endpoints (lambda, sts, logs). lambda and sts serve the Amazon MQ event source pollers."
  type        = list(string)
  default     = ["lambda", "sts"]
}

# ---------------------------------------------------------------- broker

variable "broker_engine_version" {
  description = "RabbitMQ version (3.x; see modules/broker)."
  type        = string
  default     = "3.13"
}

variable "broker_instance_type" {
  description = "Amazon MQ instance type."
  type        = string
  default     = "mq.t3.micro"
}

variable "broker_deployment_mode" {
  description = "SINGLE_INSTANCE or CLUSTER_MULTI_AZ."
  type        = string
  default     = "SINGLE_INSTANCE"
}

variable "broker_apply_immediately" {
  description = "Apply broker changes now (reboot) instead of in the maintenance window."
  type        = bool
  default     = false
}

variable "amqp_vhost" {
  description = "RabbitMQ virtual host (AMQP_VHOST and the VIRTUAL_HOST of the event source mappings)."
  type        = string
  default     = "/"
}

# ---------------------------------------------------------------- database

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_allocated_storage_gb" {
  description = "Initial storage in GiB."
  type        = number
  default     = 20
}

variable "db_max_allocated_storage_gb" {
  description = "Storage autoscaling limit in GiB."
  type        = number
  default     = 100
}

variable "db_multi_az" {
  description = "Multi-AZ standby."
  type        = bool
  default     = false
}

variable "db_backup_retention_days" {
  description = "Automated backup retention in days."
  type        = number
  default     = 7
}

variable "db_deletion_protection" {
  description = "Protect the instance from deletion."
  type        = bool
  default     = false
}

variable "db_skip_final_snapshot" {
  description = "Skip the final snapshot on destroy."
  type        = bool
  default     = false
}

variable "db_performance_insights_enabled" {
  description = "Performance Insights."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------- functions

variable "architecture" {
  description = "x86_64 or arm64 for every function."
  type        = string
  default     = "x86_64"
}

variable "function_memory_mb" {
  description = "Memory per function key (see modules/functions)."
  type        = map(number)
  default     = {}
}

variable "function_timeout_seconds" {
  description = "Timeout per function key (see modules/functions)."
  type        = map(number)
  default     = {}
}

variable "reserved_concurrency" {
  description = "Reserved concurrency per function key; absent = unreserved."
  type        = map(number)
  default     = {}
}

variable "db_pool_size" {
  description = "JDBC connections per function instance (DB_POOL_SIZE)."
  type        = number
  default     = 2
}

variable "bcrypt_cost" {
  description = "BCRYPT_COST of the api."
  type        = number
  default     = 10
}

variable "pinned_versions" {
  description = "Rollback: function key => version the live alias points at."
  type        = map(string)
  default     = {}
}

variable "secrets_revision" {
  description = "Bump after rotating a secret so every function reads it again (docs/deploy.md#secrets-rotation)."
  type        = string
  default     = "1"
}

variable "run_deploy_task" {
  description = "Run migrations and topology declaration during apply."
  type        = bool
  default     = true
}

variable "create_relay_schedule" {
  description = "Create the every-minute outbox relay schedule."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of function and access logs."
  type        = number
  default     = 30
}

variable "secret_recovery_window_in_days" {
  description = "Recovery window of every secret (0 = delete at once)."
  type        = number
  default     = 7
}

# ---------------------------------------------------------------- queues

variable "event_sources_enabled" {
  description = "Poll the work queues (false pauses all consumers)."
  type        = bool
  default     = true
}

variable "queue_batch_size" {
  description = "Work queue => batch size of its event source mapping (1-10000; template.yaml uses the same)."
  type        = map(number)
  default = {
    audit_events        = 100
    commission_events   = 10
    notification_events = 20
  }
}

variable "queue_batching_window_seconds" {
  description = "Work queue => batching window of its event source mapping, 1-300 s. A queue left out gets Lambda's default for Amazon MQ, 500 ms (see modules/event_sources)."
  type        = map(number)
  default = {
    # audit_events and commission_events: the 500 ms default (P2, event lag).
    notification_events = 2
  }
}

# ---------------------------------------------------------------- mail, admin

variable "smtp_host" {
  description = "SMTP server of the notification function (SES: email-smtp.<region>.amazonaws.com)."
  type        = string
}

variable "smtp_port" {
  description = "SMTP port."
  type        = number
  default     = 587
}

variable "smtp_username" {
  description = "Initial SMTP user name (later changed in Secrets Manager)."
  type        = string
  default     = ""
  sensitive   = true
}

variable "smtp_password" {
  description = "Initial SMTP password (later changed in Secrets Manager)."
  type        = string
  default     = ""
  sensitive   = true
}

variable "mail_from" {
  description = "Sender address of notification e-mails."
  type        = string
}

variable "link_base_url" {
  description = "The web app the invitation and password-reset mails link to, e.g. https://app.example.com (no trailing slash)."
  type        = string
}

variable "platform_admin_username" {
  description = "Login of the platform administrator."
  type        = string
  default     = "platform-admin"
}

# ---------------------------------------------------------------- API, alarms

variable "api_throttling_rate_limit" {
  description = "Requests per second on the HTTP API."
  type        = number
  default     = 200
}

variable "api_throttling_burst_limit" {
  description = "Burst on the HTTP API."
  type        = number
  default     = 400
}

variable "cors_allowed_origins" {
  description = "Browser origins allowed by CORS."
  type        = list(string)
  default     = []
}

variable "alarm_email_addresses" {
  description = "Who gets alarm e-mails."
  type        = list(string)
  default     = []
}

variable "db_connections_alarm_threshold" {
  description = "Open connections that trigger the connection-exhaustion alarm."
  type        = number
  default     = 80
}
