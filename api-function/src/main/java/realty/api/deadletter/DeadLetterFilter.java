package realty.api.deadletter;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;

/**
 * Which dead letters a bulk replay takes; every given criterion must match, none given takes all.
 *
 * @param errorContains case-insensitive substring of the recorded error
 */
@Serdeable
public record DeadLetterFilter(@Nullable String eventType, @Nullable String failureKind, @Nullable String failedFunction,
                               @Nullable String errorContains) {

    public static DeadLetterFilter all() {
        return new DeadLetterFilter(null, null, null, null);
    }

    public boolean matches(DeadLetter d) {
        return (blank(eventType) || eventType.equals(d.eventType()))
                && (blank(failureKind) || failureKind.equals(d.failureKind()))
                && (blank(failedFunction) || failedFunction.equals(d.failedFunction()))
                && (blank(errorContains) || (d.error() != null
                && d.error().toLowerCase(Locale.ROOT).contains(errorContains.toLowerCase(Locale.ROOT))));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
