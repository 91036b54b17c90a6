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
