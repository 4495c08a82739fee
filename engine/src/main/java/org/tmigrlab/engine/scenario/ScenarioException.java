package org.tmigrlab.engine.scenario;

/**
 * A scenario file that cannot be used. {@link #field()} is the path of the offending entry
 * ({@code machine.cpus}, {@code script[3].op}, {@code expect[0].firesBy}); it is empty when the
 * document as a whole is wrong (e.g. malformed YAML, whose {@link #detail()} then carries line
 * and column). {@link #getMessage()} is {@code field: detail} so it reads on its own.
 */
public final class ScenarioException extends RuntimeException {
    private final String field;
    private final String detail;

    public ScenarioException(String field, String detail) {
        this(field, detail, null);
    }

    public ScenarioException(String field, String detail, Throwable cause) {
        super(field.isEmpty() ? detail : field + ": " + detail, cause);
        this.field = field;
        this.detail = detail;
    }

    /** Path of the offending entry, empty for document-level problems. */
    public String field() {
        return field;
    }

    /** What is wrong, without the field path. */
    public String detail() {
        return detail;
    }
}
