package realty.api.user;

import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.validation.validator.constraints.ConstraintValidator;
import io.micronaut.validation.validator.constraints.ConstraintValidatorContext;
import jakarta.inject.Singleton;
import realty.api.security.PasswordHasher;

/** Checks {@link FitsBcrypt}; null is left to {@code @NotNull}. */
@Singleton
public class FitsBcryptValidator implements ConstraintValidator<FitsBcrypt, CharSequence> {
    @Override
    public boolean isValid(@Nullable CharSequence value, AnnotationValue<FitsBcrypt> annotation,
                           ConstraintValidatorContext context) {
        return value == null || PasswordHasher.fits(value.toString());
    }
}
