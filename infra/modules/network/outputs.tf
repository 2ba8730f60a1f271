output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "private_subnet_ids" {
  description = "Private subnets, one per AZ, for functions, broker and database."
  value       = aws_subnet.private[*].id
}

output "lambda_security_group_id" {
  description = "Security group attached to every Lambda function."
  value       = aws_security_group.lambda.id
}

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways (what SMTP servers and webhook receivers see)."
  value       = aws_eip.nat[*].public_ip
}
