# The seven Lambda functions: api (HTTP API), relay (outbox relay on a schedule),
# deploy (one-shot migrations + topology) from the api-function jar, the three
# queue consumers, and housekeeping (prunes, held summary mails; on a schedule)
# from the notification-function jar. Each function gets its own log group, role and "live" alias.
#
# infra-check (Maven module) reads local.functions: keep handler names, environment
# keys and secret_arns literal here, and keep locals in dependency order.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  # Credentials never travel as variables: each *_SECRET_ARN names a secret that
  # realty.core.config.AwsSecrets reads at start-up with the AWS SDK's Secrets
  # Manager client (default credentials chain, so it works in INIT and after a
  # SnapStart restore; reached through the VPC endpoint of modules/network) and
  # maps onto the properties whose local placeholders are DB_USERNAME,
  # DB_PASSWORD, AMQP_USERNAME, ...
  common_env = {
    REALTY_ENVIRONMENT      = var.environment
    DB_JDBC_URL             = var.db_jdbc_url
    DB_SECRET_ARN           = var.db_secret_arn
    DB_POOL_SIZE            = tostring(var.db_pool_size)
    REALTY_MIGRATE_ON_START = "false" # the deploy task migrates, never a cold start
    AMQP_URI                = var.amqp_uri
    AMQP_VHOST              = var.amqp_vhost
    BROKER_SECRET_ARN       = var.broker_secret_arn

    # Secrets are read once per execution environment (and baked into the functions'
    # SnapStart snapshots); changing this forces fresh environments after a rotation.
    REALTY_SECRETS_REVISION = var.secrets_revision
  }

  api_env = merge(local.common_env, {
    JWT_SECRET_ARN        = var.jwt_secret_arn
    INVITATION_SECRET_ARN = var.invitation_secret_arn
    BCRYPT_COST           = tostring(var.bcrypt_cost)
    # Queue health and dead letters read the broker's management HTTP API (same credentials as AMQP).
    RABBITMQ_MANAGEMENT_URI = var.rabbitmq_management_uri
  })

  # Only the deploy task bootstraps the platform admin's users row, so only it reads that secret.
  deploy_env = merge(local.api_env, {
    PLATFORM_ADMIN_SECRET_ARN = var.platform_admin_secret_arn
  })

  notification_env = merge(local.common_env, {
    SMTP_HOST             = var.smtp_host
    SMTP_PORT             = tostring(var.smtp_port)
    SMTP_SECRET_ARN       = var.smtp_secret_arn
    INVITATION_SECRET_ARN = var.invitation_secret_arn
    MAIL_FROM             = var.mail_from
    LINK_BASE_URL         = var.link_base_url
  })

  api_jar          = "api-function/target/api-function-lambda.jar"
  api_secret_arns  = [var.db_secret_arn, var.broker_secret_arn, var.jwt_secret_arn, var.invitation_secret_arn]
  base_secret_arns = [var.db_secret_arn, var.broker_secret_arn]

  functions = {
    api = {
      handler              = "realty.api.ApiFunction"
      artifact             = local.api_jar
      description          = "HTTP API (API Gateway HTTP API, payload 2.0)"
      memory_mb            = lookup(var.memory_mb, "api", 512)
      timeout_seconds      = lookup(var.timeout_seconds, "api", 20)
      reserved_concurrency = lookup(var.reserved_concurrency, "api", -1)
      snap_start           = true
      # The archive bucket: the API presigns downloads of audit exports (audit_archive.tf: GetObject on exports/*).
      environment = merge(local.api_env, { REALTY_AUDIT_ARCHIVE_BUCKET = var.audit_archive_bucket })
      secret_arns = local.api_secret_arns
    }
    # Polls for 55 s of each minute (realty.outbox.relay-poll-for); the rest of its timeout covers a last pass.
    relay = {
      handler              = "realty.api.outbox.OutboxRelayFunction"
      artifact             = local.api_jar
      description          = "Outbox relay: publishes events still pending in the outbox"
      memory_mb            = lookup(var.memory_mb, "relay", 512)
      timeout_seconds      = lookup(var.timeout_seconds, "relay", 70)
      reserved_concurrency = lookup(var.reserved_concurrency, "relay", -1)
      snap_start           = true
      environment          = local.api_env
      secret_arns          = local.api_secret_arns
    }
    deploy = {
      handler              = "realty.api.deploy.DeployTaskFunction"
      artifact             = local.api_jar
      description          = "Deploy task: Flyway migrations and RabbitMQ topology declaration"
      memory_mb            = lookup(var.memory_mb, "deploy", 512)
      timeout_seconds      = lookup(var.timeout_seconds, "deploy", 300)
      reserved_concurrency = lookup(var.reserved_concurrency, "deploy", -1)
      snap_start           = false # invoked once per version, right after it is published: a snapshot would never be restored
      environment          = local.deploy_env
      secret_arns          = [var.db_secret_arn, var.broker_secret_arn, var.jwt_secret_arn, var.invitation_secret_arn, var.platform_admin_secret_arn]
    }
    audit = {
      handler              = "realty.audit.AuditFunction"
      artifact             = "audit-function/target/audit-function-lambda.jar"
      description          = "Consumer of audit_events: writes the audit log"
      memory_mb            = lookup(var.memory_mb, "audit", 512)
      timeout_seconds      = lookup(var.timeout_seconds, "audit", 60)
      reserved_concurrency = lookup(var.reserved_concurrency, "audit", -1)
      snap_start           = true
      environment          = local.common_env
      secret_arns          = local.base_secret_arns
    }
    commission = {
      handler              = "realty.commission.CommissionFunction"
      artifact             = "commission-function/target/commission-function-lambda.jar"
      description          = "Consumer of commission_events: computes commission splits of bulk sales"
      memory_mb            = lookup(var.memory_mb, "commission", 512)
      timeout_seconds      = lookup(var.timeout_seconds, "commission", 120)
      reserved_concurrency = lookup(var.reserved_concurrency, "commission", -1)
      snap_start           = true
      environment          = local.common_env
      secret_arns          = local.base_secret_arns
    }
    notification = {
      handler              = "realty.notification.NotificationFunction"
      artifact             = "notification-function/target/notification-function-lambda.jar"
      description          = "Consumer of notification_events: e-mail and webhooks"
      memory_mb            = lookup(var.memory_mb, "notification", 512)
      timeout_seconds      = lookup(var.timeout_seconds, "notification", 120)
      reserved_concurrency = lookup(var.reserved_concurrency, "notification", -1)
      snap_start           = true
      environment          = local.notification_env
      secret_arns          = [var.db_secret_arn, var.broker_secret_arn, var.smtp_secret_arn, var.invitation_secret_arn]
    }
    # Timeout above realty.housekeeping.time-budget (90 s): a run stops between batches before it.
    housekeeping = {
      handler              = "realty.notification.HousekeepingFunction"
      artifact             = "notification-function/target/notification-function-lambda.jar"
      description          = "Housekeeping: prunes outbox, outcomes and ledgers; sends held summary mails; archives the audit log"
      memory_mb            = lookup(var.memory_mb, "housekeeping", 512)
      timeout_seconds      = lookup(var.timeout_seconds, "housekeeping", 120)
      reserved_concurrency = lookup(var.reserved_concurrency, "housekeeping", -1)
      snap_start           = true
      # The archive bucket switches audit retention on (audit_archive.tf: the bucket and its grant).
      environment = merge(local.notification_env, { REALTY_AUDIT_ARCHIVE_BUCKET = var.audit_archive_bucket })
      secret_arns = [var.db_secret_arn, var.broker_secret_arn, var.smtp_secret_arn, var.invitation_secret_arn]
    }
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.functions

  name              = "/aws/lambda/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    sid     = "LambdaAssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.functions

  name               = "${var.name_prefix}-${each.key}"
  description        = "Execution role of ${var.name_prefix}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

data "aws_iam_policy_document" "function" {
  for_each = local.functions

  statement {
    sid       = "WriteOwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[each.key].arn}:*"]
  }

  # Exactly the secrets named in this function's *_SECRET_ARN variables.
  statement {
    sid       = "ReadOwnSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = each.value.secret_arns
  }

  # Lambda manages the function's ENIs with the execution role, and the Amazon MQ
  # event source pollers use the same actions
  # (https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html#events-mq-permissions).
  # ec2:DescribeNetworkInterfaces supports no resource-level permissions, hence "*".
  statement {
    sid       = "DescribeNetworkInterfaces"
    actions   = ["ec2:DescribeNetworkInterfaces"]
    resources = ["*"]
  }

  # These do (network interfaces, subnets, security groups): this account and region.
  statement {
    sid = "ManageVpcNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DeleteNetworkInterface",
      "ec2:AssignPrivateIpAddresses",
      "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:*"]
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions

  name   = "function"
  role   = aws_iam_role.this[each.key].id
  policy = data.aws_iam_policy_document.function[each.key].json
}

resource "aws_lambda_function" "this" {
  for_each = local.functions

  function_name = "${var.name_prefix}-${each.key}"
  description   = each.value.description
  role          = aws_iam_role.this[each.key].arn

  runtime          = "java17"
  architectures    = [var.architecture]
  handler          = each.value.handler
  filename         = "${var.artifacts_dir}/${each.value.artifact}"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/${each.value.artifact}")

  memory_size                    = each.value.memory_mb
  timeout                        = each.value.timeout_seconds
  reserved_concurrent_executions = each.value.reserved_concurrency

  # Every change publishes a version; the live alias moves after the deploy task.
  publish = true

  environment {
    variables = each.value.environment
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  # SnapStart snapshots the initialised JVM when a version is published; every function but
  # the deploy task restores from it instead of a full Micronaut start (docs/deploy.md,
  # "SnapStart"). Java 11+ managed runtimes only; not with provisioned concurrency, EFS or
  # ephemeral storage above 512 MB, none of which these functions use; it applies to published
  # versions and to aliases of them, which is what the event source mappings, schedules and
  # API Gateway invoke (live), never $LATEST
  # (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html, "Supported features and limitations").
  dynamic "snap_start" {
    for_each = each.value.snap_start ? ["on"] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.function,
  ]
}

# Runs Flyway migrations and declares exchanges, queues, DLQs and retry queues.
# Re-runs whenever the api-function jar or the deploy function's configuration
# changes (both publish a new version). A function error fails the apply, and
# the live aliases below only move after this succeeded.
resource "aws_lambda_invocation" "deploy_task" {
  count = var.run_deploy_task ? 1 : 0

  function_name = aws_lambda_function.this["deploy"].function_name
  qualifier     = aws_lambda_function.this["deploy"].version
  input         = var.deploy_task_input

  triggers = {
    artifact_sha256 = filebase64sha256("${var.artifacts_dir}/${local.api_jar}")
    version         = aws_lambda_function.this["deploy"].version
  }
}

resource "aws_lambda_alias" "live" {
  for_each = local.functions

  name             = "live"
  description      = "Version that serves traffic; move it to roll back"
  function_name    = aws_lambda_function.this[each.key].function_name
  function_version = lookup(var.pinned_versions, each.key, aws_lambda_function.this[each.key].version)

  depends_on = [aws_lambda_invocation.deploy_task]
}

# Outbox relay: EventBridge Scheduler invokes the relay's live alias every minute.
data "aws_iam_policy_document" "assume_scheduler" {
  statement {
    sid     = "SchedulerAssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "relay_scheduler" {
  count = var.create_relay_schedule ? 1 : 0

  name               = "${var.name_prefix}-relay-scheduler"
  description        = "Lets EventBridge Scheduler invoke ${var.name_prefix}-relay"
  assume_role_policy = data.aws_iam_policy_document.assume_scheduler.json
}

data "aws_iam_policy_document" "relay_scheduler" {
  statement {
    sid       = "InvokeRelay"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_alias.live["relay"].arn]
  }
}

resource "aws_iam_role_policy" "relay_scheduler" {
  count = var.create_relay_schedule ? 1 : 0

  name   = "invoke-relay"
  role   = aws_iam_role.relay_scheduler[0].id
  policy = data.aws_iam_policy_document.relay_scheduler.json
}

resource "aws_scheduler_schedule" "relay" {
  count = var.create_relay_schedule ? 1 : 0

  name                = "${var.name_prefix}-outbox-relay"
  description         = "Publishes outbox events the API could not publish right after commit"
  schedule_expression = var.relay_schedule_expression
  state               = "ENABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.live["relay"].arn
    role_arn = aws_iam_role.relay_scheduler[0].arn
    input    = jsonencode({ source = "realty.scheduler" }) # a ScheduledEvent for the handler

    # A missed run is covered by the next one a minute later.
    retry_policy {
      maximum_event_age_in_seconds = 60
      maximum_retry_attempts       = 0
    }
  }
}

# Housekeeping: EventBridge Scheduler invokes its live alias every five minutes.
# Two runs at once are safe (each task holds an advisory lock), so no retry is needed
# and a missed run is covered by the next.
resource "aws_iam_role" "housekeeping_scheduler" {
  count = var.create_housekeeping_schedule ? 1 : 0

  name               = "${var.name_prefix}-housekeeping-scheduler"
  description        = "Lets EventBridge Scheduler invoke ${var.name_prefix}-housekeeping"
  assume_role_policy = data.aws_iam_policy_document.assume_scheduler.json
}

data "aws_iam_policy_document" "housekeeping_scheduler" {
  statement {
    sid       = "InvokeHousekeeping"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_alias.live["housekeeping"].arn]
  }
}

resource "aws_iam_role_policy" "housekeeping_scheduler" {
  count = var.create_housekeeping_schedule ? 1 : 0

  name   = "invoke-housekeeping"
  role   = aws_iam_role.housekeeping_scheduler[0].id
  policy = data.aws_iam_policy_document.housekeeping_scheduler.json
}

resource "aws_scheduler_schedule" "housekeeping" {
  count = var.create_housekeeping_schedule ? 1 : 0

  name                = "${var.name_prefix}-housekeeping"
  description         = "Prunes old outbox rows, outcomes and ledgers; sends held summary mails"
  schedule_expression = var.housekeeping_schedule_expression
  state               = "ENABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.live["housekeeping"].arn
    role_arn = aws_iam_role.housekeeping_scheduler[0].arn
    input    = jsonencode({ source = "realty.scheduler" }) # a ScheduledEvent for the handler

    retry_policy {
      maximum_event_age_in_seconds = 300
      maximum_retry_attempts       = 0
    }
  }
}
