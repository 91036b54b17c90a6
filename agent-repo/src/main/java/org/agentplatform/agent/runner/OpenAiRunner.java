package org.agentplatform.agent.runner;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.agentplatform.agent.config.OpenAiConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An OpenAI-compatible chat completion, streamed: {@code POST {OPENAI_BASE_URL}/chat/completions}
 * with {@code stream: true} and {@code stream_options.include_usage}. Server-sent {@code data:}
 * chunks are parsed as they arrive; each completed line of the answer becomes a progress line.
 * The cost is the usage tokens × the configured prices per 1000 tokens; while streaming it is
 * estimated (4 characters a token) so the task's cost cap can stop the request in time.
 */
@Singleton
public class OpenAiRunner implements AgentRunner {
    public static final String NAME = "openai";
    private static final int CHARS_PER_TOKEN = 4;
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private final OpenAiConfig config;
    private final JsonMapper json;
    private final HttpClient http;

    public OpenAiRunner(OpenAiConfig config, JsonMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(Math.max(1, config.getConnectTimeoutSeconds())))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RunnerResult run(RunRequest request, RunControl control, ProgressSink progress) throws RunnerException {
        String model = request.model() == null || request.model().isBlank() || "default".equals(request.model())
                ? config.getDefaultModel() : request.model();
        String system = config.getSystemPrompt() == null ? "" : config.getSystemPrompt();
        long promptEstimate = tokens(system.length() + request.input().length());
        progress.line(ProgressSink.SYSTEM, "openai: " + model + " at " + config.getBaseUrl());

        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(stripSlash(config.getBaseUrl()) + "/chat/completions"))
                .timeout(request.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body(model, system, request.input()), StandardCharsets.UTF_8));
        if (config.getApiKey() != null && !config.getApiKey().isBlank()) {
            rb.header("Authorization", "Bearer " + config.getApiKey());
        }
        if (request.correlationId() != null) {
            rb.header("X-Correlation-Id", request.correlationId());
        }

        CompletableFuture<HttpResponse<InputStream>> call = http.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        control.onStop(() -> call.cancel(true));
        HttpResponse<InputStream> response;
        try {
            response = call.get();
        } catch (CancellationException e) {
            throw new RunnerException("stopped: " + control.reason(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerException("interrupted", true);
        } catch (ExecutionException e) {
            if (control.isStopped()) {
                throw new RunnerException("stopped: " + control.reason(), false);
            }
            throw new RunnerException("openai request failed: " + e.getCause(), true);
        }
        InputStream body = response.body();
        control.onStop(() -> closeQuietly(body));
        if (response.statusCode() != 200) {
            String text = readSome(body);
            int code = response.statusCode();
            throw new RunnerException("openai answered " + code + ": " + text, code == 429 || code == 408 || code >= 500);
        }

        StreamState state = new StreamState(promptEstimate);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String line;
            boolean done = false;
            while (!done && (line = reader.readLine()) != null) {
                if (line.isEmpty()) {                       // end of one server-sent event
                    done = dispatch(data, state, progress);
                    data.setLength(0);
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                }                                           // ":" comments, "event:", "id:" are ignored
                if (control.isStopped()) {
                    break;
                }
            }
            if (!done && data.length() > 0 && !control.isStopped()) {
                dispatch(data, state, progress);
            }
        } catch (IOException e) {
            if (!control.isStopped()) {
                throw new RunnerException("openai stream broke: " + e.getMessage(), true, state.cost(config));
            }
        }
        if (control.isStopped()) {
            throw new RunnerException("stopped: " + control.reason(), false, state.cost(config));
        }
        if (state.error != null) {
            throw new RunnerException("openai error: " + state.error, false, state.cost(config));
        }
        state.flush(progress);
        BigDecimal cost = state.cost(config);
        progress.line(ProgressSink.SYSTEM, "openai: " + state.promptTokens() + " prompt + " + state.completionTokens()
                + " completion tokens" + (state.usageSeen ? "" : " (estimated)") + ", $" + cost.toPlainString());
        String answer = state.answer.toString().strip();
        return new RunnerResult(answer.isEmpty() ? "(the model returned no text)" : answer, cost);
    }

    /** Handles one event's data; returns true on [DONE]. */
    private boolean dispatch(StringBuilder data, StreamState state, ProgressSink progress) throws IOException {
        String d = data.toString().strip();
        if (d.isEmpty()) {
            return false;
        }
        if ("[DONE]".equals(d)) {
            return true;
        }
        JsonNode chunk = json.readValue(d, JsonNode.class);
        if (chunk == null) {
            return false;
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            JsonNode msg = error.get("message");
            state.error = msg != null && msg.isString() ? msg.getStringValue() : error.toString();
            return true;
        }
        JsonNode choices = chunk.get("choices");
        if (choices != null && choices.isArray() && choices.size() > 0) {
            JsonNode delta = choices.get(0).get("delta");
            JsonNode content = delta == null ? null : delta.get("content");
            if (content != null && content.isString()) {
                state.append(content.getStringValue(), progress);
                progress.cost(state.cost(config));
            }
        }
        JsonNode usage = chunk.get("usage");
        if (usage != null && usage.isObject()) {
            state.usageSeen = true;
            state.promptTokens = longOf(usage.get("prompt_tokens"));
            state.completionTokens = longOf(usage.get("completion_tokens"));
        }
        return false;
    }

    private String body(String model, String system, String input) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("model", model);
        b.put("messages", system.isEmpty()
                ? List.of(Map.of("role", "user", "content", input))
                : List.of(Map.of("role", "system", "content", system), Map.of("role", "user", "content", input)));
        b.put("stream", true);
        b.put("stream_options", Map.of("include_usage", true));
        try {
            return json.writeValueAsString(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cost of tokens at the configured prices per 1000. */
    static BigDecimal cost(long promptTokens, long completionTokens, OpenAiConfig config) {
        return config.getInputPricePer1k().multiply(BigDecimal.valueOf(promptTokens))
                .add(config.getOutputPricePer1k().multiply(BigDecimal.valueOf(completionTokens)))
                .divide(THOUSAND, 6, RoundingMode.HALF_UP);
    }

    private static long tokens(long chars) {
        return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }

    private static long longOf(JsonNode n) {
        return n != null && n.isNumber() ? n.getLongValue() : 0;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String readSome(InputStream in) {
        try (in) {
            String s = new String(in.readNBytes(2000), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "(no body)" : s;
        } catch (IOException e) {
            return "(unreadable body)";
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing to abort
        }
    }

    /** What the stream has produced so far. */
    private static final class StreamState {
        final StringBuilder answer = new StringBuilder();
        final StringBuilder pendingLine = new StringBuilder();
        final long promptEstimate;
        boolean usageSeen;
        long promptTokens;
        long completionTokens;
        String error;

        StreamState(long promptEstimate) {
            this.promptEstimate = promptEstimate;
        }

        void append(String text, ProgressSink progress) {
            answer.append(text);
            pendingLine.append(text);
            int nl;
            while ((nl = pendingLine.indexOf("\n")) >= 0) {
                progress.line(ProgressSink.STDOUT, pendingLine.substring(0, nl));
                pendingLine.delete(0, nl + 1);
            }
        }

        void flush(ProgressSink progress) {
            if (pendingLine.length() > 0) {
                progress.line(ProgressSink.STDOUT, pendingLine.toString());
                pendingLine.setLength(0);
            }
        }

        long promptTokens() {
            return usageSeen ? promptTokens : promptEstimate;
        }

        long completionTokens() {
            return usageSeen ? completionTokens : tokens(answer.length());
        }

        BigDecimal cost(OpenAiConfig config) {
            return OpenAiRunner.cost(promptTokens(), completionTokens(), config);
        }
    }
}
