# S3 through a gateway endpoint on the private route tables: the housekeeping function writes the
# audit archive (modules/audit_archive) without a NAT gateway, and without paying NAT data processing
# for a month's archive. Gateway endpoints cost nothing.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${data.aws_region.current.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id

  tags = {
    Name = "${var.name}-s3"
  }
}
