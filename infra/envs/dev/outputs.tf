output "api_endpoint" {
  description = "Base URL of the HTTP API."
  value       = module.realty.api_endpoint
}

output "function_names" {
  description = "Function key => Lambda function name."
  value       = module.realty.function_names
}

output "function_versions" {
  description = "Function key => latest published version."
  value       = module.realty.function_versions
}

output "deploy_task_result" {
  description = "What the deploy task returned on its last run."
  value       = module.realty.deploy_task_result
}

output "event_source_mapping_uuids" {
  description = "Work queue => event source mapping UUID."
  value       = module.realty.event_source_mapping_uuids
}

output "broker_console_url" {
  description = "RabbitMQ management UI (inside the VPC)."
  value       = module.realty.broker_console_url
}

output "broker_arn" {
  description = "Amazon MQ broker ARN."
  value       = module.realty.broker_arn
}

output "amqp_uri" {
  description = "AMQP_URI of the functions."
  value       = module.realty.amqp_uri
}

output "db_jdbc_url" {
  description = "DB_JDBC_URL of the functions."
  value       = module.realty.db_jdbc_url
}

output "secret_arns" {
  description = "Secrets the functions read."
  value       = module.realty.secret_arns
}

output "private_subnet_ids" {
  description = "Private subnets of the functions."
  value       = module.realty.private_subnet_ids
}

output "lambda_security_group_id" {
  description = "Security group of the functions."
  value       = module.realty.lambda_security_group_id
}

output "nat_public_ips" {
  description = "Outbound IPs of the functions."
  value       = module.realty.nat_public_ips
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  value       = module.realty.alarm_topic_arn
}
