package realty.core.config;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC URL of AWS deployments verifies the database certificate against
 * {@code /var/task/rds-ca-bundle.pem} (sslmode=verify-full): the bundle sits at the root of every
 * function jar, which Lambda extracts into /var/task.
 */
class RdsCaBundleTest {
    @Test
    void theRdsCaBundleHoldsOnlyCurrentAmazonRootCertificates() throws Exception {
        Collection<? extends Certificate> certificates;
        try (InputStream in = RdsCaBundleTest.class.getClassLoader().getResourceAsStream("rds-ca-bundle.pem")) {
            assertNotNull(in, "rds-ca-bundle.pem is not at the root of the classpath");
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        assertTrue(certificates.size() >= 30, "expected the root CAs of every region, got " + certificates.size());
        for (Certificate certificate : certificates) {
            X509Certificate ca = (X509Certificate) certificate;
            String subject = ca.getSubjectX500Principal().getName();
            // RDS's regional roots, and Amazon Trust Services' roots (Starfield G2 cross-signs them),
            // which sign RDS Proxy's certificates
            assertTrue(subject.contains("Amazon RDS") || subject.contains("CN=Amazon Root CA")
                    || subject.contains("CN=Starfield Services Root Certificate Authority - G2"), subject);
            assertTrue(ca.getBasicConstraints() >= 0, subject + " is not a CA certificate");
            ca.checkValidity(); // an expired root would make verify-full fail for its region
        }
    }
}
