# Amazon MQ for RabbitMQ. Exchanges, queues, DLQs and retry queues are NOT declared
# here: the deploy task declares them from realty.core.topology.Topology.

resource "aws_security_group" "broker" {
  name        = "${var.name}-broker"
  description = "Amazon MQ broker ${var.name}"
  vpc_id      = var.vpc_id

  tags = {
    Name = "${var.name}-broker"
  }
}

resource "aws_vpc_security_group_ingress_rule" "amqps_from_clients" {
  for_each = var.client_security_groups # static keys: known at plan

  security_group_id            = aws_security_group.broker.id
  description                  = "AMQPS from the functions"
  ip_protocol                  = "tcp"
  from_port                    = 5671
  to_port                      = 5671
  referenced_security_group_id = each.value
}

resource "aws_vpc_security_group_ingress_rule" "management_from_clients" {
  for_each = var.client_security_groups # static keys: known at plan

  security_group_id            = aws_security_group.broker.id
  description                  = "RabbitMQ management API (queue depths, dead letters) from the functions"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = each.value
}

# Lambda's Amazon MQ event source pollers run in the broker's subnets with the
# broker's security group, so the group must admit itself.
resource "aws_vpc_security_group_ingress_rule" "amqps_from_event_source_pollers" {
  security_group_id            = aws_security_group.broker.id
  description                  = "AMQPS from Lambda event source pollers (same security group)"
  ip_protocol                  = "tcp"
  from_port                    = 5671
  to_port                      = 5671
  referenced_security_group_id = aws_security_group.broker.id
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.broker.id
  description       = "Pollers reach the Lambda and Secrets Manager endpoints"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# Amazon MQ rejects commas, colons and equal signs; letters and digits only keeps
# the password safe in URIs and shell commands too.
resource "random_password" "broker" {
  length  = 32
  special = false
}

resource "aws_mq_broker" "this" {
  broker_name                = var.name
  engine_type                = "RabbitMQ"
  engine_version             = var.engine_version
  auto_minor_version_upgrade = true
  host_instance_type         = var.host_instance_type
  deployment_mode            = var.deployment_mode
  publicly_accessible        = false
  subnet_ids                 = var.deployment_mode == "SINGLE_INSTANCE" ? [var.subnet_ids[0]] : var.subnet_ids
  security_groups            = [aws_security_group.broker.id]
  apply_immediately          = var.apply_immediately

  user {
    username = var.admin_username
    password = random_password.broker.result
  }

  logs {
    general = var.general_logs
  }

  maintenance_window_start_time {
    day_of_week = var.maintenance_day_of_week
    time_of_day = var.maintenance_time_of_day
    time_zone   = "UTC"
  }

  lifecycle {
    # Any change to the user block replaces the whole broker (queues and messages
    # included). The password is rotated through the RabbitMQ management API
    # instead (docs/deploy.md#secrets-rotation).
    ignore_changes = [user]

    precondition {
      condition     = var.deployment_mode == "SINGLE_INSTANCE" || var.host_instance_type != "mq.t3.micro"
      error_message = "mq.t3.micro cannot run a CLUSTER_MULTI_AZ broker; use mq.m5.large or larger."
    }
    precondition {
      condition     = var.deployment_mode == "SINGLE_INSTANCE" || length(var.subnet_ids) >= 2
      error_message = "A CLUSTER_MULTI_AZ broker needs subnets in at least two AZs."
    }
  }
}

# Read by the functions (AMQP login) and by the event source mappings (BASIC_AUTH).
resource "aws_secretsmanager_secret" "broker" {
  name                    = "${var.name}/broker"
  description             = "RabbitMQ credentials of ${var.name}: {\"username\": ..., \"password\": ...}"
  recovery_window_in_days = var.secret_recovery_window_in_days
}

# Terraform writes the first value only; rotations write new values directly.
resource "aws_secretsmanager_secret_version" "broker" {
  secret_id = aws_secretsmanager_secret.broker.id
  secret_string = jsonencode({
    username = var.admin_username
    password = random_password.broker.result
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}
