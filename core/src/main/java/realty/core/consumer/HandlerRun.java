package realty.core.consumer;

import io.micronaut.core.annotation.Nullable;

/**
 * The handler's run over one message inside the batch's transaction: what it emitted if it
 * succeeded, or the exception it threw (its database effect then rolled back).
 */
record HandlerRun(ReceivedMessage message, HandlerContext context, long durationMicros, @Nullable Exception failure) {

    boolean succeeded() {
        return failure == null;
    }

    static long micros(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1000;
    }
}
