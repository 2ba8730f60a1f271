variable "name" {
  description = "Name of the HTTP API, e.g. realty-prod."
  type        = string
}

variable "function_name" {
  description = "Name of the api function."
  type        = string
}

variable "alias_name" {
  description = "Alias of the api function that serves traffic."
  type        = string
  default     = "live"
}

variable "alias_invoke_arn" {
  description = "Invoke ARN of that alias."
  type        = string
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second allowed on the default route (whole API)."
  type        = number
  default     = 200

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be positive."
  }
}

variable "throttling_burst_limit" {
  description = "Burst of requests allowed above the rate limit."
  type        = number
  default     = 400

  validation {
    condition     = var.throttling_burst_limit > 0
    error_message = "throttling_burst_limit must be positive."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed by CORS (browser front-ends). Empty = no CORS configuration."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.cors_allowed_origins : can(regex("^https?://", o))])
    error_message = "CORS origins must be http(s) URLs."
  }
}

variable "log_retention_days" {
  description = "Retention of the access log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts."
  }
}
