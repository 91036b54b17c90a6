package org.agentplatform.contracts;

import io.swagger.v3.oas.models.media.Schema;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.compare.OpenApiDiffOptions;
import org.openapitools.openapidiff.core.model.Changed;
import org.openapitools.openapidiff.core.model.ChangedApiResponse;
import org.openapitools.openapidiff.core.model.ChangedContent;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.model.ChangedOperation;
import org.openapitools.openapidiff.core.model.ChangedParameter;
import org.openapitools.openapidiff.core.model.ChangedParameters;
import org.openapitools.openapidiff.core.model.ChangedRequestBody;
import org.openapitools.openapidiff.core.model.ChangedSchema;
import org.openapitools.openapidiff.core.model.Endpoint;
import org.openapitools.openapidiff.core.model.schema.ChangedNumericRange;
import org.openapitools.openapidiff.core.output.MarkdownRender;

/**
 * Breaking changes between two versions of one OpenAPI file, found by openapi-diff-core and listed one per line
 * ("POST /api/v1/... response 200 application/json field comment_id: type changed from integer to string").
 *
 * <p>openapi-diff decides what is incompatible; on top of it (gaps found with the gate fixtures):
 * a removed request or response property is breaking (openapi-diff only flags removed <em>required</em> response
 * properties), a raised minLength is breaking (off by default in openapi-diff, switched on here), and a changed
 * operationId is breaking (generated clients name their methods after it).
 */
final class OpenApiBreakingChanges {

    private static final OpenApiDiffOptions OPTIONS = OpenApiDiffOptions.builder()
            .configProperty("incompatible.request.min.length.increased", "true")
            .configProperty("incompatible.operation.id.changed", "true")
            .build();

    private final Set<String> changes = new LinkedHashSet<>();
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private OpenApiBreakingChanges() {}

    static List<String> compare(Path oldFile, Path newFile) {
        ChangedOpenApi diff = OpenApiCompare.fromLocations(oldFile.toString(), newFile.toString(), null, OPTIONS);
        OpenApiBreakingChanges walker = new OpenApiBreakingChanges();
        for (Endpoint e : diff.getMissingEndpoints()) {
            walker.report(e.getMethod() + " " + e.getPathUrl(), "operation removed (" + e.getOperation().getOperationId() + ")");
        }
        diff.getChangedOperations().forEach(walker::operation);
        if (diff.isIncompatible() && walker.changes.isEmpty()) {
            // openapi-diff found something this walker does not describe: show its own report
            walker.changes.add("openapi-diff reports an incompatible change:\n" + new MarkdownRender().render(diff));
        }
        return List.copyOf(walker.changes);
    }

    private void operation(ChangedOperation op) {
        String at = op.getHttpMethod() + " " + op.getPathUrl();
        if (isIncompatible(op.getOperationId())) {
            report(at, "operationId changed from " + op.getOperationId().getLeft() + " to " + op.getOperationId().getRight());
        }
        parameters(at, op.getParameters());
        requestBody(at, op.getRequestBody());
        responses(at, op.getApiResponses());
        if (isIncompatible(op.getSecurityRequirements())) {
            report(at, "security requirements changed");
        }
    }

    private void parameters(String at, ChangedParameters params) {
        if (params == null) {
            return;
        }
        params.getIncreased().stream().filter(p -> Boolean.TRUE.equals(p.getRequired()))
                .forEach(p -> report(at, "new required parameter " + p.getName() + " (in " + p.getIn() + ")"));
        params.getMissing().forEach(p -> report(at, "parameter removed: " + p.getName() + " (in " + p.getIn() + ")"));
        for (ChangedParameter p : params.getChanged()) {
            String where = at + " parameter " + p.getName() + " (in " + p.getIn() + ")";
            int before = changes.size();
            if (p.isChangeRequired() && Boolean.TRUE.equals(p.getNewParameter().getRequired())) {
                report(where, "became required");
            }
            schema(where, "", p.getSchema(), true);
            content(where, p.getContent(), true);
            if (p.isIncompatible() && changes.size() == before) {
                report(where, "changed incompatibly (style, explode or allowEmptyValue)");
            }
        }
    }

    private void requestBody(String at, ChangedRequestBody body) {
        if (body == null) {
            return;
        }
        if (body.isChangeRequired() && Boolean.TRUE.equals(body.getNewRequestBody().getRequired())) {
            report(at, "request body became required");
        }
        content(at + " request body", body.getContent(), true);
    }

    private void responses(String at, ChangedApiResponse responses) {
        if (responses == null) {
            return;
        }
        responses.getMissing().keySet().forEach(code -> report(at, "response " + code + " removed"));
        responses.getChanged().forEach((code, r) -> {
            content(at + " response " + code, r.getContent(), false);
            if (isIncompatible(r.getHeaders())) {
                report(at + " response " + code, "headers changed incompatibly");
            }
        });
    }

    private void content(String where, ChangedContent content, boolean request) {
        if (content == null) {
            return;
        }
        content.getMissing().keySet().forEach(type -> report(where, "media type " + type + " removed"));
        content.getChanged().forEach((type, media) -> schema(where + " " + type, "", media.getSchema(), request));
    }

    /** One changed schema: its own incompatible changes, then its properties, items and additionalProperties. */
    private void schema(String where, String field, ChangedSchema s, boolean request) {
        if (s == null || !seen.add(s)) {
            return;
        }
        String at = field.isEmpty() ? where : where + " field " + field;
        Schema<?> o = s.getOldSchema();
        Schema<?> n = s.getNewSchema();
        if (s.isChangedType()) {
            report(at, "type changed from " + type(o) + " to " + type(n));
        }
        if (o != null && n != null && !Objects.equals(o.getFormat(), n.getFormat())
                && (o.getFormat() != null || request) && n.getFormat() != null) {
            report(at, "format changed from " + o.getFormat() + " to " + n.getFormat());
        }
        if (isIncompatible(s.getEnumeration())) {
            report(at, request ? "enum value(s) removed: " + s.getEnumeration().getMissing()
                    : "enum value(s) added to a response: " + s.getEnumeration().getIncreased());
        }
        if (isIncompatible(s.getRequired())) {
            report(at, request ? "new required field(s): " + s.getRequired().getIncreased()
                    : "field(s) no longer required: " + s.getRequired().getMissing());
        }
        if (isIncompatible(s.getMaxLength())) {
            report(at, "maxLength changed from " + s.getMaxLength().getOldValue() + " to " + s.getMaxLength().getNewValue());
        }
        if (isIncompatible(s.getMinLength())) {
            report(at, "minLength changed from " + s.getMinLength().getOldValue() + " to " + s.getMinLength().getNewValue());
        }
        if (isIncompatible(s.getNumericRange())) {
            ChangedNumericRange r = s.getNumericRange();
            report(at, "range changed from [" + r.getOldMinimumValue() + ", " + r.getOldMaximumValue() + "] to ["
                    + r.getNewMinimumValue() + ", " + r.getNewMaximumValue() + "]");
        }
        if (isIncompatible(s.getPattern())) {
            report(at, "pattern changed from " + s.getPattern().getOldPattern() + " to " + s.getPattern().getNewPattern());
        }
        Map<String, Changed> others = new LinkedHashMap<>();
        others.put("nullable", s.getNullable());
        others.put("readOnly", s.getReadOnly());
        others.put("writeOnly", s.getWriteOnly());
        others.put("maxItems", s.getMaxItems());
        others.put("minItems", s.getMinItems());
        others.put("uniqueItems", s.getUniqueItems());
        others.put("multipleOf", s.getMultipleOf());
        others.put("maxProperties", s.getMaxProperties());
        others.put("minProperties", s.getMinProperties());
        others.put("oneOf", s.getOneOfSchema());
        others.forEach((name, c) -> {
            if (isIncompatible(c)) {
                report(at, name + " changed incompatibly");
            }
        });
        if (s.isDiscriminatorPropertyChanged()) {
            report(at, "discriminator changed");
        }
        // our own rule: a removed property breaks the consumers that read (response) or set (request) it
        String prefix = field.isEmpty() ? "" : field + ".";
        s.getMissingProperties().keySet().forEach(p -> report(where + " field " + prefix + p, "property removed"));
        s.getChangedProperties().forEach((p, child) -> schema(where, prefix + p, child, request));
        schema(where, field + "[]", s.getItems(), request);
        schema(where, prefix + "*", s.getAddProp(), request);
    }

    private void report(String where, String what) {
        changes.add(where + ": " + what);
    }

    private static boolean isIncompatible(Changed c) {
        return c != null && c.isIncompatible();
    }

    private static String type(Schema<?> s) {
        if (s == null) {
            return "(none)";
        }
        String t = s.getType() != null ? s.getType() : s.getTypes() != null ? String.join("|", s.getTypes()) : "any";
        return s.getFormat() == null ? t : t + " (" + s.getFormat() + ")";
    }
}
