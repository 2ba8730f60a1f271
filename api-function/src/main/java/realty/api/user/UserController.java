package realty.api.user;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.RequestInfo;
import realty.core.security.Caller;

import java.util.UUID;

@Controller("/api/v1/users")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class UserController {
    private final UserService users;

    public UserController(UserService users) {
        this.users = users;
    }

    @Post
    public HttpResponse<UserView> create(Caller caller, @Body @Valid CreateUserRequest body, HttpRequest<?> request) {
        return HttpResponse.created(users.create(caller, body, RequestInfo.of(request)));
    }

    @Get
    public Page<UserView> list(Caller caller, @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return users.list(caller, PageRequest.of(limit, cursor));
    }

    @Get("/{id}")
    public UserView get(Caller caller, @PathVariable UUID id) {
        return users.get(caller, id);
    }

    @Patch("/{id}")
    public UserView update(Caller caller, @PathVariable UUID id, @Body @Valid UpdateUserRequest body, HttpRequest<?> request) {
        return users.update(caller, id, body, RequestInfo.of(request));
    }
}
