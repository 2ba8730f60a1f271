# The audit archive bucket (modules/audit_archive) as the housekeeping function sees it: its name
# in REALTY_AUDIT_ARCHIVE_BUCKET (realty.audit.archive-bucket, which switches audit retention on)
# and s3:PutObject under the archive's prefix, for this function only. Kept apart from main.tf.

variable "audit_archive_bucket" {
  description = "Name of the audit archive bucket (modules/audit_archive): REALTY_AUDIT_ARCHIVE_BUCKET of the housekeeping function."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.audit_archive_bucket))
    error_message = "audit_archive_bucket must be an S3 bucket name."
  }
}

variable "audit_archive_bucket_arn" {
  description = "ARN of the audit archive bucket; the housekeeping function may put objects under audit-logs/ in it and nothing else."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.audit_archive_bucket_arn))
    error_message = "audit_archive_bucket_arn must be an S3 bucket ARN."
  }
}

# Objects only under the key prefix AuditRetentionSettings.archivePrefix (audit-logs): no read, list or delete.
data "aws_iam_policy_document" "audit_archive" {
  statement {
    sid       = "PutAuditArchive"
    actions   = ["s3:PutObject"]
    resources = ["${var.audit_archive_bucket_arn}/audit-logs/*"]
  }
}

resource "aws_iam_role_policy" "audit_archive" {
  name   = "audit-archive"
  role   = aws_iam_role.this["housekeeping"].id
  policy = data.aws_iam_policy_document.audit_archive.json
}
