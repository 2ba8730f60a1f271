output "jdbc_url" {
  description = "JDBC URL of the application database (DB_JDBC_URL)."
  value       = "jdbc:postgresql://${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}"
}

output "address" {
  description = "Host name of the instance."
  value       = aws_db_instance.this.address
}

output "instance_identifier" {
  description = "DB instance identifier (DBInstanceIdentifier dimension of AWS/RDS metrics)."
  value       = aws_db_instance.this.identifier
}

output "secret_arn" {
  description = "ARN of the database credentials secret (taken from the version, so users wait for the value)."
  value       = aws_secretsmanager_secret_version.database.arn
}

output "security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.database.id
}
