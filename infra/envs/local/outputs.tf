output "function_names" {
  description = "Function key => Lambda function name in LocalStack."
  value       = module.realty.function_names
}

output "secret_arns" {
  description = "Secrets created in LocalStack."
  value       = module.realty.secret_arns
}

output "api_endpoint" {
  description = "HTTP API endpoint (only with enable_http_api)."
  value       = module.realty.api_endpoint
}
