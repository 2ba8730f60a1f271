package realty.api.auth;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import realty.api.web.ProblemException;
import realty.api.web.UnreachableDatabase;
import realty.core.security.Caller;

import java.util.Optional;

/** Lets controllers take a {@link Caller} argument, resolved fresh from the database per request. */
@Singleton
public class CallerArgumentBinder implements TypedRequestArgumentBinder<Caller> {
    private final CallerResolver resolver;

    public CallerArgumentBinder(CallerResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Argument<Caller> argumentType() {
        return Argument.of(Caller.class);
    }

    @Override
    public BindingResult<Caller> bind(ArgumentConversionContext<Caller> context, HttpRequest<?> request) {
        Authentication authentication = request.getUserPrincipal(Authentication.class)
                .orElseThrow(() -> ProblemException.unauthorized("authentication required"));
        Caller caller = request.getAttribute("realty.caller", Caller.class).orElseGet(() -> {
            UnreachableDatabase.failIfKnown(); // the request's connection already timed out: do not wait again
            Caller resolved = resolver.resolve(authentication);
            request.setAttribute("realty.caller", resolved);
            return resolved;
        });
        return () -> Optional.of(caller);
    }
}
