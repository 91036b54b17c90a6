package org.agentplatform.agent.answer;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.validation.ValidationException;

/**
 * What every call to a vendor service through its generated client has in common: the failure
 * mapping. Retryable: the service is down, overloaded, timed out or refused our token (a token
 * rotation may fix it), or it is still carrying out an earlier try with the same Idempotency-Key
 * (409 with Retry-After); not retryable: the request itself is wrong (400, 404, 409 without
 * Retry-After, 422) or does not fit the contract before it is sent.
 */
final class VendorCalls {

    @FunctionalInterface
    interface Call<T> {
        T call();
    }

    private VendorCalls() {
    }

    static <T> T call(String service, Call<T> call) throws AnswerPostException {
        try {
            T result = call.call();
            if (result == null) {
                // Micronaut's declarative clients turn a 404 into null instead of an exception
                throw new AnswerPostException(service + " answered 404 Not Found (or an empty body)", false);
            }
            return result;
        } catch (HttpClientResponseException e) {
            HttpStatus status = e.getStatus();
            int code = status.getCode();
            boolean inProgress = code == 409 && e.getResponse().getHeaders().contains("Retry-After");
            throw new AnswerPostException(service + " answered " + code + " " + status.getReason() + detail(e),
                    retryable(code) || inProgress);
        } catch (HttpClientException e) {
            throw new AnswerPostException(service + " unreachable: " + e.getMessage(), true);
        } catch (ValidationException e) {
            throw new AnswerPostException("the request does not fit the " + service + " API: " + e.getMessage(), false);
        } catch (RuntimeException e) {
            // a bug, not an outage: trying again would loop on the same entry
            throw new AnswerPostException("calling " + service + " failed: " + e, false);
        }
    }

    static boolean retryable(int status) {
        return status >= 500 || status == 429 || status == 408 || status == 401 || status == 403;
    }

    /** A 200 answer with {@code success: false}: the service did not do it (retryable, like a 5xx). */
    static AnswerPostException notDone(String service, String what, @Nullable String error, @Nullable String message) {
        return new AnswerPostException(service + " did not " + what + ": " + (error != null ? error : message), true);
    }

    private static String detail(HttpClientResponseException e) {
        try {
            return e.getResponse().getBody(String.class).map(b -> ": " + (b.length() > 300 ? b.substring(0, 300) : b)).orElse("");
        } catch (RuntimeException unreadable) {
            return "";
        }
    }
}
