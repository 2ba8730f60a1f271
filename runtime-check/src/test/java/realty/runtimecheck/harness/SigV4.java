package realty.runtimecheck.harness;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header the way an AWS endpoint does
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
 * canonical request, string to sign, signing key derived from the secret key, date, region and
 * service. Written from the published algorithm for requests without a query string (the AWS JSON
 * protocol posts to {@code /}).
 */
public final class SigV4 {
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");

    /** The parts of a parsed Authorization header. */
    public record Authorization(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
                                String signature) {
    }

    private SigV4() {
    }

    /** @return the parsed header, or null when it is not a SigV4 header */
    public static Authorization parse(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = AUTHORIZATION.matcher(header.trim());
        if (!m.matches()) {
            return null;
        }
        return new Authorization(m.group(1), m.group(2), m.group(3), m.group(4), List.of(m.group(5).split(";")), m.group(6));
    }

    /**
     * @param headers request headers, names in any case, each with its values
     * @return whether the signature matches the request signed with {@code secretAccessKey}
     */
    public static boolean verify(Authorization auth, String secretAccessKey, String method, String path, String query,
                                 Map<String, List<String>> headers, byte[] body) {
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>()).addAll(values));
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : auth.signedHeaders()) {
            List<String> values = lower.get(name);
            if (values == null) {
                return false;
            }
            canonicalHeaders.append(name).append(':')
                    .append(values.stream().map(v -> v.trim().replaceAll("\\s+", " ")).collect(Collectors.joining(",")))
                    .append('\n');
        }
        String amzDate = first(lower.get("x-amz-date"));
        if (amzDate == null || !amzDate.startsWith(auth.date())) {
            return false;
        }
        String payloadHash = first(lower.get("x-amz-content-sha256"));
        if (payloadHash == null || payloadHash.startsWith("STREAMING") || "UNSIGNED-PAYLOAD".equals(payloadHash)) {
            payloadHash = hex(sha256(body));
        }
        String canonicalRequest = String.join("\n", method, path.isEmpty() ? "/" : path, query == null ? "" : query,
                canonicalHeaders.toString(), String.join(";", auth.signedHeaders()), payloadHash);
        String scope = auth.date() + "/" + auth.region() + "/" + auth.service() + "/aws4_request";
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", amzDate, scope,
                hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), auth.date());
        key = hmac(key, auth.region());
        key = hmac(key, auth.service());
        key = hmac(key, "aws4_request");
        byte[] expected = hmac(key, stringToSign);
        return MessageDigest.isEqual(expected, HexFormat.of().parseHex(auth.signature()));
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
