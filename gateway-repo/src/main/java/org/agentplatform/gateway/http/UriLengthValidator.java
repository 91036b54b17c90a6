package org.agentplatform.gateway.http;

import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.validation.validator.constraints.ConstraintValidator;
import io.micronaut.validation.validator.constraints.ConstraintValidatorContext;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.Size;

import java.net.URI;

/**
 * {@code @Size} on a {@link URI}: the contract gives {@code TaskSource.slack.response_url} ({@code format: uri})
 * a {@code maxLength}, the generated model carries it as {@code @Size} on a {@code URI}, and bean validation has
 * no validator for that pair (every task created with a Slack source was a 500). The URI's text is measured.
 */
@Singleton
public class UriLengthValidator implements ConstraintValidator<Size, URI> {

    @Override
    public boolean isValid(@Nullable URI uri, AnnotationValue<Size> size, ConstraintValidatorContext context) {
        return uri == null || within(uri.toString().length(), size);
    }

    private static boolean within(int length, AnnotationValue<Size> size) {
        int min = size.intValue("min").orElse(0);
        int max = size.intValue("max").orElse(Integer.MAX_VALUE);
        return min <= length && length <= max;
    }
}
