# TLS with certificate and host name verification: rds.force_ssl refuses plain
# connections, and verify-full checks the server certificate against the RDS CA
# bundle that every function jar carries at its root (Lambda unpacks the jar into
# /var/task), and the host name against the certificate
# (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html).
output "jdbc_url" {
  description = "JDBC URL of the application database (DB_JDBC_URL): TLS, server certificate verified against /var/task/rds-ca-bundle.pem."
  value       = "jdbc:postgresql://${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?sslmode=verify-full&sslrootcert=${var.ca_bundle_path}"
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
