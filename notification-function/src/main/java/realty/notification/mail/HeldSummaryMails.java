package realty.notification.mail;

import jakarta.inject.Singleton;
import realty.core.housekeeping.HousekeepingTask;

import java.time.Instant;

/**
 * Housekeeping: sends the summary mails that are due. Without it a recipient's held mails waited for
 * the next event that reached the notification function, which after a bulk import may be days.
 */
@Singleton
public class HeldSummaryMails implements HousekeepingTask {
    private final MailDispatcher dispatcher;

    public HeldSummaryMails(MailDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public String name() {
        return "held-summary-mails";
    }

    @Override
    public int getOrder() {
        return 10; // before the prunes: what people wait for first
    }

    @Override
    public long run(Instant deadline) {
        long sent = 0;
        while (Instant.now().isBefore(deadline)) {
            int n = dispatcher.sendDueSummaries(); // up to one pass's worth of recipients
            sent += n;
            if (n == 0) {
                return sent;
            }
        }
        return sent;
    }
}
