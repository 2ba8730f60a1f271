-- Agents, properties and assignments (issue 3). Every tenant row carries company_id, and every
-- reference between tenant rows includes company_id, so a row can only point at rows of its own
-- company: the database refuses cross-tenant links even if the code forgot to check.

CREATE TABLE agents (
    id         uuid PRIMARY KEY,
    company_id uuid        NOT NULL REFERENCES companies (id),
    user_id    uuid        REFERENCES users (id),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    cpf        char(11)    CHECK (cpf ~ '^[0-9]{11}$'),
    creci      text,
    active     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, company_id),
    UNIQUE (company_id, cpf),
    UNIQUE (company_id, user_id)
);
CREATE INDEX agents_company ON agents (company_id, id);

CREATE TABLE properties (
    id             uuid PRIMARY KEY,
    company_id     uuid          NOT NULL REFERENCES companies (id),
    reference_code text          NOT NULL CHECK (length(reference_code) BETWEEN 1 AND 60),
    title          text          NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    type           text          NOT NULL CHECK (type IN ('house', 'apartment', 'land', 'commercial')),
    status         text          NOT NULL DEFAULT 'available'
                                 CHECK (status IN ('available', 'reserved', 'sold', 'rented', 'unavailable')),
    price          numeric(14, 2) CHECK (price >= 0),
    rent_price     numeric(14, 2) CHECK (rent_price >= 0),
    for_sale       boolean       NOT NULL DEFAULT true,
    for_rent       boolean       NOT NULL DEFAULT false,
    address        text          CHECK (length(address) <= 500),
    agent_id       uuid,
    prospector_id  uuid,
    owner_user_id  uuid          REFERENCES users (id), -- the property owner, a portal user
    created_by     text          NOT NULL,
    created_at     timestamptz   NOT NULL DEFAULT now(),
    updated_at     timestamptz   NOT NULL DEFAULT now(),
    version        int           NOT NULL DEFAULT 1,
    UNIQUE (id, company_id),
    UNIQUE (company_id, reference_code),
    FOREIGN KEY (agent_id, company_id) REFERENCES agents (id, company_id),
    FOREIGN KEY (prospector_id, company_id) REFERENCES agents (id, company_id)
);
CREATE INDEX properties_company ON properties (company_id, id);
CREATE INDEX properties_agent ON properties (agent_id);
CREATE INDEX properties_prospector ON properties (prospector_id);

CREATE TABLE property_assignments (
    property_id    uuid        NOT NULL,
    agent_id       uuid        NOT NULL,
    company_id     uuid        NOT NULL,
    responsibility text        NOT NULL CHECK (responsibility IN ('primary', 'secondary', 'support')),
    active         boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (property_id, agent_id),
    FOREIGN KEY (property_id, company_id) REFERENCES properties (id, company_id) ON DELETE CASCADE,
    FOREIGN KEY (agent_id, company_id) REFERENCES agents (id, company_id)
);
CREATE INDEX property_assignments_agent ON property_assignments (agent_id) WHERE active;
