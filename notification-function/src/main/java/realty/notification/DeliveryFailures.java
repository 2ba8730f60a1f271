package realty.notification;

import realty.core.consumer.PermanentFailureException;

import java.util.ArrayList;
import java.util.List;

/**
 * The deliveries of one event that failed, collected while the others go ahead, so that one failing
 * recipient or subscriber neither stops nor (thanks to the ledgers) repeats the rest. At the end
 * the event fails with all of them: permanently when none of them is worth a retry.
 */
public final class DeliveryFailures {
    private record Failure(String target, String reason, boolean permanent) {
    }

    private final List<Failure> failures = new ArrayList<>();
    private int attempted;

    public void attempted() {
        attempted++;
    }

    public void retryable(String target, String reason) {
        failures.add(new Failure(target, reason, false));
    }

    public void permanent(String target, String reason) {
        failures.add(new Failure(target, reason, true));
    }

    public boolean isEmpty() {
        return failures.isEmpty();
    }

    /**
     * @throws PermanentFailureException when every failure is permanent (straight to the DLQ)
     * @throws UndeliveredNotificationException when some failure may succeed on a retry
     */
    public void throwIfAny() throws PermanentFailureException, UndeliveredNotificationException {
        if (failures.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder();
        message.append(failures.size()).append(" of ").append(Math.max(attempted, failures.size())).append(" deliveries failed: ");
        for (int i = 0; i < failures.size(); i++) {
            Failure f = failures.get(i);
            message.append(i == 0 ? "" : "; ").append(f.target()).append(": ").append(f.reason());
        }
        if (failures.stream().allMatch(Failure::permanent)) {
            throw new PermanentFailureException(message.toString());
        }
        throw new UndeliveredNotificationException(message.toString());
    }

    /** Some e-mail or webhook of an event could not be delivered yet; the event is retried for those only. */
    public static final class UndeliveredNotificationException extends Exception {
        public UndeliveredNotificationException(String message) {
            super(message);
        }
    }
}
