package realty.core.id;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeOrderedIdsTest {

    /**
     * Two SnapStart environments restored from one snapshot hold the same random state; the salt
     * drawn after each restore is what keeps their ids apart. Each "environment" runs on its own
     * thread (fresh per-thread counter), from identical generators, in the same millisecond.
     */
    @Test
    void identicalRandomStateGivesDifferentIdsOnceTheSaltIsDrawnAgain() throws Exception {
        long ms = 2_000_000L;
        UUID first = onNewThread(() -> TimeOrderedIds.next(ms, new java.util.SplittableRandom(42)));
        UUID sameSalt = onNewThread(() -> TimeOrderedIds.next(ms, new java.util.SplittableRandom(42)));
        assertEquals(first, sameSalt, "same random state and salt: the same id (what a restore without reseeding would give)");

        TimeOrderedIds.reseed();
        UUID afterRestore = onNewThread(() -> TimeOrderedIds.next(ms, new java.util.SplittableRandom(42)));
        assertTrue(!afterRestore.equals(first), "a new salt after the restore gives a different id: " + afterRestore);
        assertEquals(ms, TimeOrderedIds.millis(afterRestore));
        assertEquals(7, afterRestore.version());
    }

    private static UUID onNewThread(java.util.concurrent.Callable<UUID> work) throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            return one.submit(work).get();
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void idsAreVersion7WithTheCurrentMillisecond() {
        long before = System.currentTimeMillis();
        UUID id = TimeOrderedIds.next();
        long after = System.currentTimeMillis();
        assertEquals(7, id.version());
        assertEquals(2, id.variant()); // RFC 9562 / 4122 variant
        long ms = TimeOrderedIds.millis(id);
        assertTrue(ms >= before && ms <= after + 1, ms + " not within [" + before + ", " + after + "]");
    }

    @Test
    void oneThreadsIdsStrictlyIncreaseEvenWithinOneMillisecondAndWhenTheClockStepsBack() {
        UUID previous = TimeOrderedIds.next(1_000_000L);
        // 10,000 ids in one millisecond: more than the 12-bit counter holds, so it borrows the next millisecond.
        for (int i = 0; i < 10_000; i++) {
            UUID id = TimeOrderedIds.next(1_000_000L);
            assertTrue(id.compareTo(previous) > 0, id + " after " + previous);
            previous = id;
        }
        UUID stepBack = TimeOrderedIds.next(999_000L);
        assertTrue(stepBack.compareTo(previous) > 0, "the clock stepped back, the id did not");
    }

    @Test
    void idsOfManyThreadsAreUniqueAndOrderedByTheirMillisecond() throws Exception {
        int threads = 8;
        int each = 50_000;
        Set<UUID> all = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<UUID>>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                runs.add(pool.submit(() -> {
                    List<UUID> mine = new ArrayList<>(each);
                    for (int i = 0; i < each; i++) {
                        mine.add(TimeOrderedIds.next());
                    }
                    return mine;
                }));
            }
            long lastMsOfAll = 0;
            for (Future<List<UUID>> run : runs) {
                List<UUID> mine = run.get();
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(mine.get(i).compareTo(mine.get(i - 1)) > 0, "per-thread order");
                }
                all.addAll(mine);
                lastMsOfAll = Math.max(lastMsOfAll, TimeOrderedIds.millis(mine.get(mine.size() - 1)));
            }
            assertEquals(threads * each, all.size(), "duplicates among " + threads * each + " ids");
            // An id made after all of them sorts after all of them (another thread, a later millisecond).
            Thread.sleep(2 + Math.max(0, lastMsOfAll - System.currentTimeMillis()));
            UUID later = pool.submit(() -> TimeOrderedIds.next()).get();
            assertTrue(all.stream().allMatch(id -> id.compareTo(later) < 0), "time order across threads");
        } finally {
            pool.shutdownNow();
        }
    }
}
