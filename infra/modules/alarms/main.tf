# CloudWatch alarms -> one SNS topic. docs/operations.md says what to do for each.
#
# Queue metrics come from AWS/AmazonMQ with dimensions Broker, VirtualHost and
# Queue (RabbitMQ 3.x brokers). Lambda's RabbitMQ event source holds a consumer on
# its queue while it is enabled, so ConsumerCount 0 with messages ready means the
# mapping is disabled or failing.

resource "aws_sns_topic" "alarms" {
  name = "${var.name}-alarms"
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_email_addresses)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  queues  = var.monitor_broker ? toset(var.work_queues) : toset([])
  actions = [aws_sns_topic.alarms.arn]
}

# Anything in a DLQ needs an operator: inspect and replay through
# GET /api/v1/admin/dead-letters and POST /api/v1/admin/dead-letters/{id}/replay.
resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  for_each = local.queues

  alarm_name          = "${var.name}-${each.key}-dlq-not-empty"
  alarm_description   = "Messages in ${each.key}.dlq. Runbook: docs/operations.md#dlq-growth"
  namespace           = "AWS/AmazonMQ"
  metric_name         = "MessageCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  dimensions = {
    Broker      = var.broker_name
    VirtualHost = var.virtual_host
    Queue       = "${each.key}.dlq"
  }
}

resource "aws_cloudwatch_metric_alarm" "queue_depth" {
  for_each = local.queues

  alarm_name          = "${var.name}-${each.key}-depth"
  alarm_description   = "More than ${lookup(var.queue_depth_threshold, each.key, 1000)} ready messages in ${each.key} for 5 minutes. Runbook: docs/operations.md#delayed-processing"
  namespace           = "AWS/AmazonMQ"
  metric_name         = "MessageReadyCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  threshold           = lookup(var.queue_depth_threshold, each.key, 1000)
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  dimensions = {
    Broker      = var.broker_name
    VirtualHost = var.virtual_host
    Queue       = each.key
  }
}

# Stand-in for "oldest message age": the queue never once drained for N minutes,
# so its oldest message is at least about N minutes old.
resource "aws_cloudwatch_metric_alarm" "backlog_age" {
  for_each = local.queues

  alarm_name          = "${var.name}-${each.key}-backlog-age"
  alarm_description   = "${each.key} has not been empty once in ${var.backlog_age_minutes} minutes. Runbook: docs/operations.md#delayed-processing"
  namespace           = "AWS/AmazonMQ"
  metric_name         = "MessageReadyCount"
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = var.backlog_age_minutes
  datapoints_to_alarm = var.backlog_age_minutes
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  dimensions = {
    Broker      = var.broker_name
    VirtualHost = var.virtual_host
    Queue       = each.key
  }
}

resource "aws_cloudwatch_metric_alarm" "no_consumer" {
  for_each = local.queues

  alarm_name          = "${var.name}-${each.key}-no-consumer"
  alarm_description   = "${each.key} has ready messages and no consumer for 5 minutes: event source mapping disabled or failing. Runbook: docs/operations.md#stuck-queue"
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  metric_query {
    id          = "stuck"
    expression  = "IF(ready > 0 AND consumers < 1, 1, 0)"
    label       = "Ready messages without consumer"
    return_data = true
  }

  metric_query {
    id = "ready"
    metric {
      namespace   = "AWS/AmazonMQ"
      metric_name = "MessageReadyCount"
      period      = 60
      stat        = "Maximum"
      dimensions = {
        Broker      = var.broker_name
        VirtualHost = var.virtual_host
        Queue       = each.key
      }
    }
  }

  metric_query {
    id = "consumers"
    metric {
      namespace   = "AWS/AmazonMQ"
      metric_name = "ConsumerCount"
      period      = 60
      stat        = "Minimum"
      dimensions = {
        Broker      = var.broker_name
        VirtualHost = var.virtual_host
        Queue       = each.key
      }
    }
  }
}

# RabbitMQ blocks every publisher when it crosses its memory watermark.
# A stalled consumer: attached (ConsumerCount >= 1) and holding messages unacknowledged while the
# ready count does not go down for 10 minutes. The broker sees nothing wrong in that state (see
# docs/operations.md#stuck-queue); GET /api/v1/admin/queues and /health name the queue as stalled.
resource "aws_cloudwatch_metric_alarm" "stalled_consumer" {
  for_each = local.queues

  alarm_name          = "${var.name}-${each.key}-stalled-consumer"
  alarm_description   = "${each.key} has a consumer holding unacknowledged messages while ready messages do not go down for 10 minutes: the consumer is stalled. Runbook: docs/operations.md#stuck-queue"
  evaluation_periods  = 10
  datapoints_to_alarm = 10
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  metric_query {
    id          = "stalled"
    expression  = "IF(consumers >= 1 AND unacked > 0 AND ready > 0 AND RATE(ready) >= 0, 1, 0)"
    label       = "Consumer attached, nothing acknowledged, backlog not shrinking"
    return_data = true
  }

  metric_query {
    id = "ready"
    metric {
      namespace   = "AWS/AmazonMQ"
      metric_name = "MessageReadyCount"
      period      = 60
      stat        = "Minimum"
      dimensions = {
        Broker      = var.broker_name
        VirtualHost = var.virtual_host
        Queue       = each.key
      }
    }
  }

  metric_query {
    id = "unacked"
    metric {
      namespace   = "AWS/AmazonMQ"
      metric_name = "MessageUnacknowledgedCount"
      period      = 60
      stat        = "Minimum"
      dimensions = {
        Broker      = var.broker_name
        VirtualHost = var.virtual_host
        Queue       = each.key
      }
    }
  }

  metric_query {
    id = "consumers"
    metric {
      namespace   = "AWS/AmazonMQ"
      metric_name = "ConsumerCount"
      period      = 60
      stat        = "Minimum"
      dimensions = {
        Broker      = var.broker_name
        VirtualHost = var.virtual_host
        Queue       = each.key
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "broker_memory" {
  count = var.monitor_broker ? 1 : 0

  alarm_name          = "${var.name}-broker-memory"
  alarm_description   = "RabbitMQ uses more than 80 % of its memory limit. Runbook: docs/operations.md#broker-loss"
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  metric_query {
    id          = "usage"
    expression  = "100 * used / limit"
    label       = "Memory used (% of limit)"
    return_data = true
  }

  metric_query {
    id = "used"
    metric {
      namespace   = "AWS/AmazonMQ"
      metric_name = "RabbitMQMemUsed"
      period      = 60
      stat        = "Maximum"
      dimensions = {
        Broker = var.broker_name
      }
    }
  }

  metric_query {
    id = "limit"
    metric {
      namespace   = "AWS/AmazonMQ"
      metric_name = "RabbitMQMemLimit"
      period      = 60
      stat        = "Minimum"
      dimensions = {
        Broker = var.broker_name
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = var.function_names

  alarm_name          = "${var.name}-${each.key}-errors"
  alarm_description   = "${each.value} returned errors (for a queue function: a whole batch is being redelivered). Runbook: docs/operations.md#function-errors"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  dimensions = {
    FunctionName = each.value
  }
}

resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each = var.function_names

  alarm_name          = "${var.name}-${each.key}-throttles"
  alarm_description   = "${each.value} was throttled (reserved or account concurrency exhausted). Runbook: docs/operations.md#throttling"
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  dimensions = {
    FunctionName = each.value
  }
}

# The relay runs every minute; silence means pending outbox events stay pending.
resource "aws_cloudwatch_metric_alarm" "relay_not_running" {
  count = var.monitor_relay_schedule ? 1 : 0

  alarm_name          = "${var.name}-relay-not-running"
  alarm_description   = "The outbox relay was not invoked for 10 minutes. Runbook: docs/operations.md#broker-loss"
  namespace           = "AWS/Lambda"
  metric_name         = "Invocations"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 2
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  dimensions = {
    FunctionName = var.function_names[var.relay_function_key]
  }
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  count = var.monitor_api ? 1 : 0

  alarm_name          = "${var.name}-api-5xx"
  alarm_description   = "More than ${var.api_5xx_threshold} 5xx responses in 5 minutes. Runbook: docs/operations.md#function-errors"
  namespace           = "AWS/ApiGateway"
  metric_name         = "5xx"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.api_5xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  dimensions = {
    ApiId = var.api_id
    Stage = "$default"
  }
}

resource "aws_cloudwatch_metric_alarm" "db_connections" {
  count = var.monitor_database ? 1 : 0

  alarm_name          = "${var.name}-db-connections"
  alarm_description   = "More than ${var.db_connections_threshold} open PostgreSQL connections. Runbook: docs/operations.md#database-connection-exhaustion"
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.db_connections_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  dimensions = {
    DBInstanceIdentifier = var.db_instance_identifier
  }
}
