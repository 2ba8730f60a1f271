output "bucket_name" {
  description = "The archive bucket's name: REALTY_AUDIT_ARCHIVE_BUCKET (realty.audit.archive-bucket) of the housekeeping function."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "The archive bucket's ARN, for the housekeeping function's s3:PutObject grant."
  value       = aws_s3_bucket.this.arn
}
