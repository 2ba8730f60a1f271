output "api_endpoint" {
  description = "Base URL of the HTTP API (null without enable_http_api)."
  value       = one(module.api[*].endpoint)
}

output "function_names" {
  description = "Function key => Lambda function name."
  value       = module.functions.function_names
}

output "function_versions" {
  description = "Function key => latest published version (the live alias points here unless pinned)."
  value       = module.functions.versions
}

output "deploy_task_result" {
  description = "What the deploy task returned on its last run."
  value       = module.functions.deploy_task_result
}

output "event_source_mapping_uuids" {
  description = "Work queue => event source mapping UUID."
  value       = one(module.event_sources[*].mapping_uuids)
}

output "broker_console_url" {
  description = "RabbitMQ management UI (reachable from inside the VPC only)."
  value       = one(module.broker[*].console_url)
}

output "broker_name" {
  description = "Amazon MQ broker name."
  value       = one(module.broker[*].broker_name)
}

output "broker_arn" {
  description = "Amazon MQ broker ARN (SAM parameter BrokerArn)."
  value       = one(module.broker[*].broker_arn)
}

output "amqp_uri" {
  description = "AMQP_URI given to the functions."
  value       = local.amqp_uri
}

output "db_jdbc_url" {
  description = "DB_JDBC_URL given to the functions."
  value       = local.db_jdbc_url
}

output "secret_arns" {
  description = "ARNs of every secret the functions read."
  value = {
    database       = local.db_secret_arn
    broker         = local.broker_secret_arn
    jwt            = module.secrets.jwt_secret_arn
    platform_admin = module.secrets.platform_admin_secret_arn
    invitations    = module.secrets.invitation_secret_arn
    smtp           = module.secrets.smtp_secret_arn
  }
}

output "private_subnet_ids" {
  description = "Private subnets (SAM parameter SubnetIds)."
  value       = module.network.private_subnet_ids
}

output "lambda_security_group_id" {
  description = "Security group of the functions (SAM parameter SecurityGroupIds)."
  value       = module.network.lambda_security_group_id
}

output "nat_public_ips" {
  description = "Outbound IPs (allow-list them at SMTP relays and webhook receivers)."
  value       = module.network.nat_public_ips
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = one(module.alarms[*].topic_arn)
}
