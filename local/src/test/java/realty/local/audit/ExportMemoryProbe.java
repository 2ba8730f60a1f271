package realty.local.audit;

import realty.core.audit.AuditExport;
import realty.core.tenancy.RowScope;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;

/**
 * Run in a JVM of its own with a small heap (AuditLogPlansTest starts it with -Xmx64m): exports
 * every audit row of the database through {@link AuditExport}, discarding the bytes, and prints
 * rows, bytes and the peak heap of the run. Succeeding at all shows memory does not grow with the range.
 */
public final class ExportMemoryProbe {
    private ExportMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        long[] bytes = {0, 0};
        OutputStream discard = new OutputStream() {
            @Override
            public void write(int b) {
                bytes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes[0] += len;
            }
        };
        long rows;
        try (Connection c = DriverManager.getConnection(args[0], args[1], args[2])) {
            c.setAutoCommit(false);
            rows = new AuditExport().write(c, RowScope.system(), Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("9999-01-01T00:00:00Z"),
                    AuditExport.Format.valueOf(args[3]), discard);
            c.commit();
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("rows=%d bytes=%d peakHeapMB=%.1f maxHeapMB=%.1f seconds=%.1f%n", rows, bytes[0], peak / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0, (System.nanoTime() - started) / 1e9);
    }
}
