package org.agentplatform.agent.run;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import io.micronaut.data.repository.jpa.JpaSpecificationExecutor;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The runs table. State changes are conditional updates (compare-and-set on status, the entry
 * that drives the run and the worker that holds it), so two workers or a worker and the API can
 * never both win a transition; callers look at the row count.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RunRepository extends CrudRepository<RunEntity, String>, JpaSpecificationExecutor<RunEntity> {

    /**
     * Completes a {@code WITH changed AS (INSERT/UPDATE runs … RETURNING *)}: the changed run's
     * status history row ({@code :historyMessage}, where {@code {attempt}} stands for the run's
     * attempt number), written by the same statement, and the changed run as the result (no row:
     * nothing changed, no history row).
     */
    String AND_ITS_HISTORY_ROW = """
            , history AS (
                INSERT INTO run_status_history (task_id, status, at, message, attempt)
                SELECT task_id, status, :now, REPLACE(:historyMessage, '{attempt}', CAST(attempts AS TEXT)),
                       NULLIF(attempts, 0)
                FROM changed)
            SELECT * FROM changed""";

    /** A new run, queued, with {@code currentEntry} driving it; nothing when the task has a run already. */
    String INSERT_QUEUED_RUN = """
            INSERT INTO runs (task_id, status, source_vendor, source_json, message_json, session_id, user_id,
                              input_message, model, agent_type, priority, correlation_id, created_at,
                              current_entry, updated_at)
            VALUES (:taskId, 'queued', :sourceVendor, :sourceJson, :messageJson, :sessionId, :userId,
                    :inputMessage, :model, :agentType, :priority, :correlationId, :createdAt,
                    :currentEntry, :now)
            ON CONFLICT (task_id) DO NOTHING
            """;

    @Query(INSERT_QUEUED_RUN)
    int insertIfAbsent(String taskId, String sourceVendor, @Nullable String sourceJson, String messageJson,
                       @Nullable String sessionId, String userId, String inputMessage, String model, String agentType,
                       int priority, @Nullable String correlationId, Instant createdAt, String currentEntry, Instant now);

    /**
     * First sight of a task on the worker path: the run is created {@code queued} with
     * {@code currentEntry} driving it, together with its "queued" history row, in one statement.
     * Null when the run exists already (then read it with {@link #findById}).
     */
    @Query("WITH changed AS (" + INSERT_QUEUED_RUN + " RETURNING *)" + AND_ITS_HISTORY_ROW)
    @Nullable
    RunEntity createQueued(String taskId, String sourceVendor, @Nullable String sourceJson, String messageJson,
                           @Nullable String sessionId, String userId, String inputMessage, String model,
                           String agentType, int priority, @Nullable String correlationId, Instant createdAt,
                           String currentEntry, Instant now, String historyMessage);

    @Query("SELECT * FROM runs WHERE task_id = :taskId FOR UPDATE")
    Optional<RunEntity> findForUpdate(String taskId);

    /** Lets {@code newEntry} drive the run when the entry it names is gone. */
    @Query("""
            UPDATE runs SET current_entry = :newEntry, updated_at = :now
            WHERE task_id = :taskId AND current_entry IS NOT DISTINCT FROM CAST(:oldEntry AS TEXT)""")
    int adoptEntry(String taskId, @Nullable String oldEntry, String newEntry, Instant now);

    /**
     * queued (or running, when its holder died) → running: a new attempt, with its "running" history
     * row ({@code historyMessage} with {@code {attempt}} replaced by the attempt's number), in one
     * statement. Returns the claimed run, or null when it was not claimable (cancelled, requeued,
     * driven by another entry).
     */
    @Query("""
            WITH changed AS (
                UPDATE runs SET status = 'running', attempts = attempts + 1, round_attempts = round_attempts + 1,
                       started_at = :now, finished_at = NULL, duration_ms = NULL, result = NULL, error = NULL,
                       runner = :runner, worker = :worker, retry_at = NULL, answer_state = 'none',
                       answer_posted = FALSE, updated_at = :now
                WHERE task_id = :taskId AND status IN ('queued', 'running') AND cancel_requested = FALSE
                  AND current_entry = :entry
                RETURNING *)
            """ + AND_ITS_HISTORY_ROW)
    @Nullable
    RunEntity claimForStart(String taskId, String entry, String worker, String runner, Instant now, String historyMessage);

    /** running → succeeded (answer {@code answerState}), with its history row; null when the run changed hands. */
    @Query("""
            WITH changed AS (
                UPDATE runs SET status = 'succeeded', result = :result, cost_usd = cost_usd + :cost, finished_at = :now,
                       duration_ms = :durationMs, error = NULL, answer_state = :answerState, updated_at = :now
                WHERE task_id = :taskId AND status = 'running' AND worker = :worker
                RETURNING *)
            """ + AND_ITS_HISTORY_ROW)
    @Nullable
    RunEntity markSucceeded(String taskId, String worker, String result, BigDecimal cost, long durationMs,
                            String answerState, Instant now, String historyMessage);

    /** running → failed or cancelled (terminal), with its history row; null when the run changed hands. */
    @Query("""
            WITH changed AS (
                UPDATE runs SET status = :status, error = :error, cost_usd = cost_usd + :cost, finished_at = :now,
                       duration_ms = :durationMs, cancel_requested = FALSE, updated_at = :now
                WHERE task_id = :taskId AND status = 'running' AND worker = :worker
                RETURNING *)
            """ + AND_ITS_HISTORY_ROW)
    @Nullable
    RunEntity markFinished(String taskId, String worker, String status, String error, BigDecimal cost, long durationMs,
                           Instant now, String historyMessage);

    /** running → queued, to be XADDed again at {@code retryAt}, with its history row; null when the run changed hands. */
    @Query("""
            WITH changed AS (
                UPDATE runs SET status = 'queued', error = :error, cost_usd = cost_usd + :cost, retry_at = :retryAt,
                       worker = NULL, updated_at = :now
                WHERE task_id = :taskId AND status = 'running' AND worker = :worker
                RETURNING *)
            """ + AND_ITS_HISTORY_ROW)
    @Nullable
    RunEntity markRetrying(String taskId, String worker, String error, BigDecimal cost, Instant retryAt, Instant now,
                           String historyMessage);

    /** running → queued without a new entry: the held entry is handed back (shutdown) and redelivered. */
    @Query("""
            UPDATE runs SET status = 'queued', worker = NULL, updated_at = :now
            WHERE task_id = :taskId AND status = 'running' AND worker = :worker""")
    int handBack(String taskId, String worker, Instant now);

    @Query("""
            UPDATE runs SET status = 'dead_lettered', error = :error, cost_usd = cost_usd + :cost, finished_at = :now,
                   retry_at = NULL, worker = NULL, updated_at = :now
            WHERE task_id = :taskId AND current_entry = :entry AND status IN ('queued', 'running', 'succeeded')""")
    int markDeadLettered(String taskId, String entry, String error, BigDecimal cost, Instant now);

    /** A queued or stale running run whose cancel was requested, seen by a worker. */
    @Query("""
            UPDATE runs SET status = 'cancelled', error = 'cancelled', finished_at = :now, retry_at = NULL,
                   cancel_requested = FALSE, worker = NULL, updated_at = :now
            WHERE task_id = :taskId AND status IN ('queued', 'running')""")
    int markCancelled(String taskId, Instant now);

    /** The answer is posted; returns the run, or null when it is not (or no longer) succeeded. */
    @Query("""
            UPDATE runs SET answer_posted = TRUE, answer_state = 'posted', answer_ref = :answerRef,
                   answer_rounds = answer_rounds + 1, updated_at = :now
            WHERE task_id = :taskId AND status = 'succeeded'
            RETURNING *""")
    @Nullable
    RunEntity markAnswerPosted(String taskId, @Nullable String answerRef, Instant now);

    /** Where the answer of a succeeded run stands; returns the run, or null when it is not (or no longer) succeeded. */
    @Query("""
            UPDATE runs SET answer_state = :answerState, error = :error, answer_rounds = answer_rounds + :rounds,
                   updated_at = :now
            WHERE task_id = :taskId AND status = 'succeeded'
            RETURNING *""")
    @Nullable
    RunEntity markAnswerState(String taskId, String answerState, @Nullable String error, int rounds, Instant now);

    @Query("UPDATE runs SET cancel_requested = TRUE, updated_at = :now WHERE task_id = :taskId AND status = 'running'")
    int requestCancel(String taskId, Instant now);

    @Query("""
            UPDATE runs SET status = 'cancelled', error = 'cancelled', finished_at = :now, retry_at = NULL,
                   updated_at = :now
            WHERE task_id = :taskId AND status = 'queued'""")
    int cancelQueued(String taskId, Instant now);

    @Query("SELECT cancel_requested FROM runs WHERE task_id = :taskId")
    Optional<Boolean> findCancelRequested(String taskId);

    /** Back onto the queue by hand (retry / requeue): a fresh round of attempts. */
    @Query("""
            UPDATE runs SET status = 'queued', round_attempts = 0,
                   attempts = CASE WHEN :resetAttempts THEN 0 ELSE attempts END,
                   started_at = NULL, finished_at = NULL, duration_ms = NULL, result = NULL, error = NULL,
                   answer_posted = FALSE, answer_state = 'none', answer_rounds = 0, answer_ref = NULL,
                   cancel_requested = FALSE, retry_at = NULL, worker = NULL, current_entry = :entry,
                   updated_at = :now
            WHERE task_id = :taskId""")
    int requeue(String taskId, String entry, boolean resetAttempts, Instant now);

    /** Runs whose retry is due, locked for this transaction (other agents skip them). */
    @Query("""
            SELECT * FROM runs WHERE status = 'queued' AND retry_at IS NOT NULL AND retry_at <= :now
            ORDER BY retry_at LIMIT :limit FOR UPDATE SKIP LOCKED""")
    List<RunEntity> lockDueRetries(Instant now, int limit);

    @Query("UPDATE runs SET retry_at = NULL, current_entry = :entry, updated_at = :now WHERE task_id = :taskId")
    int retryEnqueued(String taskId, String entry, Instant now);

    @Query("SELECT status, COUNT(*) AS count FROM runs GROUP BY status")
    List<StatusCount> countByStatus();

    @Query("SELECT COALESCE(SUM(cost_usd), 0) FROM runs")
    BigDecimal totalCost();

    /** One row of {@link #countByStatus()}. */
    @Introspected
    record StatusCount(String status, long count) {}
}
