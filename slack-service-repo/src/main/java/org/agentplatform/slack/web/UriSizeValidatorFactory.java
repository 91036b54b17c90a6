package org.agentplatform.slack.web;

import io.micronaut.context.annotation.Factory;
import io.micronaut.validation.validator.constraints.ConstraintValidator;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.Size;

import java.net.URI;

/**
 * The contract gives {@code response_url} ({@code format: uri}) a {@code maxLength}; the generator
 * turns that into {@code @Size} on a {@link URI}, which bean validation has no validator for.
 * This one measures the URI's text.
 */
@Factory
public class UriSizeValidatorFactory {

    @Singleton
    ConstraintValidator<Size, URI> uriSizeValidator() {
        return (value, annotation, context) -> {
            if (value == null) {
                return true;
            }
            int length = value.toString().length();
            return length >= annotation.intValue("min").orElse(0)
                    && length <= annotation.intValue("max").orElse(Integer.MAX_VALUE);
        };
    }
}
