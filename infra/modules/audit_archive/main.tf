# The audit archive (issue 15): the housekeeping function's retention pass writes each month past
# retention here as one gzip'd NDJSON object (audit-logs/<yyyy>/<mm>/audit_logs_p<yyyymm>.ndjson.gz)
# before it drops the month's partition (realty.core.audit.AuditRetention, S3AuditArchive).
# Private, encrypted at rest (SSE-S3, which the PutObject also asks for), TLS only, versioned so an
# overwritten or deleted archive can be recovered; docs/operations.md, "Audit log".

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "this" {
  bucket        = "${var.name}-audit-archive-${data.aws_caller_identity.current.account_id}"
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced" # no ACLs: access is IAM only
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# A retention rerun overwrites a month with the same rows; versions keep every copy, and a delete
# only adds a marker, so an archive cannot be lost by one wrong call.
resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "audit-logs"
    status = "Enabled"

    filter {
      prefix = "audit-logs/"
    }

    dynamic "transition" {
      for_each = var.glacier_after_days > 0 ? ["on"] : []
      content {
        days          = var.glacier_after_days
        storage_class = "GLACIER"
      }
    }

    dynamic "expiration" {
      for_each = var.expire_after_days > 0 ? ["on"] : []
      content {
        days = var.expire_after_days
      }
    }

    # A copy replaced by a rerun is the same rows: keep it a month, then let it go.
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }

  rule {
    id     = "exports"
    status = "Enabled"

    filter {
      prefix = "exports/"
    }

    expiration {
      days = var.export_expire_after_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}
