# One Amazon MQ event source mapping per work queue. The queue names and the
# consumer of each queue come from realty.core.topology.Topology; infra-check
# fails the build when this map and the code disagree. Exchanges, DLQs and retry
# queues are declared by the deploy task, not here.

locals {
  queue_consumers = {
    audit_events        = "audit"
    commission_events   = "commission"
    notification_events = "notification"
  }
}

# What Lambda needs to poll an Amazon MQ broker on the function's behalf:
# https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html#events-mq-permissions
data "aws_iam_policy_document" "event_source" {
  for_each = local.queue_consumers

  statement {
    sid       = "DescribeBroker"
    actions   = ["mq:DescribeBroker"]
    resources = [var.broker_arn]
  }

  statement {
    sid       = "ReadBrokerCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.broker_secret_arn]
  }

  # Describe calls cannot be scoped to resources.
  statement {
    sid = "DescribeBrokerNetwork"
    actions = [
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "event_source" {
  for_each = local.queue_consumers

  name   = "consume-${each.key}"
  role   = var.function_role_names[each.value]
  policy = data.aws_iam_policy_document.event_source[each.key].json
}

resource "aws_lambda_event_source_mapping" "work_queue" {
  for_each = local.queue_consumers

  event_source_arn = var.broker_arn
  function_name    = var.function_alias_arns[each.value]
  queues           = [each.key]
  enabled          = var.enabled

  batch_size                         = lookup(var.batch_size, each.key, 100)
  maximum_batching_window_in_seconds = lookup(var.batching_window_seconds, each.key, 1)

  source_access_configuration {
    type = "BASIC_AUTH"
    uri  = var.broker_secret_arn
  }

  source_access_configuration {
    type = "VIRTUAL_HOST"
    uri  = var.virtual_host
  }

  # Lambda validates the role's permissions when the mapping is created.
  depends_on = [aws_iam_role_policy.event_source]
}
