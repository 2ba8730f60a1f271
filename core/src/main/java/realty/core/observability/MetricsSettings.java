package realty.core.observability;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code realty.metrics.*}. Metrics are always counted in a Micrometer registry; {@code emf} also
 * writes them to standard output as CloudWatch embedded metric format lines after each
 * invocation, which is how Lambda ships them (no agent, no API call). Unset, it is on in Lambda
 * ({@code AWS_LAMBDA_FUNCTION_NAME} present) and off elsewhere; the local run exposes the same
 * registry as a Prometheus endpoint instead.
 */
@ConfigurationProperties("realty.metrics")
public class MetricsSettings {
    private Boolean emf;
    private String namespace = "Realty";

    public boolean emfEnabled() {
        return emf != null ? emf : System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null;
    }

    @Nullable public Boolean getEmf() { return emf; }
    public void setEmf(@Nullable Boolean emf) { this.emf = emf; }
    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
}
