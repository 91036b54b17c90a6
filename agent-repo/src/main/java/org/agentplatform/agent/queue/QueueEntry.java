package org.agentplatform.agent.queue;

import java.util.Map;

/**
 * One stream entry a worker holds. {@link #ref()} ({@code <stream>/<id>}) names it in the runs
 * table, where it fences which entry may drive a run.
 */
public record QueueEntry(String stream, String id, Map<String, String> fields) {
    public static final String MESSAGE_FIELD = "message";

    public String ref() {
        return ref(stream, id);
    }

    public String message() {
        return fields == null ? null : fields.get(MESSAGE_FIELD);
    }

    public static String ref(String stream, String id) {
        return stream + "/" + id;
    }

    /** The stream of a ref. */
    public static String streamOf(String ref) {
        return ref.substring(0, ref.lastIndexOf('/'));
    }

    /** The entry id of a ref. */
    public static String idOf(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
