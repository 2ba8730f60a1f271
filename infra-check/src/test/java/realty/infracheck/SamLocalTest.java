package realty.infracheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `sam local invoke` / `sam local start-api` with docker-compose.yml: samconfig.toml points at
 * infra/sam-local-env.json, which fills every credential slot template.yaml declares for the
 * no-secret case with the docker-compose.yml credentials.
 */
class SamLocalTest {
    static final Path ENV_VARS = Repository.infra().resolve("sam-local-env.json");

    @Test
    void samconfigUsesTheEnvVarsFileForLocalInvokeAndStartApi() throws IOException {
        String config = Files.readString(Repository.ROOT.resolve("samconfig.toml"));
        for (String section : new String[] {"[default.local_invoke.parameters]", "[default.local_start_api.parameters]"}) {
            int at = config.indexOf(section);
            assertTrue(at >= 0, "samconfig.toml lacks " + section);
            int next = config.indexOf("\n[", at + 1);
            String body = config.substring(at, next < 0 ? config.length() : next);
            assertTrue(body.contains("env_vars = \"infra/sam-local-env.json\""), section + " must set env_vars = \"infra/sam-local-env.json\"");
            assertTrue(body.contains("docker_network = \"realty_default\""), section + " must join the docker-compose network");
        }
    }

    @Test
    void theEnvVarsFileFillsEveryCredentialSlotOfEveryFunction() throws IOException {
        JsonNode file = new ObjectMapper().readTree(ENV_VARS.toFile());
        Sam.functions().forEach((id, function) -> {
            Map<String, String> values = new LinkedHashMap<>();
            file.path("Parameters").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            file.path(id).fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            Map<String, Object> local = Sam.resolvedEnvironment(function, Map.of());
            Sam.environment(function).forEach((name, value) -> {
                if (Sam.guardOf(value) != null) {
                    assertTrue(values.containsKey(name), "infra/sam-local-env.json does not set " + name + " for " + id);
                    assertTrue(local.containsKey(name), id + ": " + name);
                }
            });
            // Only variables the template declares reach the container (SAM CLI ignores the rest).
            values.keySet().forEach(name -> assertTrue(Sam.environment(function).containsKey(name) || !file.has(id),
                    "infra/sam-local-env.json sets " + name + " for " + id + ", which template.yaml does not declare"));
        });
        assertTrue(file.path("ApiFunction").path("JWT_SECRET").asText().length() >= 32, "the JWT signing key needs at least 32 bytes (HS256)");
        file.fieldNames().forEachRemaining(n -> assertTrue(n.equals("Parameters") || Sam.functions().containsKey(n), "no function " + n + " in template.yaml"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEnvVarsFileHasTheDockerComposeCredentials() throws IOException {
        Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(Repository.ROOT.resolve("docker-compose.yml")));
        Map<String, Object> postgres = Maps.map(compose, "services", "postgres", "environment");
        Map<String, Object> rabbit = Maps.map(compose, "services", "rabbitmq", "environment");
        JsonNode p = new ObjectMapper().readTree(ENV_VARS.toFile()).path("Parameters");
        assertEquals(postgres.get("POSTGRES_USER"), p.path("DB_USERNAME").asText());
        assertEquals(postgres.get("POSTGRES_PASSWORD"), p.path("DB_PASSWORD").asText());
        assertEquals(rabbit.get("RABBITMQ_DEFAULT_USER"), p.path("AMQP_USERNAME").asText());
        assertEquals(rabbit.get("RABBITMQ_DEFAULT_PASS"), p.path("AMQP_PASSWORD").asText());
        // The template's defaults reach the compose services by name on the realty_default network.
        assertTrue(String.valueOf(Maps.get(Sam.template(), "Parameters", "DbJdbcUrl", "Default")).contains("//postgres:5432/" + postgres.get("POSTGRES_DB")));
        assertTrue(String.valueOf(Maps.get(Sam.template(), "Parameters", "AmqpUri", "Default")).contains("//rabbitmq:5672"));
        assertFalse(Maps.map(compose, "services").isEmpty());
    }
}
