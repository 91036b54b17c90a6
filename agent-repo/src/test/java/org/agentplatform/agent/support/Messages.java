package org.agentplatform.agent.support;

import java.util.UUID;

/** TaskQueueMessage JSON as the gateway sends it. */
public final class Messages {
    private Messages() {
    }

    public static String githubPr(String taskId, String input) {
        return github(taskId, input, 7, true, 0);
    }

    public static String github(String taskId, String input, long number, boolean pullRequest, int priority) {
        return """
                {"task_id":"%s","session_id":"github:octo/hello#%d","user_id":"octocat","input_message":%s,
                 "assigned_agent":null,"agent_type":"coding","model":"default","priority":%d,
                 "created_at":"2026-11-26T10:00:00Z","correlation_id":"corr-%s",
                 "source":{"vendor":"github","url":"https://github.com/octo/hello/pull/%d#issuecomment-1234567",
                   "github":{"owner":"octo","repo":"hello","number":%d,"comment_id":3000000001,
                             "comment_type":"issue_comment","is_pull_request":%s}},
                 "timeout_seconds":30}""".formatted(taskId, number, quote(input), priority, taskId, number, number, pullRequest);
    }

    /** A Slack app_mention in a thread (the gateway's SlackSource). */
    public static String slackThread(String taskId, String input) {
        return """
                {"task_id":"%s","session_id":"slack:C0123456789:1700000000.000100","user_id":"U2147483697",
                 "input_message":%s,"agent_type":"coding","model":"default","priority":0,
                 "created_at":"2026-11-26T10:00:00Z","correlation_id":"corr-%s",
                 "source":{"vendor":"slack","url":"https://example.slack.com/archives/C0123456789/p1700000000000100",
                   "slack":{"channel":"C0123456789","thread_ts":"1700000000.000100","message_ts":"1700000000.000100",
                            "team_id":"T0001"}},
                 "timeout_seconds":30}""".formatted(taskId, quote(input), taskId);
    }

    /** A Slack slash command: answered through its response_url. */
    public static String slackSlashCommand(String taskId, String input) {
        return """
                {"task_id":"%s","session_id":"slack:C0123456789","user_id":"U2147483697",
                 "input_message":%s,"agent_type":"coding","model":"default",
                 "created_at":"2026-11-26T10:00:00Z","correlation_id":"corr-%s",
                 "source":{"vendor":"slack","slack":{"channel":"C0123456789","team_id":"T0001",
                   "response_url":"https://hooks.slack.com/commands/T0001/1234/abcd"}},
                 "timeout_seconds":30}""".formatted(taskId, quote(input), taskId);
    }

    /** A Jira issue labelled agent. */
    public static String jiraIssue(String taskId, String input) {
        return """
                {"task_id":"%s","session_id":"jira:PROJ-123","user_id":"5b10a2844c20165700ede21g",
                 "input_message":%s,"agent_type":"coding","model":"default",
                 "created_at":"2026-11-26T10:00:00Z","correlation_id":"corr-%s",
                 "source":{"vendor":"jira","url":"https://example.atlassian.net/browse/PROJ-123",
                   "jira":{"issue_key":"PROJ-123","comment_id":null}},
                 "timeout_seconds":30}""".formatted(taskId, quote(input), taskId);
    }

    /** A new Sentry issue (triage). */
    public static String sentryIssue(String taskId, String input) {
        return """
                {"task_id":"%s","session_id":"sentry:1234567890","user_id":"sentry",
                 "input_message":%s,"agent_type":"triage","model":"default",
                 "created_at":"2026-11-26T10:00:00Z","correlation_id":"corr-%s",
                 "source":{"vendor":"sentry","url":"https://acme.sentry.io/issues/1234567890/",
                   "sentry":{"issue_id":"1234567890","project":"backend","organization":"acme"}},
                 "timeout_seconds":30}""".formatted(taskId, quote(input), taskId);
    }

    public static String api(String taskId, String input, int priority) {
        return """
                {"task_id":"%s","session_id":"s-%s","user_id":"u-1","input_message":%s,"agent_type":"coding",
                 "model":"default","priority":%d,"correlation_id":"corr-%s","source":{"vendor":"api"}}"""
                .formatted(taskId, taskId, quote(input), priority, taskId);
    }

    public static String newId() {
        return "t-" + UUID.randomUUID();
    }

    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
