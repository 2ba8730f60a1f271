package realty.core.config;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Where the AWS calls of the project (Secrets Manager in {@link AwsSecrets}, S3 in
 * {@code realty.core.audit.S3Objects}) take their credentials from, resolved again for every signed
 * request so rotated credentials are picked up. In Lambda it is {@link LambdaCredentials}; a test
 * against a stand-in registers fixed keys ({@link #of}).
 *
 * <p>Not the SDK's {@code AwsCredentialsProvider}: its module (auth) pulls in sdk-core, regions and
 * profiles for the two credential sources Lambda actually offers (what dropping them saved: {@link AwsSecrets}).
 */
@FunctionalInterface
public interface AwsCredentials {

    /** Current credentials; throws IllegalStateException when none can be found. */
    AwsCredentialsIdentity resolve();

    /** Fixed credentials (a stand-in's keys, AWS's documentation examples). */
    static AwsCredentials of(AwsCredentialsIdentity identity) {
        return () -> identity;
    }
}
