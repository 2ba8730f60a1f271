variable "broker_arn" {
  description = "ARN of the Amazon MQ for RabbitMQ broker."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:mq:", var.broker_arn))
    error_message = "broker_arn must be an Amazon MQ broker ARN."
  }
}

variable "broker_secret_arn" {
  description = "Secret with the broker username and password (BASIC_AUTH of the event source mappings)."
  type        = string
}

variable "virtual_host" {
  description = "RabbitMQ virtual host of the work queues."
  type        = string
  default     = "/"
}

variable "function_alias_arns" {
  description = "Function key => ARN of the live alias (output alias_arns of the functions module)."
  type        = map(string)
}

variable "function_role_names" {
  description = "Function key => execution role name (output role_names of the functions module)."
  type        = map(string)
}

variable "batch_size" {
  description = "Work queue => maximum messages per invocation. Lambda runs one concurrent batch per RabbitMQ event source, so throughput comes from batch size."
  type        = map(number)
  default = {
    audit_events        = 100
    commission_events   = 10
    notification_events = 20
  }

  validation {
    condition     = alltrue([for q, n in var.batch_size : n >= 1 && n <= 10000])
    error_message = "Batch sizes must be between 1 and 10000."
  }
}

variable "batching_window_seconds" {
  description = "Work queue => seconds (1-300) Lambda waits to fill a batch; adds up to this much latency (event lag) when traffic is low. A queue left out gets Lambda's default for Amazon MQ, 500 ms."
  type        = map(number)
  default = {
    notification_events = 2
  }

  # 0 is refused on purpose: the AWS provider does not send a zero window on
  # create (see main.tf), so Lambda would use 500 ms while the file says 0.
  validation {
    condition     = alltrue([for q, s in var.batching_window_seconds : s >= 1 && s <= 300])
    error_message = "Batching windows must be between 1 and 300 seconds; leave a queue out for Lambda's 500 ms default (a 0 is dropped by the provider)."
  }
}

variable "enabled" {
  description = "Poll the queues. false pauses every consumer (messages wait in the queues)."
  type        = bool
  default     = true
}
