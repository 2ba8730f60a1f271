package realty.runtimecheck.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The TCP connections a process holds, read from Linux's {@code /proc}: its socket file descriptors
 * ({@code /proc/<pid>/fd} → {@code socket:[inode]}) matched with the kernel's TCP tables
 * ({@code /proc/<pid>/net/tcp}, {@code tcp6}).
 */
public final class ProcessSockets {
    /** One established connection: the process's end and the peer's port. */
    public record Connection(int localPort, int remotePort, long inode) {
    }

    private static final String ESTABLISHED = "01";

    private ProcessSockets() {
    }

    /** Established TCP connections of a process; empty when it is gone. */
    public static List<Connection> established(long pid) {
        Set<Long> inodes = socketInodes(pid);
        List<Connection> out = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String[] row : rows(Path.of("/proc", String.valueOf(pid), "net", table))) {
                long inode = Long.parseLong(row[9]);
                if (ESTABLISHED.equals(row[3]) && inodes.contains(inode)) {
                    out.add(new Connection(port(row[1]), port(row[2]), inode));
                }
            }
        }
        return out;
    }

    /**
     * Which of these processes owns the client end of a connection to {@code serverPort} from
     * {@code clientPort} (both on this machine).
     */
    public static Optional<Long> ownerOfClient(int clientPort, int serverPort, Iterable<Long> pids) {
        Set<Long> candidates = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String[] row : rows(Path.of("/proc", "net", table))) {
                if (port(row[1]) == clientPort && port(row[2]) == serverPort) {
                    candidates.add(Long.parseLong(row[9]));
                }
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        for (Long pid : pids) {
            Set<Long> inodes = socketInodes(pid);
            for (Long inode : candidates) {
                if (inodes.contains(inode)) {
                    return Optional.of(pid);
                }
            }
        }
        return Optional.empty();
    }

    private static Set<Long> socketInodes(long pid) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException | RuntimeException ignored) {
                    // closed meanwhile
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
        return inodes;
    }

    private static List<String[]> rows(Path table) {
        List<String[]> rows = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(table);
            for (int i = 1; i < lines.size(); i++) {
                String[] cols = lines.get(i).trim().split("\\s+");
                if (cols.length > 9) {
                    rows.add(cols);
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
        return rows;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
