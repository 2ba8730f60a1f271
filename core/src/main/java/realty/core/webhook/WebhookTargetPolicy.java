package realty.core.webhook;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which URLs may receive webhooks. A subscriber URL is chosen by a tenant user and then called by
 * our function from inside the VPC, so without this check it could reach the broker, the database,
 * the cloud metadata service or anything else on a private network (SSRF). Outside local mode a
 * URL must be https and every address its host resolves to must be public; the check runs when a
 * subscription is created and again before each delivery (DNS may have changed in between).
 *
 * <p>Local mode (Micronaut environment {@code local} or {@code test}, or
 * {@code realty.webhooks.local-targets-allowed}) also accepts http and loopback or private
 * addresses, so that a receiver on the developer's machine works. Metadata addresses are refused
 * everywhere.
 */
@Singleton
public class WebhookTargetPolicy {
    private static final Set<String> LOCAL_ENVIRONMENTS = Set.of("local", Environment.TEST);

    /** Resolves a host name to its addresses; replaceable so that tests need no DNS. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A URL that passed the check. */
    public record Target(URI uri) {
    }

    /** Why a URL may not receive webhooks; the message is safe to show to the subscriber. */
    public static final class RefusedTarget extends Exception {
        public RefusedTarget(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean localTargetsAllowed;
    private final HostResolver resolver;

    @Inject
    public WebhookTargetPolicy(Environment environment,
                               @Nullable @Property(name = "realty.webhooks.local-targets-allowed") Boolean localTargetsAllowed) {
        this(localTargetsAllowed != null ? localTargetsAllowed
                : environment.getActiveNames().stream().anyMatch(LOCAL_ENVIRONMENTS::contains), InetAddress::getAllByName);
    }

    public WebhookTargetPolicy(boolean localTargetsAllowed, HostResolver resolver) {
        this.localTargetsAllowed = localTargetsAllowed;
        this.resolver = resolver;
    }

    public boolean localTargetsAllowed() {
        return localTargetsAllowed;
    }

    /** @throws RefusedTarget when the URL may not receive webhooks, saying why */
    public Target check(String url) throws RefusedTarget {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw new RefusedTarget("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(localTargetsAllowed && scheme.equals("http"))) {
            throw new RefusedTarget(localTargetsAllowed ? "the URL must be http or https" : "the URL must be https");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new RefusedTarget("the URL has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedTarget("the URL must not carry credentials");
        }
        if (uri.getRawFragment() != null) {
            throw new RefusedTarget("the URL must not have a fragment");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new RefusedTarget("the host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new RefusedTarget("the host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> why = refusal(address);
            if (why.isPresent()) {
                throw new RefusedTarget("the host " + host + " resolves to " + why.get() + " address "
                        + address.getHostAddress() + ", which may not receive webhooks");
            }
        }
        return new Target(uri);
    }

    /** Why this address may not be called, or empty when it may. */
    Optional<String> refusal(InetAddress address) {
        InetAddress a = unwrapMapped(address);
        if (isMetadata(a)) {
            return Optional.of("a cloud metadata");
        }
        if (localTargetsAllowed) {
            return Optional.empty();
        }
        if (a.isLoopbackAddress()) {
            return Optional.of("a loopback");
        }
        if (a.isAnyLocalAddress()) {
            return Optional.of("an unspecified");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("a link-local");
        }
        if (a.isSiteLocalAddress() || isUniqueLocal(a) || isSharedOrReserved(a)) {
            return Optional.of("a private");
        }
        if (a.isMulticastAddress()) {
            return Optional.of("a multicast");
        }
        return Optional.empty();
    }

    /** An IPv6 form of an IPv4 address (::ffff:a.b.c.d) is judged as that IPv4 address. */
    private static InetAddress unwrapMapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && b.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    return address;
                }
            }
        }
        return address;
    }

    /** AWS/GCP/Azure 169.254.169.254, AWS IPv6 fd00:ec2::254, Alibaba 100.100.100.200, Oracle 192.0.0.192. */
    private static boolean isMetadata(InetAddress a) {
        String ip = a.getHostAddress();
        return ip.equals("169.254.169.254") || ip.equals("100.100.100.200") || ip.equals("192.0.0.192")
                || ip.equalsIgnoreCase("fd00:ec2:0:0:0:0:0:254");
    }

    /** fc00::/7. */
    private static boolean isUniqueLocal(InetAddress a) {
        return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** 0.0.0.0/8, 100.64.0.0/10 (carrier-grade NAT), 192.0.0.0/24, 198.18.0.0/15, 240.0.0.0/4. */
    private static boolean isSharedOrReserved(InetAddress a) {
        if (!(a instanceof Inet4Address)) {
            return false;
        }
        byte[] b = a.getAddress();
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0
                || (first == 100 && second >= 64 && second <= 127)
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
                || (first == 198 && (second == 18 || second == 19))
                || first >= 240;
    }
}
