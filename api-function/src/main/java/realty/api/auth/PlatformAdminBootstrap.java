package realty.api.auth;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.api.security.PasswordHasher;

import java.util.Optional;
import java.util.UUID;

/**
 * Creates the platform admin's users row from configuration ({@link PlatformAdminSettings}) once: the
 * configured password is only the first one. Run by the deploy task after the migrations and by the
 * local runner at start, never while a function initialises (the api's SnapStart snapshot must hold
 * no database connection). Idempotent and safe when several run at once; it never changes an
 * existing row, so a password changed through the API survives every later deploy.
 */
@Singleton
public class PlatformAdminBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformAdminBootstrap.class);

    public enum Outcome { CREATED, EXISTS, NOT_CONFIGURED }

    private final PlatformAdminRepository admins;
    private final PlatformAdminSettings settings;
    private final PasswordHasher hasher;

    public PlatformAdminBootstrap(PlatformAdminRepository admins, PlatformAdminSettings settings, PasswordHasher hasher) {
        this.admins = admins;
        this.settings = settings;
        this.hasher = hasher;
    }

    public Outcome ensure() {
        Optional<PlatformAdminRepository.Admin> existing = admins.find();
        if (existing.isPresent()) {
            if (settings.getUsername() != null && !existing.get().email().equalsIgnoreCase(settings.getUsername())) {
                LOG.info("the platform admin exists as {}; the configured username {} is not used", existing.get().email(),
                        settings.getUsername());
            }
            return Outcome.EXISTS;
        }
        if (!settings.configured()) {
            LOG.warn("no platform admin: realty.platform-admin.username and a password of at least 12 characters are not configured");
            return Outcome.NOT_CONFIGURED;
        }
        if (admins.createIfAbsent(UUID.randomUUID(), settings.getUsername(), hasher.hash(settings.getPassword())) == 1) {
            LOG.info("platform admin {} created from configuration", settings.getUsername());
            return Outcome.CREATED;
        }
        if (admins.find().isPresent()) {
            return Outcome.EXISTS; // another instance created it a moment ago
        }
        throw new IllegalStateException("the platform admin's configured username " + settings.getUsername()
                + " belongs to an existing user; configure another username");
    }
}
