package realty.core.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SSRF guard of webhook URLs, with a fake DNS so that no lookup leaves the machine. */
class WebhookTargetPolicyTest {
    private static final Map<String, String> DNS = Map.of(
            "hooks.example.com", "93.184.216.34",
            "internal.example.com", "10.0.12.7",
            "rebinding.example.com", "127.0.0.1",
            "metadata.google.internal", "169.254.169.254");

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String ip = DNS.get(host);
        if (ip != null) {
            return new InetAddress[]{InetAddress.getByName(ip)};
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return new InetAddress[]{InetAddress.getByName(host)}; // literal: no lookup
        }
        throw new UnknownHostException(host);
    }

    private final WebhookTargetPolicy production = new WebhookTargetPolicy(false, WebhookTargetPolicyTest::resolve);
    private final WebhookTargetPolicy local = new WebhookTargetPolicy(true, WebhookTargetPolicyTest::resolve);

    @ParameterizedTest
    @ValueSource(strings = {
            "https://127.0.0.1/hook", "https://127.8.9.10/hook", "https://[::1]/hook", "https://0.0.0.0/hook",
            "https://10.1.2.3/hook", "https://172.16.0.1/hook", "https://172.31.255.254/hook", "https://192.168.1.10:8443/hook",
            "https://169.254.169.254/latest/meta-data/", "https://169.254.10.1/hook", "https://[fe80::1]/hook",
            "https://[fd00:ec2::254]/", "https://[fc00::5]/hook", "https://[::ffff:10.0.0.1]/hook", "https://100.64.0.1/hook",
            "https://100.100.100.200/", "https://224.0.0.1/hook",
            "https://internal.example.com/hook", "https://rebinding.example.com/hook", "https://metadata.google.internal/"})
    void privateLoopbackLinkLocalAndMetadataTargetsAreRefusedOutsideLocalMode(String url) {
        WebhookTargetPolicy.RefusedTarget e = assertThrows(WebhookTargetPolicy.RefusedTarget.class, () -> production.check(url));
        assertTrue(e.getMessage().contains("may not receive webhooks"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com/hook", "ftp://hooks.example.com/x", "hooks.example.com/hook", "", "not a url"})
    void onlyHttpsIsAcceptedOutsideLocalMode(String url) {
        assertThrows(WebhookTargetPolicy.RefusedTarget.class, () -> production.check(url));
    }

    @Test
    void aPublicHttpsTargetIsAccepted() throws Exception {
        assertEquals("hooks.example.com", production.check("https://hooks.example.com/realty?x=1").uri().getHost());
        assertDoesNotThrow(() -> production.check("https://93.184.216.34:8443/hook"));
    }

    @Test
    void unresolvableHostsCredentialsAndFragmentsAreRefused() {
        assertTrue(assertThrows(WebhookTargetPolicy.RefusedTarget.class, () -> production.check("https://nowhere.invalid/x"))
                .getMessage().contains("does not resolve"));
        assertThrows(WebhookTargetPolicy.RefusedTarget.class, () -> production.check("https://user:pw@hooks.example.com/x"));
        assertThrows(WebhookTargetPolicy.RefusedTarget.class, () -> production.check("https://hooks.example.com/x#frag"));
    }

    @Test
    void localModeAcceptsHttpAndLoopbackButNeverMetadata() {
        assertDoesNotThrow(() -> local.check("http://127.0.0.1:9999/hook"));
        assertDoesNotThrow(() -> local.check("http://192.168.0.10/hook"));
        assertThrows(WebhookTargetPolicy.RefusedTarget.class, () -> local.check("http://169.254.169.254/latest/"));
        assertThrows(WebhookTargetPolicy.RefusedTarget.class, () -> local.check("ftp://127.0.0.1/"));
    }
}
