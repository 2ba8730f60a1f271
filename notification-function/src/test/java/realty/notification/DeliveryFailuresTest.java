package realty.notification;

import org.junit.jupiter.api.Test;
import realty.core.consumer.PermanentFailureException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryFailuresTest {

    @Test
    void noFailureNoException() {
        DeliveryFailures f = new DeliveryFailures();
        f.attempted();
        assertDoesNotThrow(f::throwIfAny);
    }

    @Test
    void onlyPermanentFailuresGoStraightToTheDeadLetterQueue() {
        DeliveryFailures f = new DeliveryFailures();
        f.attempted();
        f.permanent("webhook 1", "refused: private address");
        PermanentFailureException e = assertThrows(PermanentFailureException.class, f::throwIfAny);
        assertTrue(e.getMessage().startsWith("1 of 1 deliveries failed: webhook 1: refused"), e.getMessage());
    }

    @Test
    void anyRetryableFailureMakesTheEventRetry() {
        DeliveryFailures f = new DeliveryFailures();
        f.attempted();
        f.attempted();
        f.attempted();
        f.permanent("webhook 1", "refused");
        f.retryable("webhook 2", "answered HTTP 500");
        var e = assertThrows(DeliveryFailures.UndeliveredNotificationException.class, f::throwIfAny);
        assertTrue(e.getMessage().contains("2 of 3 deliveries failed") && e.getMessage().contains("webhook 2: answered HTTP 500"),
                e.getMessage());
    }
}
