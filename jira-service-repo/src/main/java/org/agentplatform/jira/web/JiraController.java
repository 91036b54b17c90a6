package org.agentplatform.jira.web;

import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.agentplatform.jira.api.AbstractJiraController;
import org.agentplatform.jira.model.JiraCommentRequest;
import org.agentplatform.jira.model.JiraCommentResult;
import org.agentplatform.jira.model.JiraIssue;
import org.agentplatform.jira.model.JiraTransitionRequest;
import org.agentplatform.jira.model.JiraTransitionResult;
import org.agentplatform.jira.service.JiraService;

/** The jira operations of the contract (routes and validation are generated); HTTP to domain only. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class JiraController extends AbstractJiraController {

    private final JiraService jira;

    public JiraController(JiraService jira) {
        this.jira = jira;
    }

    @Override
    public JiraIssue getJiraIssue(String issueKey, String xCorrelationId) {
        return jira.getIssue(issueKey, CorrelationFilter.current(xCorrelationId));
    }

    @Override
    public JiraCommentResult addJiraComment(String issueKey, JiraCommentRequest request, String idempotencyKey,
                                            String xCorrelationId) {
        return jira.addComment(issueKey, request.getBody(), idempotencyKey, CorrelationFilter.current(xCorrelationId));
    }

    @Override
    public JiraCommentResult updateJiraComment(String issueKey, String commentId, JiraCommentRequest request,
                                               String idempotencyKey, String xCorrelationId) {
        return jira.updateComment(issueKey, commentId, request.getBody(), idempotencyKey,
                CorrelationFilter.current(xCorrelationId));
    }

    @Override
    public JiraTransitionResult transitionJiraIssue(String issueKey, JiraTransitionRequest request, String idempotencyKey,
                                                    String xCorrelationId) {
        return jira.transition(issueKey, request.getTransition(), idempotencyKey, CorrelationFilter.current(xCorrelationId));
    }
}
