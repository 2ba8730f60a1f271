# Application secrets. Every secret is a JSON document that the functions read at
# start-up with the AWS SDK's Secrets Manager client (realty.core.config.AwsSecrets).

# HMAC key that signs access tokens. Replacing it (terraform apply -replace=...)
# invalidates every token signed with the old key.
resource "random_password" "jwt_key" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "jwt" {
  name                    = "${var.name}/jwt"
  description             = "JWT signing key of ${var.name}: {\"key\": ...}"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "jwt" {
  secret_id = aws_secretsmanager_secret.jwt.id
  secret_string = jsonencode({
    key = random_password.jwt_key.result
  })
}

# HMAC key invitation links are derived with (docs/accounts.md): the API and the notification
# function read it. Replacing it voids every open invitation link.
resource "random_password" "invitation_key" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "invitations" {
  name                    = "${var.name}/invitations"
  description             = "Invitation link key of ${var.name}: {\"key\": ...}"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "invitations" {
  secret_id = aws_secretsmanager_secret.invitations.id
  secret_string = jsonencode({
    key = random_password.invitation_key.result
  })
}

resource "random_password" "platform_admin" {
  length  = 24
  special = false
}

resource "aws_secretsmanager_secret" "platform_admin" {
  name                    = "${var.name}/platform-admin"
  description             = "Platform administrator credentials of ${var.name}: {\"username\": ..., \"password\": ...}"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "platform_admin" {
  secret_id = aws_secretsmanager_secret.platform_admin.id
  secret_string = jsonencode({
    username = var.platform_admin_username
    password = random_password.platform_admin.result
  })
}

resource "aws_secretsmanager_secret" "smtp" {
  name                    = "${var.name}/smtp"
  description             = "SMTP credentials of the notification function: {\"username\": ..., \"password\": ...}"
  recovery_window_in_days = var.recovery_window_in_days
}

# Terraform writes the first value only; operators rotate it in Secrets Manager
# (SES SMTP credentials are created outside Terraform).
resource "aws_secretsmanager_secret_version" "smtp" {
  secret_id = aws_secretsmanager_secret.smtp.id
  secret_string = jsonencode({
    username = var.smtp_username
    password = var.smtp_password
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}
