# API Gateway HTTP API: every route goes to the api function's live alias with
# payload format 2.0; the function does its own routing, auth and 404s.

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
  description   = "Realty HTTP API (${var.name})"

  dynamic "cors_configuration" {
    for_each = length(var.cors_allowed_origins) > 0 ? ["on"] : []
    content {
      allow_origins  = var.cors_allowed_origins
      allow_methods  = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
      allow_headers  = ["authorization", "content-type", "x-request-id"]
      expose_headers = ["x-request-id"]
      max_age        = 600
    }
  }
}

resource "aws_apigatewayv2_integration" "function" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = var.alias_invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 30000
}

resource "aws_apigatewayv2_route" "default" {
  api_id    = aws_apigatewayv2_api.this.id
  route_key = "$default"
  target    = "integrations/${aws_apigatewayv2_integration.function.id}"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit    = var.throttling_rate_limit
    throttling_burst_limit   = var.throttling_burst_limit
    detailed_metrics_enabled = true
  }

  # requestId here is the API Gateway request id, also in the function's logs.
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId        = "$context.requestId"
      ip               = "$context.identity.sourceIp"
      method           = "$context.httpMethod"
      path             = "$context.path"
      status           = "$context.status"
      latencyMs        = "$context.responseLatency"
      integrationMs    = "$context.integrationLatency"
      integrationError = "$context.integrationErrorMessage"
      userAgent        = "$context.identity.userAgent"
    })
  }
}

resource "aws_lambda_permission" "http_api" {
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = var.function_name
  qualifier     = var.alias_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}
