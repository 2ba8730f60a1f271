package realty.core.id;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Row and event ids in the UUID version 7 layout (RFC 9562): 48 bits of Unix milliseconds, then 12
 * bits that count up within a millisecond on one thread, then 62 random bits.
 *
 * <p>Why not {@link UUID#randomUUID()}: it draws from one shared {@code SecureRandom}, whose lock the
 * API's JFR recordings showed requests queueing on; {@link ThreadLocalRandom} has no shared state.
 * Time order also keeps b-tree inserts at the right-hand edge of the primary-key indexes. These ids
 * are not secrets (links and tokens are HMACs of them under a secret key, or come from
 * {@code SecureRandom}), so a non-cryptographic source is enough; 62 random bits per millisecond and
 * thread make a collision as unlikely as with version 4 ids (122 random bits) at any rate this system sees.
 * No library: neither java-uuid-generator nor uuid-creator is available to the build, and the layout is a few lines.
 *
 * <p>SnapStart: every environment restored from one snapshot resumes with the same
 * {@link ThreadLocalRandom} state (its seeder and any thread's seed are in the snapshot), so two
 * environments would draw the same bits in the same millisecond. The random bits are therefore
 * mixed with a per-environment salt from {@link SecureRandom}, drawn again after every restore by
 * {@link SnapshotUniqueness} (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html).
 */
public final class TimeOrderedIds {
    /** Per thread: the millisecond of the last id and the 12-bit counter used in it. */
    private static final ThreadLocal<long[]> LAST = ThreadLocal.withInitial(() -> new long[]{-1, 0});
    /** XORed into the random bits; unique per execution environment (see the class comment). */
    private static volatile long salt = new SecureRandom().nextLong();

    private TimeOrderedIds() {
    }

    public static UUID next() {
        return next(System.currentTimeMillis());
    }

    /** The id for {@code millis} (the clock, or a test's), never before the thread's previous id. */
    static UUID next(long millis) {
        return next(millis, ThreadLocalRandom.current());
    }

    /** As {@link #next(long)}, drawing from {@code random} (a test gives two identical ones, as two restores would have). */
    static UUID next(long millis, RandomGenerator random) {
        long[] last = LAST.get();
        long ms;
        long counter;
        if (millis > last[0]) {
            ms = millis;
            counter = (random.nextInt() ^ (int) salt) & 0x7FF; // random start, half the range left to count up in
        } else {
            ms = last[0]; // same millisecond, or the clock stepped back: stay monotonic
            counter = last[1] + 1;
            if (counter > 0xFFF) {
                ms++; // 4096 ids in one millisecond on one thread: borrow the next millisecond
                counter = (random.nextInt() ^ (int) salt) & 0x7FF;
            }
        }
        last[0] = ms;
        last[1] = counter;
        long high = (ms & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | counter;
        long low = (random.nextLong() ^ salt) & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    /**
     * Draws a new salt, so that ids no longer follow from the random state in a snapshot; called
     * after a SnapStart restore. Returns the new salt (for tests).
     */
    public static long reseed() {
        long next = new SecureRandom().nextLong();
        salt = next;
        return next;
    }

    /** The millisecond an id of this class was made in. */
    public static long millis(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }
}
