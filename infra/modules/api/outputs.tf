output "api_id" {
  description = "ID of the HTTP API (ApiId dimension of AWS/ApiGateway metrics)."
  value       = aws_apigatewayv2_api.this.id
}

output "stage_name" {
  description = "Stage name."
  value       = aws_apigatewayv2_stage.default.name
}

output "endpoint" {
  description = "Base URL, e.g. https://abc123.execute-api.sa-east-1.amazonaws.com."
  value       = aws_apigatewayv2_api.this.api_endpoint
}
