-- Sales, commission rules and commission transactions (issue 4). Tenant references include
-- company_id, as in V2, so the database refuses links across tenants. The money rules of
-- domain.md §2.2 (amounts immutable, never deleted, paid is final, paid_at exactly when paid) are
-- enforced here too, not only by the API.

CREATE TABLE commission_rules (
    id                    uuid PRIMARY KEY,
    company_id            uuid           NOT NULL REFERENCES companies (id),
    agent_id              uuid           NOT NULL,
    transaction_type      text           NOT NULL CHECK (transaction_type IN ('sale', 'rental', 'both')),
    structure             text           NOT NULL CHECK (structure IN ('percentage', 'fixed')),
    percentage            numeric(7, 4)  CHECK (percentage BETWEEN 0 AND 100),
    fixed_amount          numeric(14, 2) CHECK (fixed_amount >= 0),
    min_transaction_value numeric(14, 2) NOT NULL DEFAULT 0 CHECK (min_transaction_value >= 0),
    max_transaction_value numeric(14, 2),
    valid_from            date           NOT NULL,
    valid_until           date,
    active                boolean        NOT NULL DEFAULT true,
    created_by            text           NOT NULL,
    created_at            timestamptz    NOT NULL DEFAULT now(),
    updated_at            timestamptz    NOT NULL DEFAULT now(),
    version               int            NOT NULL DEFAULT 1,
    UNIQUE (id, company_id),
    FOREIGN KEY (agent_id, company_id) REFERENCES agents (id, company_id),
    CHECK ((structure = 'percentage' AND percentage IS NOT NULL AND fixed_amount IS NULL)
        OR (structure = 'fixed' AND fixed_amount IS NOT NULL AND percentage IS NULL)),
    CHECK (max_transaction_value IS NULL OR max_transaction_value >= min_transaction_value),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX commission_rules_company ON commission_rules (company_id, id);
CREATE INDEX commission_rules_agent ON commission_rules (agent_id, valid_from DESC) WHERE active;

CREATE TABLE sales (
    id                uuid PRIMARY KEY,
    company_id        uuid           NOT NULL REFERENCES companies (id),
    property_id       uuid           NOT NULL,
    sale_price        numeric(14, 2) NOT NULL CHECK (sale_price > 0),
    sale_date         date           NOT NULL,
    buyer_name        text           NOT NULL CHECK (length(buyer_name) BETWEEN 1 AND 200),
    buyer_user_id     uuid           REFERENCES users (id),
    agent_id          uuid           NOT NULL,
    prospector_id     uuid,
    status            text           NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'cancelled')),
    -- pending: a bulk sale waiting for commission-function; the others say how its split ended.
    commission_status text           NOT NULL
                      CHECK (commission_status IN ('pending', 'calculated', 'no_applicable_rule', 'rule_rejected', 'cancelled')),
    created_by        text           NOT NULL,
    created_at        timestamptz    NOT NULL DEFAULT now(),
    cancelled_at      timestamptz,
    cancelled_by      text,
    UNIQUE (id, company_id),
    FOREIGN KEY (property_id, company_id) REFERENCES properties (id, company_id),
    FOREIGN KEY (agent_id, company_id) REFERENCES agents (id, company_id),
    FOREIGN KEY (prospector_id, company_id) REFERENCES agents (id, company_id),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX sales_company ON sales (company_id, id);
CREATE INDEX sales_property ON sales (property_id);
CREATE INDEX sales_agent ON sales (agent_id);
-- A property is sold at most once at a time; a cancelled sale frees it again.
CREATE UNIQUE INDEX sales_one_completed_per_property ON sales (property_id) WHERE status = 'completed';

CREATE FUNCTION sales_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'sales are never deleted: cancel them' USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.company_id IS DISTINCT FROM OLD.company_id OR NEW.property_id IS DISTINCT FROM OLD.property_id
       OR NEW.sale_price IS DISTINCT FROM OLD.sale_price OR NEW.sale_date IS DISTINCT FROM OLD.sale_date
       OR NEW.agent_id IS DISTINCT FROM OLD.agent_id OR NEW.prospector_id IS DISTINCT FROM OLD.prospector_id THEN
        RAISE EXCEPTION 'the price, date, property and agents of a sale are immutable (its commissions were computed from them)'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status = 'cancelled' AND NEW.status <> 'cancelled' THEN
        RAISE EXCEPTION 'a cancelled sale cannot be completed again' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER sales_guard BEFORE UPDATE OR DELETE ON sales FOR EACH ROW EXECUTE FUNCTION sales_guard();

CREATE TABLE commission_transactions (
    id                 uuid PRIMARY KEY,
    company_id         uuid           NOT NULL REFERENCES companies (id),
    sale_id            uuid           NOT NULL,
    agent_id           uuid           NOT NULL,
    role               text           NOT NULL CHECK (role IN ('agent', 'prospector')),
    rule_id            uuid           NOT NULL,
    rule_snapshot      jsonb          NOT NULL, -- the rule as applied, whatever happens to the rule later
    base_amount        numeric(14, 2) NOT NULL CHECK (base_amount > 0), -- the sale price
    commission_total   numeric(14, 2) NOT NULL CHECK (commission_total >= 0), -- the whole commission of the sale
    percentage_applied numeric(5, 2)  NOT NULL CHECK (percentage_applied BETWEEN 0 AND 100), -- this role's share of the total
    amount             numeric(14, 2) NOT NULL CHECK (amount >= 0 AND amount <= commission_total),
    payment_status     text           NOT NULL DEFAULT 'pending' CHECK (payment_status IN ('pending', 'paid', 'cancelled')),
    paid_at            timestamptz,
    paid_by            text,
    cancelled_at       timestamptz,
    cancelled_by       text,
    calculated_at      timestamptz    NOT NULL DEFAULT statement_timestamp(),
    calculated_by      text           NOT NULL, -- 'event:<id>' (commission-function) or 'user:<id>' (API)
    -- One transaction per role and sale: a redelivered or replayed split inserts nothing twice.
    UNIQUE (sale_id, role),
    FOREIGN KEY (sale_id, company_id) REFERENCES sales (id, company_id),
    FOREIGN KEY (agent_id, company_id) REFERENCES agents (id, company_id),
    FOREIGN KEY (rule_id, company_id) REFERENCES commission_rules (id, company_id),
    CHECK ((payment_status = 'paid') = (paid_at IS NOT NULL)),
    CHECK ((payment_status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX commission_transactions_company ON commission_transactions (company_id, id);
CREATE INDEX commission_transactions_agent ON commission_transactions (agent_id, id);

CREATE FUNCTION commission_transactions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'commission transactions are never deleted: cancel them (% refused)', TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.company_id IS DISTINCT FROM OLD.company_id
       OR NEW.sale_id IS DISTINCT FROM OLD.sale_id OR NEW.agent_id IS DISTINCT FROM OLD.agent_id
       OR NEW.role IS DISTINCT FROM OLD.role OR NEW.rule_id IS DISTINCT FROM OLD.rule_id
       OR NEW.rule_snapshot IS DISTINCT FROM OLD.rule_snapshot OR NEW.base_amount IS DISTINCT FROM OLD.base_amount
       OR NEW.commission_total IS DISTINCT FROM OLD.commission_total
       OR NEW.percentage_applied IS DISTINCT FROM OLD.percentage_applied OR NEW.amount IS DISTINCT FROM OLD.amount
       OR NEW.calculated_at IS DISTINCT FROM OLD.calculated_at OR NEW.calculated_by IS DISTINCT FROM OLD.calculated_by THEN
        RAISE EXCEPTION 'the amounts, rule, role, agent and sale of a commission transaction are immutable'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.payment_status <> 'pending' AND (NEW.payment_status IS DISTINCT FROM OLD.payment_status
            OR NEW.paid_at IS DISTINCT FROM OLD.paid_at OR NEW.cancelled_at IS DISTINCT FROM OLD.cancelled_at) THEN
        RAISE EXCEPTION 'a % commission transaction is final: it cannot become %', OLD.payment_status, NEW.payment_status
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER commission_transactions_guard BEFORE UPDATE OR DELETE ON commission_transactions
    FOR EACH ROW EXECUTE FUNCTION commission_transactions_guard();
CREATE TRIGGER commission_transactions_no_truncate BEFORE TRUNCATE ON commission_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION commission_transactions_guard();
