package realty.notification.mail;

import java.util.Arrays;
import java.util.List;

/**
 * The mails the system sends, each with a Portuguese and an English text under
 * {@code src/main/resources/mail/<code>.<locale>.txt} and the variables that text may use.
 */
public enum MailTemplate {
    WELCOME("welcome", "name", "company", "email"),
    INVITATION("invitation", "name", "company", "email", "link", "expires"),
    ASSIGNMENT_ADDED("assignment-added", "name", "company", "property", "responsibility"),
    ASSIGNMENT_REMOVED("assignment-removed", "name", "company", "property", "responsibility"),
    IMPORT_COMPLETED("import-completed", "name", "company", "count"),
    COMMISSION_CALCULATED("commission-calculated", "name", "company", "amount", "role", "sale"),
    COMMISSION_PAID("commission-paid", "name", "company", "amount", "role", "sale"),
    COMMISSION_CANCELLED("commission-cancelled", "name", "company", "amount", "role", "sale"),
    NO_APPLICABLE_RULE("no-applicable-rule", "name", "company", "sale", "agent", "price"),
    SUMMARY("summary", "name", "count", "items"),
    PASSWORD_RESET("password-reset", "name", "link", "minutes"),
    BULK_FINISHED("bulk-finished", "name", "company", "operation", "count", "failed", "correlationId"),
    AUDIT_EXPORT_READY("audit-export-ready", "name", "company", "rows", "link", "expires"),
    AUDIT_EXPORT_FAILED("audit-export-failed", "name", "company", "reason", "link");

    private final String code;
    private final List<String> variables;

    MailTemplate(String code, String... variables) {
        this.code = code;
        this.variables = List.of(variables);
    }

    public String code() {
        return code;
    }

    public List<String> variables() {
        return variables;
    }

    public static MailTemplate ofCode(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no mail template " + code));
    }
}
