# The audit archive bucket (modules/audit_archive) as the functions see it: its name in
# REALTY_AUDIT_ARCHIVE_BUCKET (realty.audit.archive-bucket) for the housekeeping function, which puts
# month archives under audit-logs/ and audit exports under exports/, and for the API, which presigns
# GET URLs of exports/ (a presigned URL carries its signer's permissions, so the API's role needs
# s3:GetObject there and nowhere else). Kept apart from main.tf.

variable "audit_archive_bucket" {
  description = "Name of the audit archive bucket (modules/audit_archive): REALTY_AUDIT_ARCHIVE_BUCKET of the housekeeping function and the API."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.audit_archive_bucket))
    error_message = "audit_archive_bucket must be an S3 bucket name."
  }
}

variable "audit_archive_bucket_arn" {
  description = "ARN of the audit archive bucket; the housekeeping function may put objects under audit-logs/ and exports/, the API read those under exports/, and nothing else."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.audit_archive_bucket_arn))
    error_message = "audit_archive_bucket_arn must be an S3 bucket ARN."
  }
}

# Objects only under the key prefixes AuditRetentionSettings.archivePrefix (audit-logs) and
# AuditExportSettings.prefix (exports, expired after 7 days by the bucket's lifecycle rule): no read, list or delete.
data "aws_iam_policy_document" "audit_archive" {
  statement {
    sid       = "PutAuditArchive"
    actions   = ["s3:PutObject"]
    resources = ["${var.audit_archive_bucket_arn}/audit-logs/*"]
  }

  statement {
    sid       = "PutAuditExports"
    actions   = ["s3:PutObject"]
    resources = ["${var.audit_archive_bucket_arn}/exports/*"]
  }
}

resource "aws_iam_role_policy" "audit_archive" {
  name   = "audit-archive"
  role   = aws_iam_role.this["housekeeping"].id
  policy = data.aws_iam_policy_document.audit_archive.json
}

# The API signs the short-lived download URLs of GET /api/v1/audit-logs/exports/{id}: read of exports/ only.
data "aws_iam_policy_document" "audit_export_download" {
  statement {
    sid       = "GetAuditExports"
    actions   = ["s3:GetObject"]
    resources = ["${var.audit_archive_bucket_arn}/exports/*"]
  }
}

resource "aws_iam_role_policy" "audit_export_download" {
  name   = "audit-export-download"
  role   = aws_iam_role.this["api"].id
  policy = data.aws_iam_policy_document.audit_export_download.json
}
