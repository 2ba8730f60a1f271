# The whole system for one environment. envs/dev, envs/prod and envs/local call
# this module with their own sizes; LocalStack switches off what it cannot emulate.

locals {
  name = "${var.project}-${var.environment}"
}

module "network" {
  source = "../network"

  name                     = local.name
  vpc_cidr                 = var.vpc_cidr
  az_count                 = var.az_count
  enable_nat_gateway       = var.enable_nat_gateway
  single_nat_gateway       = var.single_nat_gateway
  secrets_manager_endpoint = var.secrets_manager_endpoint
  interface_endpoints      = var.interface_endpoints
}

module "secrets" {
  source = "../secrets"

  name                    = local.name
  platform_admin_username = var.platform_admin_username
  smtp_username           = var.smtp_username
  smtp_password           = var.smtp_password
  recovery_window_in_days = var.secret_recovery_window_in_days
}

module "broker" {
  source = "../broker"
  count  = var.enable_broker ? 1 : 0

  name                           = local.name
  engine_version                 = var.broker_engine_version
  host_instance_type             = var.broker_instance_type
  deployment_mode                = var.broker_deployment_mode
  apply_immediately              = var.broker_apply_immediately
  vpc_id                         = module.network.vpc_id
  subnet_ids                     = module.network.private_subnet_ids
  client_security_groups         = { lambda = module.network.lambda_security_group_id }
  secret_recovery_window_in_days = var.secret_recovery_window_in_days
}

module "database" {
  source = "../database"
  count  = var.enable_database ? 1 : 0

  name                           = local.name
  instance_class                 = var.db_instance_class
  allocated_storage_gb           = var.db_allocated_storage_gb
  max_allocated_storage_gb       = var.db_max_allocated_storage_gb
  multi_az                       = var.db_multi_az
  backup_retention_days          = var.db_backup_retention_days
  deletion_protection            = var.db_deletion_protection
  skip_final_snapshot            = var.db_skip_final_snapshot
  performance_insights_enabled   = var.db_performance_insights_enabled
  vpc_id                         = module.network.vpc_id
  subnet_ids                     = module.network.private_subnet_ids
  client_security_groups         = { lambda = module.network.lambda_security_group_id }
  secret_recovery_window_in_days = var.secret_recovery_window_in_days
}

# Without a broker or a database (LocalStack), the functions still read their
# credentials from Secrets Manager, so the same secret shapes are created here.
# (Security groups are passed as a map with static keys: for_each keys must be
# known at plan, and a security group id exists only after apply.)
resource "aws_secretsmanager_secret" "external_broker" {
  count = var.enable_broker ? 0 : 1

  name                    = "${local.name}/broker"
  description             = "Credentials of the external RabbitMQ: {\"username\": ..., \"password\": ...}"
  recovery_window_in_days = var.secret_recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "external_broker" {
  count = var.enable_broker ? 0 : 1

  secret_id     = aws_secretsmanager_secret.external_broker[0].id
  secret_string = jsonencode(var.external_broker_credentials)

  lifecycle {
    precondition {
      condition     = var.external_broker_credentials != null && var.external_amqp_uri != null
      error_message = "enable_broker = false needs external_amqp_uri and external_broker_credentials."
    }
  }
}

resource "aws_secretsmanager_secret" "external_database" {
  count = var.enable_database ? 0 : 1

  name                    = "${local.name}/database"
  description             = "Credentials of the external PostgreSQL: {\"username\": ..., \"password\": ...}"
  recovery_window_in_days = var.secret_recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "external_database" {
  count = var.enable_database ? 0 : 1

  secret_id     = aws_secretsmanager_secret.external_database[0].id
  secret_string = jsonencode(var.external_db_credentials)

  lifecycle {
    precondition {
      condition     = var.external_db_credentials != null && var.external_db_jdbc_url != null
      error_message = "enable_database = false needs external_db_jdbc_url and external_db_credentials."
    }
  }
}

locals {
  amqp_uri          = var.enable_broker ? one(module.broker[*].amqp_uri) : var.external_amqp_uri
  management_uri    = var.enable_broker ? one(module.broker[*].console_url) : var.external_rabbitmq_management_uri
  broker_secret_arn = var.enable_broker ? one(module.broker[*].secret_arn) : one(aws_secretsmanager_secret_version.external_broker[*].arn)
  db_jdbc_url       = var.enable_database ? one(module.database[*].jdbc_url) : var.external_db_jdbc_url
  db_secret_arn     = var.enable_database ? one(module.database[*].secret_arn) : one(aws_secretsmanager_secret_version.external_database[*].arn)
}

# Where audit months past retention go before their partition is dropped (issue 15).
module "audit_archive" {
  source = "../audit_archive"

  name          = local.name
  force_destroy = var.environment != "prod"
}

module "functions" {
  source = "../functions"

  audit_archive_bucket     = module.audit_archive.bucket_name
  audit_archive_bucket_arn = module.audit_archive.bucket_arn

  name_prefix        = local.name
  environment        = var.environment
  artifacts_dir      = var.artifacts_dir
  architecture       = var.architecture
  subnet_ids         = module.network.private_subnet_ids
  security_group_ids = [module.network.lambda_security_group_id]

  db_jdbc_url               = local.db_jdbc_url
  db_secret_arn             = local.db_secret_arn
  db_pool_size              = var.db_pool_size
  bcrypt_cost               = var.bcrypt_cost
  amqp_uri                  = local.amqp_uri
  rabbitmq_management_uri   = local.management_uri
  amqp_vhost                = var.amqp_vhost
  broker_secret_arn         = local.broker_secret_arn
  jwt_secret_arn            = module.secrets.jwt_secret_arn
  platform_admin_secret_arn = module.secrets.platform_admin_secret_arn
  invitation_secret_arn     = module.secrets.invitation_secret_arn
  smtp_host                 = var.smtp_host
  smtp_port                 = var.smtp_port
  smtp_secret_arn           = module.secrets.smtp_secret_arn
  mail_from                 = var.mail_from
  link_base_url             = var.link_base_url

  memory_mb             = var.function_memory_mb
  timeout_seconds       = var.function_timeout_seconds
  reserved_concurrency  = var.reserved_concurrency
  pinned_versions       = var.pinned_versions
  secrets_revision      = var.secrets_revision
  log_retention_days    = var.log_retention_days
  run_deploy_task       = var.run_deploy_task
  create_relay_schedule = var.create_relay_schedule
  # Both are EventBridge Scheduler schedules: where one cannot be created, neither can the other.
  create_housekeeping_schedule = var.create_relay_schedule
}

module "event_sources" {
  source = "../event_sources"
  count  = var.enable_broker ? 1 : 0

  broker_arn              = one(module.broker[*].broker_arn)
  broker_secret_arn       = local.broker_secret_arn
  virtual_host            = var.amqp_vhost
  function_alias_arns     = module.functions.alias_arns
  function_role_names     = module.functions.role_names
  batch_size              = var.queue_batch_size
  batching_window_seconds = var.queue_batching_window_seconds
  enabled                 = var.event_sources_enabled
}

module "api" {
  source = "../api"
  count  = var.enable_http_api ? 1 : 0

  name                   = local.name
  function_name          = module.functions.function_names["api"]
  alias_name             = module.functions.alias_names["api"]
  alias_invoke_arn       = module.functions.alias_invoke_arns["api"]
  throttling_rate_limit  = var.api_throttling_rate_limit
  throttling_burst_limit = var.api_throttling_burst_limit
  cors_allowed_origins   = var.cors_allowed_origins
  log_retention_days     = var.log_retention_days
}

module "alarms" {
  source = "../alarms"
  count  = var.enable_alarms ? 1 : 0

  name                     = local.name
  alarm_email_addresses    = var.alarm_email_addresses
  function_names           = module.functions.function_names
  monitor_relay_schedule   = var.create_relay_schedule
  monitor_broker           = var.enable_broker
  broker_name              = one(module.broker[*].broker_name)
  virtual_host             = var.amqp_vhost
  work_queues              = flatten(module.event_sources[*].work_queues)
  monitor_api              = var.enable_http_api
  api_id                   = one(module.api[*].api_id)
  monitor_database         = var.enable_database
  db_instance_identifier   = one(module.database[*].instance_identifier)
  db_connections_threshold = var.db_connections_alarm_threshold
}
