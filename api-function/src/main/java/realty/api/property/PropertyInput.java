package realty.api.property;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A property as a client sends it, for a single create or one row of an import. Validation is done
 * here by hand (not bean validation) so that an import can report every bad row by number.
 */
@Serdeable
@Schema(example = """
        {"companyId": "3b1f9c2d-5e6a-4f70-8c1d-9a2b3c4d5e6f", "referenceCode": "AP-101", "title": "Flat downtown", "type": "apartment", "status": "available", "price": 450000.00, "forSale": true, "forRent": false, "address": "Rua XV de Novembro 100, Curitiba", "agentId": "7d4c2a8e-0b7e-4d1e-9a53-2f1f0b6c9e11"}""")
public record PropertyInput(@Nullable UUID companyId, @Nullable String referenceCode, @Nullable String title,
                            @Nullable String type, @Nullable String status, @Nullable BigDecimal price,
                            @Nullable BigDecimal rentPrice, @Nullable Boolean forSale, @Nullable Boolean forRent,
                            @Nullable String address, @Nullable UUID agentId, @Nullable UUID prospectorId,
                            @Nullable UUID ownerUserId) {

    static final Set<String> TYPES = Set.of("house", "apartment", "land", "commercial");
    static final Set<String> STATUSES = Set.of("available", "reserved", "sold", "rented", "unavailable");
    private static final BigDecimal MAX_MONEY = new BigDecimal("999999999999.99");

    /** Field → problem; empty when the input is valid. */
    public Map<String, String> problems() {
        Map<String, String> p = new LinkedHashMap<>();
        if (referenceCode == null || referenceCode.isBlank()) {
            p.put("referenceCode", "required");
        } else if (referenceCode.length() > 60) {
            p.put("referenceCode", "at most 60 characters");
        }
        if (title == null || title.isBlank()) {
            p.put("title", "required");
        } else if (title.length() > 300) {
            p.put("title", "at most 300 characters");
        }
        if (type == null || !TYPES.contains(type)) {
            p.put("type", "one of " + String.join(", ", TYPES.stream().sorted().toList()));
        }
        if (status != null && !STATUSES.contains(status)) {
            p.put("status", "one of " + String.join(", ", STATUSES.stream().sorted().toList()));
        }
        money(p, "price", price);
        money(p, "rentPrice", rentPrice);
        if (address != null && address.length() > 500) {
            p.put("address", "at most 500 characters");
        }
        return p;
    }

    private static void money(Map<String, String> p, String field, BigDecimal v) {
        if (v == null) {
            return;
        }
        if (v.signum() < 0) {
            p.put(field, "must not be negative");
        } else if (v.scale() > 2) {
            p.put(field, "at most 2 decimal places");
        } else if (v.compareTo(MAX_MONEY) > 0) {
            p.put(field, "too large");
        }
    }

    PropertyInput withProspector(UUID prospector) {
        return new PropertyInput(companyId, referenceCode, title, type, status, price, rentPrice, forSale, forRent, address, agentId,
                prospector, ownerUserId);
    }

    PropertyInput withCompany(UUID company) {
        return new PropertyInput(company, referenceCode, title, type, status, price, rentPrice, forSale, forRent, address, agentId,
                prospectorId, ownerUserId);
    }
}
