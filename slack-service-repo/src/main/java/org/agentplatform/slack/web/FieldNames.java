package org.agentplatform.slack.web;

import java.util.Locale;
import java.util.Map;

/** Java parameter/property names → the names a caller sees (JSON properties, headers, query). */
final class FieldNames {

    private static final Map<String, String> SPECIAL = Map.of(
            "idempotencyKey", "Idempotency-Key",
            "xCorrelationId", "X-Correlation-Id");

    private FieldNames() {
    }

    static String external(String javaName) {
        String special = SPECIAL.get(javaName);
        if (special != null) {
            return special;
        }
        StringBuilder out = new StringBuilder(javaName.length() + 4);
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
