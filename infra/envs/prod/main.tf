# Production: three AZs, clustered broker, Multi-AZ database, one NAT per AZ.

module "realty" {
  source = "../../modules/realty"

  environment   = "prod"
  artifacts_dir = "${path.root}/../../.." # relative: the same state works from any checkout

  az_count           = 3
  single_nat_gateway = false

  broker_instance_type   = "mq.m5.large"
  broker_deployment_mode = "CLUSTER_MULTI_AZ"

  db_instance_class               = "db.r6g.large"
  db_allocated_storage_gb         = 100
  db_max_allocated_storage_gb     = 500
  db_multi_az                     = true
  db_backup_retention_days        = 14
  db_deletion_protection          = true
  db_skip_final_snapshot          = false
  db_performance_insights_enabled = true

  # Every function stays at the 512 MB default (target P8). Reserve concurrency
  # for the API so a traffic spike cannot open more database connections than
  # the alarm threshold below allows for (see docs/operations.md).
  function_memory_mb   = {}
  reserved_concurrency = { api = 200 }

  api_throttling_rate_limit  = 500
  api_throttling_burst_limit = 1000

  log_retention_days             = 90
  secret_recovery_window_in_days = 30

  smtp_host             = var.smtp_host
  mail_from             = var.mail_from
  link_base_url         = var.link_base_url
  alarm_email_addresses = var.alarm_email_addresses
  pinned_versions       = var.pinned_versions
  secrets_revision      = var.secrets_revision

  # db.r6g.large allows about 1,700 connections.
  db_connections_alarm_threshold = 1200
}
