package realty.api.web;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Every response, errors included, carries the request's {@code X-Request-Id}. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdFilter implements Ordered {

    @RequestFilter
    public void assign(HttpRequest<?> request) {
        RequestInfo.assignId(request);
    }

    @ResponseFilter
    public void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header(RequestInfo.HEADER, RequestInfo.of(request).requestId());
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
