package realty.localinfra;

/** Environment look-ups shared by the local infrastructure classes. */
final class Env {

    private Env() {
    }

    /** The variable's value, or {@code null} when it is unset or blank. */
    static String get(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The variable's value, or {@code fallback} when it is unset or blank. */
    static String get(String name, String fallback) {
        String value = get(name);
        return value == null ? fallback : value;
    }

    /** The variable as a TCP port, or {@code fallback} when it is unset or blank. */
    static int port(String name, int fallback) {
        String value = get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException("out of range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a TCP port, not '" + value + "'", e);
        }
    }
}
