package realty.runtimecheck.harness;

import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;

/**
 * The machine's two cores as slots, shared by every test class of the JVM (they run concurrently).
 * An INIT takes one slot, an on-demand INIT both: in Lambda every environment has CPU of its own,
 * and the 10 s on-demand limit must not measure this machine's contention. Other bursts of the
 * harness that would crowd an INIT (extracting a package, the deploy task's migrations) take one.
 * Fair: a waiting on-demand INIT is not overtaken.
 */
public final class CpuSlots {
    static final int ALL = 2;
    private static final Semaphore SLOTS = new Semaphore(ALL, true);

    private CpuSlots() {
    }

    static void acquire(int slots, String what) {
        try {
            SLOTS.acquire(slots);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted while waiting for a CPU slot", e);
        }
    }

    static void release(int slots) {
        SLOTS.release(slots);
    }

    /** Runs {@code work} holding one slot. */
    public static <T> T holdingOne(String what, Callable<T> work) throws Exception {
        acquire(1, what);
        try {
            return work.call();
        } finally {
            release(1);
        }
    }
}
