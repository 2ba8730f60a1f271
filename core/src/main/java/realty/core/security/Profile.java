package realty.core.security;

import java.util.Arrays;
import java.util.Optional;

/** The nine tenant profiles of spec/domain.md §2. A user may hold several; permissions are the union. */
public enum Profile {
    OWNER, DIRECTOR, MANAGER, AGENT, PROSPECTOR, RECEPTIONIST, FINANCIAL, LEGAL, PORTAL;

    /** Lower-case name used in the API, the database and events. */
    public String code() {
        return name().toLowerCase();
    }

    public static Optional<Profile> fromCode(String code) {
        return Arrays.stream(values()).filter(p -> p.code().equals(code)).findFirst();
    }
}
