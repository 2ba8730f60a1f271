package realty.api.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.util.UUID;

/** What login reads of a user: the bcrypt hash (null: invited, no password yet), whether the account may log in, and whether it is the platform admin. */
@MappedEntity("users")
public record UserCredentials(@Id UUID id, @Nullable String passwordHash, boolean active, boolean platformAdmin) {
}
