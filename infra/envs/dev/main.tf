# Development environment: one broker instance, one small database, one NAT.

module "realty" {
  source = "../../modules/realty"

  environment   = "dev"
  artifacts_dir = "${path.root}/../../.." # relative: the same state works from any checkout

  az_count           = 2
  single_nat_gateway = true

  broker_instance_type   = "mq.t3.micro"
  broker_deployment_mode = "SINGLE_INSTANCE"

  db_instance_class        = "db.t4g.micro"
  db_multi_az              = false
  db_backup_retention_days = 3
  db_deletion_protection   = false
  db_skip_final_snapshot   = true

  # Defaults: 512 MB per function; timeouts from modules/functions.
  function_memory_mb = {}

  api_throttling_rate_limit  = 50
  api_throttling_burst_limit = 100

  log_retention_days             = 14
  secret_recovery_window_in_days = 0

  smtp_host             = var.smtp_host
  mail_from             = var.mail_from
  link_base_url         = var.link_base_url
  alarm_email_addresses = var.alarm_email_addresses
  pinned_versions       = var.pinned_versions
  secrets_revision      = var.secrets_revision

  # db.t4g.micro allows about 110 connections.
  db_connections_alarm_threshold = 80
}
