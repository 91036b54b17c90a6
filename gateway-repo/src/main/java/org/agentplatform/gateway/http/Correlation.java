package org.agentplatform.gateway.http;

import io.micronaut.core.annotation.Nullable;
import org.slf4j.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The correlation id: created per request (or taken from a valid incoming {@code X-Correlation-Id}),
 * carried on every queue message, outgoing call and log line of the work it starts.
 */
public final class Correlation {

    /** The SLF4J MDC key every log line shows. */
    public static final String MDC_KEY = "correlation_id";
    public static final String HEADER = "X-Correlation-Id";
    /** Request attribute holding the id the {@link CorrelationIdFilter} chose. */
    public static final String ATTRIBUTE = "gateway.correlation_id";

    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");

    private Correlation() {
    }

    public static boolean isValid(@Nullable String id) {
        return id != null && VALID.matcher(id).matches();
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The id of the current thread's work, or a new one when there is none. */
    public static String currentOrNew() {
        String id = MDC.get(MDC_KEY);
        return isValid(id) ? id : newId();
    }

    /**
     * Puts {@code id} in the MDC until the returned scope is closed, then restores what was there
     * (background work: the outbox relay, the enqueue and the reaction run on other threads than
     * the request, and may nest).
     */
    public static Scope scope(String id) {
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        return () -> {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        };
    }

    /** A correlation id in the MDC; closing it restores the previous one. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
