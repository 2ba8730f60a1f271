package realty.core.topology;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.List;

/**
 * Optional override of a function's retry policy, e.g.
 * {@code realty.retry.audit.max-attempts: 5} and {@code realty.retry.audit.delays: [1s, 5s, 30s]}.
 * Changing delays of an already declared tier requires deleting that (normally empty) delay queue,
 * since RabbitMQ refuses to redeclare a queue with other arguments.
 */
@EachProperty("realty.retry")
public class RetryConfiguration {
    private final String function;
    private Integer maxAttempts;
    private List<Duration> delays;

    public RetryConfiguration(@Parameter String function) {
        this.function = function;
    }

    public String getFunction() {
        return function;
    }

    @Nullable
    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(@Nullable Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    @Nullable
    public List<Duration> getDelays() {
        return delays;
    }

    public void setDelays(@Nullable List<Duration> delays) {
        this.delays = delays;
    }
}
