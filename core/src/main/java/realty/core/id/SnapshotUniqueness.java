package realty.core.id;

import io.micronaut.crac.OrderedResource;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a SnapStart restore, draws a new salt for {@link TimeOrderedIds}, so that environments
 * restored from one snapshot stop sharing the random state it holds. AWS: "To maintain uniqueness
 * when using SnapStart, you must generate unique content after initialization", with a runtime hook
 * if it was generated before (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html).
 * micronaut-crac registers every {@link OrderedResource} bean as such a hook, in every function.
 */
@Singleton
public class SnapshotUniqueness implements OrderedResource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotUniqueness.class);

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // nothing: uniqueness is restored after the restore, not before the snapshot
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        TimeOrderedIds.reseed();
        LOG.debug("restored from a snapshot: time-ordered ids drew a new salt");
    }
}
