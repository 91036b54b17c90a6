package org.agentplatform.agent.run;

/** A use case that cannot be done: no such run, a state that forbids it, or an unusable input. */
public class RunException extends RuntimeException {
    /** What went wrong, in HTTP-agnostic terms. */
    public enum Kind { NOT_FOUND, CONFLICT, INVALID }

    private final Kind kind;
    private final String field;

    public RunException(Kind kind, String message, String field) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** For INVALID: the parameter it is about. */
    public String field() {
        return field;
    }

    public static RunException notFound(String message) {
        return new RunException(Kind.NOT_FOUND, message, null);
    }

    public static RunException conflict(String message) {
        return new RunException(Kind.CONFLICT, message, null);
    }

    public static RunException invalid(String field, String message) {
        return new RunException(Kind.INVALID, message, field);
    }
}
