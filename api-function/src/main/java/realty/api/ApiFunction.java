package realty.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import realty.core.config.FunctionContexts;

/**
 * Lambda handler behind API Gateway (HTTP API, payload format 2.0). The local gateway hands the
 * same class the same events.
 */
public class ApiFunction extends APIGatewayV2HTTPEventFunction {
    public static final String FUNCTION = "api";

    public ApiFunction() {
        super();
    }

    public ApiFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContexts.configure(super.newApplicationContextBuilder(), FUNCTION);
    }
}
