variable "region" {
  description = "Region name LocalStack pretends to be."
  type        = string
  default     = "us-east-1"
}

variable "localstack_endpoint" {
  description = "LocalStack edge URL as seen from the machine running terraform."
  type        = string
  default     = "http://localhost:4566"

  validation {
    condition     = can(regex("^https?://", var.localstack_endpoint))
    error_message = "localstack_endpoint must be an http(s) URL."
  }
}

# LocalStack's community image does not emulate Amazon MQ (a paid feature, and
# even there not the RabbitMQ engine with Lambda event source mappings), RDS, or
# API Gateway HTTP APIs. Those stay off here; the functions talk to the RabbitMQ
# and PostgreSQL containers of docker-compose.yml instead.
variable "enable_broker" {
  description = "Create an Amazon MQ broker and event source mappings in LocalStack. Leave false: not emulated."
  type        = bool
  default     = false
}

variable "enable_database" {
  description = "Create an RDS instance in LocalStack (paid LocalStack feature). false uses the postgres container."
  type        = bool
  default     = false
}

variable "enable_http_api" {
  description = "Create the API Gateway HTTP API in LocalStack (paid LocalStack feature)."
  type        = bool
  default     = false
}

variable "run_deploy_task" {
  description = "Invoke the deploy task during apply. Off by default: it needs LocalStack's Lambda containers to reach the postgres and rabbitmq containers (LAMBDA_DOCKER_NETWORK in docker-compose.yml)."
  type        = bool
  default     = false
}

variable "amqp_uri" {
  description = "RabbitMQ as reached from Lambda containers on the docker-compose network."
  type        = string
  default     = "amqp://rabbitmq:5672"
}

variable "db_jdbc_url" {
  description = "PostgreSQL as reached from Lambda containers on the docker-compose network."
  type        = string
  default     = "jdbc:postgresql://postgres:5432/realty"
}

variable "rabbitmq_credentials" {
  description = "Credentials of the rabbitmq container."
  type = object({
    username = string
    password = string
  })
  default = {
    username = "realty"
    password = "realty"
  }
  sensitive = true
}

variable "postgres_credentials" {
  description = "Credentials of the postgres container."
  type = object({
    username = string
    password = string
  })
  default = {
    username = "realty"
    password = "realty"
  }
  sensitive = true
}
