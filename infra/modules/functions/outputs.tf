output "function_names" {
  description = "Function key => function name."
  value       = { for k, f in aws_lambda_function.this : k => f.function_name }
}

output "alias_arns" {
  description = "Function key => ARN of the live alias (what event sources and schedules invoke)."
  value       = { for k, a in aws_lambda_alias.live : k => a.arn }
}

output "alias_invoke_arns" {
  description = "Function key => invoke ARN of the live alias (API Gateway integrations)."
  value       = { for k, a in aws_lambda_alias.live : k => a.invoke_arn }
}

output "alias_names" {
  description = "Function key => alias name."
  value       = { for k, a in aws_lambda_alias.live : k => a.name }
}

output "versions" {
  description = "Function key => latest published version."
  value       = { for k, f in aws_lambda_function.this : k => f.version }
}

output "role_names" {
  description = "Function key => execution role name."
  value       = { for k, r in aws_iam_role.this : k => r.name }
}

output "log_group_names" {
  description = "Function key => log group."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}

output "deploy_task_result" {
  description = "Response of the last deploy task invocation."
  value       = var.run_deploy_task ? aws_lambda_invocation.deploy_task[0].result : null
}
