package realty.api.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.util.UUID;

/** What login reads of a user: the bcrypt hash and whether the account may log in. */
@MappedEntity("users")
public record UserCredentials(@Id UUID id, String passwordHash, boolean active) {
}
