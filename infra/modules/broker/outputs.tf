output "broker_arn" {
  description = "ARN of the broker (event_source_arn of the event source mappings)."
  value       = aws_mq_broker.this.arn
}

output "broker_id" {
  description = "ID of the broker."
  value       = aws_mq_broker.this.id
}

output "broker_name" {
  description = "Name of the broker (Broker dimension of AWS/AmazonMQ metrics)."
  value       = aws_mq_broker.this.broker_name
}

output "amqp_uri" {
  description = "AMQPS endpoint, amqps://<id>.mq.<region>.amazonaws.com:5671."
  value       = aws_mq_broker.this.instances[0].endpoints[0]
}

output "console_url" {
  description = "RabbitMQ management UI / HTTP API."
  value       = aws_mq_broker.this.instances[0].console_url
}

output "secret_arn" {
  description = "ARN of the broker credentials secret (taken from the version, so users wait for the value)."
  value       = aws_secretsmanager_secret_version.broker.arn
}

output "security_group_id" {
  description = "Security group of the broker."
  value       = aws_security_group.broker.id
}
