package org.agentplatform.gateway.task;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.gateway.api.AbstractTasksController;
import org.agentplatform.gateway.http.Correlation;
import org.agentplatform.gateway.http.ProblemException;
import org.agentplatform.gateway.http.ServiceTokenFilter;
import org.agentplatform.gateway.model.CreateTaskRequest;
import org.agentplatform.gateway.model.DeliveriesPage;
import org.agentplatform.gateway.model.Delivery;
import org.agentplatform.gateway.model.Task;
import org.agentplatform.gateway.store.DeliveryRepository;
import org.agentplatform.gateway.store.DeliveryRow;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code tasks} tag of the gateway API: the generated {@link AbstractTasksController} declares
 * the routes, parameters and validation; this class only translates to domain calls.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class TasksController extends AbstractTasksController {

    private static final Set<String> VENDORS = Arrays.stream(Delivery.VendorEnum.values())
            .map(Delivery.VendorEnum::getValue).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> OUTCOMES = Arrays.stream(Delivery.OutcomeEnum.values())
            .map(Delivery.OutcomeEnum::getValue).collect(Collectors.toUnmodifiableSet());

    private final TaskService tasks;
    private final TaskViews views;
    private final DeliveryRepository deliveries;

    public TasksController(TaskService tasks, TaskViews views, DeliveryRepository deliveries) {
        this.tasks = tasks;
        this.views = views;
        this.deliveries = deliveries;
    }

    @Override
    public HttpResponse<Task> createTask(CreateTaskRequest createTaskRequest, @Nullable String idempotencyKey) {
        HttpRequest<?> request = ServerRequestContext.currentRequest().orElseThrow();
        String correlationId = request.getAttribute(Correlation.ATTRIBUTE, String.class).orElseGet(Correlation::newId);
        String caller = request.getAttribute(ServiceTokenFilter.CALLER, String.class).orElse("unknown");
        var created = tasks.create(createTaskRequest, idempotencyKey, correlationId,
                Correlation.traceparent(request), caller);
        return HttpResponse.accepted().body(views.task(created.row()));
    }

    @Override
    public HttpResponse<Task> getTask(String taskId) {
        return tasks.find(taskId)
                .map(row -> HttpResponse.ok(views.task(row)))
                .orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "No task " + taskId));
    }

    @Override
    public HttpResponse<DeliveriesPage> listDeliveries(@Nullable Integer page, @Nullable Integer size,
                                                       @Nullable String vendor, @Nullable String outcome) {
        if (vendor != null && !VENDORS.contains(vendor)) {
            throw ProblemException.badField("vendor", "must be one of " + String.join(", ", VENDORS.stream().sorted().toList()));
        }
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw ProblemException.badField("outcome", "must be one of " + String.join(", ", OUTCOMES.stream().sorted().toList()));
        }
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        Pageable pageable = Pageable.from(p, s, Sort.of(Sort.Order.desc("receivedAt"), Sort.Order.desc("id")));
        Page<DeliveryRow> rows;
        if (vendor != null && outcome != null) {
            rows = deliveries.findByVendorAndOutcome(vendor, outcome, pageable);
        } else if (vendor != null) {
            rows = deliveries.findByVendor(vendor, pageable);
        } else if (outcome != null) {
            rows = deliveries.findByOutcome(outcome, pageable);
        } else {
            rows = deliveries.findAll(pageable);
        }
        DeliveriesPage body = new DeliveriesPage(rows.getContent().stream().map(views::delivery).toList(), p, s,
                rows.getTotalSize());
        return HttpResponse.ok(body);
    }
}
