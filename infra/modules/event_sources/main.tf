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

# What Lambda needs to poll an Amazon MQ broker on the function's behalf
# ("Execution role permissions", https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html#events-mq-permissions):
# mq:DescribeBroker, secretsmanager:GetSecretValue, ec2:CreateNetworkInterface,
# ec2:DeleteNetworkInterface, ec2:DescribeNetworkInterfaces,
# ec2:DescribeSecurityGroups, ec2:DescribeSubnets, ec2:DescribeVpcs and the logs
# actions. The network-interface and logs actions are in the function policy of
# modules/functions (every function runs in the VPC); the rest are here.
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

  # EC2 Describe* actions support no resource-level permissions (Service
  # Authorization Reference, Amazon EC2), so "*" is the only valid resource.
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

  batch_size = lookup(var.batch_size, each.key, 100)

  # null (queue not in the map) leaves the window to Lambda: 500 ms for Amazon
  # MQ. A 0 would be silently dropped: the provider (internal/service/lambda/
  # event_source_mapping.go, resourceEventSourceMappingCreate) only sends
  # MaximumBatchingWindowInSeconds when d.GetOk() reports it set, and GetOk is
  # false for a zero value, so Lambda would apply its 500 ms default anyway;
  # template.yaml omits the property for the same queues, so both deploy 500 ms.
  maximum_batching_window_in_seconds = lookup(var.batching_window_seconds, each.key, null)

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
