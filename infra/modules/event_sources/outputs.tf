output "work_queues" {
  description = "Names of the work queues consumed by Lambda."
  value       = keys(local.queue_consumers)
}

output "queue_consumers" {
  description = "Work queue => function key."
  value       = local.queue_consumers
}

output "mapping_uuids" {
  description = "Work queue => event source mapping UUID (for aws lambda update-event-source-mapping)."
  value       = { for q, m in aws_lambda_event_source_mapping.work_queue : q => m.uuid }
}
