package realty.core.consumer;

import java.time.Instant;

/**
 * One failed try of one message.
 *
 * @param attempt   which try failed (1-based)
 * @param permanent whether retrying cannot help
 * @param function  the consumer that failed
 */
public record FailedAttempt(int attempt, boolean permanent, String errorClass, String errorMessage,
                            Instant at, String function) {

    private static final int MAX_MESSAGE = 500;

    public static FailedAttempt of(int attempt, boolean permanent, Throwable error, String function) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        return new FailedAttempt(attempt, permanent, error.getClass().getName(),
                message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message, Instant.now(), function);
    }

    public static FailedAttempt undecodable(String reason, String function) {
        return new FailedAttempt(1, true, "realty.core.consumer.UndecodableMessage", reason, Instant.now(), function);
    }

    public String describe() {
        return errorClass + ": " + errorMessage;
    }
}
