package realty.api.user;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import realty.api.security.PasswordHasher;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A new password must fit bcrypt's input: {@value PasswordHasher#MAX_BYTES} bytes of UTF-8, which
 * is fewer characters than that when they are accented (40 × "é" is 80 bytes).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT})
@Constraint(validatedBy = {})
public @interface FitsBcrypt {
    String message() default "at most " + PasswordHasher.MAX_BYTES + " bytes in UTF-8";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
