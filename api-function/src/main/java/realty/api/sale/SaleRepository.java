package realty.api.sale;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements of {@link SaleService}. A sale is the caller's own (domain.md §2.2) when they sold
 * it or their property was sold ({@code :viaAgent}: listed or actively assigned), or they bought it
 * ({@code :viaUser}). UUID arrays travel as text and are cast in the SQL (Micronaut Data binds no uuid arrays).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SaleRepository extends GenericRepository<SaleRepository.Sale, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("sales")
    record Sale(@Id UUID id) {
    }

    @Introspected
    record Property(UUID id, UUID companyId, String status, @Nullable UUID agentId, @Nullable UUID prospectorId) {
    }

    @Introspected
    record Row(UUID id, UUID companyId, UUID propertyId, BigDecimal salePrice, LocalDate saleDate, String buyerName,
               @Nullable UUID buyerUserId, UUID agentId, @Nullable UUID prospectorId, String status, Instant createdAt,
               @Nullable Instant cancelledAt, String commissionStatus) {
    }

    @Introspected
    record Part(UUID id, String role, UUID agentId, BigDecimal percentageApplied, BigDecimal amount, String paymentStatus,
                UUID ruleId, BigDecimal baseAmount, BigDecimal commissionTotal) {
    }

    /** An agent record or a user, and a company it belongs to. */
    @Introspected
    record Member(UUID id, UUID companyId) {
    }

    String MY_AGENTS = "SELECT me.id FROM agents me WHERE me.user_id = :ownUser AND me.active";
    /** The caller lists the property or is actively assigned to it (for the property aliased {@code p}). */
    String MY_PROPERTY = "(p.agent_id IN (" + MY_AGENTS + ") OR EXISTS (SELECT 1 FROM property_assignments pa"
            + " WHERE pa.property_id = p.id AND pa.active AND pa.agent_id IN (" + MY_AGENTS + ")))";
    String PROPERTY_SCOPE = "(:allCompanies OR p.company_id = ANY(CAST(:companies AS uuid[])))";
    String SALE_SCOPE = "(:allCompanies OR s.company_id = ANY(CAST(:companies AS uuid[])))";
    String SALE_OWN = " AND (NOT :ownOnly"
            + " OR (:viaAgent AND (s.agent_id IN (" + MY_AGENTS + ") OR EXISTS (SELECT 1 FROM properties p WHERE p.id = s.property_id"
            + " AND " + MY_PROPERTY + ")))"
            + " OR (:viaUser AND s.buyer_user_id = :ownUser))";
    String SALE = """
            SELECT s.id, s.company_id, s.property_id, s.sale_price, s.sale_date, s.buyer_name, s.buyer_user_id, s.agent_id,
                   s.prospector_id, s.status, s.created_at, s.cancelled_at, s.commission_status
            FROM sales s WHERE s.id = :id AND\s""" + SALE_SCOPE + SALE_OWN;

    /** The properties to sell, locked in id order so two bulks over the same properties cannot deadlock. */
    @Scoped
    @Query("SELECT p.id, p.company_id, p.status, p.agent_id, p.prospector_id FROM properties p "
            + "WHERE p.id = ANY(CAST(:ids AS uuid[])) AND " + PROPERTY_SCOPE + " AND (NOT :ownOnly OR " + MY_PROPERTY + ")"
            + " ORDER BY p.id FOR UPDATE")
    List<Property> lockProperties(RowScope scope, String[] ids);

    @Scoped
    @Query("SELECT a.id, a.company_id FROM agents a WHERE a.id = ANY(CAST(:ids AS uuid[])) AND a.active "
            + "AND (:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[])))")
    List<Member> activeAgents(RowScope scope, String[] ids);

    @Scoped
    @Query("SELECT uc.user_id AS id, uc.company_id FROM user_companies uc WHERE uc.user_id = ANY(CAST(:ids AS uuid[])) "
            + "AND (:allCompanies OR uc.company_id = ANY(CAST(:companies AS uuid[])))")
    List<Member> buyers(RowScope scope, String[] ids);

    /**
     * All the sales in one statement: native SQL, an {@code unnest} of column arrays (one round trip
     * for a bulk of any size). Inserts name their company; the callers checked it against the scope.
     */
    @Query("""
            INSERT INTO sales (id, company_id, property_id, sale_price, sale_date, buyer_name, buyer_user_id, agent_id,
                               prospector_id, commission_status, created_by)
            SELECT u.id, u.company_id, u.property_id, u.price::numeric, u.sale_date::date, u.buyer_name, u.buyer_user_id,
                   u.agent_id, u.prospector_id, :commissionStatus, :createdBy
            FROM unnest(CAST(:ids AS uuid[]), CAST(:companyIds AS uuid[]), CAST(:propertyIds AS uuid[]), CAST(:prices AS text[]),
                        CAST(:saleDates AS text[]), CAST(:buyerNames AS text[]), CAST(:buyerUserIds AS uuid[]),
                        CAST(:agentIds AS uuid[]), CAST(:prospectorIds AS uuid[]))
                 AS u(id, company_id, property_id, price, sale_date, buyer_name, buyer_user_id, agent_id, prospector_id)""")
    void insert(String commissionStatus, String createdBy, String[] ids, String[] companyIds, String[] propertyIds, String[] prices,
                String[] saleDates, String[] buyerNames, String[] buyerUserIds, String[] agentIds, String[] prospectorIds);

    @Scoped
    @Query("UPDATE properties p SET status = 'sold', version = p.version + 1, updated_at = now() "
            + "WHERE p.id = ANY(CAST(:ids AS uuid[])) AND " + PROPERTY_SCOPE)
    void markSold(RowScope scope, String[] ids);

    @Scoped
    @Query("UPDATE sales s SET commission_status = :status WHERE s.id = :id AND " + SALE_SCOPE)
    void setCommissionStatus(RowScope scope, UUID id, String status);

    @Scoped
    @Query(SALE)
    Optional<Row> find(RowScope scope, UUID id);

    /**
     * A page of sales, newest sale date first, after the cursor {@code (beforeDate, beforeId)}. Each
     * company's newest rows come from the {@code sales_company_date} index (a LATERAL per company, so
     * a caller of several companies still gets index order), then the companies' pages are merged.
     */
    String LIST = """
            SELECT s.* FROM companies c CROSS JOIN LATERAL (
                SELECT s.id, s.company_id, s.property_id, s.sale_price, s.sale_date, s.buyer_name, s.buyer_user_id, s.agent_id,
                       s.prospector_id, s.status, s.created_at, s.cancelled_at, s.commission_status
                FROM sales s WHERE s.company_id = c.id\s""" + SALE_OWN + """
                AND (CAST(:status AS text) IS NULL OR s.status = CAST(:status AS text))
                AND (CAST(:agentId AS uuid) IS NULL OR s.agent_id = CAST(:agentId AS uuid))
                AND (CAST(:propertyId AS uuid) IS NULL OR s.property_id = CAST(:propertyId AS uuid))
                AND s.sale_date BETWEEN :from AND :to
                AND (s.sale_date, s.id) < (:beforeDate, :beforeId)
                ORDER BY s.sale_date DESC, s.id DESC LIMIT :limit) s
            WHERE (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[])))
            ORDER BY s.sale_date DESC, s.id DESC LIMIT :limit""";

    @Scoped
    @Query(LIST)
    List<Row> list(RowScope scope, @Nullable String status, @Nullable UUID agentId, @Nullable UUID propertyId, LocalDate from,
                   LocalDate to, LocalDate beforeDate, UUID beforeId, int limit);

    /** A commission transaction with its sale, for a page of sales. */
    @Introspected
    record SalePart(UUID saleId, UUID id, String role, UUID agentId, BigDecimal percentageApplied, BigDecimal amount,
                    String paymentStatus, UUID ruleId, BigDecimal baseAmount, BigDecimal commissionTotal) {
        Part part() {
            return new Part(id, role, agentId, percentageApplied, amount, paymentStatus, ruleId, baseAmount, commissionTotal);
        }
    }

    /** The transactions of these sales in one statement, live ones first (see {@link #transactions}). */
    // One look-up of commission_transactions_sale per sale (OFFSET 0 keeps the subquery per sale and the scope
    // outside it): with "sale_id = ANY(...)" and no statistics the planner may read the table for a page of
    // sales, or AND in all of the company's transactions (local: HotPathPlansTest).
    @Scoped
    @Query("""
            SELECT t.sale_id, t.id, t.role, t.agent_id, t.percentage_applied, t.amount, t.payment_status, t.rule_id, t.base_amount,
                   t.commission_total
            FROM unnest(CAST(:saleIds AS uuid[])) AS x(id) CROSS JOIN LATERAL (
                SELECT t.* FROM commission_transactions t WHERE t.sale_id = x.id OFFSET 0) t
            WHERE (:allCompanies OR t.company_id = ANY(CAST(:companies AS uuid[])))
            ORDER BY t.sale_id, t.payment_status = 'cancelled', t.role, t.calculated_at DESC""")
    List<SalePart> transactionsOf(RowScope scope, String[] saleIds);

    @Scoped
    @Query(SALE + " FOR UPDATE")
    Optional<Row> lock(RowScope scope, UUID id);

    /** Live transactions (pending, paid) first: after a recalculation the first is the current split. */
    @Scoped
    @Query("""
            SELECT t.id, t.role, t.agent_id, t.percentage_applied, t.amount, t.payment_status, t.rule_id, t.base_amount,
                   t.commission_total
            FROM commission_transactions t WHERE t.sale_id = :saleId
            AND (:allCompanies OR t.company_id = ANY(CAST(:companies AS uuid[])))
            ORDER BY t.payment_status = 'cancelled', t.role, t.calculated_at DESC""")
    List<Part> transactions(RowScope scope, UUID saleId);

    @Scoped
    @Query("""
            UPDATE sales s SET status = 'cancelled', cancelled_at = now(), cancelled_by = :by,
                   commission_status = CASE WHEN s.commission_status = 'pending' THEN 'cancelled' ELSE s.commission_status END
            WHERE s.id = :id AND\s""" + SALE_SCOPE)
    void cancel(RowScope scope, UUID id, String by);

    @Scoped
    @Query("UPDATE properties p SET status = 'available', version = p.version + 1, updated_at = now() "
            + "WHERE p.id = :id AND p.status = 'sold' AND " + PROPERTY_SCOPE)
    void releaseProperty(RowScope scope, UUID id);
}
