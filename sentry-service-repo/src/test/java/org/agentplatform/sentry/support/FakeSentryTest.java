package org.agentplatform.sentry.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Base of a {@code @MicronautTest} class whose Sentry is a WireMock ({@link #sentry}, emptied
 * before each test): the service runs on a fresh database with {@link TestSupport#baseProperties} and
 * {@code SENTRY_API_URL} / {@code SENTRY_AUTH_TOKEN} (real mode) set for it; {@link #configure} adds or overrides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FakeSentryTest implements TestPropertyProvider {

    protected final WireMockServer sentry = new WireMockServer(options().dynamicPort());

    @Inject
    protected EmbeddedServer server;
    @Inject
    protected JsonMapper mapper;

    private final String databasePrefix;

    protected FakeSentryTest(String databasePrefix) {
        this.databasePrefix = databasePrefix;
    }

    /** This class's properties on top of the common ones (may overwrite them). */
    protected void configure(Map<String, String> properties) {
    }

    @Override
    public final Map<String, String> getProperties() {
        sentry.start();
        Map<String, String> p = TestSupport.baseProperties(databasePrefix);
        p.put("sentry.api-url", sentry.baseUrl() + "/api/0");
        p.put("sentry.auth-token", TestSupport.SENTRY_TOKEN);
        configure(p);
        return p;
    }

    @AfterAll
    void stopSentry() {
        sentry.stop();
    }

    @BeforeEach
    void resetSentry() {
        sentry.resetAll();
    }

    /** The URL of a path of the service under test. */
    protected String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    protected Map<String, Object> json(HttpResponse<String> r) {
        return TestSupport.json(mapper, r.body());
    }

    /** Sends {@code request} {@code n} times at once; each must answer 200. Returns the set of their {@code field}. */
    protected Set<Object> inParallel(int n, String field, Callable<HttpResponse<String>> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(request));
            }
            Set<Object> values = new HashSet<>();
            for (Future<HttpResponse<String>> f : futures) {
                HttpResponse<String> r = f.get();
                assertEquals(200, r.statusCode(), r.body());
                values.add(json(r).get(field));
            }
            return values;
        } finally {
            pool.shutdownNow();
        }
    }
}
