package realty.infracheck;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;
import realty.core.audit.AuditExportSettings;
import realty.core.audit.AuditRetentionSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit archive bucket (issue 15), in Terraform and SAM: private, encrypted, versioned, TLS only;
 * its name reaches the housekeeping function and the API (and no other) as the variable the code reads
 * (realty.audit.archive-bucket); the housekeeping function alone may put objects, only under the
 * archive's and the audit exports' key prefixes, and the API alone may read, only the exports (it
 * presigns their download URLs, which carry its permissions).
 */
class AuditArchiveInfraTest {
    private static final Path MODULE = Repository.infra().resolve("modules/audit_archive");
    private static final Path GRANT = Repository.infra().resolve("modules/functions/audit_archive.tf");
    private static final String VARIABLE = "REALTY_AUDIT_ARCHIVE_BUCKET";
    private static final String HOUSEKEEPING = "realty.notification.HousekeepingFunction";
    private static final String API = "realty.api.ApiFunction";

    /** Micronaut maps the variable onto realty.audit.archive-bucket, the property AuditRetentionSettings binds. */
    @Test
    void theVariableIsTheOneTheArchiveSettingsRead() {
        assertEquals("realty.audit", AuditRetentionSettings.class.getAnnotation(io.micronaut.context.annotation.ConfigurationProperties.class).value());
        try (ApplicationContext context = ApplicationContext.builder()
                .propertySources(PropertySource.of("env", Map.of(VARIABLE, "some-bucket"), PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .build()) {
            // The environment only: the whole context would open the database pool.
            var environment = context.getEnvironment().start();
            assertEquals("some-bucket", environment.getProperty("realty.audit.archive-bucket", String.class).orElse(null));
        }
        assertEquals("audit-logs", new AuditRetentionSettings().getArchivePrefix(), "the grants below name this prefix");
        assertEquals("exports", new AuditExportSettings().getPrefix(), "the grants below and the 7-day lifecycle rule name this prefix");
    }

    @Test
    void terraformBucketIsPrivateEncryptedVersionedAndTlsOnly() {
        Map<String, Object> main = Terraform.parse(MODULE.resolve("main.tf"));
        Map<String, Object> block = Maps.map(main, "resource", "aws_s3_bucket_public_access_block", "this");
        for (String setting : List.of("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
            assertEquals(true, block.get(setting), setting);
        }
        assertEquals("BucketOwnerEnforced", Maps.get(main, "resource", "aws_s3_bucket_ownership_controls", "this", "rule", "object_ownership"));
        assertEquals("AES256", Maps.get(main, "resource", "aws_s3_bucket_server_side_encryption_configuration", "this", "rule",
                "apply_server_side_encryption_by_default", "sse_algorithm"));
        assertEquals("Enabled", Maps.get(main, "resource", "aws_s3_bucket_versioning", "this", "versioning_configuration", "status"));
        Map<String, Object> deny = Maps.blocks(Maps.get(main, "data", "aws_iam_policy_document", "bucket", "statement")).get(0);
        assertEquals("Deny", deny.get("effect"));
        assertEquals("aws:SecureTransport", Maps.get(deny, "condition", "variable"));
        assertEquals(List.of("false"), Maps.list(Maps.get(deny, "condition", "values")));
        assertEquals(false, Maps.get(Terraform.parse(MODULE.resolve("variables.tf")), "variable", "force_destroy", "default"),
                "the archive is the only copy of past rows: no destroy with objects by default");
    }

    @Test
    void terraformGivesTheBucketToTheHousekeepingFunctionAndTheApiOnly() {
        List<Deployments.Function> withBucket = new ArrayList<>();
        for (Deployments.Function f : Deployments.terraform()) {
            if (f.environment().containsKey(VARIABLE)) {
                withBucket.add(f);
                assertEquals("var.audit_archive_bucket", f.environment().get(VARIABLE), f.toString());
            }
        }
        assertEquals(Set.of(HOUSEKEEPING, API), withBucket.stream().map(Deployments.Function::handler).collect(Collectors.toSet()));
        assertEquals(2, withBucket.size(), withBucket.toString());
        String realty = read(Repository.infra().resolve("modules/realty/main.tf"));
        assertTrue(realty.contains("audit_archive_bucket     = module.audit_archive.bucket_name")
                && realty.contains("audit_archive_bucket_arn = module.audit_archive.bucket_arn"), "modules/realty wires the bucket into the functions");
    }

    @Test
    void terraformLetsOnlyTheHousekeepingRolePutAndOnlyTheApiRoleReadExports() {
        Map<String, Object> grant = Terraform.parse(GRANT);
        List<Map<String, Object>> statements = Maps.blocks(Maps.get(grant, "data", "aws_iam_policy_document", "audit_archive", "statement"));
        assertEquals(2, statements.size());
        // hcl4j renders the interpolation "${var.x}/..." as "var.x/...".
        assertEquals(List.of(List.of("s3:PutObject"), List.of("s3:PutObject")),
                statements.stream().map(st -> Maps.list(st.get("actions"))).toList());
        assertEquals(List.of(List.of("var.audit_archive_bucket_arn/audit-logs/*"), List.of("var.audit_archive_bucket_arn/exports/*")),
                statements.stream().map(st -> Maps.list(st.get("resources"))).toList());
        // hcl4j reads this["x"] as this.value: the key comes from the source text.
        assertTrue(read(GRANT).contains("role   = aws_iam_role.this[\"housekeeping\"].id"), "the grant is on the housekeeping role");
        assertEquals("data.aws_iam_policy_document.audit_archive.json",
                Maps.get(grant, "resource", "aws_iam_role_policy", "audit_archive", "policy"));

        List<Map<String, Object>> download = Maps.blocks(Maps.get(grant, "data", "aws_iam_policy_document", "audit_export_download",
                "statement"));
        assertEquals(1, download.size());
        assertEquals(List.of("s3:GetObject"), Maps.list(download.get(0).get("actions")));
        assertEquals(List.of("var.audit_archive_bucket_arn/exports/*"), Maps.list(download.get(0).get("resources")));
        assertTrue(read(GRANT).contains("role   = aws_iam_role.this[\"api\"].id"), "the read is on the API's role");
        assertEquals("data.aws_iam_policy_document.audit_export_download.json",
                Maps.get(grant, "resource", "aws_iam_role_policy", "audit_export_download", "policy"));

        List<String> s3Grants = new ArrayList<>();
        for (Terraform.Block doc : Terraform.dataSources("aws_iam_policy_document")) {
            for (Map<String, Object> s : Maps.blocks(doc.body().get("statement"))) {
                if (!"Deny".equals(s.get("effect")) && Maps.list(s.get("actions")).stream().anyMatch(a -> String.valueOf(a).startsWith("s3:"))) {
                    s3Grants.add(doc.name());
                }
            }
        }
        assertEquals(List.of("audit_archive", "audit_export_download"), s3Grants.stream().distinct().sorted().toList(),
                "no other Terraform policy grants S3");
    }

    @Test
    void samDeclaresTheSameBucketVariableAndGrants() {
        Map<String, Object> bucket = Maps.map(Sam.template(), "Resources", "AuditArchiveBucket");
        assertEquals("AWS::S3::Bucket", bucket.get("Type"));
        assertEquals("Retain", bucket.get("DeletionPolicy"));
        Map<String, Object> props = Maps.map(bucket, "Properties");
        assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                props.get("PublicAccessBlockConfiguration"));
        assertEquals("Enabled", Maps.get(props, "VersioningConfiguration", "Status"));
        assertEquals("AES256", Maps.get(Maps.map(Maps.list(Maps.get(props, "BucketEncryption", "ServerSideEncryptionConfiguration")).get(0)),
                "ServerSideEncryptionByDefault", "SSEAlgorithm"));
        Map<String, Object> policy = Maps.map(Sam.template(), "Resources", "AuditArchiveBucketPolicy", "Properties");
        assertEquals(new Sam.Intrinsic("!Ref", "AuditArchiveBucket"), policy.get("Bucket"));
        Map<String, Object> deny = Maps.map(Maps.list(Maps.get(policy, "PolicyDocument", "Statement")).get(0));
        assertEquals("Deny", deny.get("Effect"));
        assertEquals(Map.of("aws:SecureTransport", "false"), Maps.get(deny, "Condition", "Bool"));

        Sam.functions().forEach((id, function) -> {
            boolean housekeeping = HOUSEKEEPING.equals(function.get("Handler"));
            Object value = Sam.environment(function).get(VARIABLE);
            List<Map<String, Object>> s3 = Sam.policyStatements(function).stream()
                    .filter(s -> Maps.list(s.get("Action")).stream().anyMatch(a -> String.valueOf(a).startsWith("s3:"))).toList();
            if (housekeeping) {
                assertEquals(new Sam.Intrinsic("!Ref", "AuditArchiveBucket"), value, id);
                assertEquals(2, s3.size(), id + ": " + s3);
                assertEquals(List.of(List.of("s3:PutObject"), List.of("s3:PutObject")),
                        s3.stream().map(st -> Maps.list(st.get("Action"))).toList());
                assertEquals(List.of(new Sam.Intrinsic("!Sub", "${AuditArchiveBucket.Arn}/audit-logs/*"),
                        new Sam.Intrinsic("!Sub", "${AuditArchiveBucket.Arn}/exports/*")), s3.stream().map(st -> st.get("Resource")).toList());
            } else if (API.equals(function.get("Handler"))) {
                assertEquals(new Sam.Intrinsic("!Ref", "AuditArchiveBucket"), value, id);
                assertEquals(1, s3.size(), id + ": " + s3);
                assertEquals(List.of("s3:GetObject"), Maps.list(s3.get(0).get("Action")));
                assertEquals(new Sam.Intrinsic("!Sub", "${AuditArchiveBucket.Arn}/exports/*"), s3.get(0).get("Resource"));
            } else {
                assertEquals(null, value, id + " must not get the archive bucket");
                assertEquals(List.of(), s3, id + " must not be granted S3");
            }
        });
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
