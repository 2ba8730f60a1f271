package realty.core.tenancy;

import io.micronaut.data.annotation.ParameterExpression;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a repository method with a {@link RowScope} parameter named {@code scope}: binds the scope's
 * parts to the named parameters its query uses ({@code :allCompanies}, {@code :companies},
 * {@code :ownOnly}, {@code :ownUser}, {@code :viaAgent}, {@code :viaProspector}, {@code :viaUser}).
 * RowScopeGuardTest fails for a tenant-table query without it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Scoped.AllCompanies
@Scoped.Companies
@Scoped.OwnOnly
@Scoped.OwnUser
@Scoped.ViaAgent
@Scoped.ViaProspector
@Scoped.ViaUser
public @interface Scoped {
    // One expression per annotation: Micronaut Data's container for repeated @ParameterExpression
    // applies to methods only, so each part of the scope gets a meta-annotation of its own.

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.ANNOTATION_TYPE)
    @ParameterExpression(name = "allCompanies", expression = "#{#scope.allCompanies}")
    @interface AllCompanies {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.ANNOTATION_TYPE)
    @ParameterExpression(name = "companies", expression = "#{#scope.companies}")
    @interface Companies {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.ANNOTATION_TYPE)
    @ParameterExpression(name = "ownOnly", expression = "#{#scope.ownOnly}")
    @interface OwnOnly {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.ANNOTATION_TYPE)
    @ParameterExpression(name = "ownUser", expression = "#{#scope.ownUser}")
    @interface OwnUser {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.ANNOTATION_TYPE)
    @ParameterExpression(name = "viaAgent", expression = "#{#scope.viaAgent}")
    @interface ViaAgent {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.ANNOTATION_TYPE)
    @ParameterExpression(name = "viaProspector", expression = "#{#scope.viaProspector}")
    @interface ViaProspector {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.ANNOTATION_TYPE)
    @ParameterExpression(name = "viaUser", expression = "#{#scope.viaUser}")
    @interface ViaUser {
    }
}
