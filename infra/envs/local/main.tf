# The same stack as dev and prod, applied to LocalStack. What LocalStack cannot
# emulate is switched off (see variables.tf); what remains exercises VPC, IAM,
# Secrets Manager, CloudWatch Logs, Lambda, the alias/version flow and the
# EventBridge Scheduler schedule of the outbox relay.
#
# This is a parity check of the Terraform, not a way to run the system: the
# project's own local run (scripts/local.sh) needs neither Docker nor LocalStack.

module "realty" {
  source = "../../modules/realty"

  environment   = "local"
  artifacts_dir = "${path.root}/../../.." # relative: the same state works from any checkout

  enable_broker   = var.enable_broker
  enable_database = var.enable_database
  enable_http_api = var.enable_http_api
  enable_alarms   = false

  external_amqp_uri           = var.amqp_uri
  external_broker_credentials = var.rabbitmq_credentials
  external_db_jdbc_url        = var.db_jdbc_url
  external_db_credentials     = var.postgres_credentials

  az_count                 = 2
  enable_nat_gateway       = false
  secrets_manager_endpoint = false
  interface_endpoints      = []

  run_deploy_task = var.run_deploy_task

  log_retention_days             = 1
  secret_recovery_window_in_days = 0

  smtp_host = "mailpit"
  smtp_port = 1025
  mail_from = "no-reply@realty.local"

  link_base_url = "http://localhost:8080"
}
