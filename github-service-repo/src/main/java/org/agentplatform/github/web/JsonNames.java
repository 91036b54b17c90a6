package org.agentplatform.github.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns Java names (method parameters, bean properties) into the names a caller sees in the contract:
 * {@code pr_number}, {@code Idempotency-Key}, {@code comment}, never {@code postPrComment.prNumber}.
 */
final class JsonNames {

    /** What a parameter is bound to, when it is the request body. */
    static final String BODY = "body";

    private JsonNames() {
    }

    /** The HTTP name of a route argument from its binding annotation ({@code @PathVariable("pr_number")} → pr_number). */
    static String ofArgument(String javaName, AnnotationMetadata metadata) {
        for (Class<? extends Annotation> binding : List.of(PathVariable.class, QueryValue.class, Header.class)) {
            if (metadata.hasAnnotation(binding)) {
                String value = metadata.stringValue(binding).orElse("");
                return value.isEmpty() ? snake(javaName) : value;
            }
        }
        if (metadata.hasAnnotation(Body.class)) {
            return BODY;
        }
        return snake(javaName);
    }

    /** The JSON name of bean property {@code property} of {@code beanType}: its {@code @JsonProperty}, from the model's introspection. */
    static String ofProperty(@Nullable Class<?> beanType, String property) {
        if (beanType != null) {
            Optional<String> json = BeanIntrospector.SHARED.findIntrospection(beanType)
                .flatMap(introspection -> introspection.getProperty(property))
                .flatMap(p -> p.stringValue(JsonProperty.class))
                .filter(name -> !name.isEmpty());
            if (json.isPresent()) {
                return json.get();
            }
        }
        return snake(property);
    }

    /** camelCase → snake_case (the contract's convention), for names without an annotation. */
    static String snake(String javaName) {
        String name = javaName.startsWith("_") ? javaName.substring(1) : javaName;
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
