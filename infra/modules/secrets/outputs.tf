output "jwt_secret_arn" {
  description = "ARN of the JWT signing key secret."
  value       = aws_secretsmanager_secret_version.jwt.arn
}

output "platform_admin_secret_arn" {
  description = "ARN of the platform administrator credentials secret."
  value       = aws_secretsmanager_secret_version.platform_admin.arn
}

output "smtp_secret_arn" {
  description = "ARN of the SMTP credentials secret."
  value       = aws_secretsmanager_secret_version.smtp.arn
}

output "invitation_secret_arn" {
  description = "ARN of the invitation link key secret."
  value       = aws_secretsmanager_secret_version.invitations.arn
}
