package realty.core.housekeeping;

import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * Removes invitation and password-reset rows that expired more than
 * {@code realty.housekeeping.link-retention} ago (default 30 days): an expired link can never be
 * redeemed, and the rows were kept only so that the refusal of a late click says "expired".
 */
@Singleton
public class LinkPrune implements HousekeepingTask {
    private final LinkRequestRepository links;
    private final HousekeepingSettings settings;

    public LinkPrune(LinkRequestRepository links, HousekeepingSettings settings) {
        this.links = links;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "link-prune";
    }

    @Override
    public int getOrder() {
        return 250;
    }

    @Override
    public long run(Instant deadline) {
        Instant before = Instant.now().minus(settings.getLinkRetention());
        int batch = settings.getBatchSize();
        return PruneBatches.run(deadline, batch, () -> links.deleteResetRequests(before, batch))
                + PruneBatches.run(deadline, batch, () -> links.deleteInvitations(before, batch));
    }
}
